/* The floor of `unshare -iu PROGRAM`: unshare(2), then exec. Nothing else
   (no option parsing, no messages); bench/unshare compares nsipc with it. */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>
int main(int argc, char **argv) {
    (void)argc;
    if (unshare(CLONE_NEWIPC | CLONE_NEWUTS) < 0) return 1;
    execvp(argv[1], argv + 1);
    return 127;
}
