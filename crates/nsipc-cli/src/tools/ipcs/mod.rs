//! `ipcs`: show System V IPC facilities, byte for byte as util-linux does.
//!
//! The output formats (widths, trailing spaces, the misaligned `-p` rows,
//! owner names cut to 10 bytes except with `-c`, `Not set`, the `-s -p`
//! output without even a title) are util-linux's and are kept on purpose:
//! scripts parse them. What differs is the cost: util-linux looks every
//! owner up in the passwd database once per row; here each uid and gid is
//! resolved once, `/proc/sysvipc/*` is streamed in large reads and parsed in
//! place, integers are formatted straight into one buffer that goes out 16
//! KiB at a time, and the later sections are read on their own threads,
//! each at most a bounded stretch ahead of the output.
//!
//! Beyond util-linux: `--namespace=PID|FILE` shows another IPC namespace,
//! byte for byte as `ipcs` run inside it would.
//!
//! Deliberate differences (see docs/ipcs.md): a negative `-i` id is "not
//! found" (util-linux prints the first object under that id); when
//! `/proc/sysvipc` cannot be read the listing uses `*_STAT_ANY` (all
//! objects, with their real creator gid) instead of `*_STAT` (only readable
//! ones, with the creator uid as gid).

use std::ffi::OsString;
use std::io::Write;

use crate::allns;
use crate::names::Names;
use crate::report::{Failure, Prog, Stdout};
use config::{parse, Config, Format, Parsed, Unit};
use printf::FLUSH_AT;
use render::Render;

mod beyond;
mod config;
mod detail;
mod printf;
mod render;
mod sections;
#[cfg(test)]
mod tests;

pub use super::ipcs_opts::{Id, SPEC};

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let cfg = match parse(prog, args) {
        Ok(Parsed::Run(cfg)) => cfg,
        Ok(Parsed::Exit(status)) => return status,
        Err(Failure(status)) => return status,
    };
    if cfg.all_namespaces {
        return beyond::all_namespaces(prog, &cfg);
    }
    match &cfg.namespace {
        Some(spec) => run_in_namespace(prog, &cfg, spec),
        None => run(prog, &cfg),
    }
}

/// `--namespace`: the whole run, in the other IPC namespace.
fn run_in_namespace(prog: &Prog, cfg: &Config, spec: &str) -> i32 {
    allns::in_namespace_of(prog, spec, || run(prog, cfg)).unwrap_or_else(|Failure(status)| status)
}

/// Prints everything for `cfg` and returns the exit status.
fn run(prog: &Prog, cfg: &Config) -> i32 {
    if cfg.json {
        return beyond::run(prog, cfg);
    }
    let mut stdout = Stdout::new();
    match report(prog, cfg, &mut stdout) {
        Ok(()) => stdout.finish(prog, 0),
        Err(Failure(status)) => status,
    }
}

/// Writes everything `ipcs` prints on stdout for `cfg` to `sink`, or
/// returns a failure already reported on stderr (then nothing was written,
/// as with util-linux, which fails before its first printf).
fn report(prog: &Prog, cfg: &Config, sink: &mut dyn Write) -> Result<(), Failure> {
    let mut r = Render::new(Some(sink), cfg.unit);
    if let Some(id) = cfg.id {
        if cfg.msg {
            r.msg_detail(prog, id);
        } else if cfg.shm {
            r.shm_detail(prog, id);
        } else {
            r.sem_detail(prog, id)?;
        }
        r.flush();
        return Ok(());
    }
    let kinds: Vec<Kind> = [
        (cfg.msg, Kind::Msg),
        (cfg.shm, Kind::Shm),
        (cfg.sem, Kind::Sem),
    ]
    .into_iter()
    .filter_map(|(wanted, kind)| wanted.then_some(kind))
    .collect();
    r.out.push(b'\n');
    let listing = !matches!(cfg.format, Format::Limits | Format::Summary);
    if listing && kinds.len() > 1 {
        // Each /proc/sysvipc file costs the kernel tens of milliseconds to
        // format for thousands of objects: read them at the same time. The
        // first section streams; the others are rendered on their own
        // threads (which share this thread's IPC namespace) into bounded
        // queues of chunks, drained in order: at most SECTION_AHEAD bytes of
        // a later section wait in memory, however many objects it has.
        std::thread::scope(|scope| {
            let later: Vec<_> = kinds[1..]
                .iter()
                .map(|&kind| {
                    let (format, unit) = (cfg.format, cfg.unit);
                    let (tx, rx) = std::sync::mpsc::sync_channel(SECTION_AHEAD / FLUSH_AT);
                    // A small stack: rendering and an NSS lookup need far
                    // less than the default 2 MiB, and address space may be
                    // scarce (`ulimit -v`), where a failed spawn costs only
                    // the parallelism but a failed NSS load shows uids.
                    let thread = std::thread::Builder::new()
                        .stack_size(SECTION_STACK)
                        .spawn_scoped(scope, move || render_section(kind, format, unit, tx));
                    (kind, rx, thread)
                })
                .collect();
            r.section(kinds[0], cfg.format);
            for (kind, rx, thread) in later {
                if thread.is_err() {
                    // No thread to be had (RLIMIT_NPROC): render it here.
                    r.section(kind, cfg.format);
                    continue;
                }
                // Until the thread ends and drops its sender.
                for chunk in rx {
                    r.write_through(&chunk);
                }
            }
        });
    } else {
        for kind in kinds {
            r.section(kind, cfg.format);
        }
    }
    r.flush();
    Ok(())
}

/// Stack size of the threads that render the later sections.
const SECTION_STACK: usize = 256 * 1024;

/// How far (in bytes of output) a later section's thread may run ahead of
/// the output.
const SECTION_AHEAD: usize = 1024 * 1024;

/// One section (title, header, rows, blank line) rendered on its own
/// thread, sent in chunks of about [`FLUSH_AT`] bytes.
fn render_section(
    kind: Kind,
    format: Format,
    unit: Unit,
    chunks: std::sync::mpsc::SyncSender<Vec<u8>>,
) {
    let mut sink = ChunkSink(chunks);
    let mut r = Render::new(Some(&mut sink), unit);
    r.section(kind, format);
    r.flush();
}

/// A writer that hands each write to the output's thread as one chunk
/// (blocking while [`SECTION_AHEAD`] bytes wait there).
struct ChunkSink(std::sync::mpsc::SyncSender<Vec<u8>>);

impl Write for ChunkSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Msg,
    Shm,
    Sem,
}
