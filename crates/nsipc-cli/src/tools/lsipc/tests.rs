use super::columns::{COLUMNS, MAX_COLUMNS};
use super::render::{percent, shm_status};
use super::*;

#[test]
fn columns_table_is_in_enum_order() {
    for (i, c) in COLUMNS.iter().enumerate() {
        assert_eq!(c.col as usize, i, "{}", c.name);
    }
    // The holder and container columns are nsipc's own: util-linux's
    // limit stays.
    assert_eq!(
        (COLUMNS.len() - select::HOLDER_COLUMNS.len() - containers::COLUMNS.len()) * 2,
        MAX_COLUMNS
    );
}

#[test]
fn cells() {
    assert_eq!(percent(1, 32000), "0.00%");
    assert_eq!(percent(3, 4), "75.00%");
    assert_eq!(percent(0, 0), "-nan%");
    assert_eq!(percent(1, 0), "inf%");
    let status = |mode| {
        let mut buf = b"x".to_vec();
        shm_status(&mut buf, mode);
        buf
    };
    assert_eq!(status(0), b"x");
    assert_eq!(status(0o2000 | 0o4000), b"xlocked,hugetlb");
    assert_eq!(status(0o1000 | 0o2000), b"xdest,locked");
    assert_eq!(status(0o17000), b"xdest,locked,hugetlb,noreserve");
}
