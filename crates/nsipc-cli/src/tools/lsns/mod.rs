//! `lsns`: list namespaces, as util-linux master does, through the shared
//! output engine.
//!
//! Discovery is `nsipc::ns::discover` (processes, their threads, open
//! namespace fds and sockets, nsfs bind mounts). This file turns options
//! into a [`Config`], then lays the namespaces out as util-linux does: rows
//! sorted by inode; by default a *process* tree (a namespace's line hangs
//! under the line last printed for its holder's parent process); `-T owner`
//! and `-T parent` trees with missing ancestors added; the `<namespace ID>`
//! mode with one line per member process.
//!
//! Deliberate differences from util-linux (see docs/lsns.md):
//! - `-l` with `-T` is refused (upstream's exclusion table is mis-sorted,
//!   so `-T` silently wins);
//! - JSON is a flat list unless `-T` is given: the implicit process tree is
//!   a picture for humans, not a structure (upstream nests `"children"`);
//! - a thread that unshared a namespace is listed (upstream reads only
//!   thread-group leaders and misses such namespaces);
//! - a process that exits during the scan is skipped (upstream's ESRCH
//!   sign error aborts the listing);
//! - `-Q` works in the `<namespace ID>` mode and knows `netnsid` in any case.

use std::ffi::OsString;

use nsipc::ns::discover::{self, ScanError, ScanOptions};

use crate::output::{self, Format, JsonType, Table};
use crate::report::{strerror, Failure, Prog, Stdout};
use columns::{col_info, find_col, Col};
use config::{mode, parse, Config, Parsed, Tree};
use lister::Lister;

pub use super::lsns_opts::{Id, SPEC};

mod columns;
mod config;
mod lister;

pub use columns::column_list;

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let cfg = match parse(prog, args) {
        Ok(Parsed::Run(cfg)) => cfg,
        Ok(Parsed::Exit(status)) => return status,
        Err(Failure(status)) => return status,
    };
    match run(prog, &cfg) {
        Ok(table) => {
            let mut out = Stdout::new();
            let mut fmt = Format::new(mode(&cfg));
            fmt.noheadings = cfg.no_headings;
            let _ = table.print(&mut out, &fmt);
            out.finish(prog, 0)
        }
        Err(Failure(status)) => status,
    }
}

fn wants(cfg: &Config, col: Col) -> bool {
    cfg.columns.contains(&col)
        || cfg
            .filter
            .as_ref()
            .is_some_and(|f| f.holders().iter().any(|h| find_col(h) == Some(col)))
}

fn run(prog: &Prog, cfg: &Config) -> Result<Table, Failure> {
    let opts = ScanOptions {
        kinds: cfg.kinds,
        open_fds: true,
        mounts: true,
        process_ancestors: matches!(cfg.tree, Tree::Owner | Tree::Parent),
        netnsid: wants(cfg, Col::NetNsId),
        relations: wants(cfg, Col::Pns) || wants(cfg, Col::Ons),
        // Lines show holders, or every member of one namespace.
        ppid: match (
            wants(cfg, Col::Ppid) || cfg.tree == Tree::Process,
            cfg.namespace,
        ) {
            (false, _) => discover::Ppids::None,
            (true, None) => discover::Ppids::Holders,
            (true, Some(_)) => discover::Ppids::All,
        },
        threads: true,
    };
    let snap = match discover::scan(&opts) {
        Ok(snap) => snap,
        Err(ScanError::UnsupportedIoctl(name)) => {
            prog.warnx(format_args!("Unsupported ioctl {name}"));
            return Err(Failure(2));
        }
        Err(ScanError::Proc { path, source }) => {
            return Err(prog.fail_errno(format_args!("cannot read {path}"), &source))
        }
    };
    let mut lister = Lister::new(cfg, &snap);
    match cfg.namespace {
        Some(ino) => {
            let Some(ns) = snap.namespace(ino) else {
                return Err(prog.fail(format_args!("not found namespace: {ino}")));
            };
            lister.show_members(ns)
        }
        None => lister.show_namespaces(),
    }
    .map_err(|e| {
        prog.fail(format_args!(
            "failed to apply filter: {}",
            strerror(&std::io::Error::from_raw_os_error(e.0))
        ))
    })?;
    Ok(match cfg.sort {
        Some((col, _)) => {
            let at = cfg.columns.iter().position(|&c| c == col).unwrap_or(0);
            let numeric = col_info(col).json == JsonType::Number;
            output::sorted_by_column(&lister.table, at, numeric)
        }
        None => lister.table,
    })
}
