//! System V IPC (to be written).
