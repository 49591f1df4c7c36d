//! `lsns`: not implemented yet.

use std::ffi::OsString;

use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::report::Prog;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Help,
    Version,
}

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "lsns",
    usage: &["lsns [options]"],
    about: "",
    ordering: Ordering::Permute,
    options: &[
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
    ],
    epilog: "",
};

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    super::not_implemented(prog, &SPEC, args)
}
