//! The orphan rules and the re-check before removal, against the kernel.

use nsipc::ipc::orphans::{self, Recheck};
use nsipc::ipc::sysv::{self, IpcId, Key};
use nsipc::ipc::CreateOptions;

/// Makes segment `key` in a child process that then exits: its creator is
/// gone, as after a crash.
fn segment_of_a_dead_creator(key: i32) -> IpcId {
    // SAFETY: the child only makes raw syscalls (shmget, _exit) before it
    // ends; the parent reaps it.
    unsafe {
        let pid = libc::fork();
        assert!(pid >= 0);
        if pid == 0 {
            let rc = libc::shmget(key, 4096, libc::IPC_CREAT | 0o600);
            libc::_exit(if rc < 0 { 1 } else { 0 });
        }
        let mut status = 0;
        assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
        assert_eq!(status, 0);
    }
    sysv::shm::lookup(Key::from_raw(key)).unwrap()
}

#[test]
fn recheck_of_a_segment() {
    crate::in_private_ipc("orphans::recheck_of_a_segment", || {
        let id = segment_of_a_dead_creator(0x5151);
        let listed = sysv::shm::stat(id).unwrap();
        assert!(orphans::shm_unused(&listed));
        assert_eq!(orphans::recheck_shm(&listed).unwrap(), Recheck::Unused);

        // Someone attaches after the listing: the object is in use now.
        // SAFETY: attaching a segment of this namespace; detached below.
        let addr = unsafe { libc::shmat(id.as_raw(), std::ptr::null(), 0) };
        assert_ne!(addr as isize, -1);
        assert_eq!(orphans::recheck_shm(&listed).unwrap(), Recheck::InUse);
        // SAFETY: `addr` is the attachment made above.
        unsafe { libc::shmdt(addr) };
        // Detached, but the last user (this process) is alive.
        assert_eq!(orphans::recheck_shm(&listed).unwrap(), Recheck::InUse);

        // Removed and made again under the same key: another object.
        sysv::shm::remove(id).unwrap();
        assert_eq!(orphans::recheck_shm(&listed).unwrap(), Recheck::Replaced);
        let again = segment_of_a_dead_creator(0x5151);
        let mut stale = listed.clone();
        stale.id = again;
        assert_eq!(orphans::recheck_shm(&stale).unwrap(), Recheck::Replaced);
        sysv::shm::remove(again).unwrap();
    });
}

#[test]
fn recheck_of_queues_and_semaphores() {
    crate::in_private_ipc("orphans::recheck_of_queues_and_semaphores", || {
        let q = sysv::msg::create(
            Key::from_raw(0x77),
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .unwrap();
        let listed = sysv::msg::stat(q).unwrap();
        assert!(orphans::msg_unused(&listed));
        assert_eq!(orphans::recheck_msg(&listed).unwrap(), Recheck::Unused);
        // A message from a live process: in use.
        let msg: [libc::c_long; 2] = [1, 0];
        assert_eq!(
            // SAFETY: a valid message buffer of one byte of text.
            unsafe { libc::msgsnd(q.as_raw(), msg.as_ptr().cast(), 1, 0) },
            0
        );
        assert_eq!(orphans::recheck_msg(&listed).unwrap(), Recheck::InUse);
        sysv::msg::remove(q).unwrap();
        assert_eq!(orphans::recheck_msg(&listed).unwrap(), Recheck::Replaced);

        let s = sysv::sem::create(
            Key::from_raw(0x78),
            3,
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .unwrap();
        let listed = sysv::sem::stat(s).unwrap();
        assert_eq!(sysv::sem::last_pids(s).unwrap(), vec![0, 0, 0]);
        assert_eq!(orphans::recheck_sem(&listed).unwrap(), Recheck::Unused);
        let mut op = libc::sembuf {
            sem_num: 2,
            sem_op: 1,
            sem_flg: 0,
        };
        // SAFETY: one valid sembuf.
        assert_eq!(unsafe { libc::semop(s.as_raw(), &mut op, 1) }, 0);
        let me = std::process::id() as i32;
        assert_eq!(sysv::sem::last_pids(s).unwrap(), vec![0, 0, me]);
        assert_eq!(orphans::recheck_sem(&listed).unwrap(), Recheck::InUse);
        sysv::sem::remove(s).unwrap();
    });
}
