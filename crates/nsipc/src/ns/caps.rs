//! Keeping capabilities across `execve` inside a new user namespace.
//!
//! A process that creates a user namespace has every capability in it, but
//! an ordinary `execve` by a non-root uid drops them. Moving the permitted
//! set into the inheritable and ambient sets (`capabilities(7)`) keeps them
//! for the program: unshare's and nsenter's `--keep-caps`.

use std::io;

use rustix::thread::{self, CapabilitySet};

/// The highest capability number the kernel knows
/// (`/proc/sys/kernel/cap_last_cap`); 40 (CAP_CHECKPOINT_RESTORE) if the
/// file cannot be read.
pub fn last_cap() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .filter(|&n: &u32| n < 64)
        .unwrap_or(40)
}

/// Which step of [`permitted_to_ambient`] failed.
#[derive(Debug, thiserror::Error)]
pub enum CapsError {
    #[error("capget failed: {0}")]
    /// `capget(2)` failed.
    Get(#[source] io::Error),
    #[error("capset failed: {0}")]
    /// `capset(2)` failed.
    Set(#[source] io::Error),
    #[error("prctl(PR_CAP_AMBIENT) failed: {0}")]
    /// `prctl(PR_CAP_AMBIENT_RAISE)` failed.
    Ambient(#[source] io::Error),
}

/// Makes every permitted capability inheritable and ambient, so it
/// survives `execve`.
///
/// # Examples
///
/// ``` no_run
/// use std::os::unix::process::CommandExt;
/// // After joining a user namespace as its root: keep the capabilities
/// // across the exec of a program that is not root-owned.
/// nsipc::ns::caps::permitted_to_ambient()?;
/// let err = std::process::Command::new("sh").exec();
/// # let _ = err;
/// # Ok::<(), nsipc::ns::caps::CapsError>(())
/// ```
///
/// # References
/// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
/// - [capget(2)](https://man7.org/linux/man-pages/man2/capget.2.html)
/// - [prctl(2)](https://man7.org/linux/man-pages/man2/prctl.2.html)
pub fn permitted_to_ambient() -> Result<(), CapsError> {
    let mut sets = thread::capabilities(None).map_err(|e| CapsError::Get(e.into()))?;
    sets.inheritable = sets.permitted;
    thread::set_capabilities(None, sets).map_err(|e| CapsError::Set(e.into()))?;
    for cap in 0..=last_cap() {
        let bit = CapabilitySet::from_bits_retain(1u64 << cap);
        if sets.permitted.contains(bit) {
            thread::configure_capability_in_ambient_set(bit, true)
                .map_err(|e| CapsError::Ambient(e.into()))?;
        }
    }
    Ok(())
}
