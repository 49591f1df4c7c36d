/* Fills the (private, fresh) /dev/mqueue and /dev/shm for the lsipc
   benchmark: `fill-posix QUEUES SEGMENTS SEMAPHORES`. Never run it outside
   the benchmark's own IPC and mount namespaces.
   Message queues are charged to their creator's RLIMIT_MSGQUEUE (800 kB by
   default, also for root), so they are made by children running as uids
   60000, 60001, ... with 2,000 small queues each. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what, int i) {
    fprintf(stderr, "fill-posix: %s %d: %m\n", what, i);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: fill-posix QUEUES SEGMENTS SEMAPHORES\n"); return 2; }
    int queues = atoi(argv[1]), segments = atoi(argv[2]), sems = atoi(argv[3]);
    char name[64];
    for (int start = 0; start < queues; start += 2000) {
        pid_t pid = fork();
        if (pid < 0) die("fork", start);
        if (pid == 0) {
            if (setresuid(60000 + start / 2000, 60000 + start / 2000, 60000 + start / 2000) < 0) die("setresuid", start);
            struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
            for (int i = start; i < queues && i < start + 2000; i++) {
                snprintf(name, sizeof name, "/bench-q%d", i);
                mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0640, &attr);
                if (q == (mqd_t)-1) die("mq_open", i);
                mq_close(q);
            }
            _exit(0);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) return 1;
    }
    for (int i = 0; i < segments; i++) {
        snprintf(name, sizeof name, "/bench-m%d", i);
        int fd = shm_open(name, O_CREAT | O_RDWR, 0640);
        if (fd < 0 || ftruncate(fd, 4096) < 0) die("shm_open", i);
        close(fd);
    }
    for (int i = 0; i < sems; i++) {
        snprintf(name, sizeof name, "/bench-s%d", i);
        sem_t *s = sem_open(name, O_CREAT, 0640, 1);
        if (s == SEM_FAILED) die("sem_open", i);
        sem_close(s);
    }
    return 0;
}
