//! The running containers and their init processes, for `--container` and
//! `--pod`.
//!
//! A container's init process is found from the kernel's view alone: every
//! process of `/proc` is resolved to its container (one `/proc/PID/cgroup`
//! read each, [`super::Resolver`] caches by cgroup), and its processes are
//! ranked:
//!
//! 1. the container's PID 1: its last `NSpid` (its pid in the innermost pid
//!    namespace, `/proc/PID/status`) is 1. This is what tells the init from
//!    a runtime supervisor that lives in the container's cgroup as its
//!    parent (systemd-nspawn stays in `machine-NAME.scope`);
//! 2. a process whose parent is *not* in the container: the runtime
//!    (conmon, containerd-shim, runc) started it from outside. That is the
//!    init, but also every `podman exec` / `docker exec` / `kubectl exec`
//!    process (also PID 1's siblings from outside, never PID 1), so this
//!    ranks below 1;
//! 3. then the one started first (`starttime`, field 22 of
//!    `/proc/PID/stat`: in a container that shares the host's pid
//!    namespace the init predates every exec), then the lowest pid.
//!
//! A known limit: in a container that shares the host's pid namespace, a
//! process that made its own pid namespace inside it (a sandbox) ranks
//! first; `nsenter -t` names the process then.
//!
//! The runtimes' own records of the pid (runc's `state.json`, conmon's
//! pidfile, Docker's `State.Pid`) are not used: they differ per runtime and
//! version, are stale after a crash, and a pid read from a file says
//! nothing about the process that has that pid now; the cgroup of a live
//! process does.

use std::collections::HashMap;
use std::path::Path;

use super::{Container, Resolver};

/// A running container and its init process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Running {
    /// The container.
    pub container: Container,
    /// Its init process (PID 1 in its PID namespace, seen from ours).
    pub init: crate::Pid,
}

#[derive(Clone, Copy)]
struct Proc {
    pid: i32,
    ppid: i32,
    start: u64,
}

/// Every running container, sorted by runtime then name.
///
/// # Examples
///
/// ```
/// use nsipc::container::{find, Resolver};
/// for r in find::running(&mut Resolver::new()) {
///     println!("{} ({}): init {}", r.container.display_name(), r.container.runtime.name(), r.init);
/// }
/// ```
pub fn running(resolver: &mut Resolver) -> Vec<Running> {
    let mut members: HashMap<Container, Vec<Proc>> = HashMap::new();
    let mut pid_container: HashMap<i32, Container> = HashMap::new();
    let Some(processes) = crate::procfs::processes(Path::new("/proc")) else {
        return Vec::new();
    };
    for (pid, _) in processes {
        let Some(c) = resolver.of_pid(pid) else {
            continue;
        };
        let Some((ppid, start)) = stat(pid) else {
            continue;
        };
        pid_container.insert(pid, c.clone());
        members
            .entry(c)
            .or_default()
            .push(Proc { pid, ppid, start });
    }
    let mut out: Vec<Running> = members
        .into_iter()
        .filter_map(|(c, procs)| {
            let init = procs
                .iter()
                .min_by_key(|p| {
                    (
                        innermost_pid(p.pid) != Some(1),
                        pid_container.get(&p.ppid) == Some(&c),
                        p.start,
                        p.pid,
                    )
                })?
                .pid;
            Some(Running { container: c, init })
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |r: &Running| {
            (
                r.container.runtime.name(),
                r.container.display_name().to_string(),
                r.container.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

/// (ppid, starttime) from `/proc/PID/stat`.
fn stat(pid: i32) -> Option<(i32, u64)> {
    let text = std::fs::read(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&text)
}

/// (ppid, starttime) of `/proc/PID/stat` text; the command (field 2) may
/// hold spaces and parentheses, so fields are counted after its last `)`.
pub fn parse_stat(text: &[u8]) -> Option<(i32, u64)> {
    let close = text.iter().rposition(|&b| b == b')')?;
    let rest = std::str::from_utf8(&text[close + 1..]).ok()?;
    let f: Vec<&str> = rest.split_ascii_whitespace().collect();
    // f[0] is field 3 (state): ppid is field 4, starttime field 22.
    Some((f.get(1)?.parse().ok()?, f.get(19)?.parse().ok()?))
}

/// The process's pid in its innermost pid namespace (last `NSpid` value).
fn innermost_pid(pid: i32) -> Option<i32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("NSpid:"))?;
    line.split_ascii_whitespace().last()?.parse().ok()
}

/// Why a `--container` or `--pod` word matched no single container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice<'a> {
    /// Exactly this one matched.
    One(&'a Running),
    /// Several matched: these.
    Ambiguous(Vec<&'a Running>),
    /// None matched.
    Unknown,
}

/// `--container=WORD`: a container whose name is WORD, else whose id is
/// WORD, else whose id starts with WORD. Several containers of one name
/// (different runtimes or users) are ambiguous: then the id says which.
///
/// # Examples
///
/// ```
/// use nsipc::container::find::{by_container, Choice, Running};
/// use nsipc::container::{Container, Runtime};
/// let web = |id: &str| Running {
///     container: Container {
///         id: id.repeat(64),
///         name: Some("web".into()),
///         runtime: Runtime::Podman,
///         pod: None,
///         sandbox: false,
///         user: None,
///     },
///     init: 4242,
/// };
/// let one = [web("a")];
/// assert!(matches!(by_container(&one, "web"), Choice::One(r) if r.init == 4242));
/// assert!(matches!(by_container(&one, "aaaa"), Choice::One(_)));
/// // Two containers named "web": only the id tells which.
/// let two = [web("a"), web("b")];
/// assert!(matches!(by_container(&two, "web"), Choice::Ambiguous(v) if v.len() == 2));
/// assert!(matches!(by_container(&two, "bbb"), Choice::One(_)));
/// assert_eq!(by_container(&two, "db"), Choice::Unknown);
/// ```
pub fn by_container<'a>(all: &'a [Running], word: &str) -> Choice<'a> {
    if word.is_empty() {
        return Choice::Unknown;
    }
    let tiers: [&dyn Fn(&Container) -> bool; 3] = [
        &|c| c.name.as_deref() == Some(word),
        &|c| c.id == word,
        &|c| c.id.starts_with(word),
    ];
    for tier in tiers {
        let hits: Vec<&Running> = all.iter().filter(|r| tier(&r.container)).collect();
        match hits.len() {
            0 => continue,
            1 => return Choice::One(hits[0]),
            _ => return Choice::Ambiguous(hits),
        }
    }
    Choice::Unknown
}

/// `--pod=NAMESPACE/NAME[:CONTAINER]`: the named container of that pod;
/// without one, the pod's sandbox (it holds the pod's shared network, IPC
/// and UTS namespaces), else its only container.
pub fn by_pod<'a>(all: &'a [Running], spec: &str) -> Choice<'a> {
    let (pod, name) = match spec.split_once(':') {
        Some((pod, name)) => (pod, Some(name)),
        None => (spec, None),
    };
    let in_pod: Vec<&Running> = all
        .iter()
        .filter(|r| r.container.pod.as_deref() == Some(pod))
        .collect();
    let pick = |hits: Vec<&'a Running>| match hits.len() {
        0 => Choice::Unknown,
        1 => Choice::One(hits[0]),
        _ => Choice::Ambiguous(hits),
    };
    match name {
        Some(name) => pick(
            in_pod
                .into_iter()
                .filter(|r| r.container.name.as_deref() == Some(name))
                .collect(),
        ),
        None => {
            let sandboxes: Vec<&Running> = in_pod
                .iter()
                .copied()
                .filter(|r| r.container.sandbox)
                .collect();
            if sandboxes.is_empty() {
                pick(in_pod)
            } else {
                pick(sandboxes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Runtime;
    use super::*;

    fn run(id: &str, name: Option<&str>, pod: Option<&str>, sandbox: bool, init: i32) -> Running {
        Running {
            container: Container {
                id: id.into(),
                name: name.map(Into::into),
                runtime: Runtime::Containerd,
                pod: pod.map(Into::into),
                sandbox,
                user: None,
            },
            init,
        }
    }

    #[test]
    fn choosing() {
        let all = vec![
            run("aa11", Some("web"), Some("ns/p"), false, 10),
            run("aa22", Some("db"), Some("ns/p"), false, 20),
            run("bb33", None, Some("ns/p"), true, 30),
            run("cc44", Some("web"), None, false, 40),
            run("dd55", Some("aa11"), None, false, 50),
        ];
        let init = |c: Choice| match c {
            Choice::One(r) => r.init,
            Choice::Ambiguous(v) => -(v.len() as i32),
            Choice::Unknown => 0,
        };
        assert_eq!(init(by_container(&all, "db")), 20);
        assert_eq!(init(by_container(&all, "web")), -2);
        // A name wins over an id.
        assert_eq!(init(by_container(&all, "aa11")), 50);
        assert_eq!(init(by_container(&all, "aa2")), 20);
        assert_eq!(init(by_container(&all, "aa")), -2);
        assert_eq!(init(by_container(&all, "zz")), 0);
        assert_eq!(init(by_container(&all, "")), 0);
        assert_eq!(init(by_pod(&all, "ns/p")), 30);
        assert_eq!(init(by_pod(&all, "ns/p:web")), 10);
        assert_eq!(init(by_pod(&all, "ns/p:x")), 0);
        assert_eq!(init(by_pod(&all, "ns/q")), 0);
        let no_sandbox = vec![run("a", Some("x"), Some("n/p"), false, 1)];
        assert_eq!(init(by_pod(&no_sandbox, "n/p")), 1);
    }

    #[test]
    fn stat_fields() {
        let line = b"42 (a b) c)) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0\n";
        assert_eq!(parse_stat(line), Some((7, 12345)));
        assert_eq!(parse_stat(b"42 (x) S"), None);
        assert_eq!(parse_stat(b""), None);
    }
}
