//! System V IPC: message queues, semaphore sets, shared memory segments.
