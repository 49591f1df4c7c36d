//! One module per tool. Each declares its option table (`SPEC`) and a `main`
//! taking the program name and the arguments after `argv[0]`.

// getrandom(2) for keys (rustix's `rand` feature is not enabled).
#[allow(unsafe_code)]
pub mod ipcmk;
mod ipcmk_opts;
pub mod ipcrm;
mod ipcrm_opts;
// localtime_r for the time columns.
#[allow(unsafe_code)]
pub mod ipcs;
mod ipcs_opts;
// time and localtime_r for the time columns.
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
}
