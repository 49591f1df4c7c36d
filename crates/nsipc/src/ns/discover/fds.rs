//! Namespaces found through the file descriptors processes hold open:
//! nsfs files and sockets (`pidfd_getfd` + `SIOCGSKNS`), and the network
//! subsystem's id of a namespace (NETNSID) over rtnetlink.

use crate::Pid;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

use super::process::numeric_entries;
use rustix::fs::{AtFlags, Mode, OFlags};

use super::{Kinds, Namespace, NetNsId, ScanError, Scanner};

/// `SIOCGSKNS`: the network namespace of a socket.
fn socket_namespace(sock: BorrowedFd<'_>) -> io::Result<Namespace> {
    Namespace::from_fd(crate::ns::ioctl::socket_net_namespace(sock)?)
}

// ---------------------------------------------------------------------------
// NETNSID over rtnetlink

/// A NETLINK_ROUTE socket asking for namespace ids (`RTM_GETNSID`).
pub(super) struct NsIdSocket(OwnedFd);

const NETNSA_NSID: u16 = 1;
const NETNSA_FD: u16 = 3;
const RTM_NEWNSID: u16 = 88;

impl NsIdSocket {
    pub(super) fn open() -> io::Result<NsIdSocket> {
        use rustix::net::{socket_with, AddressFamily, SocketFlags, SocketType};
        // Protocol `None` is 0, NETLINK_ROUTE.
        let fd = socket_with(
            AddressFamily::NETLINK,
            SocketType::RAW,
            SocketFlags::CLOEXEC,
            None,
        )?;
        Ok(NsIdSocket(fd))
    }

    /// The id `target` (a network namespace fd) has in our namespace.
    pub(super) fn query(&self, target: BorrowedFd<'_>) -> Option<NetNsId> {
        // nlmsghdr (16) + rtgenmsg padded to 4 + rtattr (4) + i32: the
        // request util-linux and iproute2 send.
        let mut req = [0u8; 28];
        req[0..4].copy_from_slice(&28u32.to_ne_bytes());
        req[4..6].copy_from_slice(&libc::RTM_GETNSID.to_ne_bytes());
        req[6..8].copy_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes());
        req[16] = libc::AF_UNSPEC as u8;
        req[20..22].copy_from_slice(&8u16.to_ne_bytes());
        req[22..24].copy_from_slice(&NETNSA_FD.to_ne_bytes());
        req[24..28].copy_from_slice(&target.as_raw_fd().to_ne_bytes());
        rustix::net::send(&self.0, &req, rustix::net::SendFlags::empty()).ok()?;
        let mut buf = [0u8; 256];
        let (n, _) = rustix::net::recv(&self.0, &mut buf, rustix::net::RecvFlags::empty()).ok()?;
        parse_nsid_reply(&buf[..n.min(buf.len())])
    }
}

/// Parses an `RTM_NEWNSID` reply; pure, for testing.
fn parse_nsid_reply(msg: &[u8]) -> Option<NetNsId> {
    let u16_at = |i: usize| msg.get(i..i + 2).map(|b| u16::from_ne_bytes([b[0], b[1]]));
    let len = msg
        .get(0..4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))? as usize;
    if len > msg.len() || len < 28 || u16_at(4)? != RTM_NEWNSID {
        return None;
    }
    let rta_len = u16_at(20)? as usize;
    if rta_len < 8 || 20 + rta_len > len || u16_at(22)? != NETNSA_NSID {
        return None;
    }
    let id = i32::from_ne_bytes(msg.get(24..28)?.try_into().ok()?);
    Some(if id == -1 {
        NetNsId::Unassigned
    } else {
        NetNsId::Assigned(id)
    })
}

impl Scanner {
    /// `/proc/PID/fd/*`: nsfs files and sockets.
    pub(super) fn read_open_fds(&mut self, dir: BorrowedFd<'_>, pid: Pid) -> Result<(), ScanError> {
        let fd_dir = match rustix::fs::openat(
            dir,
            "fd",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd_dir) => fd_dir,
            Err(e) => return super::process::unless_vanished(pid, "/fd", e.into()),
        };
        let Some((fd_dir, fds)) = numeric_entries(fd_dir) else {
            return Ok(());
        };
        let Ok(fd_dir) = fd_dir.fd() else {
            return Ok(());
        };
        let mut pidfd: Option<OwnedFd> = None;
        let mut name = [0u8; 10];
        for num in fds {
            let name = super::process::decimal(num as u32, &mut name);
            let Ok(st) = rustix::fs::statat(fd_dir, name, AtFlags::empty()) else {
                continue;
            };
            if Some(st.st_dev) == self.nsfs_dev {
                if self.snap.index.contains_key(&st.st_ino) {
                    continue;
                }
                if let Ok(fd) = rustix::fs::openat(
                    fd_dir,
                    name,
                    OFlags::RDONLY | OFlags::CLOEXEC,
                    Mode::empty(),
                ) {
                    if let Ok(handle) = Namespace::from_fd(fd) {
                        self.add_namespace_fd(&handle, st.st_ino, 0)?;
                    }
                }
            } else if st.st_mode & libc::S_IFMT == libc::S_IFSOCK
                && self.opts.kinds.contains(Kinds::NET)
            {
                // A socket shared by several processes is asked about once.
                if !self.seen_sockets.insert((st.st_dev, st.st_ino)) {
                    continue;
                }
                if pidfd.is_none() {
                    pidfd = crate::procfs::pidfd_open(pid).ok();
                }
                let Some(pidfd) = &pidfd else { continue };
                self.add_socket_namespace(pidfd.as_fd(), num)?;
            }
        }
        Ok(())
    }

    /// The network namespace of another process's socket. Extra
    /// information: every failure is ignored.
    pub(super) fn add_socket_namespace(
        &mut self,
        pidfd: BorrowedFd<'_>,
        num: i32,
    ) -> Result<(), ScanError> {
        let Ok(sock) =
            rustix::process::pidfd_getfd(pidfd, num, rustix::process::PidfdGetfdFlags::empty())
        else {
            return Ok(());
        };
        let Ok(handle) = socket_namespace(sock.as_fd()) else {
            return Ok(());
        };
        let Ok(ino) = handle.inode() else {
            return Ok(());
        };
        self.add_namespace_fd(&handle, ino, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nsid_reply() {
        let mut msg = [0u8; 28];
        msg[0..4].copy_from_slice(&28u32.to_ne_bytes());
        msg[4..6].copy_from_slice(&RTM_NEWNSID.to_ne_bytes());
        msg[20..22].copy_from_slice(&8u16.to_ne_bytes());
        msg[22..24].copy_from_slice(&NETNSA_NSID.to_ne_bytes());
        msg[24..28].copy_from_slice(&(-1i32).to_ne_bytes());
        assert_eq!(parse_nsid_reply(&msg), Some(NetNsId::Unassigned));
        msg[24..28].copy_from_slice(&7i32.to_ne_bytes());
        assert_eq!(parse_nsid_reply(&msg), Some(NetNsId::Assigned(7)));
        assert_eq!(parse_nsid_reply(&msg[..20]), None);
    }
}
