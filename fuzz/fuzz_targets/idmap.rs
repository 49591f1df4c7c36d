//! unshare's inputs: `--map-users`/`--map-groups` specs, /etc/subuid and
//! /etc/subgid, /proc/PID/{uid,gid}_map, timens_offsets, `--setgroups`,
//! `--kill-child` signal names; and the range merging that turns them into
//! a map. A parsed range is valid, survives format_map -> parse_kernel_map,
//! and merging never panics nor yields an empty range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsipc::ns::idmap::{self, PendingRange, Setgroups, SingleMap};
use nsipc::ns::time;
use nsipc_cli::tools::unshare::parse_signal_name;
use nsipc_cli::tools::unshare_maps::{parse_map_spec, MapSpec};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(MapSpec::Range(r)) = parse_map_spec(s) {
        assert!(r.is_valid());
        let text = idmap::format_map(&[r]).expect("one line fits");
        let back = idmap::parse_kernel_map(&text);
        assert_eq!(back.len(), 1);
        assert_eq!((back[0].inner, back[0].count), (r.inner, r.count));
    }
    let _ = idmap::parse_decimal_u32(s);
    let _ = idmap::find_subid_range(s, "alice", 1001);
    for line in s.lines().take(64) {
        let _ = idmap::parse_subid_line(line);
    }
    let _ = Setgroups::parse(s);
    let _ = time::parse_offsets(s);
    let _ = parse_signal_name(s);

    // The kernel map text, read as pending ranges, merged with a single
    // mapping taken from the first range.
    let kernel = idmap::parse_kernel_map(s);
    let pending: Vec<PendingRange> = kernel
        .iter()
        .take(16)
        .enumerate()
        .map(|(i, r)| PendingRange {
            inner: (i % 3 != 0).then_some(r.inner),
            outer: r.inner.wrapping_mul(7),
            count: r.count,
        })
        .collect();
    let single = kernel.first().map(|r| SingleMap {
        inner: r.count,
        outer: r.inner,
    });
    let merged = idmap::merge_single(&pending, single);
    assert!(merged.len() <= pending.len() * 3 + 1);
    let _ = idmap::format_map(&merged);
});
