//! The IPC view of another namespace: run a closure with only the IPC
//! namespace switched, on a helper thread, so the caller never moves.
