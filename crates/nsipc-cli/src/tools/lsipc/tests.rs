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
    assert_eq!(shm_status(0), b"");
    assert_eq!(shm_status(0o2000 | 0o4000), b"locked,hugetlb");
    assert_eq!(shm_status(0o1000 | 0o2000), b"dest,locked");
}
