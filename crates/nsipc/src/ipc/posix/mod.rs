//! POSIX IPC: message queues, shared memory, named semaphores.
