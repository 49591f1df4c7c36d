//! Which container a cgroup path belongs to, from the names the runtimes
//! give their cgroups. Pure functions of the text of `/proc/PID/cgroup`
//! (fuzzed: fuzz/fuzz_targets/container_state.rs).
//!
//! | runtime | cgroupfs driver | systemd driver |
//! |---|---|---|
//! | podman, buildah | `…/libpod-<id>` | `…/libpod-<id>.scope` (rootless: under `user@UID.service`) |
//! | Docker | `/docker/<id>` | `…/docker-<id>.scope` |
//! | containerd (CRI) | `/kubepods/…/pod<uid>/<id>` | `…/cri-containerd-<id>.scope` |
//! | CRI-O | `/kubepods/…/pod<uid>/<id>` | `…/crio-<id>.scope` |
//! | systemd-nspawn, machined | | `machine.slice/machine-<escaped name>.scope` |
//! | LXC | `lxc.payload.<name>` (LXC 4+), `lxc/<name>` (older) | |
//!
//! The runtimes' helper cgroups (`libpod-conmon-<id>`, `crio-conmon-<id>`,
//! `lxc.monitor.<name>`) are not the container. A path may nest several
//! (Docker inside LXC): the innermost, i.e. last, component that names a
//! container wins. The unified (`0::`) line is looked at first, then the
//! v1 lines in order (hybrid and v1-only hosts), so every layout is covered.

/// What a cgroup path says about its container. `id` is the full
/// container id (64 hex digits); `name` the name the path carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the fields are described above, once for all
pub enum Found {
    /// `libpod-<id>`; `uid` is the user of a rootless container
    /// (`user@UID.service` above it).
    Podman { id: String, uid: Option<u32> },
    /// `docker-<id>.scope` or `/docker/<id>`.
    Docker { id: String },
    /// `cri-containerd-<id>.scope`.
    Containerd { id: String },
    /// `crio-<id>.scope`.
    Crio { id: String },
    /// `kubepods…/pod<uid>/<id>`: containerd or CRI-O, told by their state.
    Kubepods { id: String },
    /// `machine-<name>.scope`, the name unescaped.
    Nspawn { name: String },
    /// `lxc.payload.<name>` or `lxc/<name>`.
    Lxc { name: String },
}

/// A container id as the OCI runtimes make them: 64 lowercase hex digits.
/// (Checked before an id is ever used in a path.)
pub fn is_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The cgroup paths of `/proc/PID/cgroup` text, the unified one first.
pub fn paths(text: &[u8]) -> Vec<&[u8]> {
    let mut unified = Vec::new();
    let mut v1 = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        // hierarchy-ID:controller-list:path (the path may contain ':').
        let mut parts = line.splitn(3, |&b| b == b':');
        let (Some(hier), Some(_), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if hier == b"0" {
            unified.push(path);
        } else {
            v1.push(path);
        }
    }
    unified.extend(v1);
    unified
}

/// The container named by the first path of `/proc/PID/cgroup` text that
/// names one, and the user that path is delegated to (see
/// [`delegated_to`]).
///
/// # Examples
///
/// ```
/// use nsipc::container::cgroup::{find, Found};
/// let id = "0123456789abcdef".repeat(4);
/// // Rootless podman: below the user's delegated subtree.
/// let text = format!(
///     "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{id}.scope/container\n"
/// );
/// assert_eq!(find(text.as_bytes()), Some((Found::Podman { id: id.clone(), uid: Some(1000) }, Some(1000))));
/// // Docker on a cgroup v1 host.
/// let text = format!("12:pids:/docker/{id}\n1:name=systemd:/docker/{id}\n");
/// assert_eq!(find(text.as_bytes()), Some((Found::Docker { id }, None)));
/// assert_eq!(find(b"0::/init.scope\n"), None);
/// ```
pub fn find(text: &[u8]) -> Option<(Found, Option<u32>)> {
    paths(text)
        .into_iter()
        .find_map(|p| match_path(p).map(|f| (f, delegated_to(p))))
}

/// The uid of the first `user@UID.service` component of a cgroup path:
/// systemd delegates that subtree to the user, who can create cgroups of
/// any name there, so a name found below it says nothing about the
/// system's runtimes (a user can name a cgroup `docker-<id of root's
/// container>.scope`).
pub fn delegated_to(path: &[u8]) -> Option<u32> {
    path.split(|&b| b == b'/').find_map(|part| {
        std::str::from_utf8(part)
            .ok()?
            .strip_prefix("user@")?
            .strip_suffix(".service")?
            .parse()
            .ok()
    })
}

/// The container a cgroup path names, if any.
pub fn match_path(path: &[u8]) -> Option<Found> {
    let path = std::str::from_utf8(path).ok()?;
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut found = None;
    let mut uid = None;
    for (i, part) in parts.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| parts[j]);
        if let Some(u) = part
            .strip_prefix("user@")
            .and_then(|r| r.strip_suffix(".service"))
            .and_then(|u| u.parse::<u32>().ok())
        {
            uid = Some(u);
        }
        if let Some(f) = match_component(part, prev, &parts[..i], uid) {
            found = Some(f);
        }
    }
    found
}

fn match_component(
    part: &str,
    prev: Option<&str>,
    above: &[&str],
    uid: Option<u32>,
) -> Option<Found> {
    let scope = |prefix: &str| {
        part.strip_prefix(prefix)
            .map(|r| r.strip_suffix(".scope").unwrap_or(r))
            .filter(|id| is_id(id))
            .map(str::to_string)
    };
    if let Some(id) = scope("libpod-") {
        return Some(Found::Podman { id, uid });
    }
    if let Some(id) = part
        .strip_prefix("docker-")
        .and_then(|r| r.strip_suffix(".scope"))
        .filter(|id| is_id(id))
    {
        return Some(Found::Docker { id: id.to_string() });
    }
    if let Some(id) = scope("cri-containerd-") {
        return Some(Found::Containerd { id });
    }
    if let Some(id) = scope("crio-") {
        return Some(Found::Crio { id });
    }
    if is_id(part) {
        if prev == Some("docker") {
            return Some(Found::Docker {
                id: part.to_string(),
            });
        }
        let in_pod = prev.is_some_and(|p| p.starts_with("pod"));
        if in_pod && above.iter().any(|a| a.starts_with("kubepods")) {
            return Some(Found::Kubepods {
                id: part.to_string(),
            });
        }
    }
    if let Some(name) = part
        .strip_prefix("machine-")
        .and_then(|r| r.strip_suffix(".scope"))
        .and_then(unescape_unit)
    {
        return Some(Found::Nspawn { name });
    }
    if let Some(name) = part.strip_prefix("lxc.payload.").filter(|n| !n.is_empty()) {
        return Some(Found::Lxc {
            name: name.to_string(),
        });
    }
    if prev == Some("lxc") && !part.is_empty() {
        return Some(Found::Lxc {
            name: part.to_string(),
        });
    }
    None
}

/// systemd's unit-name unescaping (`unit_name_unescape` of a name made by
/// `unit_name_escape`): `-` stands for `/`, `\xHH` for the byte HH.
/// `None` for a malformed escape or a result that is not UTF-8.
pub fn unescape_unit(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' => out.push(b'/'),
            b'\\' => {
                if b.get(i + 1) != Some(&b'x') {
                    return None;
                }
                let hex = std::str::from_utf8(b.get(i + 2..i + 4)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            c => out.push(c),
        }
        i += 1;
    }
    if out.is_empty() {
        return None;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "f4dc45154e518452563f2421b71b2403df3ee1066ad9a9446981798d3bc94942";

    fn m(path: &str) -> Option<Found> {
        match_path(path.as_bytes())
    }

    #[test]
    fn runtimes() {
        let id = ID.to_string();
        let podman = Some(Found::Podman {
            id: id.clone(),
            uid: None,
        });
        assert_eq!(m(&format!("/libpod_parent/libpod-{ID}")), podman);
        assert_eq!(m(&format!("/machine.slice/libpod-{ID}.scope")), podman);
        assert_eq!(
            m(&format!("/machine.slice/libpod-{ID}.scope/container")),
            podman
        );
        assert_eq!(
            m(&format!(
                "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope"
            )),
            Some(Found::Podman {
                id: id.clone(),
                uid: Some(1000)
            })
        );
        assert_eq!(m(&format!("/machine.slice/libpod-conmon-{ID}.scope")), None);
        assert_eq!(
            m(&format!("/docker/{ID}")),
            Some(Found::Docker { id: id.clone() })
        );
        assert_eq!(
            m(&format!("/system.slice/docker-{ID}.scope")),
            Some(Found::Docker { id: id.clone() })
        );
        assert_eq!(
            m(&format!("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1_2.slice/cri-containerd-{ID}.scope")),
            Some(Found::Containerd { id: id.clone() })
        );
        assert_eq!(
            m(&format!(
                "/kubepods.slice/kubepods-pod1.slice/crio-{ID}.scope"
            )),
            Some(Found::Crio { id: id.clone() })
        );
        assert_eq!(
            m(&format!(
                "/kubepods.slice/kubepods-pod1.slice/crio-conmon-{ID}.scope"
            )),
            None
        );
        assert_eq!(
            m(&format!("/kubepods/besteffort/pod0f1e-22/{ID}")),
            Some(Found::Kubepods { id: id.clone() })
        );
        assert_eq!(m(&format!("/other/pod0f1e-22/{ID}")), None);
        assert_eq!(
            m("/machine.slice/machine-my\\x2dvm.scope"),
            Some(Found::Nspawn {
                name: "my-vm".into()
            })
        );
        assert_eq!(
            m("/lxc.payload.web/init.scope"),
            Some(Found::Lxc { name: "web".into() })
        );
        assert_eq!(m("/lxc.monitor.web"), None);
        assert_eq!(m("/lxc/web"), Some(Found::Lxc { name: "web".into() }));
        assert_eq!(
            m(&format!("/lxc.payload.outer/docker/{ID}")),
            Some(Found::Docker { id })
        );
        assert_eq!(m("/user.slice/user-1000.slice/session-2.scope"), None);
        assert_eq!(m(&format!("/libpod-{}", &ID[1..])), None);
        assert_eq!(m(&format!("/libpod-{}", ID.to_uppercase())), None);
    }

    #[test]
    fn cgroup_files() {
        let hybrid = format!("9:name=systemd:/\n4:memory:/libpod_parent/libpod-{ID}\n0::/\n");
        assert!(matches!(
            find(hybrid.as_bytes()),
            Some((Found::Podman { .. }, None))
        ));
        let v2 = format!("0::/system.slice/docker-{ID}.scope\n");
        assert!(matches!(
            find(v2.as_bytes()),
            Some((Found::Docker { .. }, None))
        ));
        let user =
            format!("0::/user.slice/user-7.slice/user@7.service/app.slice/docker-{ID}.scope\n");
        assert!(matches!(
            find(user.as_bytes()),
            Some((Found::Docker { .. }, Some(7)))
        ));
        assert_eq!(find(b"0::/init.scope\n"), None);
        assert_eq!(find(b""), None);
        assert_eq!(find(b"garbage\n:::\n\xff\xfe"), None);
        assert_eq!(paths(b"1:a:/x:y\n0::/z"), [&b"/z"[..], &b"/x:y"[..]]);
    }

    #[test]
    fn unit_escapes() {
        assert_eq!(unescape_unit("a\\x2db-c").as_deref(), Some("a-b/c"));
        assert_eq!(unescape_unit("\\x"), None);
        assert_eq!(unescape_unit("\\x4"), None);
        assert_eq!(unescape_unit("\\xzz"), None);
        assert_eq!(unescape_unit("\\xff"), None);
        assert_eq!(unescape_unit(""), None);
    }
}
