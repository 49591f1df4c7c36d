//! Mounts the `nsipc` binary's modules into this crate (see Cargo.toml):
//! reads the `mod NAME;` lines of crates/nsipc-cli/src/main.rs and writes a
//! `#[path]` declaration for each, so a module added to the binary is picked
//! up without editing the fuzz crate.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let src = Path::new(&manifest).join("../crates/nsipc-cli/src");
    let src = src.canonicalize().expect("crates/nsipc-cli/src");
    let main_rs = src.join("main.rs");
    println!("cargo:rerun-if-changed={}", main_rs.display());
    let text = std::fs::read_to_string(&main_rs).expect("read main.rs");
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("pub mod ").or(line.strip_prefix("mod ")) else {
            continue;
        };
        let Some(name) = rest.strip_suffix(';') else {
            continue;
        };
        let file = src.join(format!("{name}.rs"));
        let path = if file.exists() {
            file
        } else {
            src.join(name).join("mod.rs")
        };
        out.push_str(&format!(
            "#[path = {:?}]\npub mod {name};\n",
            path.display().to_string()
        ));
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("cli_modules.rs");
    std::fs::write(dest, out).expect("write cli_modules.rs");
}
