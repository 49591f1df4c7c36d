//! unshare's command line, validated into a [`Config`].

use super::{
    add_ranges, egid, euid, lookup_group, lookup_user, parse_propagation, parse_signal_name,
    subid_range, DEFAULT_BINFMT, DEFAULT_MQUEUE, DEFAULT_PROC, DEFAULT_SHM,
};
use crate::getopt::{Arg, Getopt};
use crate::numparse::{self, NumError};
use crate::report::{Failure, Prog, Stdout};
use crate::tools::unshare_opts::{Id, SPEC};
use nsipc::ns::idmap::{self, IdKind, IdRange, PendingRange, Setgroups, SingleMap};
use nsipc::ns::{self, Kind, Kinds};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// Everything the command line asked for, validated.
#[derive(Debug, Default)]
pub struct Config {
    pub(super) kinds: Kinds,
    /// `--X=FILE`, per kind; the last one given wins.
    pub(super) persist: Vec<(Kind, OsString)>,
    pub(super) fork: bool,
    pub(super) kill_child: Option<i32>,
    pub(super) forward_signals: bool,
    pub(super) mount_proc: Option<OsString>,
    pub(super) mount_binfmt: Option<OsString>,
    pub(super) load_interp: Option<OsString>,
    pub(super) mount_mqueue: Option<OsString>,
    pub(super) mount_shm: Option<OsString>,
    /// mount(2) flags for `/`; 0 = unchanged.
    pub(super) propagation: u64,
    pub(super) root: Option<OsString>,
    pub(super) wd: Option<OsString>,
    pub(super) setuid: Option<u32>,
    pub(super) setgid: Option<u32>,
    pub(super) map_user: Option<u32>,
    pub(super) map_group: Option<u32>,
    pub(super) user_ranges: Vec<PendingRange>,
    pub(super) group_ranges: Vec<PendingRange>,
    pub(super) owner: Option<(u32, u32)>,
    pub(super) setgroups: Option<Setgroups>,
    pub(super) keep_caps: bool,
    pub(super) monotonic: Option<i64>,
    pub(super) boottime: Option<i64>,
    pub(super) clear_env: bool,
    /// `--whitelist-env`: the listed variables that were set at parse time.
    pub(super) whitelist: Option<Vec<(OsString, OsString)>>,
    pub(super) hostname: Option<OsString>,
    pub(super) domainname: Option<OsString>,
    pub(super) program: Vec<OsString>,
    /// The caller's effective ids before anything changed: after
    /// unshare(CLONE_NEWUSER) they read as the overflow id 65534.
    pub(super) euid: u32,
    pub(super) egid: u32,
}

pub(super) const MS_REC: u64 = libc::MS_REC;
pub(super) const MS_PRIVATE: u64 = libc::MS_PRIVATE;

/// What parsing decided: run, or exit now (help, version, errors).
pub(super) enum Parsed {
    Run(Box<Config>),
    Exit(i32),
}

pub(super) fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut c = Config {
        propagation: MS_REC | MS_PRIVATE,
        euid: euid(),
        egid: egid(),
        ..Config::default()
    };
    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        let (id, value) = match arg {
            Arg::Opt(id, value) => (id, value),
            Arg::Program(program) => {
                c.program = program;
                break;
            }
            Arg::Operand(word) => {
                c.program = vec![word];
                break;
            }
        };
        let text = || value.clone().unwrap_or_default();
        let str_value = || {
            value
                .as_deref()
                .map(crate::report::shown)
                .unwrap_or_default()
        };
        match id {
            Id::Ns(kind) => {
                c.kinds |= kind.into();
                if let Some(file) = value {
                    c.persist.retain(|(k, _)| *k != kind);
                    c.persist.push((kind, file));
                }
            }
            Id::Fork => c.fork = true,
            Id::KillChild => {
                c.fork = true;
                c.kill_child = Some(match &value {
                    None => libc::SIGKILL,
                    Some(name) => {
                        parse_signal_name(&crate::report::shown(name)).ok_or_else(|| {
                            prog.fail(format_args!(
                                "unknown signal: {}",
                                crate::report::shown(name)
                            ))
                        })?
                    }
                });
            }
            Id::ForwardSignals => {
                c.fork = true;
                c.forward_signals = true;
            }
            Id::MountProc => {
                c.kinds |= Kinds::MOUNT;
                c.mount_proc = Some(value.unwrap_or_else(|| DEFAULT_PROC.into()));
            }
            Id::MountBinfmt => {
                c.kinds |= Kinds::MOUNT | Kinds::USER;
                c.mount_binfmt = Some(match value {
                    Some(dir) => dir,
                    None => {
                        c.mount_proc.get_or_insert_with(|| DEFAULT_PROC.into());
                        DEFAULT_BINFMT.into()
                    }
                });
            }
            Id::LoadInterp => {
                c.kinds |= Kinds::MOUNT | Kinds::USER;
                if c.mount_binfmt.is_none() {
                    c.mount_proc.get_or_insert_with(|| DEFAULT_PROC.into());
                    c.mount_binfmt = Some(DEFAULT_BINFMT.into());
                }
                c.load_interp = value;
            }
            Id::MountMqueue => {
                c.kinds |= Kinds::MOUNT | Kinds::IPC;
                c.mount_mqueue = Some(value.unwrap_or_else(|| DEFAULT_MQUEUE.into()));
            }
            Id::MountShm => {
                c.kinds |= Kinds::MOUNT;
                c.mount_shm = Some(value.unwrap_or_else(|| DEFAULT_SHM.into()));
            }
            Id::MapUser => {
                c.kinds |= Kinds::USER;
                c.map_user = Some(lookup_user(prog, &str_value())?);
            }
            Id::MapGroup => {
                c.kinds |= Kinds::USER;
                c.map_group = Some(lookup_group(prog, &str_value())?);
            }
            Id::MapRootUser => {
                c.kinds |= Kinds::USER;
                c.map_user = Some(0);
                c.map_group = Some(0);
            }
            Id::MapCurrentUser => {
                c.kinds |= Kinds::USER;
                c.map_user = Some(c.euid);
                c.map_group = Some(c.egid);
            }
            Id::MapUsers => {
                c.kinds |= Kinds::USER;
                add_ranges(prog, &mut c.user_ranges, IdKind::Uid, &str_value())?;
            }
            Id::MapGroups => {
                c.kinds |= Kinds::USER;
                add_ranges(prog, &mut c.group_ranges, IdKind::Gid, &str_value())?;
            }
            Id::MapAuto | Id::MapSubids => {
                c.kinds |= Kinds::USER;
                let identity = id == Id::MapSubids;
                c.user_ranges
                    .push(subid_range(prog, IdKind::Uid, identity)?);
                c.group_ranges
                    .push(subid_range(prog, IdKind::Gid, identity)?);
            }
            Id::Owner => {
                c.kinds |= Kinds::USER;
                let v = str_value();
                let owner = v.split_once(':').and_then(|(u, g)| {
                    Some((idmap::parse_decimal_u32(u)?, idmap::parse_decimal_u32(g)?))
                });
                c.owner = Some(owner.ok_or_else(|| prog.fail("failed to parse owner"))?);
            }
            Id::Setgroups => {
                let v = str_value();
                c.setgroups = Some(Setgroups::parse(&v).ok_or_else(|| {
                    prog.fail(format_args!("unsupported --setgroups argument '{v}'"))
                })?);
            }
            Id::Propagation => {
                let v = str_value();
                c.propagation = parse_propagation(&v)
                    .ok_or_else(|| prog.fail(format_args!("unsupported propagation mode: {v}")))?;
            }
            Id::KeepCaps => c.keep_caps = true,
            Id::Setuid => c.setuid = Some(parse_id(prog, &text(), "failed to parse uid")?),
            Id::Setgid => c.setgid = Some(parse_id(prog, &text(), "failed to parse gid")?),
            Id::Root => c.root = value,
            Id::Wd => c.wd = value,
            Id::Monotonic => {
                c.monotonic = Some(numparse::parse_or_fail(
                    prog,
                    &text(),
                    10,
                    "failed to parse monotonic offset",
                )?)
            }
            Id::Boottime => {
                c.boottime = Some(numparse::parse_or_fail(
                    prog,
                    &text(),
                    10,
                    "failed to parse boottime offset",
                )?)
            }
            Id::ClearEnv => c.clear_env = true,
            Id::WhitelistEnv => {
                let list = c.whitelist.get_or_insert_with(Vec::new);
                for name in text().as_bytes().split(|&b| b == b',') {
                    let name = OsStr::from_bytes(name);
                    if name.is_empty() {
                        continue;
                    }
                    // A name listed again moves to the end: see the reverse
                    // order in which the list is applied.
                    list.retain(|(n, _)| n != name);
                    if let Some(value) = std::env::var_os(name) {
                        list.push((name.to_os_string(), value));
                    }
                }
            }
            Id::Hostname => {
                c.kinds |= Kinds::UTS;
                c.hostname = Some(uts_name(prog, "hostname", value)?);
            }
            Id::Domainname => {
                c.kinds |= Kinds::UTS;
                c.domainname = Some(uts_name(prog, "domain name", value)?);
            }
            Id::Help => {
                return Ok(Parsed::Exit(Stdout::print(prog, &SPEC.help())));
            }
            Id::Version => {
                return Ok(Parsed::Exit(Stdout::print(prog, &prog.version())));
            }
        }
    }
    validate(prog, &c)?;
    Ok(Parsed::Run(Box::new(c)))
}

/// Checks util-linux makes later (some only after unshare(2)), made here so
/// that a bad command line never creates anything.
pub(super) fn validate(prog: &Prog, c: &Config) -> Result<(), Failure> {
    if (c.monotonic.is_some() || c.boottime.is_some()) && !c.kinds.contains(Kinds::TIME) {
        return Err(prog.fail(
            "options --monotonic and --boottime require unsharing of a time namespace (-T)",
        ));
    }
    if c.setgroups == Some(Setgroups::Allow) && single_group_map(c).is_some() {
        return Err(prog.fail("options --setgroups=allow and --map-group are mutually exclusive"));
    }
    Ok(())
}

/// The single uid mapping the new process writes itself (`--map-user`, `-r`,
/// `-c`), when it is not merged into ranges written by the helper.
pub(super) fn single_user_map(c: &Config) -> Option<u32> {
    let merged = !c.user_ranges.is_empty() || (c.map_user.is_some() && c.owner.is_some());
    c.map_user.filter(|_| !merged)
}

pub(super) fn single_group_map(c: &Config) -> Option<u32> {
    let merged = !c.group_ranges.is_empty() || (c.map_group.is_some() && c.owner.is_some());
    c.map_group.filter(|_| !merged)
}

/// The maps the helper process writes (ranges plus the merged single id).
pub(super) fn helper_maps(c: &Config) -> (Option<Vec<IdRange>>, Option<Vec<IdRange>>) {
    let build = |ranges: &[PendingRange], single: Option<u32>, own: u32, owner: bool| {
        let merge = !ranges.is_empty() || (single.is_some() && owner);
        merge.then(|| {
            idmap::merge_single(ranges, single.map(|inner| SingleMap { inner, outer: own }))
        })
    };
    (
        build(&c.user_ranges, c.map_user, c.euid, c.owner.is_some()),
        build(&c.group_ranges, c.map_group, c.egid, c.owner.is_some()),
    )
}

/// `-S`/`-G`: a decimal id. Values above 2^32-2 are refused while parsing:
/// util-linux silently truncates larger ones (`-S 4294967297` runs as uid
/// 1), and takes 4294967295, `(uid_t) -1`, which `setuid` refuses only at
/// the very end, after namespaces were made and bound to files.
pub(super) fn parse_id(prog: &Prog, text: &OsStr, what: &str) -> Result<u32, Failure> {
    match numparse::parse_or_fail::<u32>(prog, text, 10, what)? {
        u32::MAX => Err(numparse::number_failure(
            prog,
            what,
            &text.to_string_lossy(),
            NumError::Range,
        )),
        id => Ok(id),
    }
}

/// `--hostname` / `--domainname`: at most 64 bytes (the kernel's limit),
/// checked now so that nothing is created for a name it would refuse.
pub(super) fn uts_name(
    prog: &Prog,
    what: &str,
    value: Option<OsString>,
) -> Result<OsString, Failure> {
    let name = value.unwrap_or_default();
    if name.len() > ns::UTS_NAME_MAX {
        return Err(prog.fail(format_args!(
            "{what} too long (at most {} bytes): '{}'",
            ns::UTS_NAME_MAX,
            crate::report::shown(&name)
        )));
    }
    Ok(name)
}
