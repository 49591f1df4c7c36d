//! The child's set-up before it runs the program: ids, mounts (`/proc`,
//! binfmt_misc, mqueue, shm), `/proc` writes, interpreters.

use super::config::{single_group_map, single_user_map, Config};
use super::{DEFAULT_BINFMT, MS_PRIVATE, MS_REC};
use crate::exec;
use crate::report::{Failure, Prog};
use nsipc::ns::idmap::{self, IdKind, Setgroups};
use nsipc::ns::Kinds;
use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

pub(super) fn set_groups_gid(prog: &Prog, gid: u32) -> Result<(), Failure> {
    // SAFETY: setgroups with an empty list reads no memory.
    if unsafe { libc::setgroups(0, std::ptr::null()) } != 0 {
        return Err(prog.fail_errno("setgroups failed", &io::Error::last_os_error()));
    }
    // SAFETY: plain syscall.
    if unsafe { libc::setgid(gid) } != 0 {
        return Err(prog.fail_errno("setgid() failed", &io::Error::last_os_error()));
    }
    Ok(())
}

pub(super) fn setuid(prog: &Prog, uid: u32) -> Result<(), Failure> {
    // SAFETY: plain syscall (the libc wrapper applies it to every thread;
    // we have one).
    if unsafe { libc::setuid(uid) } != 0 {
        return Err(prog.fail_errno("setuid() failed", &io::Error::last_os_error()));
    }
    Ok(())
}

pub(super) fn proc_write(
    prog: &Prog,
    r: Result<(), idmap::ProcWriteError>,
    path: &str,
) -> Result<(), Failure> {
    match r {
        Ok(()) => Ok(()),
        Err(idmap::ProcWriteError::Open(e)) => {
            Err(prog.fail_errno(format_args!("cannot open {path}"), &e))
        }
        Err(idmap::ProcWriteError::Write(e)) => {
            Err(prog.fail_errno(format_args!("write failed {path}"), &e))
        }
    }
}

pub(super) fn mount_fs(
    prog: &Prog,
    fstype: &str,
    target: &OsStr,
    data: Option<&str>,
) -> Result<(), Failure> {
    use rustix::mount::{mount, MountFlags};
    let flags = MountFlags::NOSUID | MountFlags::NODEV | MountFlags::NOEXEC;
    let data = data.map(|d| std::ffi::CString::new(d).unwrap_or_default());
    mount(fstype, Path::new(target), fstype, flags, data.as_deref()).map_err(|e| {
        prog.fail_errno(
            format_args!("mount {} failed", crate::report::shown(target)),
            &e.into(),
        )
    })
}

/// The last steps, in the process that runs the program. Returns only on
/// failure.
pub(super) fn setup_and_exec(prog: &Prog, c: &Config) -> Failure {
    match setup(prog, c) {
        Err(failure) => failure,
        Ok(()) if c.program.is_empty() => exec::exec_shell(prog),
        Ok(()) => exec::exec_program(prog, &c.program),
    }
}

pub(super) fn setup(prog: &Prog, c: &Config) -> Result<(), Failure> {
    let (uid, gid) = (c.euid, c.egid);
    if let Some(inner) = single_user_map(c) {
        let text = format!("{inner} {uid} 1");
        proc_write(
            prog,
            idmap::write_map(None, IdKind::Uid, &text),
            "/proc/self/uid_map",
        )?;
    }
    // Since Linux 3.19 an unprivileged process may write its gid map only
    // after denying setgroups(2) in the namespace for good.
    if let Some(inner) = single_group_map(c) {
        proc_write(
            prog,
            idmap::write_setgroups(None, Setgroups::Deny).map(|_| ()),
            "/proc/self/setgroups",
        )?;
        let text = format!("{inner} {gid} 1");
        proc_write(
            prog,
            idmap::write_map(None, IdKind::Gid, &text),
            "/proc/self/gid_map",
        )?;
    }
    if let Some(value) = c.setgroups {
        proc_write(
            prog,
            idmap::write_setgroups(None, value).map(|_| ()),
            "/proc/self/setgroups",
        )?;
    }
    if c.kinds.contains(Kinds::MOUNT) && c.propagation != 0 {
        let flags = rustix::mount::MountPropagationFlags::from_bits_retain(c.propagation as _);
        rustix::mount::mount_change("/", flags)
            .map_err(|e| prog.fail_errno("cannot change root filesystem propagation", &e.into()))?;
    }
    let fixed_interp = c.load_interp.as_ref().filter(|i| is_fixed(i));
    if let (Some(interp), Some(_)) = (fixed_interp, &c.root) {
        // An interpreter with flag F is opened now, so it must be
        // registered before the chroot hides it.
        mount_fs(prog, "binfmt_misc", OsStr::new(DEFAULT_BINFMT), None)?;
        load_interp(prog, OsStr::new(DEFAULT_BINFMT), interp)?;
    }
    let mut wd = c.wd.clone();
    if let Some(root) = &c.root {
        rustix::process::chroot(Path::new(root)).map_err(|e| {
            prog.fail_errno(
                format_args!(
                    "cannot change root directory to '{}'",
                    crate::report::shown(root)
                ),
                &e.into(),
            )
        })?;
        wd.get_or_insert_with(|| "/".into());
    }
    if let Some(dir) = &wd {
        std::env::set_current_dir(dir).map_err(|e| {
            prog.fail_errno(
                format_args!("cannot change directory to {}", crate::report::shown(dir)),
                &e,
            )
        })?;
    }
    if let Some(dir) = &c.mount_proc {
        if c.root.is_none() && c.propagation != (MS_REC | MS_PRIVATE) {
            // A proc that is not a mount point gives EINVAL: fine (#648).
            let private =
                rustix::mount::MountPropagationFlags::from_bits_retain((MS_REC | MS_PRIVATE) as _);
            if let Err(e) = rustix::mount::mount_change(Path::new(dir), private) {
                if e != rustix::io::Errno::INVAL {
                    return Err(prog.fail_errno(
                        format_args!(
                            "cannot change {} filesystem propagation",
                            crate::report::shown(dir)
                        ),
                        &e.into(),
                    ));
                }
            }
        }
        mount_fs(prog, "proc", dir, None)?;
    }
    // nsipc: the IPC namespace exists now, so this mqueue mount shows its
    // queues (mounted earlier it would show the caller's).
    if let Some(dir) = &c.mount_mqueue {
        mount_fs(prog, "mqueue", dir, None)?;
    }
    if let Some(dir) = &c.mount_shm {
        mount_fs(prog, "tmpfs", dir, Some("mode=1777"))?;
    }
    if let Some(dir) = &c.mount_binfmt {
        mount_fs(prog, "binfmt_misc", dir, None)?;
    }
    if let (Some(interp), Some(dir)) = (&c.load_interp, &c.mount_binfmt) {
        if !(is_fixed(interp) && c.root.is_some()) {
            load_interp(prog, dir, interp)?;
        }
    }
    if let Some(name) = &c.hostname {
        rustix::system::sethostname(name.as_bytes())
            .map_err(|e| prog.fail_errno("sethostname failed", &e.into()))?;
    }
    if let Some(name) = &c.domainname {
        rustix::system::setdomainname(name.as_bytes())
            .map_err(|e| prog.fail_errno("setdomainname failed", &e.into()))?;
    }
    if let Some(gid) = c.setgid {
        set_groups_gid(prog, gid)?;
    }
    if let Some(uid) = c.setuid {
        setuid(prog, uid)?;
    }
    if c.keep_caps && c.kinds.contains(Kinds::USER) {
        exec::keep_caps(prog)?;
    }
    if c.clear_env || c.whitelist.is_some() {
        let names: Vec<OsString> = std::env::vars_os().map(|(k, _)| k).collect();
        for name in names {
            std::env::remove_var(name);
        }
        // Last listed first, as util-linux (which prepends each name to its
        // list, then sets the list front to back): `--whitelist-env=A,B env`
        // prints B before A.
        for (name, value) in c.whitelist.iter().flatten().rev() {
            std::env::set_var(name, value);
        }
    }
    Ok(())
}

/// A binfmt_misc rule with flag `F` (the interpreter is opened at
/// registration): its last `:` field holds the flags.
pub(super) fn is_fixed(interp: &OsStr) -> bool {
    let bytes = interp.as_bytes();
    bytes
        .iter()
        .rposition(|&b| b == b':')
        .is_some_and(|i| bytes[i..].contains(&b'F'))
}

pub(super) fn load_interp(prog: &Prog, dir: &OsStr, interp: &OsStr) -> Result<(), Failure> {
    let dir_text = crate::report::shown(dir);
    let register: PathBuf = Path::new(dir).join("register");
    if !Path::new(dir).is_dir() {
        let e = io::Error::from_raw_os_error(libc::ENOTDIR);
        let e = std::fs::metadata(dir).err().unwrap_or(e);
        return Err(prog.fail_errno(format_args!("cannot open {dir_text}"), &e));
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&register)
        .map_err(|e| prog.fail_errno(format_args!("cannot open {dir_text}/register"), &e))?;
    file.write_all(interp.as_bytes())
        .map_err(|e| prog.fail_errno(format_args!("write failed {dir_text}/register"), &e))?;
    Ok(())
}
