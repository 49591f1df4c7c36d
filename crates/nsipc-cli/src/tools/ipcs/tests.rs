use super::*;

#[test]
fn human_sizes_match_util_linux() {
    assert_eq!(human_size(0), "0B");
    assert_eq!(human_size(200), "200B");
    assert_eq!(human_size(1023), "1023B");
    assert_eq!(human_size(1024), "1K");
    assert_eq!(human_size(5000), "4.9K");
    assert_eq!(human_size(5200), "5.1K");
    assert_eq!(human_size(16384), "16K");
    assert_eq!(human_size(1536), "1.5K");
    assert_eq!(human_size(1024 * 1024 - 1), "1024K"); // as util-linux rounds
    assert_eq!(human_size(u64::MAX), "16E");
    assert_eq!(human_size(18446744073692774399), "16E");
}

#[test]
fn printf_helpers() {
    let mut v = Vec::new();
    put_left(&mut v, b"averyverylongusername", 10, 10);
    assert_eq!(v, b"averyveryl");
    v.clear();
    put_left(&mut v, b"root", 10, 10);
    assert_eq!(v, b"root      ");
    assert_eq!(alt_octal(0), "0");
    assert_eq!(alt_octal(0o2644), "02644");
    assert_eq!(total_or_clamp(u64::MAX - (1 << 24), 4), u64::MAX - 3);
    assert_eq!(total_or_clamp(10, 4096), 40960);
}
