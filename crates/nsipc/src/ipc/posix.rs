//! POSIX IPC (to be written).
