//! The IPC-namespace options of `ipcs` and `lsipc`: `--namespace=PID|FILE`
//! ([`in_namespace_of`]) and `--all-namespaces`, every IPC namespace of the
//! host, each visited once, in inode order.
//!
//! Namespaces are found by `nsipc::ns::discover::namespaces_of_kind`: those
//! of processes (and of threads that unshared their own) and those kept by
//! nsfs bind mounts visible in our mount namespace. Each one is opened
//! through its holder's `/proc/PID/ns/ipc` (or, without a holder or if that
//! process is gone, through a bind mount), its inode is checked again (the
//! pid may have been reused or moved meanwhile), and the caller's closure
//! runs on a helper thread that joined it (`nsipc::ipc::namespace`), so
//! System V calls, `/proc/sysvipc` and the IPC sysctls are that
//! namespace's. Our own namespace is read in place: no `setns`, so an
//! unprivileged user still sees it.
//!
//! A namespace that vanished between the scan and the visit (its last
//! process exited) is skipped quietly; one that cannot be entered (no
//! privilege) is reported and makes the run incomplete (exit status 1
//! after everything else was shown).

use std::io;
use std::path::PathBuf;

use nsipc::container::{Container, Resolver};
use nsipc::ipc::namespace::in_namespace;
use nsipc::ns::discover;
use nsipc::ns::{Kind, Namespace};

use crate::getopt::Opt;
use crate::output::{LineId, Table};
use crate::report::{Failure, Prog};

/// The `--namespace` option, the same in both tools' option tables.
pub const fn namespace_option<T: Copy>(id: T) -> Opt<T> {
    Opt::value(
        id,
        None,
        "namespace",
        "<pid|file>",
        "show the IPC namespace of a process or namespace file",
    )
    .values(crate::values::Value::PidOrFile)
    .man(
        "Show the IPC namespace of process <pid>, or of the namespace file <file> (a \
         /proc/PID/ns/ipc file or a bind mount of one), instead of the caller's. A helper \
         thread joins that namespace and reads it; the tool itself never changes namespace. \
         User and group names still come from the caller's /etc/passwd and /etc/group.",
    )
}

/// `--namespace=SPEC`: runs `f` on a helper thread that joined the IPC
/// namespace of process SPEC or of namespace file SPEC
/// (`nsipc::ipc::namespace`), so the output is what the tool run inside it
/// prints; user names still come from our own `/etc/passwd`, as with
/// `nsenter --ipc`. The caller's own namespaces never change.
pub fn in_namespace_of<R, F>(prog: &Prog, spec: &str, f: F) -> Result<R, Failure>
where
    F: FnOnce() -> R + Send,
    R: Send,
{
    let path = path_of(spec);
    let ns = match Namespace::open(&path) {
        Ok(ns) => ns,
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            return Err(prog.fail(format_args!("{path}: not a namespace file")));
        }
        Err(e) => return Err(prog.fail_errno(format_args!("cannot open {path}"), &e)),
    };
    in_namespace(&ns, f).map_err(|e| match e.raw_os_error() {
        Some(libc::EINVAL) => prog.fail(format_args!("{path}: not an IPC namespace")),
        _ => prog.fail_errno(format_args!("cannot enter the IPC namespace {path}"), &e),
    })
}

/// One IPC namespace of the host and a way to name it to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpcNs {
    /// The inode of its nsfs file (`IPCNS`).
    pub ino: u64,
    /// The lowest-pid process in it (`NSPID`), if any.
    pub pid: Option<i32>,
    /// That process's command line, NULs as spaces (`NSCOMMAND`).
    pub command: Option<Vec<u8>>,
    /// nsfs bind mounts of it (a namespace may have no process).
    pub nsfs: Vec<PathBuf>,
    /// The container of that process, if it is in one.
    pub container: Option<Container>,
}

impl IpcNs {
    /// The line `ipcs --all-namespaces` prints before the namespace's
    /// output: `------ IPC namespace INODE (pid PID, COMMAND) ------`, or
    /// `(nsfs PATH)` for a namespace only a bind mount keeps. Control
    /// characters of the command are shown as `\xHH` so the line stays one
    /// line. A namespace of a container says which:
    /// `(pid PID, COMMAND; container NAME, RUNTIME[, pod NS/NAME])`.
    pub fn header(&self) -> Vec<u8> {
        let mut out = format!("------ IPC namespace {} (", self.ino).into_bytes();
        match (self.pid, &self.nsfs.first()) {
            (Some(pid), _) => {
                out.extend_from_slice(format!("pid {pid}").as_bytes());
                if let Some(cmd) = &self.command {
                    out.extend_from_slice(b", ");
                    push_visible(&mut out, cmd);
                }
            }
            (None, Some(path)) => {
                out.extend_from_slice(b"nsfs ");
                push_visible(&mut out, path.as_os_str().as_encoded_bytes());
            }
            (None, None) => out.extend_from_slice(b"no holder"),
        }
        if let Some(c) = &self.container {
            out.extend_from_slice(b"; container ");
            push_visible(&mut out, c.display_name().as_bytes());
            out.extend_from_slice(format!(", {}", c.runtime.name()).as_bytes());
            if let Some(pod) = &c.pod {
                out.extend_from_slice(b", pod ");
                push_visible(&mut out, pod.as_bytes());
            }
        }
        out.extend_from_slice(b") ------\n");
        out
    }
}

/// Appends `bytes` with control characters as `\xHH`.
fn push_visible(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        if b < 0x20 || b == 0x7f {
            out.extend_from_slice(format!("\\x{b:02x}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

/// What [`visit`] returns: each namespace shown with the closure's result,
/// and whether some namespace could not be entered (already reported).
pub struct Visits<T> {
    pub shown: Vec<(IpcNs, T)>,
    pub incomplete: bool,
}

impl<T> Visits<T> {
    /// The exit status for a run that printed everything it got.
    pub fn status(&self) -> i32 {
        i32::from(self.incomplete)
    }
}

/// Every IPC namespace of the host, each once, sorted by inode.
pub fn namespaces(prog: &Prog) -> Result<Vec<IpcNs>, Failure> {
    let found = discover::namespaces_of_kind(Kind::Ipc).map_err(|e| match e {
        discover::ScanError::Proc { path, source } => prog.fail_errno(
            format_args!("cannot list the IPC namespaces: cannot read {path}"),
            &source,
        ),
        e => prog.fail(format_args!("cannot list the IPC namespaces: {e}")),
    })?;
    let mut containers = Resolver::new();
    Ok(found
        .into_iter()
        .map(|ns| IpcNs {
            ino: ns.ino,
            container: ns.pid.and_then(|pid| containers.of_pid(pid)),
            pid: ns.pid,
            command: ns.pid.and_then(crate::proc_command::command),
            nsfs: ns.nsfs_paths,
        })
        .collect())
}

/// Runs `f` inside every IPC namespace of the host (see the module
/// comment), in inode order.
pub fn visit<T, F>(prog: &Prog, f: F) -> Result<Visits<T>, Failure>
where
    F: Fn(&IpcNs) -> T + Sync,
    T: Send,
{
    let own = Namespace::current(Kind::Ipc)
        .and_then(|ns| ns.inode())
        .map_err(|e| prog.fail_errno("cannot open /proc/self/ns/ipc", &e))?;
    let mut visits = Visits {
        shown: Vec::new(),
        incomplete: false,
    };
    for ns in namespaces(prog)? {
        if ns.ino == own {
            let result = f(&ns);
            visits.shown.push((ns, result));
            continue;
        }
        let entered = open(&ns).and_then(|handle| in_namespace(&handle, || f(&ns)));
        match entered {
            Ok(result) => visits.shown.push((ns, result)),
            Err(e) if vanished(&e) => {}
            Err(e) => {
                prog.warn(format_args!("cannot enter IPC namespace {}", ns.ino), &e);
                visits.incomplete = true;
            }
        }
    }
    Ok(visits)
}

/// Errors meaning the namespace is gone (its processes exited, its mount
/// was removed, the pid now names another namespace).
fn vanished(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ESRCH))
}

/// Opens the namespace through its holder, else through a bind mount; the
/// file opened must still be that namespace.
fn open(ns: &IpcNs) -> io::Result<Namespace> {
    let by_pid = ns
        .pid
        .map(|pid| PathBuf::from(format!("/proc/{pid}/ns/ipc")));
    let mut last = io::Error::from_raw_os_error(libc::ENOENT);
    for path in by_pid.iter().chain(&ns.nsfs) {
        match Namespace::open(path) {
            Ok(handle) if handle.inode()? == ns.ino => return Ok(handle),
            Ok(_) => last = io::Error::from_raw_os_error(libc::ESRCH),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Copies the lines of `src` (same columns) to the end of `dst`; returns
/// the new lines, for the caller to fill the namespace columns.
pub fn append_lines(dst: &mut Table, src: &Table) -> Vec<LineId> {
    let columns = src.columns().len().min(dst.columns().len());
    src.line_ids()
        .map(|line| {
            let new = dst.new_line(None);
            for c in 0..columns {
                if src.is_set(line, c) {
                    dst.set(new, c, src.cell(line, c));
                }
            }
            new
        })
        .collect()
}

/// Text as a JSON consumer can always parse it: valid UTF-8 passes
/// unchanged; each byte of an invalid sequence becomes the four characters
/// `\xHH`, and a literal `\x` becomes `\x5cx` so the escape is never
/// ambiguous (the human tables of the output engine encode the same way).
pub fn utf8_text(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        let (valid, bad) = match std::str::from_utf8(rest) {
            Ok(s) => (s.len(), 0),
            Err(e) => (
                e.valid_up_to(),
                e.error_len().unwrap_or(rest.len() - e.valid_up_to()),
            ),
        };
        let mut i = 0;
        while i < valid {
            if rest[i] == b'\\' && rest.get(i + 1) == Some(&b'x') {
                out.extend_from_slice(b"\\x5c");
            } else {
                out.push(rest[i]);
            }
            i += 1;
        }
        for &b in &rest[valid..valid + bad] {
            out.extend_from_slice(format!("\\x{b:02x}").as_bytes());
        }
        rest = &rest[valid + bad..];
    }
    out
}

/// The namespace file named on a command line: a process id (all digits)
/// means `/proc/PID/ns/ipc`; anything else is the path of a namespace file
/// (such a link, or a bind mount of one). Open it with `Namespace::open`.
pub fn path_of(spec: &str) -> String {
    if !spec.is_empty() && spec.bytes().all(|b| b.is_ascii_digit()) {
        format!("/proc/{spec}/ns/ipc")
    } else {
        spec.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_or_path() {
        assert_eq!(path_of("1"), "/proc/1/ns/ipc");
        assert_eq!(path_of("/run/ns/ipc"), "/run/ns/ipc");
        assert_eq!(path_of("12a"), "12a");
        assert_eq!(path_of(""), "");
    }

    #[test]
    fn headers() {
        let mut ns = IpcNs {
            ino: 4026531839,
            pid: Some(1),
            command: Some(b"init\nx".to_vec()),
            nsfs: vec![],
            container: None,
        };
        assert_eq!(
            ns.header(),
            b"------ IPC namespace 4026531839 (pid 1, init\\x0ax) ------\n"
        );
        ns.container = Some(Container {
            id: "vm\n1".into(),
            name: Some("vm\n1".into()),
            runtime: nsipc::container::Runtime::Lxc,
            pod: Some("a/b".into()),
            sandbox: false,
            user: None,
        });
        assert_eq!(
            ns.header(),
            b"------ IPC namespace 4026531839 (pid 1, init\\x0ax; container vm\\x0a1, lxc, pod a/b) ------\n"
        );
        ns.container = None;
        ns.pid = None;
        ns.nsfs = vec!["/run/ipc/a".into()];
        assert_eq!(
            ns.header(),
            b"------ IPC namespace 4026531839 (nsfs /run/ipc/a) ------\n"
        );
    }

    #[test]
    fn json_safe_text() {
        assert_eq!(utf8_text(b"root"), b"root");
        assert_eq!(utf8_text("é".as_bytes()), "é".as_bytes());
        assert_eq!(utf8_text(b"a\xffb"), b"a\\xffb");
        assert_eq!(utf8_text(b"\\x41"), b"\\x5cx41");
        assert_eq!(utf8_text(b"\xe2\x82"), b"\\xe2\\x82");
        assert!(std::str::from_utf8(&utf8_text(b"\xc3\x28\xa0\xa1")).is_ok());
    }

    #[test]
    fn lines_are_appended() {
        use crate::output::{Column, Flags};
        let mut a = Table::new();
        let mut b = Table::new();
        for t in [&mut a, &mut b] {
            t.add_column(Column::new("X", 1.0, Flags::NONE));
            t.add_column(Column::new("Y", 1.0, Flags::NONE));
        }
        let l = b.new_line(None);
        b.set(l, 1, "y");
        let new = append_lines(&mut a, &b);
        assert_eq!(new.len(), 1);
        assert!(!a.is_set(new[0], 0));
        assert_eq!(a.cell(new[0], 1), b"y");
    }
}
