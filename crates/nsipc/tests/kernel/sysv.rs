//! System V queues, segments and semaphore sets, against the kernel.

use nsipc::ipc::sysv::{self, Key, SetPerm, IPC_PRIVATE};
use nsipc::ipc::CreateOptions;

fn errno(r: nsipc::ipc::Result<impl std::fmt::Debug>) -> i32 {
    r.expect_err("must fail").raw_os_error().expect("an errno")
}

#[test]
fn message_queues() {
    crate::in_private_ipc("sysv::message_queues", || {
        let id = sysv::msg::create(
            Key::from_raw(0x100),
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .unwrap();
        assert_eq!(
            errno(sysv::msg::create(
                Key::from_raw(0x100),
                CreateOptions::new().mode(0o600).exclusive()
            )),
            libc::EEXIST
        );
        assert_eq!(
            sysv::msg::create(Key::from_raw(0x100), CreateOptions::new().mode(0o600)).unwrap(),
            id
        );
        assert_eq!(sysv::msg::lookup(Key::from_raw(0x100)).unwrap(), id);
        assert_eq!(errno(sysv::msg::lookup(Key::from_raw(0x101))), libc::ENOENT);

        let q = sysv::msg::stat(id).unwrap();
        assert_eq!(
            (q.perm.key, q.id, q.perm.mode & 0o777, q.qnum, q.cbytes),
            (Key::from_raw(0x100), id, 0o600, 0, 0)
        );
        let msgmnb = sysv::msg::limits().unwrap().msgmnb;
        assert_eq!(q.qbytes, Some(msgmnb));

        let change = SetPerm {
            uid: Some(4242),
            gid: Some(4343),
            mode: Some(0o640),
        };
        sysv::msg::set(id, &change, Some(1000)).unwrap();
        let q = sysv::msg::stat(id).unwrap();
        assert_eq!(
            (q.perm.uid, q.perm.gid, q.perm.mode & 0o777, q.qbytes),
            (4242, 4343, 0o640, Some(1000))
        );
        assert_eq!((q.perm.cuid, q.perm.cgid), (0, 0));

        // Private keys always make new queues.
        let p1 =
            sysv::msg::create(IPC_PRIVATE, CreateOptions::new().mode(0o600).exclusive()).unwrap();
        let p2 =
            sysv::msg::create(IPC_PRIVATE, CreateOptions::new().mode(0o600).exclusive()).unwrap();
        assert_ne!(p1, p2);

        // /proc and the syscall fallback agree (but for qbytes).
        let from_proc = sysv::msg::list().unwrap();
        let mut from_calls = sysv::msg::list_by_syscall().unwrap();
        from_calls.iter_mut().for_each(|q| q.qbytes = None);
        assert_eq!(from_proc, from_calls);
        assert_eq!(from_proc.len(), 3);

        let usage = sysv::msg::usage().unwrap();
        assert_eq!((usage.queues, usage.messages, usage.bytes), (3, 0, 0));
        let by_index = sysv::msg::stat_index(0).unwrap();
        assert!(from_proc.iter().any(|q| q.id == by_index.id));

        for q in [id, p1, p2] {
            sysv::msg::remove(q).unwrap();
        }
        assert_eq!(errno(sysv::msg::stat(id)), libc::EINVAL);
        assert!(sysv::msg::list().unwrap().is_empty());
        assert_eq!(sysv::msg::usage().unwrap().max_index, 0);
    });
}

#[test]
fn shared_memory() {
    crate::in_private_ipc("sysv::shared_memory", || {
        let id = sysv::shm::create(
            Key::from_raw(-7),
            12,
            CreateOptions::new().mode(0o644).exclusive(),
        )
        .unwrap();
        assert_eq!(sysv::shm::lookup(Key::from_raw(-7)).unwrap(), id);
        assert_eq!(
            errno(sysv::shm::create(
                IPC_PRIVATE,
                0,
                CreateOptions::new().mode(0o600)
            )),
            libc::EINVAL
        );
        let s = sysv::shm::stat(id).unwrap();
        assert_eq!(
            (s.perm.key, s.size, s.nattch, s.perm.mode & 0o777),
            (Key::from_raw(-7), 12, 0, 0o644)
        );
        assert!(!s.is_locked() && !s.is_dest());
        assert_eq!(s.cpid, std::process::id() as i32);

        sysv::shm::lock(id).unwrap();
        assert!(sysv::shm::stat(id).unwrap().is_locked());
        let listed = sysv::shm::list().unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].is_locked());
        assert!(listed[0].rss.is_some(), "/proc gives rss");
        sysv::shm::unlock(id).unwrap();
        assert!(!sysv::shm::stat(id).unwrap().is_locked());

        sysv::shm::set(
            id,
            &SetPerm {
                mode: Some(0o600),
                ..SetPerm::default()
            },
        )
        .unwrap();
        assert_eq!(sysv::shm::stat(id).unwrap().perm.mode & 0o777, 0o600);

        let usage = sysv::shm::usage().unwrap();
        assert_eq!((usage.segments, usage.pages, usage.max_index), (1, 1, 0));
        let limits = sysv::shm::limits().unwrap();
        assert!(limits.shmmni > 0 && limits.shmmin == 1);
        assert!(sysv::shm::page_size() >= 4096);

        sysv::shm::remove(id).unwrap();
        assert!(sysv::shm::list().unwrap().is_empty());
    });
}

#[test]
fn semaphore_sets() {
    crate::in_private_ipc("sysv::semaphore_sets", || {
        let id = sysv::sem::create(
            Key::from_raw(0x200),
            3,
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .unwrap();
        assert_eq!(
            errno(sysv::sem::create(
                Key::from_raw(0x201),
                0,
                CreateOptions::new().mode(0o600).exclusive()
            )),
            libc::EINVAL
        );
        assert_eq!(sysv::sem::lookup(Key::from_raw(0x200)).unwrap(), id);
        let set = sysv::sem::stat(id).unwrap();
        assert_eq!((set.nsems, set.otime), (3, 0));

        // One operation on semaphore 1: value 5, pid ours.
        let mut op = libc::sembuf {
            sem_num: 1,
            sem_op: 5,
            sem_flg: 0,
        };
        // SAFETY: one valid sembuf for a set we own.
        assert_eq!(unsafe { libc::semop(id.as_raw(), &mut op, 1) }, 0);
        let values = sysv::sem::semaphores(id).unwrap();
        assert_eq!(values.len(), 3);
        assert_eq!(values[1].value, 5);
        assert_eq!(values[1].pid, std::process::id() as i32);
        assert_eq!(
            (values[0].value, values[0].pid, values[2].ncount),
            (0, 0, 0)
        );
        assert!(sysv::sem::stat(id).unwrap().otime > 0);

        let usage = sysv::sem::usage().unwrap();
        assert_eq!((usage.sets, usage.semaphores), (1, 3));
        let limits = sysv::sem::limits().unwrap();
        assert!(limits.semmsl >= 3 && limits.semvmx == sysv::sem::SEMVMX);

        assert_eq!(
            sysv::sem::list().unwrap(),
            sysv::sem::list_by_syscall().unwrap()
        );
        sysv::sem::remove(id).unwrap();
        assert_eq!(errno(sysv::sem::semaphores(id)), libc::EINVAL);
        assert!(sysv::sem::list().unwrap().is_empty());
    });
}
