//! User and group names from the system databases (NSS), as raw bytes.
//!
//! The listing tools show owners on every row; util-linux asks NSS again for
//! each row, which dominates its run time on large tables. [`Names`] looks
//! each id up once per run. Names are kept as bytes: a name that is not
//! UTF-8 is printed exactly as the C tools print it, never replaced.

use std::collections::HashMap;
use std::ffi::CStr;

/// One password database entry: what the tools need of it.
pub struct Passwd {
    pub name: Vec<u8>,
    pub shell: Vec<u8>,
}

/// getpwuid_r/getgrgid_r want a caller-sized buffer and say ERANGE when it is
/// too small: start at 1 KiB and grow up to 1 MiB.
fn with_growing_buffer<T>(call: impl FnMut(&mut [u8]) -> Result<Option<T>, i32>) -> Option<T> {
    try_with_growing_buffer(call).ok().flatten()
}

/// As [`with_growing_buffer`], keeping the error number of a failed lookup
/// (ERANGE when even 1 MiB is too small).
fn try_with_growing_buffer<T>(
    mut call: impl FnMut(&mut [u8]) -> Result<Option<T>, i32>,
) -> Result<Option<T>, i32> {
    let mut size = 1024;
    while size <= 1 << 20 {
        let mut buf = vec![0u8; size];
        match call(&mut buf) {
            Err(libc::ERANGE) => size *= 4,
            done => return done,
        }
    }
    Err(libc::ERANGE)
}

/// The uid of user `name`: `Ok(None)` when there is no such user, `Err` with
/// the error number when the lookup itself failed (getpwnam_r).
pub fn uid_by_name(name: &str) -> Result<Option<u32>, i32> {
    let Ok(name) = std::ffi::CString::new(name) else {
        return Ok(None);
    };
    try_with_growing_buffer(|buf| {
        // SAFETY: getpwnam_r reads the NUL-terminated `name` and fills `pwd`
        // with pointers into `buf`; only `pw_uid` is read, before `buf` is
        // dropped; `result` is &pwd or NULL.
        unsafe {
            let mut pwd: libc::passwd = std::mem::zeroed();
            let mut result: *mut libc::passwd = std::ptr::null_mut();
            let rc = libc::getpwnam_r(
                name.as_ptr(),
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            );
            match rc {
                0 if result.is_null() => Ok(None),
                0 => Ok(Some(pwd.pw_uid)),
                errno => Err(errno),
            }
        }
    })
}

/// The gid of group `name`, as [`uid_by_name`] (getgrnam_r).
pub fn gid_by_name(name: &str) -> Result<Option<u32>, i32> {
    let Ok(name) = std::ffi::CString::new(name) else {
        return Ok(None);
    };
    try_with_growing_buffer(|buf| {
        // SAFETY: as in `uid_by_name`, with getgrnam_r and `struct group`.
        unsafe {
            let mut grp: libc::group = std::mem::zeroed();
            let mut result: *mut libc::group = std::ptr::null_mut();
            let rc = libc::getgrnam_r(
                name.as_ptr(),
                &mut grp,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            );
            match rc {
                0 if result.is_null() => Ok(None),
                0 => Ok(Some(grp.gr_gid)),
                errno => Err(errno),
            }
        }
    })
}

/// The password entry of `uid`, if any.
pub fn passwd(uid: u32) -> Option<Passwd> {
    with_growing_buffer(|buf| {
        // SAFETY: getpwuid_r fills `pwd` with pointers into `buf`, which
        // outlives every use below; `result` is &pwd or NULL.
        unsafe {
            let mut pwd: libc::passwd = std::mem::zeroed();
            let mut result: *mut libc::passwd = std::ptr::null_mut();
            let rc = libc::getpwuid_r(
                uid,
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            );
            if rc != 0 {
                return Err(rc);
            }
            if result.is_null() || pwd.pw_name.is_null() {
                return Ok(None);
            }
            let field = |p: *const libc::c_char| {
                if p.is_null() {
                    Vec::new()
                } else {
                    CStr::from_ptr(p).to_bytes().to_vec()
                }
            };
            Ok(Some(Passwd {
                name: field(pwd.pw_name),
                shell: field(pwd.pw_shell),
            }))
        }
    })
}

/// The name of group `gid`, if any.
pub fn group_name(gid: u32) -> Option<Vec<u8>> {
    with_growing_buffer(|buf| {
        // SAFETY: as in `passwd`, with getgrgid_r and `struct group`.
        unsafe {
            let mut grp: libc::group = std::mem::zeroed();
            let mut result: *mut libc::group = std::ptr::null_mut();
            let rc = libc::getgrgid_r(
                gid,
                &mut grp,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            );
            if rc != 0 {
                return Err(rc);
            }
            if result.is_null() || grp.gr_name.is_null() {
                return Ok(None);
            }
            Ok(Some(CStr::from_ptr(grp.gr_name).to_bytes().to_vec()))
        }
    })
}

/// User and group names, each id looked up at most once.
#[derive(Default)]
pub struct Names {
    users: HashMap<u32, Option<Vec<u8>>>,
    groups: HashMap<u32, Option<Vec<u8>>>,
}

impl Names {
    /// The name of user `uid`; `None` when it has none.
    pub fn user(&mut self, uid: u32) -> Option<&[u8]> {
        self.users
            .entry(uid)
            .or_insert_with(|| passwd(uid).map(|p| p.name))
            .as_deref()
    }

    /// The name of group `gid`; `None` when it has none.
    pub fn group(&mut self, gid: u32) -> Option<&[u8]> {
        self.groups
            .entry(gid)
            .or_insert_with(|| group_name(gid))
            .as_deref()
    }

    /// The user name, or the uid in decimal when there is none (lsns USER).
    pub fn user_or_uid(&mut self, uid: u32) -> Vec<u8> {
        match self.user(uid) {
            Some(name) => name.to_vec(),
            None => uid.to_string().into_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_unknown_ids() {
        let mut names = Names::default();
        assert_eq!(names.user(0), Some(&b"root"[..]));
        assert_eq!(names.group(0), Some(&b"root"[..]));
        assert_eq!(names.user(3_999_999_999), None);
        assert_eq!(names.user_or_uid(3_999_999_999), b"3999999999".to_vec());
        assert!(passwd(0).is_some_and(|p| !p.shell.is_empty()));
        assert_eq!(uid_by_name("root"), Ok(Some(0)));
        assert_eq!(gid_by_name("root"), Ok(Some(0)));
        assert_eq!(uid_by_name("no-such-user-nsipc"), Ok(None));
        assert_eq!(gid_by_name("no-such-group-nsipc"), Ok(None));
    }
}
