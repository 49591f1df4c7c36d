//! One module per tool. Each declares its option table (`SPEC`) and a `main`
//! taking the program name and the arguments after `argv[0]`.

// getrandom(2) for keys (rustix's `rand` feature is not enabled).
#[allow(unsafe_code)]
pub mod ipcmk;
mod ipcmk_opts;
pub mod ipcrm;
mod ipcrm_opts;
pub mod ipcs;
mod ipcs_opts;
// time(2) for the short time format.
#[allow(unsafe_code)]
pub mod lsipc;
mod lsipc_opts;
pub mod lsns;
mod lsns_opts;
// setuid and setgid after entering the namespaces.
#[allow(unsafe_code)]
pub mod nsenter;
mod nsenter_opts;
// setgroups, setuid, setgid, prctl(PR_SET_PDEATHSIG), _exit in the forked
// helpers (unshare_persist.rs too, a submodule).
#[allow(unsafe_code)]
pub mod unshare;
pub mod unshare_maps;
mod unshare_opts;

use std::ffi::OsString;

use crate::getopt::OptDoc;
use crate::report::Prog;

/// A tool of the multi-call binary.
pub struct Tool {
    pub name: &'static str,
    pub main: fn(&Prog, Vec<OsString>) -> i32,
    /// The option table, type-erased for man pages and completions.
    pub doc: fn() -> OptDoc,
    /// The output columns (name, description) of `-o`, read from the
    /// tool's own column table; empty for tools without columns.
    pub columns: fn() -> Vec<(&'static str, &'static str)>,
}

/// The tools' names, in [`TOOLS`] order, and `nsipc` last: what
/// `nsipc --man` takes (and `nsipc <tool>` completes from the first seven).
pub const PROGRAM_NAMES: &[&str] = &[
    "unshare", "nsenter", "lsns", "ipcs", "ipcmk", "ipcrm", "lsipc", "nsipc",
];

/// Every tool, in the order `nsipc --help` lists them.
pub static TOOLS: &[Tool] = &[
    Tool {
        name: "unshare",
        main: unshare::main,
        doc: || unshare::SPEC.doc(),
        columns: Vec::new,
    },
    Tool {
        name: "nsenter",
        main: nsenter::main,
        doc: || nsenter::SPEC.doc(),
        columns: Vec::new,
    },
    Tool {
        name: "lsns",
        main: lsns::main,
        doc: || lsns::SPEC.doc(),
        columns: lsns::column_list,
    },
    Tool {
        name: "ipcs",
        main: ipcs::main,
        doc: || ipcs::SPEC.doc(),
        columns: Vec::new,
    },
    Tool {
        name: "ipcmk",
        main: ipcmk::main,
        doc: || ipcmk::SPEC.doc(),
        columns: Vec::new,
    },
    Tool {
        name: "ipcrm",
        main: ipcrm::main,
        doc: || ipcrm::SPEC.doc(),
        columns: Vec::new,
    },
    Tool {
        name: "lsipc",
        main: lsipc::main,
        doc: || lsipc::SPEC.doc(),
        columns: lsipc::column_list,
    },
];

/// Looks a tool up by the name it was called by.
pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn program_names_follow_the_tool_list() {
        let names: Vec<&str> = super::TOOLS.iter().map(|t| t.name).collect();
        assert_eq!(names, super::PROGRAM_NAMES[..super::TOOLS.len()]);
        assert_eq!(super::PROGRAM_NAMES.last(), Some(&"nsipc"));
    }

    /// The tool a file under src/tools belongs to: `lsipc/render.rs`,
    /// `lsipc_opts.rs` and `lsipc.rs` all belong to lsipc.
    fn owner(rel: &std::path::Path) -> String {
        let first = rel.components().next().unwrap().as_os_str();
        let first = first.to_str().unwrap().trim_end_matches(".rs");
        first.split('_').next().unwrap().to_string()
    }

    /// The module names a source text reaches through `super::` or
    /// `tools::` paths (`super::super::lsipc::x` names `lsipc`).
    fn reached(text: &str) -> Vec<String> {
        let mut names = Vec::new();
        for start in ["super::", "tools::"] {
            for (at, _) in text.match_indices(start) {
                let mut rest = &text[at + start.len()..];
                while let Some(r) = rest.strip_prefix("super::") {
                    rest = r;
                }
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                names.push(name.split('_').next().unwrap_or("").to_string());
            }
        }
        names
    }

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// No tool reaches into another tool's modules: what two tools share
    /// lives in a shared module (such as `output::format`). Only this
    /// file, the dispatch, names every tool.
    #[test]
    fn no_tool_imports_another_tools_module() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tools");
        let tools: Vec<&str> = super::TOOLS.iter().map(|t| t.name).collect();
        let mut all = Vec::new();
        files(&root, &mut all);
        assert!(all.len() > tools.len(), "{all:?}");
        let mut bad = Vec::new();
        for path in all {
            let rel = path.strip_prefix(&root).unwrap();
            if rel == std::path::Path::new("mod.rs") {
                continue;
            }
            let own = owner(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            for name in reached(&text) {
                if name != own && tools.contains(&name.as_str()) {
                    bad.push(format!("{}: {name}", rel.display()));
                }
            }
        }
        assert!(bad.is_empty(), "tools reaching into other tools: {bad:?}");
        assert_eq!(owner(std::path::Path::new("lsipc/render.rs")), "lsipc");
        assert_eq!(owner(std::path::Path::new("unshare_maps.rs")), "unshare");
        let deep = reached("use super::super::lsipc::iso_time;");
        assert!(
            !deep.is_empty() && deep.iter().all(|n| n == "lsipc"),
            "{deep:?}"
        );
        assert_eq!(reached("crate::tools::ipcs_opts::SPEC"), ["ipcs"]);
    }
}
