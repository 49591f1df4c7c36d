//! `lsipc`: list System V and POSIX IPC objects and the IPC limits, through
//! the shared output engine (tables, raw, export, newline, JSON), or one
//! object in detail ("pretty" `-i`/`-N` view).
//!
//! util-linux master's behaviour, with its bugs fixed (docs: the report of
//! this tool; tests/cli/lsipc.rs has an explicit expectation for each):
//! - exclusive options are really exclusive (util-linux's table check stops
//!   early: 2.38.1 accepts `-c -o`, master accepts `-M -m` and merges a POSIX
//!   and a System V resource into one garbage table); `-i` goes with System V
//!   resources only, `-N` with POSIX ones;
//! - `-g` with a resource shows only the limits columns (util-linux appends
//!   them to the resource's list columns, all empty), and refuses `-c`/`-t`;
//! - `-o` accepts every column a resource fills (util-linux refuses e.g.
//!   SVAL for `-S`, SIZE for `-M`, though they are default columns);
//! - `-M -N /name` and `-S -N /name` find the object (util-linux stores the
//!   names without `/`), `-S -N` says "semaphore … not found";
//! - STATUS lists every flag with commas (util-linux joins `locked` and
//!   `hugetlb` without one when `dest` is unset).
//!
//! Names are resolved once per uid/gid, and /proc is read once per listing.

use std::ffi::OsString;
use std::io::Write;

use crate::allns;
use crate::containers;
use crate::output::Table;
use crate::report::{Failure, Prog, Stdout};
use columns::{Col, Resource};
use config::{parse, Config, OutMode, Parsed};
use render::{format, new_table, pretty, Ctx};

mod columns;
mod config;
mod posix;
mod render;
mod select;
#[cfg(test)]
mod tests;

pub use columns::column_list;

pub use super::lsipc_opts::{Id, SPEC};

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let cfg = match parse(prog, args) {
        Ok(Parsed::Run(cfg)) => cfg,
        Ok(Parsed::Exit(status)) => return status,
        Err(Failure(status)) => return status,
    };
    let result = match &cfg.namespace {
        _ if cfg.all_namespaces => run_all_namespaces(prog, &cfg),
        Some(spec) => run_in_namespace(prog, &cfg, spec),
        None => run(prog, &cfg),
    };
    let mut stdout = Stdout::new();
    match result {
        Ok(text) => {
            let _ = stdout.write_all(&text);
            stdout.finish(prog, 0)
        }
        Err(Failure(status)) => status,
    }
}

/// `--namespace`: the listing, made in the other IPC namespace.
fn run_in_namespace(prog: &Prog, cfg: &Config, spec: &str) -> Result<Vec<u8>, Failure> {
    allns::in_namespace_of(prog, spec, || run(prog, cfg))?
}

/// The result of one run: the table (also read by the detail view) and the
/// semaphore values of `-s -i`.
struct Report {
    table: Table,
    elements: Option<Table>,
}

fn run(prog: &Prog, cfg: &Config) -> Result<Vec<u8>, Failure> {
    let report = build(prog, cfg)?;
    Ok(if cfg.mode == OutMode::Pretty {
        pretty(cfg, &report)
    } else {
        report.table.render(&format(cfg))
    })
}

/// `--all-namespaces`: the lines of every IPC namespace (each made on a
/// thread inside it, see allns.rs) in one table, with the namespace
/// columns filled. The POSIX queue count of `-g` is read through the
/// holder's root, as `--namespace=PID` does (`-` without a holder).
fn run_all_namespaces(prog: &Prog, cfg: &Config) -> Result<Vec<u8>, Failure> {
    let visits = allns::visit(prog, |ns| {
        let mut cfg = cfg.clone();
        cfg.mq_dir = ns.pid.map(|pid| format!("/proc/{pid}/root/dev/mqueue"));
        build(prog, &cfg).map(|report| report.table)
    })?;
    let mut status = visits.status();
    let mut table = new_table(cfg);
    for (ns, result) in &visits.shown {
        let part = match result {
            Ok(part) => part,
            Err(Failure(s)) => {
                status = *s;
                continue;
            }
        };
        if table.name.is_none() {
            table.name.clone_from(&part.name);
        }
        for line in allns::append_lines(&mut table, part) {
            for (c, &col) in cfg.columns.iter().enumerate() {
                match col {
                    Col::IpcNs => table.set_display(line, c, ns.ino),
                    Col::NsPid => {
                        if let Some(pid) = ns.pid {
                            table.set_display(line, c, pid);
                        }
                    }
                    Col::NsCommand => {
                        if let Some(cmd) = &ns.command {
                            table.set(line, c, cmd);
                        }
                    }
                    Col::Container | Col::ContainerId | Col::Runtime | Col::Pod => {
                        let field = containers::COLUMNS[col as usize - Col::Container as usize].2;
                        if let Some(text) = ns
                            .container
                            .as_ref()
                            .and_then(|k| containers::cell(k, field))
                        {
                            table.set(line, c, text);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if table.name.is_none() {
        table.set_name(match cfg.resource {
            _ if cfg.global => "ipclimits",
            Some(Resource::Msg) => "messages",
            Some(Resource::Shm) => "sharedmemory",
            _ => "semaphores",
        });
    }
    let text = table.render(&format(cfg));
    if status != 0 {
        // Everything that could be shown is shown; the exit status says
        // the list is incomplete.
        let mut stdout = Stdout::new();
        let _ = stdout.write_all(&text);
        return Err(Failure(stdout.finish(prog, status)));
    }
    Ok(text)
}

/// Fills the table (and the semaphore values of `-s -i`) for `cfg` in the
/// IPC namespace of the calling thread.
fn build(prog: &Prog, cfg: &Config) -> Result<Report, Failure> {
    let mut ctx = Ctx::new(cfg);
    let mut elements = None;
    if cfg.global {
        ctx.global(prog);
    } else {
        match cfg.resource {
            Some(Resource::Msg) => ctx.msg(prog),
            Some(Resource::Shm) => ctx.shm(prog),
            Some(Resource::Sem) => elements = ctx.sem(prog)?,
            Some(r) => posix::report(prog, &mut ctx, r),
            None => {}
        }
    }
    select::finish(prog, &mut ctx)?;
    Ok(Report {
        table: ctx.table,
        elements,
    })
}
