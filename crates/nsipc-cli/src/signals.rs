//! Signal masks, dispositions and the signals unshare and nsenter send or
//! forward: every signal call of the tools is here.
//!
//! Nothing is changed at start-up (see src/main.rs): the caller's mask and
//! dispositions reach the program unshare or nsenter runs, except where a
//! tool resets one on purpose (SIGCHLD before waiting for a child). rustix
//! has no sigprocmask or sigaction for programs (only its `runtime` feature,
//! meant for a libc replacement), so these go through libc.

use std::io;
use std::sync::atomic::{AtomicI32, Ordering};

/// A set of signals (`sigset_t`), always initialised.
#[derive(Clone, Copy)]
pub struct SigSet(libc::sigset_t);

impl SigSet {
    /// No signal.
    pub fn empty() -> Self {
        let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: sigemptyset initialises the whole set it is given.
        unsafe {
            libc::sigemptyset(set.as_mut_ptr());
            SigSet(set.assume_init())
        }
    }

    /// Every signal.
    pub fn full() -> Self {
        let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: sigfillset initialises the whole set it is given.
        unsafe {
            libc::sigfillset(set.as_mut_ptr());
            SigSet(set.assume_init())
        }
    }

    /// The calling thread's signal mask, as the caller of the tool left it
    /// unless this process changed it since.
    pub fn current() -> io::Result<Self> {
        let mut old = Self::empty();
        // SAFETY: a NULL set only reads the mask into `old`, an initialised
        // sigset_t.
        let rc = unsafe { libc::sigprocmask(libc::SIG_BLOCK, std::ptr::null(), &mut old.0) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(old)
    }

    /// The set with `signal` added (an invalid number is ignored).
    pub fn with(mut self, signal: i32) -> Self {
        self.add(signal);
        self
    }

    /// Adds `signal`; false when it is not a valid signal number.
    pub fn add(&mut self, signal: i32) -> bool {
        // SAFETY: `self.0` is an initialised sigset_t; sigaddset checks the
        // number (EINVAL).
        unsafe { libc::sigaddset(&mut self.0, signal) == 0 }
    }

    /// Whether `signal` is in the set.
    pub fn contains(&self, signal: i32) -> bool {
        // SAFETY: `self.0` is an initialised sigset_t; sigismember checks
        // the number (-1, EINVAL).
        unsafe { libc::sigismember(&self.0, signal) == 1 }
    }
}

/// sigprocmask(how, set, old): the mask before when `old` is given, else
/// NULL (the kernel is not asked for it).
fn procmask(how: libc::c_int, set: &SigSet, old: Option<&mut SigSet>) -> io::Result<()> {
    let old = old.map_or(std::ptr::null_mut(), |old| {
        &mut old.0 as *mut libc::sigset_t
    });
    // SAFETY: `set` is an initialised sigset_t; `old` is NULL or points to
    // one, borrowed for the call.
    if unsafe { libc::sigprocmask(how, &set.0, old) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Blocks the signals of `set` in addition to those already blocked;
/// returns the mask before, for [`set_mask`].
pub fn block(set: &SigSet) -> io::Result<SigSet> {
    let mut old = SigSet::empty();
    procmask(libc::SIG_BLOCK, set, Some(&mut old))?;
    Ok(old)
}

/// Unblocks the signals of `set`.
pub fn unblock(set: &SigSet) -> io::Result<()> {
    procmask(libc::SIG_UNBLOCK, set, None)
}

/// Makes `mask` the signal mask (restores what [`block`] returned).
pub fn set_mask(mask: &SigSet) -> io::Result<()> {
    procmask(libc::SIG_SETMASK, mask, None)
}

/// Resets `signal` to its default disposition, with `signal(2)` (glibc:
/// `SA_RESTART`, the signal itself in the handler's mask).
pub fn set_default(signal: i32) {
    // SAFETY: SIG_DFL installs no handler; an invalid number only fails.
    unsafe { libc::signal(signal, libc::SIG_DFL) };
}

/// Sends `signal` to process `pid` (kill(2)); errors are ignored, as by
/// every caller: the process may have ended already.
pub fn kill(pid: i32, signal: i32) {
    // SAFETY: kill takes two integers and touches no memory of ours.
    unsafe { libc::kill(pid, signal) };
}

/// Stops this process (SIGSTOP to ourselves), as a stopped child did.
pub fn stop_self() {
    kill(std::process::id() as i32, libc::SIGSTOP);
}

/// Ends this process by `signal` with its default action: the disposition
/// is reset and the signal unblocked first. Returns if the signal does not
/// end the process (it was SIGCHLD, say).
pub fn raise_default(signal: i32) {
    if signal != libc::SIGKILL && signal != libc::SIGSTOP {
        set_default(signal);
    }
    let _ = unblock(&SigSet::empty().with(signal));
    // Not raise(3): the kernel's view is the whole process.
    // SAFETY: getpid has no preconditions.
    kill(unsafe { libc::getpid() }, signal);
}

/// The child that [`forward`]ed signals go to; 0 until it is known.
static FORWARD_TO: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward_handler(signal: libc::c_int) {
    let pid = FORWARD_TO.load(Ordering::Relaxed);
    if pid > 0 {
        // kill(2) is async-signal-safe; nothing else is called here.
        kill(pid, signal);
    }
}

/// Forwards `signal` to the process later named by [`forward_to`] (until
/// then it is dropped): a handler with `SA_RESTART` and an empty mask.
pub fn forward(signal: i32) -> io::Result<()> {
    // SAFETY: the sigaction struct is zeroed (a valid value) and then
    // filled; the handler only reads an atomic and calls kill(2), both
    // async-signal-safe.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = forward_handler as *const () as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_flags = libc::SA_RESTART;
        if libc::sigaction(signal, &sa, std::ptr::null_mut()) == -1 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Names the process that signals set up with [`forward`] go to.
pub fn forward_to(pid: i32) {
    FORWARD_TO.store(pid, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_what_was_added() {
        let empty = SigSet::empty();
        assert!(!empty.contains(libc::SIGINT));
        let set = SigSet::empty().with(libc::SIGINT).with(libc::SIGTERM);
        assert!(set.contains(libc::SIGINT) && set.contains(libc::SIGTERM));
        assert!(!set.contains(libc::SIGPIPE));
        assert!(SigSet::full().contains(libc::SIGPIPE));
        let mut set = SigSet::empty();
        assert!(!set.add(0) && !set.add(100_000));
    }

    /// Run in a thread: the mask is per thread, so the test harness's other
    /// threads are unaffected.
    #[test]
    fn block_and_restore_the_mask() {
        std::thread::spawn(|| {
            let before = SigSet::current().unwrap();
            assert!(!before.contains(libc::SIGUSR2));
            let old = block(&SigSet::empty().with(libc::SIGUSR2)).unwrap();
            assert!(SigSet::current().unwrap().contains(libc::SIGUSR2));
            assert!(!old.contains(libc::SIGUSR2));
            set_mask(&old).unwrap();
            assert!(!SigSet::current().unwrap().contains(libc::SIGUSR2));
        })
        .join()
        .unwrap();
    }
}
