//! Failing calls name their call and object and keep the errno, against
//! the kernel.

use std::io;

use nsipc::ipc::sysv::{self, IpcId, Key};
use nsipc::ipc::{CreateOptions, Object, Operation, SysvKind};

/// The error of `r`, checked to be `errno` from `operation` on `object`
/// and to print as `text`.
fn check<T: std::fmt::Debug>(
    r: nsipc::ipc::Result<T>,
    errno: i32,
    operation: Operation,
    object: Object,
    text: &str,
) {
    let err = r.expect_err("must fail");
    assert_eq!(err.raw_os_error(), Some(errno), "{err}");
    assert_eq!(err.operation(), operation, "{err}");
    assert_eq!(err.object(), &object, "{err}");
    assert_eq!(err.to_string(), text);
    // Through `?` into io::Result, the errno stays.
    let io: io::Error = err.into();
    assert_eq!(io.raw_os_error(), Some(errno));
}

#[test]
fn system_v_errors_name_call_and_object() {
    crate::in_private_ipc("errors::system_v_errors_name_call_and_object", || {
        let key = Key::from_raw(0xabc);
        let excl = CreateOptions::new().mode(0o600).exclusive();
        let q = sysv::msg::create(key, excl).unwrap();
        check(
            sysv::msg::create(key, excl),
            libc::EEXIST,
            Operation::new("msgget"),
            Object::SysvKey(SysvKind::MessageQueue, key),
            "msgget on message queue key 0x00000abc: File exists",
        );
        sysv::msg::remove(q).unwrap();
        check(
            sysv::msg::remove(q),
            libc::EINVAL,
            Operation::with_command("msgctl", "IPC_RMID"),
            Object::SysvId(SysvKind::MessageQueue, q),
            &format!("msgctl(IPC_RMID) on message queue id {q}: Invalid argument"),
        );
        check(
            sysv::msg::lookup(key),
            libc::ENOENT,
            Operation::new("msgget"),
            Object::SysvKey(SysvKind::MessageQueue, key),
            "msgget on message queue key 0x00000abc: No such file or directory",
        );
        check(
            sysv::msg::stat_index(5),
            libc::EINVAL,
            Operation::with_command("msgctl", "MSG_STAT"),
            Object::SysvIndex(SysvKind::MessageQueue, 5),
            "msgctl(MSG_STAT) on message queue index 5: Invalid argument",
        );
        check(
            sysv::msg::set(q, &sysv::SetPerm::default(), None),
            libc::EINVAL,
            Operation::with_command("msgctl", "IPC_STAT"),
            Object::SysvId(SysvKind::MessageQueue, q),
            &format!("msgctl(IPC_STAT) on message queue id {q}: Invalid argument"),
        );

        check(
            sysv::shm::create(Key::from_raw(-2), 0, excl),
            libc::EINVAL,
            Operation::new("shmget"),
            Object::SysvKey(SysvKind::SharedMemory, Key::from_raw(-2)),
            "shmget on shared memory segment key 0xfffffffe: Invalid argument",
        );
        let gone = IpcId::from_raw(0x7ff0);
        check(
            sysv::shm::lock(gone),
            libc::EINVAL,
            Operation::with_command("shmctl", "SHM_LOCK"),
            Object::SysvId(SysvKind::SharedMemory, gone),
            "shmctl(SHM_LOCK) on shared memory segment id 32752: Invalid argument",
        );

        let s = sysv::sem::create(Key::PRIVATE, 2, excl).unwrap();
        sysv::sem::remove(s).unwrap();
        check(
            sysv::sem::semaphores(s),
            libc::EINVAL,
            Operation::with_command("semctl", "IPC_STAT"),
            Object::SysvId(SysvKind::SemaphoreSet, s),
            &format!("semctl(IPC_STAT) on semaphore set id {s}: Invalid argument"),
        );
        check(
            sysv::sem::remove(s),
            libc::EINVAL,
            Operation::with_command("semctl", "IPC_RMID"),
            Object::SysvId(SysvKind::SemaphoreSet, s),
            &format!("semctl(IPC_RMID) on semaphore set id {s}: Invalid argument"),
        );
        check(
            sysv::sem::create(Key::from_raw(0x5e), 0, excl),
            libc::EINVAL,
            Operation::new("semget"),
            Object::SysvKey(SysvKind::SemaphoreSet, Key::from_raw(0x5e)),
            "semget on semaphore set key 0x0000005e: Invalid argument",
        );
        // Nothing was left behind by the failures.
        assert!(sysv::msg::list().unwrap().is_empty());
        assert!(sysv::shm::list().unwrap().is_empty());
        assert!(sysv::sem::list().unwrap().is_empty());
    });
}
