//! ipcs's command line, validated into a [`Config`].

use crate::containers::{self, Select};
use crate::getopt::{Arg, Getopt};
use crate::numparse;
use crate::report::{Failure, Prog, Stdout};
use crate::tools::ipcs_opts::{Id, SPEC};
use std::ffi::OsString;

/// What the rows show (`-t -p -c -l -u`; the last one given wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Default,
    Time,
    Pid,
    Creator,
    Limits,
    Summary,
}

/// How sizes are printed (`-b`, `--human`; the last one given wins).
/// `Kb` is never chosen by an option: the `-l` shared-memory limits use it
/// when no unit was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Default,
    Bytes,
    Kb,
    Human,
}

/// The parsed command line.
#[derive(Clone, Debug)]
pub(super) struct Config {
    pub(super) msg: bool,
    pub(super) shm: bool,
    pub(super) sem: bool,
    pub(super) id: Option<i32>,
    pub(super) format: Format,
    pub(super) unit: Unit,
    /// `--namespace`: the IPC namespace to show instead of our own.
    pub(super) namespace: Option<String>,
    /// `--all-namespaces` (beyond.rs).
    pub(super) all_namespaces: bool,
    /// `-J`/`--json` (beyond.rs).
    pub(super) json: bool,
}

pub(super) enum Parsed {
    Run(Config),
    Exit(i32),
}

pub(super) fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut cfg = Config {
        msg: false,
        shm: false,
        sem: false,
        id: None,
        format: Format::Default,
        unit: Unit::Default,
        namespace: None,
        all_namespaces: false,
        json: false,
    };
    // Options act in command-line order, like getopt's loop: `-h` or a bad
    // `-i` value ends the run before a later unknown option is seen.
    let mut select: Option<Select> = None;
    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        let (id, value) = match arg {
            Arg::Opt(id, value) => (id, value),
            // Operands are ignored, as util-linux does.
            Arg::Operand(_) | Arg::Program(_) => continue,
        };
        match id {
            Id::Select => {
                let value = value.unwrap_or_default();
                let id = numparse::parse_or_fail(prog, &value, 10, "failed to parse id argument")?;
                cfg.id = Some(id);
            }
            Id::All => (cfg.msg, cfg.shm, cfg.sem) = (true, true, true),
            Id::Queues => cfg.msg = true,
            Id::Shmems => cfg.shm = true,
            Id::Semaphores => cfg.sem = true,
            Id::Time => cfg.format = Format::Time,
            Id::Pid => cfg.format = Format::Pid,
            Id::Creator => cfg.format = Format::Creator,
            Id::Limits => cfg.format = Format::Limits,
            Id::Summary => cfg.format = Format::Summary,
            Id::Human => cfg.unit = Unit::Human,
            Id::Bytes => cfg.unit = Unit::Bytes,
            Id::Namespace => cfg.namespace = Some(crate::report::shown(value.unwrap_or_default())),
            Id::AllNamespaces => cfg.all_namespaces = true,
            Id::Container | Id::Pod => {
                let text = value.unwrap_or_default().to_string_lossy().into_owned();
                select = Some(match id {
                    Id::Pod => Select::Pod(text),
                    _ => Select::Container(text),
                });
            }
            Id::Json => cfg.json = true,
            Id::Help => {
                return Ok(Parsed::Exit(Stdout::print(prog, &SPEC.help())));
            }
            Id::Version => {
                return Ok(Parsed::Exit(Stdout::print(prog, &prog.version())));
            }
        }
    }
    if cfg.id.is_some() && [cfg.msg, cfg.shm, cfg.sem].iter().filter(|&&b| b).count() != 1 {
        return Err(prog.fail("when using an ID, a single resource must be specified"));
    }
    if let Some(select) = &select {
        containers::ipc_namespace(prog, select, &mut cfg.namespace, cfg.all_namespaces)?;
    }
    if cfg.all_namespaces {
        if cfg.id.is_some() {
            return Err(prog.fail("options --all-namespaces and --id cannot be combined"));
        }
        if cfg.namespace.is_some() {
            return Err(prog.fail("options --all-namespaces and --namespace cannot be combined"));
        }
    }
    if !cfg.msg && !cfg.shm && !cfg.sem {
        (cfg.msg, cfg.shm, cfg.sem) = (true, true, true);
    }
    Ok(Parsed::Run(cfg))
}
