//! One module per tool. Each declares its option table (`SPEC`) and a `main`
//! taking the program name and the arguments after `argv[0]`.

pub mod ipcmk;
pub mod ipcrm;
pub mod ipcs;
pub mod lsipc;
pub mod lsns;
pub mod nsenter;
pub mod unshare;

use std::ffi::OsString;

use crate::getopt::OptDoc;
use crate::report::Prog;

/// A tool of the multi-call binary.
pub struct Tool {
    pub name: &'static str,
    pub main: fn(&Prog, Vec<OsString>) -> i32,
    /// The option table, type-erased for man pages and completions.
    pub doc: fn() -> OptDoc,
}

/// Every tool, in the order `nsipc --help` lists them.
pub static TOOLS: &[Tool] = &[
    Tool {
        name: "unshare",
        main: unshare::main,
        doc: || unshare::SPEC.doc(),
    },
    Tool {
        name: "nsenter",
        main: nsenter::main,
        doc: || nsenter::SPEC.doc(),
    },
    Tool {
        name: "lsns",
        main: lsns::main,
        doc: || lsns::SPEC.doc(),
    },
    Tool {
        name: "ipcs",
        main: ipcs::main,
        doc: || ipcs::SPEC.doc(),
    },
    Tool {
        name: "ipcmk",
        main: ipcmk::main,
        doc: || ipcmk::SPEC.doc(),
    },
    Tool {
        name: "ipcrm",
        main: ipcrm::main,
        doc: || ipcrm::SPEC.doc(),
    },
    Tool {
        name: "lsipc",
        main: lsipc::main,
        doc: || lsipc::SPEC.doc(),
    },
];

/// Looks a tool up by the name it was called by.
pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.name == name)
}
