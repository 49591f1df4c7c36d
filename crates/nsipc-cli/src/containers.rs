//! What every tool shares about containers (library: `nsipc::container`):
//! the `CONTAINER`, `CONTAINERID`, `RUNTIME` and `POD` columns, and the
//! `--container=NAME|ID` and `--pod=NAMESPACE/NAME[:CONTAINER]` options,
//! which name a container's init process (then used as `nsenter -t PID`,
//! `lsns -p PID`, `ipcs`/`lsipc --namespace=PID`).

use std::fmt::Write as _;

use nsipc::container::find::{self, Choice, Running};
use nsipc::container::{Container, Resolver};

use crate::getopt::Opt;
use crate::report::{Failure, Prog};

/// One of the container columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Id,
    Runtime,
    Pod,
}

/// The columns: name, help line (util-linux style), field.
pub const COLUMNS: [(&str, &str, Field); 4] = [
    (
        "CONTAINER",
        "container name (short id if unnamed)",
        Field::Name,
    ),
    ("CONTAINERID", "container id", Field::Id),
    ("RUNTIME", "container runtime", Field::Runtime),
    ("POD", "Kubernetes pod (namespace/name)", Field::Pod),
];

/// A cell of `field` for a process in container `c`.
pub fn cell(c: &Container, field: Field) -> Option<Vec<u8>> {
    let text = match field {
        Field::Name => c.display_name(),
        Field::Id => &c.id,
        Field::Runtime => c.runtime.name(),
        Field::Pod => c.pod.as_deref()?,
    };
    Some(text.as_bytes().to_vec())
}

/// The `--container` option, the same in every tool's option table. Both
/// options are nsipc's own ([`Opt::extension`]): an abbreviation reaches
/// them only when it matches no util-linux option, so util-linux's
/// abbreviations (`nsenter --c` for `--cgroup`, `ipcs --p` for `--pid`)
/// keep their meaning.
pub const fn container_option<T: Copy>(id: T) -> Opt<T> {
    Opt::value(
        id,
        None,
        "container",
        "<name|id>",
        "the container with this name or id (prefix)",
    )
    .extension()
    .man("The container with this name, or whose id starts with this prefix, as podman, Docker, containerd (Kubernetes), CRI-O, systemd-nspawn or LXC know it; its init process stands for it. An ambiguous or unknown name is an error that lists the running containers. An nsipc extension.")
}

/// The `--pod` option, likewise.
pub const fn pod_option<T: Copy>(id: T) -> Opt<T> {
    Opt::value(
        id,
        None,
        "pod",
        "<ns/name[:ctr]>",
        "a container of this Kubernetes pod",
    )
    .extension()
    .man("A container of the Kubernetes pod <ns>/<name> (containerd or CRI-O), the one named <ctr> if given, else the pod's only application container. An nsipc extension.")
}

/// What `--container` or `--pod` named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Select {
    Container(String),
    Pod(String),
}

/// The container `sel` names and its init process, or a failure that
/// lists the candidates (exit status 1).
pub fn resolve(prog: &Prog, sel: &Select) -> Result<Running, Failure> {
    let mut resolver = Resolver::new();
    let all = find::running(&mut resolver);
    let (choice, what) = match sel {
        Select::Container(word) => (
            find::by_container(&all, word),
            format!("container '{word}'"),
        ),
        Select::Pod(spec) => (find::by_pod(&all, spec), format!("pod '{spec}'")),
    };
    match choice {
        Choice::One(r) => Ok(r.clone()),
        Choice::Ambiguous(hits) => Err(prog.fail(format_args!(
            "{what} is ambiguous; candidates: {}",
            list(hits.into_iter())
        ))),
        Choice::Unknown if all.is_empty() => {
            Err(prog.fail(format_args!("{what} not found (no container is running)")))
        }
        Choice::Unknown => Err(prog.fail(format_args!(
            "{what} not found; running: {}",
            list(all.iter())
        ))),
    }
}

/// `name (runtime shortid[, pod namespace/name])`, comma-separated.
fn list<'a>(runs: impl Iterator<Item = &'a Running>) -> String {
    let mut out = String::new();
    for (i, r) in runs.enumerate() {
        let c = &r.container;
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(
            out,
            "{} ({} {}",
            c.display_name(),
            c.runtime.name(),
            c.short_id()
        );
        if let Some(pod) = &c.pod {
            let _ = write!(out, ", pod {pod}");
        }
        if let Some(uid) = c.user {
            let _ = write!(out, ", user {uid}");
        }
        out.push(')');
    }
    out
}

/// The init process of the container `sel` names, checked again after
/// the caller pinned it (a pidfd): the pid must still be in that
/// container, or it was reused meanwhile.
pub fn still_in(c: &Container, pid: i32) -> bool {
    Resolver::new().of_pid(pid).as_ref() == Some(c)
}

impl Select {
    /// The option that gave it, for messages.
    pub fn option(&self) -> &'static str {
        match self {
            Select::Container(_) => "container",
            Select::Pod(_) => "pod",
        }
    }
}

/// `ipcs`/`lsipc --container`: the IPC namespace to show is that of the
/// container's init process, i.e. `--namespace=PID` (entered by the
/// helper-thread mechanism of allns.rs). Refused with `--namespace` and
/// `--all-namespaces`.
pub fn ipc_namespace(
    prog: &Prog,
    select: &Select,
    namespace: &mut Option<String>,
    all_namespaces: bool,
) -> Result<(), Failure> {
    let other = if all_namespaces {
        Some("all-namespaces")
    } else if namespace.is_some() {
        Some("namespace")
    } else {
        None
    };
    if let Some(other) = other {
        return Err(prog.fail(format_args!(
            "options --{other} and --{} cannot be combined",
            select.option()
        )));
    }
    *namespace = Some(resolve(prog, select)?.init.to_string());
    Ok(())
}
