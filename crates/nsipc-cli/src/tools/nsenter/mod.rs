//! `nsenter`: run a program in namespaces of another process.
//!
//! Follows util-linux master's order of operations (see docs/nsenter.md):
//! files named on the command line are opened while parsing; then the
//! target's namespaces, root, cwd, environment and cgroup are opened; then
//! credentials are prepared, the namespaces joined in two passes, root and
//! working directory changed, the environment replaced, and for a PID
//! namespace a child forked; last the credentials are switched and the
//! program executed. Every fd nsipc opens is close-on-exec and closed before
//! the program runs.
//!
//! Where util-linux has a listed bug nsipc does the right thing (documented
//! in docs/nsenter.md): `-a` without `-t`, ids above 2^32-1, the `-e`
//! parsing bug, the ignored follow-stat error, the `--join-cgroup` fd leak
//! (`cgroup.procs` opened without `O_CLOEXEC` and never closed, so the
//! program inherits it), setgroups errors ignored outside a user namespace, and
//! a reused PID (one pidfd is used for everything).

use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use nsipc::ns::enter::{self, EnterError, Joiner, Target};
use nsipc::ns::{Kind, Kinds, Namespace};
use rustix::fs::{Mode, OFlags, CWD};

use crate::containers::{self, Select};
use crate::exec;
use crate::getopt::{Arg, Getopt};
use crate::numparse::{self, NumError};
use crate::report::{Failure, Prog, Stdout};

pub use super::nsenter_opts::{Id, SPEC};

/// `-S` / `-G` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum IdArg {
    #[default]
    Unset,
    Value(u32),
    /// Owner of `/proc/PID`.
    Follow,
}

/// `-r` / `-w`: not given, the target's, or a directory opened while parsing.
#[derive(Debug, Default)]
enum Dir {
    #[default]
    Unset,
    Target,
    Opened(OwnedFd),
}

/// The command line, with the files it names already open.
#[derive(Default)]
struct Options {
    /// `-t`, holding its pidfd from the moment it was parsed: every later
    /// use of the target goes through that one pidfd.
    target: Option<Target>,
    enabled: Kinds,
    files: Joiner,
    all: bool,
    net_socket: Option<i32>,
    user_parent: bool,
    uid: IdArg,
    gid: IdArg,
    preserve_cred: bool,
    keep_caps: bool,
    root: Dir,
    wd: Dir,
    wdns: Option<OsString>,
    env: bool,
    no_fork: bool,
    join_cgroup: bool,
    follow_context: bool,
    program: Vec<OsString>,
}

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    match run(prog, args) {
        Ok(status) => status,
        Err(Failure(status)) => status,
    }
}

fn run(prog: &Prog, args: Vec<OsString>) -> Result<i32, Failure> {
    let opts = match parse(prog, args)? {
        Parsed::Run(opts) => opts,
        Parsed::Exit(status) => return Ok(status),
    };
    let ready = prepare(prog, opts)?;
    Err(enter_and_exec(prog, ready))
}

enum Parsed {
    Run(Box<Options>),
    Exit(i32),
}

/// Parses the command line, acting on each option in order as util-linux
/// does: files are opened (and errors reported) as they are met.
fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
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
fn strip_equals(value: &OsStr) -> &OsStr {
    let bytes = value.as_bytes();
    OsStr::from_bytes(bytes.strip_prefix(b"=").unwrap_or(bytes))
}

/// `-S`/`-G`: a number (bounded to 32 bits: larger values are rejected,
/// where util-linux truncates them) or `follow`.
fn parse_id(prog: &Prog, value: Option<&OsStr>, what: &str) -> Result<IdArg, Failure> {
    let text = crate::report::shown(value.unwrap_or_default());
    if text == "follow" {
        return Ok(IdArg::Follow);
    }
    numparse::parse_as::<u32>(&text, 10)
        .map(IdArg::Value)
        .map_err(|e| numparse::number_failure(prog, what, &text, e))
}

/// `-t PID[:INODE]`, with util-linux's `ul_parse_pid_str` rules: leading
/// blanks and a sign allowed, 0 and negatives out of range, an inode only
/// after a positive PID, and the inode must not be 0.
pub fn parse_pid_arg(text: &str) -> Result<(i32, Option<u64>), NumError> {
    let (number, inode) = match text.split_once(':') {
        Some((pid, inode)) => (pid, Some(inode)),
        None => (text, None),
    };
    let pid = numparse::parse_pid(number)?;
    let inode = match inode {
        None => None,
        Some(text) => match numparse::parse_as::<u64>(text, 10)? {
            0 => return Err(NumError::Range),
            n => Some(n),
        },
    };
    Ok((pid, inode))
}

fn parse_target(prog: &Prog, value: &OsStr) -> Result<Target, Failure> {
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
fn container_target(prog: &Prog, select: &Select) -> Result<Target, Failure> {
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
fn open_file(prog: &Prog, path: &OsStr) -> Result<OwnedFd, Failure> {
    rustix::fs::openat(CWD, path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).map_err(|e| {
        prog.fail_errno(
            format_args!("cannot open {}", crate::report::shown(path)),
            &io::Error::from(e),
        )
    })
}

fn dir_arg(prog: &Prog, value: Option<&OsStr>) -> Result<Dir, Failure> {
    Ok(match value {
        Some(path) => Dir::Opened(open_file(prog, path)?),
        None => Dir::Target,
    })
}

/// Everything opened and decided; nothing changed yet.
struct Ready {
    target: Option<Target>,
    files: Joiner,
    /// The namespaces to join.
    enabled: Kinds,
    /// Join through the target's pidfd (else only files are used).
    use_pidfd: bool,
    root: Option<OwnedFd>,
    wd: Option<OwnedFd>,
    wdns: Option<OsString>,
    env: Option<OwnedFd>,
    cgroup_procs: Option<OwnedFd>,
    /// `/proc/PID` for `-S follow` / `-G follow`.
    owner_of: Option<OwnedFd>,
    uid: IdArg,
    gid: IdArg,
    preserve_cred: bool,
    keep_caps: bool,
    fork: bool,
    program: Vec<OsString>,
}

/// Steps 1-4 of util-linux's order: open every remaining file; fail before
/// anything is changed.
fn prepare(prog: &Prog, mut o: Box<Options>) -> Result<Ready, Failure> {
    if o.follow_context && selinux_enabled() {
        // nsipc has no SELinux support; running the program in the wrong
        // context silently would be worse than refusing.
        return Err(prog.fail("--follow-context is not supported: nsipc is built without SELinux"));
    }
    if o.all {
        enable_all(prog, &mut o)?;
    }
    let without_file = o.enabled.difference(o.files.file_kinds());
    let mut use_pidfd = false;
    if !without_file.is_empty() || o.net_socket.is_some() || o.user_parent {
        let Some(target) = o.target.as_mut() else {
            return Err(prog.fail("no target PID specified"));
        };
        use_pidfd = enter::kernel_can_setns_pidfd() && target.pidfd().is_some();
        if !use_pidfd {
            // Old kernel or no pidfd: /proc/PID/ns/* files, as util-linux.
            for kind in enter::in_entry_order(without_file) {
                let fd = open_target(prog, o.target.as_mut(), &ns_name(kind))?;
                o.files.set_file(kind, fd);
            }
        }
    }
    let root = match std::mem::take(&mut o.root) {
        Dir::Unset => None,
        Dir::Opened(fd) => Some(fd),
        Dir::Target => Some(open_target(prog, o.target.as_mut(), "root")?),
    };
    let wd = match std::mem::take(&mut o.wd) {
        Dir::Unset => None,
        Dir::Opened(fd) => Some(fd),
        Dir::Target => Some(open_target(prog, o.target.as_mut(), "cwd")?),
    };
    let env = match o.env {
        true => Some(open_target(prog, o.target.as_mut(), "environ")?),
        false => None,
    };
    let owner_of = match o.uid == IdArg::Follow || o.gid == IdArg::Follow {
        true => Some(open_target(prog, o.target.as_mut(), "")?),
        false => None,
    };
    let cgroup_procs = match o.join_cgroup {
        true => Some(open_cgroup_procs(prog, o.target.as_mut())?),
        false => None,
    };
    if o.user_parent {
        let parent = parent_user_namespace(prog, &mut o, use_pidfd)?;
        o.files.set_file(Kind::User, parent);
        o.enabled.insert(Kind::User.into());
    }
    if let Some(fd) = o.net_socket {
        let net = socket_namespace(prog, &mut o, fd)?;
        o.files.set_file(Kind::Net, net);
        o.enabled.insert(Kind::Net.into());
    }
    if o.enabled.is_empty() {
        return Err(prog.fail("no namespace specified"));
    }
    Ok(Ready {
        fork: o.enabled.contains(Kinds::PID) && !o.no_fork,
        target: o.target,
        files: o.files,
        enabled: o.enabled,
        use_pidfd,
        root,
        wd,
        wdns: o.wdns,
        env,
        cgroup_procs,
        owner_of,
        uid: o.uid,
        gid: o.gid,
        preserve_cred: o.preserve_cred,
        keep_caps: o.keep_caps,
        program: o.program,
    })
}

fn ns_name(kind: Kind) -> String {
    format!("ns/{}", kind.proc_name())
}

/// Opens `/proc/PID/<rel>` of the target, with util-linux's messages.
fn open_target(prog: &Prog, target: Option<&mut Target>, rel: &str) -> Result<OwnedFd, Failure> {
    let Some(target) = target else {
        return Err(prog.fail(format_args!(
            "neither filename nor target pid supplied for {rel}"
        )));
    };
    target.open_proc(rel).map_err(|e| {
        proc_failure(
            prog,
            format_args!("cannot open {}", target.proc_path(rel)),
            &e,
        )
    })
}

/// A `/proc/PID` file could not be used: util-linux's message with the
/// errno, or — when `/proc` is another PID namespace's, so that `/proc/PID`
/// is not the target (util-linux would read another process's files) —
/// a refusal that says so.
fn proc_failure(prog: &Prog, msg: std::fmt::Arguments<'_>, e: &io::Error) -> Failure {
    if enter::is_foreign_proc(e) {
        prog.fail(format_args!("{}", enter::ForeignProc))
    } else {
        prog.fail_errno(msg, e)
    }
}

/// `-a`: every namespace type this kernel has, except a user namespace the
/// caller is already in (setns would refuse it). Needs `-t`: util-linux
/// master instead stats `/proc/0/ns/user`.
fn enable_all(prog: &Prog, o: &mut Options) -> Result<(), Failure> {
    let Some(target) = o.target.as_mut() else {
        return Err(prog.fail("no target PID specified for --all"));
    };
    for kind in enter::ENTRY_ORDER {
        if o.enabled.contains(kind.into()) {
            continue;
        }
        // As util-linux master: only ENOENT (the kernel lacks this type, or
        // there is no /proc) leaves a namespace out; any other failure to
        // look at our own does not, so that joining it reports the real
        // error instead of a bare "no namespace specified".
        let mine = match rustix::fs::stat(format!("/proc/self/ns/{}", kind.proc_name())) {
            Ok(st) => Some(st),
            Err(rustix::io::Errno::NOENT) => continue,
            Err(_) => None,
        };
        if kind == Kind::User {
            let rel = ns_name(kind);
            let theirs = target.stat_proc(&rel).map_err(|e| {
                proc_failure(
                    prog,
                    format_args!("stat of {} failed", target.proc_path(&rel)),
                    &e,
                )
            })?;
            if mine.is_some_and(|m| theirs.ino == m.st_ino && theirs.dev == m.st_dev) {
                continue;
            }
        }
        o.enabled.insert(kind.into());
    }
    Ok(())
}

const CGROUP_ROOT: &str = "/sys/fs/cgroup";

/// `--join-cgroup`: opens the target's `cgroup.procs` for writing. The fd is
/// close-on-exec and is closed right after our PID is written into it, before
/// credentials are dropped. util-linux master opens it without `O_CLOEXEC`
/// and never closes it; kept open across exec, the descriptor opened with
/// root's credentials would let the program move processes into the cgroup.
fn open_cgroup_procs(prog: &Prog, target: Option<&mut Target>) -> Result<OwnedFd, Failure> {
    let fs = rustix::fs::statfs(CGROUP_ROOT).map_err(|e| {
        prog.fail_errno(
            format_args!("statfs {CGROUP_ROOT} failed"),
            &io::Error::from(e),
        )
    })?;
    const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;
    if fs.f_type as i64 != CGROUP2_SUPER_MAGIC {
        return Err(prog.fail("--join-cgroup is only supported in cgroup v2"));
    }
    let fd = open_target(prog, target, "cgroup")?;
    let mut text = Vec::new();
    let read = std::fs::File::from(fd)
        .take(64 * 1024)
        .read_to_end(&mut text);
    let path = read.ok().and_then(|_| cgroup_path(&text)).ok_or_else(|| {
        prog.fail_errno(
            "failed to get cgroup path",
            &io::Error::from_raw_os_error(libc::EINVAL),
        )
    })?;
    let mut procs = Vec::from(CGROUP_ROOT.as_bytes());
    procs.push(b'/');
    procs.extend_from_slice(path);
    procs.extend_from_slice(b"/cgroup.procs");
    rustix::fs::openat(
        CWD,
        OsStr::from_bytes(&procs),
        OFlags::WRONLY | OFlags::APPEND | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| prog.fail_errno("failed to open cgroup.procs", &io::Error::from(e)))
}

/// The target's cgroup v2 path: the `0::PATH` line of `/proc/PID/cgroup`.
/// util-linux takes the last field of the first line, which is that line
/// on a pure cgroup v2 host but a v1 controller's path on a hybrid one
/// (cgroup2 mounted on /sys/fs/cgroup beside v1 hierarchies); we take the
/// first line only when there is no `0::` line, as util-linux would.
fn cgroup_path(text: &[u8]) -> Option<&[u8]> {
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(unified) = lines.clone().find_map(|l| l.strip_prefix(b"0::")) {
        return Some(unified);
    }
    let line = lines.next()?;
    let colon = line.iter().rposition(|&b| b == b':')?;
    Some(&line[colon + 1..])
}

/// `--user-parent`: the parent of the `-U` file's user namespace, else of
/// the target's.
fn parent_user_namespace(
    prog: &Prog,
    o: &mut Options,
    use_pidfd: bool,
) -> Result<OwnedFd, Failure> {
    let parent = |fd: OwnedFd| {
        Namespace::from_fd(fd)
            .and_then(|ns| ns.owner())
            .map(OwnedFd::from)
            .map_err(|e| prog.fail_errno("failed to open parent namespace", &e))
    };
    if let Some(file) = o.files.take_file(Kind::User) {
        return parent(file);
    }
    let target = o
        .target
        .as_mut()
        .ok_or_else(|| prog.fail("no target PID specified"))?;
    if use_pidfd {
        if let Some(user) = target
            .pidfd()
            .and_then(|p| enter::target_user_namespace(p).ok())
        {
            return parent(user);
        }
    }
    let user = open_target(prog, Some(target), "ns/user")?;
    parent(user)
}

/// `-N FD`: the network namespace of the target's socket FD.
fn socket_namespace(prog: &Prog, o: &mut Options, fd: i32) -> Result<OwnedFd, Failure> {
    let target = o
        .target
        .as_mut()
        .ok_or_else(|| prog.fail("no target PID specified"))?;
    let pid = target.pid();
    let pidfd = match target.open_pidfd() {
        Ok(p) => p.as_raw_fd(),
        Err(e) => return Err(prog.fail_errno(format_args!("failed to pidfd_open() for {pid}"), &e)),
    };
    let socket = target
        .get_fd(fd)
        .map_err(|e| prog.fail_errno(format_args!("pidfd_getfd({pidfd}, {fd})"), &e))?;
    let sk = socket.as_raw_fd();
    rustix::fs::fstat(&socket)
        .map_err(|e| prog.fail_errno(format_args!("fstat({sk})"), &io::Error::from(e)))?;
    enter::socket_net_namespace(socket.as_fd())
        .map_err(|e| prog.fail_errno(format_args!("ioctl({sk}, SIOCGSKNS)"), &e))
}

fn selinux_enabled() -> bool {
    std::path::Path::new("/sys/fs/selinux/enforce").exists()
}

/// Steps 5-11: join, change root and directory, environment, cgroup, fork,
/// credentials, exec. Returns only on failure.
fn enter_and_exec(prog: &Prog, r: Ready) -> Failure {
    match enter_and_exec_inner(prog, r) {
        Ok(never) => match never {},
        Err(f) => f,
    }
}

fn enter_and_exec_inner(prog: &Prog, mut r: Ready) -> Result<std::convert::Infallible, Failure> {
    let user_ns = r.enabled.contains(Kinds::USER);
    let (mut uid, mut gid) = (r.uid, r.gid);
    let mut setgroups_failed_before = false;
    if user_ns && !r.preserve_cred {
        // Inside a user namespace we always become root (or -S/-G) and drop
        // root's supplementary groups. setgroups is tried now, while we are
        // still privileged, and again after joining (when the namespace may
        // have setgroups denied): only both failing is an error.
        if uid == IdArg::Unset {
            uid = IdArg::Value(0);
        }
        if gid == IdArg::Unset {
            gid = IdArg::Value(0);
        }
        setgroups_failed_before = rustix::thread::set_thread_groups(&[]).is_err();
    }

    r.files.check_files().map_err(|e| enter_failure(prog, &e))?;
    let pidfd = match r.use_pidfd {
        true => r.target.as_ref().and_then(|t| t.pidfd()),
        false => None,
    };
    let files = std::mem::take(&mut r.files);
    files
        .enter(r.enabled, pidfd)
        .map_err(|e| enter_failure(prog, &e))?;
    // The pidfd and /proc/PID directory are not needed any more.
    r.target = None;

    if r.root.is_some() && r.wd.is_none() && r.wdns.is_none() {
        // Keep the current directory across the chroot.
        r.wd = Some(
            rustix::fs::openat(CWD, ".", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).map_err(
                |e| prog.fail_errno("cannot open current working directory", &io::Error::from(e)),
            )?,
        );
    }
    if let Some(root) = r.root.take() {
        rustix::process::fchdir(&root).map_err(|e| {
            prog.fail_errno(
                "change directory by root file descriptor failed",
                &io::Error::from(e),
            )
        })?;
        rustix::process::chroot(".")
            .map_err(|e| prog.fail_errno("chroot failed", &io::Error::from(e)))?;
        rustix::process::chdir("/")
            .map_err(|e| prog.fail_errno("cannot change directory to /", &io::Error::from(e)))?;
    }
    if let Some(dir) = r.wdns.take() {
        r.wd = Some(
            rustix::fs::openat(
                CWD,
                dir.as_os_str(),
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| {
                prog.fail_errno("cannot open current working directory", &io::Error::from(e))
            })?,
        );
    }
    if let Some(wd) = r.wd.take() {
        rustix::process::fchdir(&wd).map_err(|e| {
            prog.fail_errno(
                "change directory by working directory file descriptor failed",
                &io::Error::from(e),
            )
        })?;
    }
    if let Some(env) = r.env.take() {
        let vars = read_environ(env)
            .map_err(|e| prog.fail_errno("failed to get environment variables", &e))?;
        replace_environment(vars);
    }
    if let Some(procs) = r.cgroup_procs.take() {
        let pid = std::process::id().to_string();
        let mut file = std::fs::File::from(procs);
        file.write_all(pid.as_bytes())
            .map_err(|e| prog.fail_errno("write cgroup.procs failed", &e))?;
        // Closed here, before fork and before credentials change.
        drop(file);
    }
    if let Some(dir) = r.owner_of.take() {
        // util-linux checks this fstat with `> 0` and never reports it.
        let st = rustix::fs::fstat(&dir)
            .map_err(|e| prog.fail_errno("can not get process stat", &io::Error::from(e)))?;
        if uid == IdArg::Follow {
            uid = IdArg::Value(st.st_uid);
        }
        if gid == IdArg::Follow {
            gid = IdArg::Value(st.st_gid);
        }
    }

    if r.fork {
        continue_as_child(prog)?;
    }

    if let IdArg::Value(gid) = gid {
        // Drop supplementary groups. util-linux ignores a failure outside a
        // user namespace; nsipc does not (the process would keep root's
        // groups). Inside one, only a failure before and after joining counts.
        if let Err(e) = rustix::thread::set_thread_groups(&[]) {
            if !user_ns || setgroups_failed_before {
                return Err(prog.fail_errno("setgroups failed", &io::Error::from(e)));
            }
        }
        // SAFETY: plain setgid; the process is single-threaded.
        if unsafe { libc::setgid(gid) } != 0 {
            return Err(prog.fail_errno("setgid() failed", &io::Error::last_os_error()));
        }
    }
    if let IdArg::Value(uid) = uid {
        // SAFETY: plain setuid; the process is single-threaded.
        if unsafe { libc::setuid(uid) } != 0 {
            return Err(prog.fail_errno("setuid() failed", &io::Error::last_os_error()));
        }
    }
    if r.keep_caps && user_ns {
        exec::keep_caps(prog)?;
    }

    let failure = if r.program.is_empty() {
        exec::exec_shell(prog)
    } else {
        exec::exec_program(prog, &r.program)
    };
    Err(failure)
}

fn enter_failure(prog: &Prog, e: &EnterError) -> Failure {
    match e {
        EnterError::Target { source, .. } => {
            prog.fail_errno("reassociate to namespaces failed", source)
        }
        EnterError::File { kind, source } => prog.fail_errno(
            format_args!("reassociate to namespace '{}' failed", ns_name(*kind)),
            source,
        ),
    }
}

/// Reads `/proc/PID/environ`: NUL-separated `NAME=value` strings. Entries
/// without '=' or with an empty name are skipped; a name given twice keeps
/// its first value (the one the target's getenv sees). util-linux master's
/// `env_list_from_fd()` (lib/env.c) subtracts the length of the entry after
/// the one it consumed from the bytes left, so it drops entries or reads past
/// the buffer.
fn read_environ(fd: OwnedFd) -> io::Result<Vec<(OsString, OsString)>> {
    let mut data = Vec::new();
    std::fs::File::from(fd).read_to_end(&mut data)?;
    Ok(parse_environ(&data))
}

pub fn parse_environ(data: &[u8]) -> Vec<(OsString, OsString)> {
    // The target's environment is input its owner controls: a set keeps the
    // first-value-wins check linear in the number of variables.
    let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    let mut vars: Vec<(OsString, OsString)> = Vec::new();
    for entry in data.split(|&b| b == 0) {
        let Some(eq) = entry.iter().position(|&b| b == b'=') else {
            continue;
        };
        let (name, value) = (&entry[..eq], &entry[eq + 1..]);
        if name.is_empty() || !seen.insert(name) {
            continue;
        }
        vars.push((
            OsStr::from_bytes(name).to_os_string(),
            OsStr::from_bytes(value).to_os_string(),
        ));
    }
    vars
}

/// The target's variables, in reverse order: util-linux builds its list by
/// prepending and then sets it front to back, so `nsenter -e env` prints
/// the target's environment last variable first. Kept for identical output.
fn replace_environment(mut vars: Vec<(OsString, OsString)>) {
    vars.reverse();
    exec::replace_environment(&vars);
}

/// Forks; the child returns and goes on, the parent waits and mirrors the
/// child: a stopped child stops us too (then we continue it), its exit
/// status is ours, its fatal signal kills us. So `nsenter -p` behaves like
/// the program it runs, which lives in the target's PID namespace.
fn continue_as_child(prog: &Prog) -> Result<(), Failure> {
    // SAFETY: resetting SIGCHLD to its default disposition is always sound;
    // an inherited SIG_IGN would make waitpid fail.
    unsafe { libc::signal(libc::SIGCHLD, libc::SIG_DFL) };
    let child = match exec::fork() {
        Ok(None) => return Ok(()),
        Ok(Some(pid)) => pid,
        Err(e) => return Err(prog.fail_errno("fork failed", &e)),
    };
    loop {
        match exec::wait_child(child, true) {
            Ok(exec::ChildEnd::Stopped(_)) => {
                // SAFETY: signalling ourselves and our child.
                unsafe {
                    libc::kill(libc::getpid(), libc::SIGSTOP);
                    libc::kill(child, libc::SIGCONT);
                }
            }
            end => crate::report::exit(exec::finish_like_child(prog, end)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_argument() {
        assert_eq!(parse_pid_arg("42"), Ok((42, None)));
        assert_eq!(parse_pid_arg(" +42"), Ok((42, None)));
        assert_eq!(parse_pid_arg("42:7"), Ok((42, Some(7))));
        assert_eq!(parse_pid_arg("0"), Err(NumError::Range));
        assert_eq!(parse_pid_arg("-3"), Err(NumError::Range));
        assert_eq!(parse_pid_arg("42:0"), Err(NumError::Range));
        assert_eq!(parse_pid_arg("42:"), Err(NumError::Invalid));
        assert_eq!(parse_pid_arg("42:-1"), Err(NumError::Range));
        assert_eq!(parse_pid_arg("abc"), Err(NumError::Invalid));
        assert_eq!(parse_pid_arg("4x"), Err(NumError::Invalid));
        assert_eq!(parse_pid_arg("2147483648"), Err(NumError::Range));
    }

    #[test]
    fn environ_parsing() {
        let vars = parse_environ(b"A=1\0B=x=y\0noequals\0=empty\0A=2\0C=\0");
        let got: Vec<(String, String)> = vars
            .into_iter()
            .map(|(n, v)| (n.into_string().unwrap(), v.into_string().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("A".into(), "1".into()),
                ("B".into(), "x=y".into()),
                ("C".into(), "".into())
            ]
        );
        assert!(parse_environ(b"").is_empty());
    }

    #[test]
    fn cgroup_line() {
        assert_eq!(
            cgroup_path(b"0::/user.slice/a\n"),
            Some(&b"/user.slice/a"[..])
        );
        // Hybrid host: the unified line wins over v1 controllers.
        assert_eq!(
            cgroup_path(b"9:name=systemd:/x\n4:memory:/m\n0::/u:v\n"),
            Some(&b"/u:v"[..])
        );
        assert_eq!(cgroup_path(b"4:memory:/m\n"), Some(&b"/m"[..]));
        assert_eq!(cgroup_path(b"nocolon\n"), None);
        assert_eq!(cgroup_path(b""), None);
    }

    #[test]
    fn equals_stripping() {
        assert_eq!(strip_equals(OsStr::new("=/x")), OsStr::new("/x"));
        assert_eq!(strip_equals(OsStr::new("==/x")), OsStr::new("=/x"));
        assert_eq!(strip_equals(OsStr::new("/x")), OsStr::new("/x"));
    }
}
