//! nsenter's command line, validated into [`Options`].

use super::parse_pid_arg;
use crate::containers::{self, Select};
use crate::getopt::{Arg, Getopt};
use crate::numparse::{self, NumError};
use crate::report::{Failure, Prog, Stdout};
use crate::tools::nsenter_opts::{Id, SPEC};
use nsipc::ns::enter::{Joiner, Target};
use nsipc::ns::Kinds;
use rustix::fs::{Mode, OFlags, CWD};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;

/// `-S` / `-G` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum IdArg {
    #[default]
    Unset,
    Value(u32),
    /// Owner of `/proc/PID`.
    Follow,
}

/// `-r` / `-w`: not given, the target's, or a directory opened while parsing.
#[derive(Debug, Default)]
pub(super) enum Dir {
    #[default]
    Unset,
    Target,
    Opened(OwnedFd),
}

/// The command line, with the files it names already open.
#[derive(Default)]
pub(super) struct Options {
    /// `-t`, holding its pidfd from the moment it was parsed: every later
    /// use of the target goes through that one pidfd.
    pub(super) target: Option<Target>,
    pub(super) enabled: Kinds,
    pub(super) files: Joiner,
    pub(super) all: bool,
    pub(super) net_socket: Option<i32>,
    pub(super) user_parent: bool,
    pub(super) uid: IdArg,
    pub(super) gid: IdArg,
    pub(super) preserve_cred: bool,
    pub(super) keep_caps: bool,
    pub(super) root: Dir,
    pub(super) wd: Dir,
    pub(super) wdns: Option<OsString>,
    pub(super) env: bool,
    pub(super) no_fork: bool,
    pub(super) join_cgroup: bool,
    pub(super) follow_context: bool,
    pub(super) program: Vec<OsString>,
}
pub(super) enum Parsed {
    Run(Box<Options>),
    Exit(i32),
}

/// Parses the command line, acting on each option in order as util-linux
/// does: files are opened (and errors reported) as they are met.
pub(super) fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut o = Options::default();
    let mut wd_or_wdns: Option<Id> = None;
    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        let (id, value) = match arg {
            Arg::Opt(id, value) => (id, value),
            Arg::Program(program) => {
                o.program = program;
                break;
            }
            Arg::Operand(word) => {
                o.program = vec![word];
                break;
            }
        };
        if matches!(id, Id::Wd | Id::Wdns) {
            // util-linux's exclusive-options check runs as each is met.
            match wd_or_wdns {
                Some(first) if first != id => {
                    let name = |i| if i == Id::Wd { "--wd" } else { "--wdns" };
                    return Err(prog.fail(format_args!(
                        "options {} and {} cannot be combined",
                        name(first),
                        name(id)
                    )));
                }
                _ => wd_or_wdns = Some(id),
            }
        }
        let value = value.as_deref();
        match id {
            Id::All => o.all = true,
            Id::Target => {
                if o.target.is_some() {
                    return Err(prog.fail("option --target may be given only once"));
                }
                o.target = Some(parse_target(prog, value.unwrap_or_default())?);
            }
            Id::Container | Id::Pod => {
                if o.target.is_some() {
                    return Err(prog.fail("option --target may be given only once"));
                }
                let text = value.unwrap_or_default().to_string_lossy().into_owned();
                let select = match id {
                    Id::Pod => Select::Pod(text),
                    _ => Select::Container(text),
                };
                o.target = Some(container_target(prog, &select)?);
            }
            Id::Ns(kind) => {
                if let Some(path) = value.map(strip_equals) {
                    o.files.set_file(kind, open_file(prog, path)?);
                }
                o.enabled.insert(kind.into());
            }
            Id::NetSocket => {
                let text = crate::report::shown(value.unwrap_or_default());
                let fd = numparse::parse_as::<i32>(&text, 10)
                    .and_then(|fd| if fd < 0 { Err(NumError::Range) } else { Ok(fd) })
                    .map_err(|e| {
                        numparse::number_failure(prog, "failed to parse file descriptor", &text, e)
                    })?;
                o.net_socket = Some(fd);
            }
            Id::UserParent => o.user_parent = true,
            Id::Setuid => o.uid = parse_id(prog, value, "failed to parse uid")?,
            Id::Setgid => o.gid = parse_id(prog, value, "failed to parse gid")?,
            Id::PreserveCred => o.preserve_cred = true,
            Id::KeepCaps => o.keep_caps = true,
            // util-linux master strips a leading '=' for -w and -W but
            // not for -r: `-r=/` opens "=/".
            Id::Root => o.root = dir_arg(prog, value)?,
            Id::Wd => o.wd = dir_arg(prog, value.map(strip_equals))?,
            Id::Wdns => o.wdns = value.map(|v| strip_equals(v).to_os_string()),
            Id::Env => o.env = true,
            Id::NoFork => o.no_fork = true,
            Id::JoinCgroup => o.join_cgroup = true,
            Id::FollowContext => o.follow_context = true,
            Id::Help => {
                return Ok(Parsed::Exit(Stdout::print(prog, &SPEC.help())));
            }
            Id::Version => {
                return Ok(Parsed::Exit(Stdout::print(prog, &prog.version())));
            }
        }
    }
    Ok(Parsed::Run(Box::new(o)))
}

/// `-u=/path` → `/path`: util-linux master strips one leading '=' from the
/// attached value of the namespace options, `-w` and `-W`.
pub(super) fn strip_equals(value: &OsStr) -> &OsStr {
    let bytes = value.as_bytes();
    OsStr::from_bytes(bytes.strip_prefix(b"=").unwrap_or(bytes))
}

/// `-S`/`-G`: a number (bounded to 32 bits: larger values are rejected,
/// where util-linux truncates them) or `follow`.
pub(super) fn parse_id(prog: &Prog, value: Option<&OsStr>, what: &str) -> Result<IdArg, Failure> {
    let text = crate::report::shown(value.unwrap_or_default());
    if text == "follow" {
        return Ok(IdArg::Follow);
    }
    numparse::parse_as::<u32>(&text, 10)
        .map(IdArg::Value)
        .map_err(|e| numparse::number_failure(prog, what, &text, e))
}
pub(super) fn parse_target(prog: &Prog, value: &OsStr) -> Result<Target, Failure> {
    let text = crate::report::shown(value);
    let (pid, inode) = parse_pid_arg(&text).map_err(|e| {
        let errno = match e {
            NumError::Invalid => libc::EINVAL,
            NumError::Range => libc::ERANGE,
        };
        prog.fail_errno(
            format_args!("failed to parse PID argument '{text}'"),
            &io::Error::from_raw_os_error(errno),
        )
    })?;
    match inode {
        Some(inode) => Target::with_inode(pid, inode).map_err(|e| {
            prog.fail_errno(
                format_args!("failed to obtain a valid file descriptor for PID {pid}"),
                &e,
            )
        }),
        None => {
            let mut target = Target::new(pid);
            // The one pidfd, opened as early as possible; failure (no such
            // process, an old kernel) falls back to /proc later, with
            // util-linux's messages.
            let _ = target.open_pidfd();
            Ok(target)
        }
    }
}

/// `--container` / `--pod`: the container's init process as the target,
/// pinned by a pidfd and then checked to be still in that container (its
/// pid could have been reused between the scan and the pidfd).
pub(super) fn container_target(prog: &Prog, select: &Select) -> Result<Target, Failure> {
    let found = containers::resolve(prog, select)?;
    let mut target = Target::new(found.init);
    // Without pidfds (kernels before 5.3) the check below still narrows
    // the window to the time between it and the /proc opens.
    let _ = target.open_pidfd();
    if !containers::still_in(&found.container, found.init) {
        return Err(prog.fail(format_args!(
            "container {} exited",
            found.container.display_name()
        )));
    }
    Ok(target)
}

/// Opens a file named on the command line, close-on-exec.
pub(super) fn open_file(prog: &Prog, path: &OsStr) -> Result<OwnedFd, Failure> {
    rustix::fs::openat(CWD, path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).map_err(|e| {
        prog.fail_errno(
            format_args!("cannot open {}", crate::report::shown(path)),
            &io::Error::from(e),
        )
    })
}

pub(super) fn dir_arg(prog: &Prog, value: Option<&OsStr>) -> Result<Dir, Failure> {
    Ok(match value {
        Some(path) => Dir::Opened(open_file(prog, path)?),
        None => Dir::Target,
    })
}
