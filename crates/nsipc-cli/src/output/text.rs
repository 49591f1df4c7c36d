//! Cell text written straight into a cell buffer, without `core::fmt`
//! (`write!` costs a few hundred instructions per number; listings of tens
//! of thousands of objects write several numbers per line). Integers go
//! through `itoa`, text is copied, anything else falls back to `write!`.

use std::io::Write as _;

/// A value that appends its text to a cell buffer.
pub trait CellText {
    fn push_to(self, buf: &mut Vec<u8>);
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl CellText for $t {
            fn push_to(self, buf: &mut Vec<u8>) {
                buf.extend_from_slice(itoa::Buffer::new().format(self).as_bytes());
            }
        }
    )*};
}
integers!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

impl CellText for &str {
    fn push_to(self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(self.as_bytes());
    }
}

impl CellText for String {
    fn push_to(self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(self.as_bytes());
    }
}

impl CellText for &String {
    fn push_to(self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(self.as_bytes());
    }
}

impl CellText for std::fmt::Arguments<'_> {
    fn push_to(self, buf: &mut Vec<u8>) {
        // Writing into a Vec cannot fail.
        let _ = buf.write_fmt(self);
    }
}

/// A System V key as util-linux prints it, `0x%08x`.
pub struct Key0x(pub u32);

impl CellText for Key0x {
    fn push_to(self, buf: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        buf.extend_from_slice(b"0x");
        for shift in (0..8).rev() {
            buf.push(HEX[((self.0 >> (shift * 4)) & 15) as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CellText, Key0x};

    fn text(v: impl CellText) -> String {
        let mut buf = b"x".to_vec();
        v.push_to(&mut buf);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn same_text_as_display() {
        for n in [0i64, 7, -1, 42, i64::MIN, i64::MAX] {
            assert_eq!(text(n), format!("x{n}"));
        }
        assert_eq!(text(u64::MAX), format!("x{}", u64::MAX));
        assert_eq!(text(u32::MAX), format!("x{}", u32::MAX));
        assert_eq!(text("ab"), "xab");
        assert_eq!(text(String::from("cd")), "xcd");
        assert_eq!(text(format_args!("0x{:08x}", 255u32)), "x0x000000ff");
        for key in [0u32, 0xff, 0x1000_0000, u32::MAX, 0xdead_beef] {
            assert_eq!(text(Key0x(key)), format!("x0x{key:08x}"));
        }
    }
}
