//! Which container a process belongs to, from the kernel's and the
//! runtimes' own on-disk state: no daemon socket, no engine CLI.
//!
//! A process's container is named by its cgroup (`/proc/PID/cgroup`, read
//! once per process; [`cgroup`] knows the paths each runtime makes); the
//! container's name and pod come from the runtime's state files
//! ([`state`] parses them), each read at most once per [`Resolver`]:
//!
//! | runtime | state |
//! |---|---|
//! | podman, buildah | `/var/lib/containers/storage/overlay-containers/containers.json`; rootless: `~/.local/share/containers/storage/…` of the cgroup's `user@UID.service` user (home from `/etc/passwd`) |
//! | Docker | `/var/lib/docker/containers/<id>/config.v2.json` |
//! | containerd | `/run/containerd/io.containerd.runtime.v2.task/<namespace>/<id>/config.json` |
//! | CRI-O | `/run/containers/storage/overlay-containers/<id>/userdata/config.json` |
//! | nspawn, LXC | the name is in the cgroup path |
//!
//! State files are read beneath their runtime's directory without
//! following a symlink out of it, regular files only, size-capped
//! (`safefs.rs`). The paths are fixed: nothing (no environment variable, no
//! option) points the resolver elsewhere; tests put fixtures there inside a
//! private mount namespace.
//!
//! [`find`] lists the running containers with their init processes
//! (`--container`, `--pod`).

pub mod cgroup;
pub mod find;
mod safefs;
pub mod state;

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::path::Path;

use cgroup::Found;

/// The container runtimes told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Runtime {
    /// podman (also buildah and CRI-O's storage): `libpod-<id>` cgroups.
    Podman,
    /// Docker (moby): `docker-<id>.scope` or `/docker/<id>`.
    Docker,
    /// containerd, also under Kubernetes (CRI).
    Containerd,
    /// CRI-O.
    Crio,
    /// A `kubepods` cgroup whose runtime state was not found.
    Kubernetes,
    /// systemd-nspawn, registered with systemd-machined.
    Nspawn,
    /// LXC.
    Lxc,
}

impl Runtime {
    /// The `RUNTIME` column's word.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Podman => "podman",
            Runtime::Docker => "docker",
            Runtime::Containerd => "containerd",
            Runtime::Crio => "cri-o",
            Runtime::Kubernetes => "kubernetes",
            Runtime::Nspawn => "nspawn",
            Runtime::Lxc => "lxc",
        }
    }
}

/// A container as the tools show it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Container {
    /// The runtime's id (64 hex digits), or the name for nspawn and LXC,
    /// which have none.
    pub id: String,
    /// The name the runtime knows it by, if its state says.
    pub name: Option<String>,
    /// Which runtime runs it.
    pub runtime: Runtime,
    /// `namespace/name` of its Kubernetes pod.
    pub pod: Option<String>,
    /// A pod's sandbox (pause / infra) container.
    pub sandbox: bool,
    /// The user whose delegated cgroup subtree (`user@UID.service`) holds
    /// it: a rootless container. Only rootless podman's names are looked
    /// up (in that user's storage); for other runtimes such a cgroup is
    /// not checked against the system's state, since the user chose its
    /// name, and the uid keeps it apart from a system container that has
    /// the same id.
    pub user: Option<u32>,
}

impl Container {
    /// The id as `podman ps` and `docker ps` show it: its first 12 digits.
    pub fn short_id(&self) -> &str {
        match self.id.get(..12) {
            Some(short) if cgroup::is_id(&self.id) => short,
            _ => &self.id,
        }
    }

    /// The name, or the short id when there is none (`CONTAINER`).
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or_else(|| self.short_id())
    }
}

/// Size caps: a containers.json holds every container of a store (about
/// 1 KiB each); the others are one container's configuration.
const STORAGE_CAP: u64 = 64 << 20;
const CONFIG_CAP: u64 = 4 << 20;
const PASSWD_CAP: u64 = 16 << 20;

const STORAGE_ROOT: &str = "/var/lib/containers/storage";
const ROOTLESS_STORAGE: &str = ".local/share/containers/storage";
const DOCKER_ROOT: &str = "/var/lib/docker";
const CONTAINERD_TASKS: &str = "/run/containerd/io.containerd.runtime.v2.task";
const CRIO_RUNROOT: &str = "/run/containers/storage";

/// Resolves processes to containers, reading each state file at most once.
///
/// # Examples
///
/// ```
/// use nsipc::container::{Resolver, Runtime};
/// let mut resolver = Resolver::new();
/// // A cgroup as podman makes it for a container: the id is in its name
/// // (the name, if any, comes from podman's storage on this machine).
/// let id = "4f8e1c2b".repeat(8);
/// let cgroup = format!("0::/machine.slice/libpod-{id}.scope\n");
/// let c = resolver.of_cgroup_text(cgroup.as_bytes()).unwrap();
/// assert_eq!((c.runtime, c.id.as_str(), c.short_id()), (Runtime::Podman, id.as_str(), "4f8e1c2b4f8e"));
/// // A process outside any container has none.
/// assert_eq!(resolver.of_cgroup_text(b"0::/user.slice/session-1.scope\n"), None);
/// // Any process of this machine, looked up by pid:
/// let mine = resolver.of_pid(std::process::id() as i32);
/// # let _ = mine;
/// ```
#[derive(Default)]
pub struct Resolver {
    /// `/proc/PID/cgroup` text → its container (most processes share a few
    /// cgroups).
    by_cgroup: HashMap<Vec<u8>, Option<Container>>,
    by_pid: HashMap<i32, Option<Container>>,
    /// What a cgroup name resolved to: processes in different cgroups of
    /// one container (sub-cgroups, differing v1 lines) share its state
    /// reads.
    by_found: HashMap<(Found, Option<u32>), Container>,
    /// containers/storage names: `None` key for the rootful store, else the
    /// uid of a rootless one.
    storage: HashMap<Option<u32>, HashMap<String, String>>,
    containerd_namespaces: Option<Vec<String>>,
}

impl Resolver {
    /// A resolver with empty caches: each state file is read on first use.
    pub fn new() -> Self {
        Self::default()
    }

    /// The container of process `pid`; `None` outside any container or
    /// when the process is gone.
    pub fn of_pid(&mut self, pid: i32) -> Option<Container> {
        if let Some(c) = self.by_pid.get(&pid) {
            return c.clone();
        }
        let c = std::fs::read(format!("/proc/{pid}/cgroup"))
            .ok()
            .and_then(|text| self.of_cgroup_text(&text));
        self.by_pid.insert(pid, c.clone());
        c
    }

    /// The container named by `/proc/PID/cgroup` text.
    pub fn of_cgroup_text(&mut self, text: &[u8]) -> Option<Container> {
        if let Some(c) = self.by_cgroup.get(text) {
            return c.clone();
        }
        let c = cgroup::find(text).map(|key| {
            if let Some(c) = self.by_found.get(&key) {
                return c.clone();
            }
            let mut c = self.describe(key.0.clone(), key.1);
            c.user = key.1;
            self.by_found.insert(key, c.clone());
            c
        });
        self.by_cgroup.insert(text.to_vec(), c.clone());
        c
    }

    fn describe(&mut self, found: Found, user: Option<u32>) -> Container {
        let plain = |id: String, name: Option<String>, runtime| Container {
            id,
            name,
            runtime,
            pod: None,
            sandbox: false,
            user: None,
        };
        // Below a user's delegated subtree only rootless podman's own
        // storage (of that user) is consulted.
        if user.is_some() {
            match found {
                Found::Docker { id } => return plain(id, None, Runtime::Docker),
                Found::Containerd { id } => return plain(id, None, Runtime::Containerd),
                Found::Crio { id } => return plain(id, None, Runtime::Crio),
                Found::Kubepods { id } => return plain(id, None, Runtime::Kubernetes),
                _ => {}
            }
        }
        match found {
            Found::Podman { id, uid } => {
                let name = self.storage_names(uid).get(&id).cloned();
                plain(id, name, Runtime::Podman)
            }
            Found::Docker { id } => {
                let name = safefs::open_dir(Path::new(DOCKER_ROOT))
                    .and_then(|d| {
                        safefs::read_beneath(
                            &d,
                            &format!("containers/{id}/config.v2.json"),
                            CONFIG_CAP,
                        )
                    })
                    .and_then(|data| state::docker_name(&data));
                plain(id, name, Runtime::Docker)
            }
            Found::Containerd { id } => self.kube(id, &[Runtime::Containerd], Runtime::Containerd),
            Found::Crio { id } => self.kube(id, &[Runtime::Crio], Runtime::Crio),
            Found::Kubepods { id } => self.kube(
                id,
                &[Runtime::Containerd, Runtime::Crio],
                Runtime::Kubernetes,
            ),
            Found::Nspawn { name } => plain(name.clone(), Some(name), Runtime::Nspawn),
            Found::Lxc { name } => plain(name.clone(), Some(name), Runtime::Lxc),
        }
    }

    /// A Kubernetes container: the first runtime of `try_` whose state has
    /// it, else `fallback` with the id alone.
    fn kube(&mut self, id: String, try_: &[Runtime], fallback: Runtime) -> Container {
        for &rt in try_ {
            let data = match rt {
                Runtime::Containerd => self.containerd_config(&id),
                _ => safefs::open_dir(Path::new(CRIO_RUNROOT)).and_then(|d| {
                    safefs::read_beneath(
                        &d,
                        &format!("overlay-containers/{id}/userdata/config.json"),
                        CONFIG_CAP,
                    )
                }),
            };
            if let Some(k) = data.and_then(|d| state::oci_kube(&d)) {
                return Container {
                    id,
                    name: k.name,
                    runtime: rt,
                    pod: k.pod,
                    sandbox: k.sandbox,
                    user: None,
                };
            }
        }
        Container {
            id,
            name: None,
            runtime: fallback,
            pod: None,
            sandbox: false,
            user: None,
        }
    }

    /// The bundle config.json of containerd task `id`, in whichever
    /// containerd namespace (`k8s.io`, `moby`, `default`…) holds it.
    fn containerd_config(&mut self, id: &str) -> Option<Vec<u8>> {
        let dir = safefs::open_dir(Path::new(CONTAINERD_TASKS))?;
        let namespaces = self
            .containerd_namespaces
            .get_or_insert_with(|| safefs::subdirs(&dir, 256));
        namespaces.iter().find_map(|ns| {
            safefs::read_beneath(&dir, &format!("{ns}/{id}/config.json"), CONFIG_CAP)
        })
    }

    /// The names of a containers/storage store, read once.
    fn storage_names(&mut self, uid: Option<u32>) -> &HashMap<String, String> {
        self.storage.entry(uid).or_insert_with(|| {
            let (dir, base) = match uid {
                None => (safefs::open_dir(Path::new(STORAGE_ROOT)), String::new()),
                Some(uid) => (rootless_home(uid), format!("{ROOTLESS_STORAGE}/")),
            };
            let Some(dir) = dir else {
                return HashMap::new();
            };
            // The overlay driver (the default) and vfs keep their list in
            // their own directories.
            ["overlay-containers", "vfs-containers"]
                .iter()
                .find_map(|d| {
                    safefs::read_beneath(&dir, &format!("{base}{d}/containers.json"), STORAGE_CAP)
                })
                .map(|data| state::storage_names(&data))
                .unwrap_or_default()
        })
    }
}

/// The home directory of `uid`, opened; the storage is read beneath it.
fn rootless_home(uid: u32) -> Option<OwnedFd> {
    let etc = safefs::open_dir(Path::new("/etc"))?;
    let passwd = safefs::read_beneath(&etc, "passwd", PASSWD_CAP)?;
    let home = state::passwd_home(&passwd, uid)?;
    safefs::open_dir(Path::new(&home))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let mut c = Container {
            id: "f4dc45154e518452563f2421b71b2403df3ee1066ad9a9446981798d3bc94942".into(),
            name: None,
            runtime: Runtime::Docker,
            pod: None,
            sandbox: false,
            user: None,
        };
        assert_eq!(c.display_name(), "f4dc45154e51");
        c.name = Some("web".into());
        assert_eq!(c.display_name(), "web");
        c.id = "vm1".into();
        assert_eq!(c.short_id(), "vm1");
    }

    #[test]
    fn outside_any_container() {
        let mut r = Resolver::new();
        assert_eq!(r.of_cgroup_text(b"0::/user.slice\n"), None);
        assert_eq!(r.of_pid(-5), None);
    }
}
