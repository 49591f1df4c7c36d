//! Running the user's program at the end of unshare and nsenter: `execvp`
//! with util-linux's exit statuses (127 not found, 126 not executable), the
//! login-style shell when no program is given, and dying by the child's
//! signal so the caller's shell sees 128+N.

use std::ffi::{CString, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::report::{Failure, Prog};

/// Exit status when the program does not exist (as util-linux and shells).
pub const EXIT_NOT_FOUND: i32 = 127;
/// Exit status when the program exists but cannot be executed.
pub const EXIT_CANNOT_EXEC: i32 = 126;

fn cstring(arg: &std::ffi::OsStr) -> CString {
    // An argument with an interior NUL cannot come from a real argv; truncate
    // at it rather than panic.
    let bytes = arg.as_bytes();
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap_or_default()
}

/// Replaces this process with `argv[0]` searched in PATH. Returns only on
/// failure, after printing `failed to execute <prog>: <strerror>`.
pub fn exec_program(prog: &Prog, argv: &[OsString]) -> Failure {
    let Some(program) = argv.first() else {
        return Failure(EXIT_NOT_FOUND);
    };
    let c_args: Vec<CString> = argv.iter().map(|a| cstring(a)).collect();
    let err = execvp(&c_args[0], &c_args);
    prog.warn(
        format_args!("failed to execute {}", crate::report::shown(program)),
        &err,
    );
    Failure(exec_failure_status(&err))
}

/// Replaces this process with `path`, giving it `argv` (used for the shell,
/// whose `argv[0]` differs from its path).
pub fn exec_path(prog: &Prog, path: &Path, argv: &[OsString]) -> Failure {
    let c_path = cstring(path.as_os_str());
    let c_args: Vec<CString> = argv.iter().map(|a| cstring(a)).collect();
    let mut ptrs: Vec<*const libc::c_char> = c_args.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: c_path and every pointer in ptrs point to NUL-terminated
    // strings that outlive the call; the array is NULL-terminated.
    unsafe { libc::execv(c_path.as_ptr(), ptrs.as_ptr()) };
    let err = io::Error::last_os_error();
    prog.warn(format_args!("failed to execute {}", path.display()), &err);
    Failure(exec_failure_status(&err))
}

fn execvp(file: &CString, args: &[CString]) -> io::Error {
    let mut ptrs: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: as in exec_path.
    unsafe { libc::execvp(file.as_ptr(), ptrs.as_ptr()) };
    io::Error::last_os_error()
}

fn exec_failure_status(err: &io::Error) -> i32 {
    if err.raw_os_error() == Some(libc::ENOENT) {
        EXIT_NOT_FOUND
    } else {
        EXIT_CANNOT_EXEC
    }
}

/// The shell util-linux master runs when no program is given: a non-empty
/// `$SHELL`, else the caller's login shell from the password database, else
/// `/bin/sh`.
pub fn default_shell() -> OsString {
    if let Some(shell) = std::env::var_os("SHELL").filter(|s| !s.is_empty()) {
        return shell;
    }
    login_shell_of(rustix::process::getuid().as_raw()).unwrap_or_else(|| "/bin/sh".into())
}

fn login_shell_of(uid: u32) -> Option<OsString> {
    let shell = crate::names::passwd(uid)?.shell;
    (!shell.is_empty()).then(|| std::ffi::OsStr::from_bytes(&shell).to_os_string())
}

/// Runs the login-style shell (`argv[0]` = `-bash`), as util-linux does when
/// no program is given. Returns only on failure.
pub fn exec_shell(prog: &Prog) -> Failure {
    let shell = default_shell();
    let path = Path::new(&shell);
    let base = path
        .file_name()
        .map(|b| b.as_bytes().to_vec())
        .unwrap_or_default();
    let mut arg0 = b"-".to_vec();
    arg0.extend_from_slice(&base);
    exec_path(
        prog,
        path,
        &[OsString::from(std::ffi::OsStr::from_bytes(&arg0))],
    )
}

/// Ends this process the way the child ended: by the same signal (default
/// disposition restored and unblocked first), so the shell sees 128+N.
/// Falls back to exit status 128+N if the signal cannot kill us.
pub fn die_by_signal(signal: i32) -> ! {
    crate::signals::raise_default(signal);
    std::process::exit(128 + signal)
}

/// How a waited-for child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildEnd {
    /// `exit(code)`.
    Exited(i32),
    /// Killed by a signal.
    Signaled(i32),
    /// Stopped (only reported when waiting with `untraced`).
    Stopped(i32),
}

/// `fork(2)`: `Ok(None)` in the child, `Ok(Some(pid))` in the parent.
/// The tools are single-threaded, so the child may do anything the parent
/// could.
pub fn fork() -> io::Result<Option<libc::pid_t>> {
    // SAFETY: nsipc is single-threaded (no locks can be held by another
    // thread across the fork), so the child is in a consistent state.
    match unsafe { libc::fork() } {
        -1 => Err(io::Error::last_os_error()),
        0 => Ok(None),
        pid => Ok(Some(pid)),
    }
}

/// Waits for `pid`, retrying on EINTR (a forwarded signal interrupts the
/// wait). With `untraced`, a stopped child is reported too.
pub fn wait_child(pid: libc::pid_t, untraced: bool) -> io::Result<ChildEnd> {
    let flags = if untraced { libc::WUNTRACED } else { 0 };
    loop {
        let mut status = 0;
        // SAFETY: waitpid writes one int through a valid pointer.
        let rc = unsafe { libc::waitpid(pid, &mut status, flags) };
        if rc == -1 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        if libc::WIFEXITED(status) {
            return Ok(ChildEnd::Exited(libc::WEXITSTATUS(status)));
        }
        if libc::WIFSIGNALED(status) {
            return Ok(ChildEnd::Signaled(libc::WTERMSIG(status)));
        }
        if libc::WIFSTOPPED(status) {
            return Ok(ChildEnd::Stopped(libc::WSTOPSIG(status)));
        }
    }
}

/// Ends the parent the way its child ended: the child's exit code, or death
/// by the child's signal (the shell sees 128+N). Anything else is reported
/// as `child exit failed`.
pub fn finish_like_child(prog: &Prog, end: io::Result<ChildEnd>) -> i32 {
    match end {
        Ok(ChildEnd::Exited(code)) => code,
        Ok(ChildEnd::Signaled(signal)) => die_by_signal(signal),
        Ok(ChildEnd::Stopped(_)) => prog.fail("child exit failed").0,
        Err(e) => prog.fail_errno("waitpid failed", &e).0,
    }
}

/// Replaces the whole environment at once, for `nsenter -e`: `environ` is
/// pointed at a new array, which is linear in the number of variables where
/// one `setenv` per variable is quadratic (each call scans the environment)
/// — and a target's environment is input its owner controls. Call only while
/// single-threaded, shortly before exec: the strings are leaked on purpose,
/// since the environment must outlive every later `getenv`.
pub fn replace_environment(vars: &[(OsString, OsString)]) {
    extern "C" {
        static mut environ: *const *const libc::c_char;
    }
    let strings: Vec<CString> = vars
        .iter()
        .map(|(name, value)| {
            let mut entry = name.as_bytes().to_vec();
            entry.push(b'=');
            entry.extend_from_slice(value.as_bytes());
            cstring(std::ffi::OsStr::from_bytes(&entry))
        })
        .collect();
    let mut pointers: Vec<*const libc::c_char> = strings.iter().map(|s| s.as_ptr()).collect();
    pointers.push(std::ptr::null());
    std::mem::forget(strings);
    let pointers = pointers.leak();
    // SAFETY: the process is single-threaded here (nsenter, after setns and
    // before fork/exec), so nothing reads `environ` concurrently; the array
    // is NULL-terminated and it and its strings are never freed.
    unsafe { environ = pointers.as_ptr() };
}

/// `--keep-caps` of unshare and nsenter: the capabilities the new user
/// namespace gave us survive exec as ambient capabilities.
pub fn keep_caps(prog: &Prog) -> Result<(), Failure> {
    use nsipc::ns::caps::{permitted_to_ambient, CapsError};
    permitted_to_ambient().map_err(|e| {
        let (msg, err) = match &e {
            CapsError::Get(err) => ("capget failed", err),
            CapsError::Set(err) => ("capset failed", err),
            CapsError::Ambient(err) => ("prctl(PR_CAP_AMBIENT) failed", err),
        };
        prog.fail_errno(msg, err)
    })
}
