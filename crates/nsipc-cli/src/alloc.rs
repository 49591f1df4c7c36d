//! Memory allocation that fails like util-linux's `xmalloc`.
//!
//! Rust's default reaction to a failed allocation is to print "memory
//! allocation of N bytes failed" and abort (SIGABRT, exit status 134,
//! perhaps a core dump). util-linux's tools allocate through `xmalloc` and
//! friends, which report `tool: cannot allocate N bytes: Cannot allocate
//! memory` with `err()` and exit 1. The hook that would let us change the
//! reaction (`std::alloc::set_alloc_error_hook`) is unstable, so this
//! global allocator wraps the system one and does it itself: the message is
//! built on the stack (nothing may be allocated now) and written with one
//! `write(2)`, then the process ends with `_exit(1)`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// The system allocator; failures end the process as `xmalloc` does.
/// Installed by `main.rs` (not here, so that the fuzz crate, which links
/// this library, keeps libFuzzer's view of allocation failures).
pub struct Checked;

/// The tool name for the message, set by [`set_name`] (a leaked copy).
static NAME: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static NAME_LEN: AtomicUsize = AtomicUsize::new(0);

/// Records the name util-linux would print (`ipcs`).
pub fn set_name(name: &str) {
    let copy: &'static mut str = Box::leak(name.to_string().into_boxed_str());
    NAME_LEN.store(0, Ordering::SeqCst);
    NAME.store(copy.as_mut_ptr(), Ordering::SeqCst);
    NAME_LEN.store(copy.len(), Ordering::SeqCst);
}

// SAFETY: every method hands over to `System` unchanged; only a null
// result is acted upon, and that never returns.
unsafe impl GlobalAlloc for Checked {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }
}

/// `tool: cannot allocate N bytes: Cannot allocate memory`, exit 1.
fn out_of_memory(size: usize) -> ! {
    let mut buf = [0u8; 160];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        let n = bytes.len().min(buf.len() - len);
        buf[len..len + n].copy_from_slice(&bytes[..n]);
        len += n;
    };
    let name_len = NAME_LEN.load(Ordering::SeqCst);
    let name = NAME.load(Ordering::SeqCst);
    if name.is_null() {
        put(b"nsipc");
    } else {
        // SAFETY: `name` points to a leaked string of `name_len` bytes
        // (the length is stored after the pointer, and zeroed before a
        // new pointer is stored).
        put(unsafe { std::slice::from_raw_parts(name, name_len) });
    }
    put(b": cannot allocate ");
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = size;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    put(&digits[at..]);
    put(b" bytes: Cannot allocate memory\n");
    crate::report::write_stderr(&buf[..len]);
    // SAFETY: _exit ends the process at once, running no code that could
    // allocate again.
    unsafe { libc::_exit(crate::report::EXIT_FAILURE) }
}
