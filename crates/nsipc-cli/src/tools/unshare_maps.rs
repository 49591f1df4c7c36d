//! The values of unshare's `--map-users` and `--map-groups`: what the
//! command line accepts, parsed into the library's [`IdRange`].

use nsipc::ns::idmap::{parse_decimal_u32, IdRange};

/// What `--map-users` / `--map-groups` accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapSpec {
    /// An explicit range.
    Range(IdRange),
    /// `auto`: the caller's first subordinate-id block, mapped from inner
    /// id 0.
    Auto,
    /// `subids`: the caller's first subordinate-id block, mapped to itself.
    SubIds,
    /// `all`: every id of the current user namespace, mapped to itself.
    All,
}

/// Parses `inner:outer:count`, the deprecated comma form `outer,inner,count`
/// (note the swapped order, kept from util-linux before 2.39), or one of
/// the words `auto`, `subids`, `all`.
///
/// Stricter than util-linux's `sscanf("%u")`: only decimal digits, no
/// sign or white space, values that fit 32 bits, a non-zero count and no
/// wrap-around, so a map the kernel would reject is refused before anything
/// is created. Returns `None` for anything else.
pub fn parse_map_spec(s: &str) -> Option<MapSpec> {
    match s {
        "auto" => return Some(MapSpec::Auto),
        "subids" => return Some(MapSpec::SubIds),
        "all" => return Some(MapSpec::All),
        _ => {}
    }
    let range = if let Some([inner, outer, count]) = split3(s, ':') {
        IdRange {
            inner,
            outer,
            count,
        }
    } else if let Some([outer, inner, count]) = split3(s, ',') {
        IdRange {
            inner,
            outer,
            count,
        }
    } else {
        return None;
    };
    range.is_valid().then_some(MapSpec::Range(range))
}

/// Three decimal u32 fields separated by `sep`.
fn split3(s: &str, sep: char) -> Option<[u32; 3]> {
    let mut fields = s.split(sep);
    let mut out = [0u32; 3];
    for slot in &mut out {
        *slot = parse_decimal_u32(fields.next()?)?;
    }
    fields.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(inner: u32, outer: u32, count: u32) -> IdRange {
        IdRange {
            inner,
            outer,
            count,
        }
    }

    #[test]
    fn specs() {
        assert_eq!(
            parse_map_spec("1:100000:10"),
            Some(MapSpec::Range(r(1, 100000, 10)))
        );
        // The comma form keeps the old outer,inner order.
        assert_eq!(
            parse_map_spec("100000,1,10"),
            Some(MapSpec::Range(r(1, 100000, 10)))
        );
        assert_eq!(parse_map_spec("auto"), Some(MapSpec::Auto));
        assert_eq!(parse_map_spec("subids"), Some(MapSpec::SubIds));
        assert_eq!(parse_map_spec("all"), Some(MapSpec::All));
        for bad in [
            "",
            "1:2",
            "1:2:3:4",
            "1,2:3",
            "-1:0:1",
            "+1:0:1",
            " 1:0:1",
            "1:0:0",
            "4294967296:0:1",
            "4294967295:0:1",
            "0:4294967290:10",
            "a:b:c",
            "Auto",
            "1:2:3\n",
        ] {
            assert_eq!(parse_map_spec(bad), None, "{bad:?}");
        }
        assert_eq!(
            parse_map_spec("0:0:4294967295"),
            Some(MapSpec::Range(r(0, 0, u32::MAX)))
        );
    }
}
