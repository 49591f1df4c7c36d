//! The start of every run, called in this order by the binary's C `main`
//! (src/main.rs): [`report::note_stderr_state`](crate::report::note_stderr_state),
//! [`ensure_standard_fds`], [`refuse_elevated_privileges`], [`run`].

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::report::{self, Prog};
use crate::{multicall, tools};

/// nsipc is not made to run with more privilege than its caller (nor are
/// util-linux's tools): a setuid-root copy would let anyone join any
/// process's namespaces, read any process's environment or remove anyone's
/// IPC objects. When the kernel ran us with `AT_SECURE` set (setuid,
/// setgid or file capabilities that the caller lacks), the tool refuses
/// before reading its command line, so such a packaging mistake grants
/// nothing. Returns the exit status to end with, or `None` to go on.
pub fn refuse_elevated_privileges() -> Option<i32> {
    // SAFETY: getauxval only reads the auxiliary vector.
    if unsafe { libc::getauxval(libc::AT_SECURE) } == 0 {
        return None;
    }
    let argv0 = std::env::args_os().next().unwrap_or_else(|| "nsipc".into());
    let name = match basename(&argv0) {
        name if tools::find(&name).is_some() => name,
        _ => "nsipc".to_string(),
    };
    let prog = Prog::new(&name, &argv0.to_string_lossy());
    let report::Failure(status) = prog.fail(
        "refusing to run with privileges the caller does not have \
         (setuid, setgid or file capabilities)",
    );
    Some(status)
}

/// As Rust's runtime does: if fd 0, 1 or 2 is closed, open /dev/null on
/// it, so that no file opened later becomes someone's stdout by accident.
pub fn ensure_standard_fds() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: poll reads and writes the three initialised pollfds.
    if unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) } < 0 {
        return;
    }
    for pfd in fds {
        if pfd.revents & libc::POLLNVAL != 0 {
            // Close-on-exec: our own output is safe, and the program
            // unshare or nsenter runs still finds the descriptor closed,
            // as the caller left it (and as util-linux leaves it).
            // SAFETY: open of a constant NUL-terminated path; the lowest
            // free descriptor, i.e. the closed one, is taken.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
        }
    }
}

/// Runs the tool named by `argv[0]`, or the multi-call front end, and ends
/// the process with its exit status.
pub fn run() -> i32 {
    // No signal is touched here: without Rust's start-up SIGPIPE is as the
    // caller left it, as in util-linux (default: `ipcs | head` dies
    // silently; ignored: a write error, and the program run by unshare or
    // nsenter inherits the ignored SIGPIPE).
    let mut args: Vec<OsString> = std::env::args_os().collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| "nsipc".into());
    let called_as = basename(&argv0);

    let status = if let Some(tool) = tools::find(&called_as) {
        args.remove(0);
        (tool.main)(&Prog::new(tool.name, &report::shown(&argv0)), args)
    } else {
        args.remove(0);
        multicall::main(&Prog::new("nsipc", &report::shown(&argv0)), args)
    };
    report::exit(status);
}

fn basename(arg0: &OsString) -> String {
    let name = Path::new(arg0)
        .file_name()
        .map(|n| n.as_bytes())
        .unwrap_or_default();
    String::from_utf8_lossy(name).into_owned()
}
