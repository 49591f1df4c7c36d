//! The container resolver's parsers: `/proc/PID/cgroup` text and cgroup
//! paths, systemd unit-name escapes, containers/storage `containers.json`,
//! Docker `config.v2.json`, OCI `config.json` annotations, `/etc/passwd`
//! and `/proc/PID/stat`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsipc::container::{cgroup, find, state, Resolver};

fuzz_target!(|data: &[u8]| {
    let paths = cgroup::paths(data);
    assert!(paths.len() <= data.split(|&b| b == b'\n').count());
    if let Some((found, _user)) = cgroup::find(data) {
        // Ids used in paths are always 64 hex digits.
        let id = match &found {
            cgroup::Found::Podman { id, .. }
            | cgroup::Found::Docker { id }
            | cgroup::Found::Containerd { id }
            | cgroup::Found::Crio { id }
            | cgroup::Found::Kubepods { id } => Some(id),
            _ => None,
        };
        assert!(id.is_none_or(|id| cgroup::is_id(id)));
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = cgroup::unescape_unit(s);
    }
    let _ = state::storage_names(data);
    let _ = state::docker_name(data);
    let _ = state::oci_kube(data);
    let _ = state::passwd_home(data, 0);
    let _ = find::parse_stat(data);
    // The resolver on cgroup text: reads only fixed state paths.
    let _ = Resolver::new().of_cgroup_text(data);
});
