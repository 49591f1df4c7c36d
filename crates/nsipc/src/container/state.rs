//! Parsers of the runtimes' state files: pure functions of the bytes
//! (fuzzed: fuzz/fuzz_targets/container_state.rs). Anything malformed or
//! of another shape gives nothing; serde_json bounds nesting depth, so a
//! hostile file cannot exhaust the stack.
//!
//! Formats, from the runtimes' sources:
//! - containers/storage `overlay-containers/containers.json` (podman,
//!   buildah, CRI-O): a JSON array of `Container` records
//!   (containers/storage `containers.go`: `"id"`, `"names"`, `"image"`,
//!   `"layer"`, `"metadata"`, `"created"`…); the first of `names` is the
//!   name `podman ps` shows.
//! - Docker `containers/<id>/config.v2.json` (moby `container/container.go`,
//!   `Container` written by `toDisk`): `"ID"`, `"Name"` with a leading `/`.
//! - OCI runtime bundle `config.json` (runtime-spec `config.md`): an
//!   `"annotations"` object of strings. containerd's CRI plugin writes
//!   `io.kubernetes.cri.container-name`, `io.kubernetes.cri.sandbox-name`,
//!   `io.kubernetes.cri.sandbox-namespace` and
//!   `io.kubernetes.cri.container-type` (`sandbox` or `container`)
//!   (containerd `pkg/cri/annotations` — `internal/cri/annotations` in
//!   newer trees); CRI-O writes `io.kubernetes.container.name`,
//!   `io.kubernetes.pod.name`, `io.kubernetes.pod.namespace` (cri-o
//!   `pkg/annotations`, from kubelet's `pkg/kubelet/types/labels.go`), its
//!   infra (sandbox) container being named `POD`.

use std::collections::HashMap;

use serde_json::Value;

/// containers.json: id → first name.
pub fn storage_names(data: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(Value::Array(list)) = serde_json::from_slice::<Value>(data) else {
        return out;
    };
    for entry in &list {
        let id = entry.get("id").and_then(Value::as_str);
        let name = entry
            .get("names")
            .and_then(Value::as_array)
            .and_then(|n| n.first())
            .and_then(Value::as_str);
        if let (Some(id), Some(name)) = (id, name) {
            out.insert(id.to_string(), name.to_string());
        }
    }
    out
}

/// Docker config.v2.json: the container's name without its leading `/`.
pub fn docker_name(data: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(data).ok()?;
    let name = v.get("Name")?.as_str()?;
    let name = name.strip_prefix('/').unwrap_or(name);
    (!name.is_empty()).then(|| name.to_string())
}

/// What the Kubernetes annotations of an OCI config.json say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kube {
    /// The container's name in its pod (none for a sandbox).
    pub name: Option<String>,
    /// `namespace/name` of the pod.
    pub pod: Option<String>,
    /// The pod's sandbox (pause / infra) container.
    pub sandbox: bool,
}

/// OCI config.json → the CRI annotations of containerd or CRI-O.
pub fn oci_kube(data: &[u8]) -> Option<Kube> {
    let v: Value = serde_json::from_slice(data).ok()?;
    let ann = v.get("annotations")?.as_object()?;
    let get = |k: &str| ann.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let (name, pod_name, pod_ns, sandbox) = if get("io.kubernetes.cri.container-type").is_some()
        || get("io.kubernetes.cri.sandbox-name").is_some()
    {
        (
            get("io.kubernetes.cri.container-name"),
            get("io.kubernetes.cri.sandbox-name"),
            get("io.kubernetes.cri.sandbox-namespace"),
            get("io.kubernetes.cri.container-type") == Some("sandbox"),
        )
    } else {
        let name = get("io.kubernetes.container.name");
        (
            name,
            get("io.kubernetes.pod.name"),
            get("io.kubernetes.pod.namespace"),
            name == Some("POD"),
        )
    };
    let pod = match (pod_ns, pod_name) {
        (Some(ns), Some(n)) => Some(format!("{ns}/{n}")),
        (None, Some(n)) => Some(n.to_string()),
        _ => None,
    };
    Some(Kube {
        name: name.map(str::to_string),
        pod,
        sandbox,
    })
}

/// `/etc/passwd` text → the home directory of `uid`. (Read directly rather
/// than through NSS: no NSS module is loaded into a tool that may run as
/// root; a user only NSS knows has no rootless podman names then.)
/// Lines are taken one by one: another user's line that is not UTF-8 (a
/// name in Latin-1) does not hide this one.
pub fn passwd_home(data: &[u8], uid: u32) -> Option<String> {
    data.split(|&b| b == b'\n').find_map(|line| {
        let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
        let field = |i: usize| std::str::from_utf8(f[i]).ok();
        if f.len() < 7 || field(2)?.parse::<u32>().ok()? != uid {
            return None;
        }
        field(5).filter(|h| h.starts_with('/')).map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage() {
        let data = br#"[{"id":"a","names":["web","alias"],"image":"i"},{"id":"b","names":[]},{"id":3},{}]"#;
        let m = storage_names(data);
        assert_eq!(m.len(), 1);
        assert_eq!(m["a"], "web");
        assert!(storage_names(b"{").is_empty());
        assert!(storage_names(b"{}").is_empty());
        let deep = "[".repeat(100_000);
        assert!(storage_names(deep.as_bytes()).is_empty());
    }

    #[test]
    fn docker() {
        assert_eq!(
            docker_name(br#"{"ID":"x","Name":"/web"}"#).as_deref(),
            Some("web")
        );
        assert_eq!(docker_name(br#"{"Name":"/"}"#), None);
        assert_eq!(docker_name(br#"{"Name":1}"#), None);
        assert_eq!(docker_name(b"\xff"), None);
    }

    #[test]
    fn kube() {
        let containerd = br#"{"ociVersion":"1.0.2","annotations":{
            "io.kubernetes.cri.container-type":"container",
            "io.kubernetes.cri.container-name":"nginx",
            "io.kubernetes.cri.sandbox-name":"web-0",
            "io.kubernetes.cri.sandbox-namespace":"shop"}}"#;
        assert_eq!(
            oci_kube(containerd),
            Some(Kube {
                name: Some("nginx".into()),
                pod: Some("shop/web-0".into()),
                sandbox: false
            })
        );
        let sandbox = br#"{"annotations":{"io.kubernetes.cri.container-type":"sandbox",
            "io.kubernetes.cri.sandbox-name":"web-0","io.kubernetes.cri.sandbox-namespace":"shop"}}"#;
        assert_eq!(
            oci_kube(sandbox),
            Some(Kube {
                name: None,
                pod: Some("shop/web-0".into()),
                sandbox: true
            })
        );
        let crio = br#"{"annotations":{"io.kubernetes.container.name":"POD",
            "io.kubernetes.pod.name":"p","io.kubernetes.pod.namespace":"n"}}"#;
        assert_eq!(
            oci_kube(crio),
            Some(Kube {
                name: Some("POD".into()),
                pod: Some("n/p".into()),
                sandbox: true
            })
        );
        assert_eq!(oci_kube(br#"{"annotations":{}}"#), Some(Kube::default()));
        assert_eq!(oci_kube(br#"{"annotations":[1]}"#), None);
        assert_eq!(oci_kube(b"null"), None);
    }

    #[test]
    fn passwd() {
        let p = b"b\xffd:x:1500:1500::/:/bin/sh\nroot:x:0:0:root:/root:/bin/sh\nbad\nu:x:1000:1000::/home/u:/bin/sh\nv:x:1001:1::rel:/bin/sh\n";
        assert_eq!(passwd_home(p, 0).as_deref(), Some("/root"));
        assert_eq!(passwd_home(p, 1000).as_deref(), Some("/home/u"));
        assert_eq!(passwd_home(p, 1001), None);
        assert_eq!(passwd_home(p, 7), None);
    }
}
