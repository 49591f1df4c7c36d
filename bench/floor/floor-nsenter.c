/* The floor of `nsenter -t PID -a PROGRAM`: what it must do and nothing else;
   bench/nsenter compares nsipc with it. */
/* setns into every namespace of a process, fork (the PID namespace applies
   to children), exec in the child, wait: what `nsenter -t PID -a` must do. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    static const char *ns[] = { "user", "cgroup", "ipc", "uts", "net", "pid", "mnt", "time" };
    int fd[8], i, status;
    char path[64];
    if (argc < 3) return 2;
    for (i = 0; i < 8; i++) {
        snprintf(path, sizeof path, "/proc/%s/ns/%s", argv[1], ns[i]);
        fd[i] = open(path, O_RDONLY | O_CLOEXEC);
    }
    for (i = 0; i < 8; i++)
        if (fd[i] >= 0 && setns(fd[i], 0) < 0 && i != 0) return 1; /* same user ns: EINVAL */
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) { execvp(argv[2], argv + 2); _exit(127); }
    if (waitpid(pid, &status, 0) < 0) return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
