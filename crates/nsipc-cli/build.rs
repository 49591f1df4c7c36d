//! Link settings of the `nsipc` binary that make it start faster
//! (bench/startup measures them; nothing here changes behaviour).
//!
//! - The unwinder is linked in from GCC's static `libgcc_eh.a`, as
//!   `gcc -static-libgcc` does for C++ programs. The precompiled standard
//!   library refers to `_Unwind_*` (panics, backtraces) and would otherwise
//!   make `libgcc_s.so.1` a run-time dependency: one more object for the
//!   dynamic loader to open, map (9 system calls), relocate and
//!   version-check at every start. `--whole-archive` is needed because the standard
//!   library's `-lgcc_s` comes first on the command line; with the archive's
//!   objects defined, `--as-needed` (rustc's default) drops `libgcc_s`.
//! - Relative relocations are packed (`DT_RELR`, glibc 2.36 or later): the
//!   loader reads a 600-byte bitmap instead of 35 kB of `.rela.dyn`.
//!
//! Each applies only where it is known to work: a native Linux glibc build
//! whose C compiler has `libgcc_eh.a`, resp. whose glibc is 2.36 or later.
//! Otherwise the binary links as before. glibc itself stays dynamic (NSS).

use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = env::var("TARGET").unwrap_or_default();
    let host = env::var("HOST").unwrap_or_default();
    let cfg = |name: &str| env::var(name).unwrap_or_default();
    if cfg("CARGO_CFG_TARGET_OS") != "linux"
        || cfg("CARGO_CFG_TARGET_ENV") != "gnu"
        || target != host
    {
        return;
    }
    let cc = env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".into());
    if let Some(archive) = gcc_file(&cc, "libgcc_eh.a") {
        println!("cargo:rustc-link-arg-bins=-Wl,--whole-archive,{archive},--no-whole-archive");
    }
    if glibc_at_least(2, 36) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// The absolute path of a file of the C compiler's run-time (`cc
/// -print-file-name`), if the compiler has it.
fn gcc_file(cc: &str, name: &str) -> Option<String> {
    let out = Command::new(cc)
        .arg(format!("-print-file-name={name}"))
        .output()
        .ok()?;
    let path = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    // Without the file, the compiler echoes the bare name back.
    (out.status.success() && Path::new(&path).is_absolute() && Path::new(&path).is_file())
        .then_some(path)
}

/// Whether the glibc of this (native) build is at least MAJOR.MINOR, from
/// `getconf GNU_LIBC_VERSION` ("glibc 2.36").
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(version) = text.trim().strip_prefix("glibc ") else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let have = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    have >= (major, minor)
}
