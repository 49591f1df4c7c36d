use super::printf::put_left;
use super::render::total_or_clamp;

#[test]
fn printf_helpers() {
    let mut v = Vec::new();
    put_left(&mut v, b"averyverylongusername", 10, 10);
    assert_eq!(v, b"averyveryl");
    v.clear();
    put_left(&mut v, b"root", 10, 10);
    assert_eq!(v, b"root      ");
    assert_eq!(total_or_clamp(u64::MAX - (1 << 24), 4), u64::MAX - 3);
    assert_eq!(total_or_clamp(10, 4096), 40960);
}
