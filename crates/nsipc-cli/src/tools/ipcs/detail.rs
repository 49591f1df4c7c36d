//! `-i`: one object in detail.

use super::render::find;
use super::{Render, Unit};
use crate::output::format::alt_octal;
use crate::report::{Failure, Prog};
use nsipc::ipc::sysv;
use std::io::Write;

impl Render<'_> {
    pub(super) fn msg_detail(&mut self, prog: &Prog, id: i32) {
        let Some(mut q) = find(sysv::msg::find(id.into())) else {
            return prog.warnx(format_args!("id {id} not found"));
        };
        // /proc lacks qbytes; util-linux asks IPC_STAT and shows 0 when that
        // is not allowed.
        if q.qbytes.is_none() {
            q.qbytes = Some(
                sysv::msg::stat(id.into())
                    .ok()
                    .and_then(|s| s.qbytes)
                    .unwrap_or(0),
            );
        }
        let _ = write!(
            self.out,
            "\nMessage Queue msqid={id}\nuid={}\tgid={}\tcuid={}\tcgid={}\tmode={}\n",
            q.perm.uid,
            q.perm.gid,
            q.perm.cuid,
            q.perm.cgid,
            alt_octal(q.perm.mode)
        );
        let human = self.unit == Unit::Human;
        self.size(
            self.unit,
            Some(if human { "csize=" } else { "cbytes=" }),
            q.cbytes,
            "\t",
            0,
        );
        let qbytes = q.qbytes.unwrap_or(0);
        self.size(
            self.unit,
            Some(if human { "qsize=" } else { "qbytes=" }),
            qbytes,
            "\t",
            0,
        );
        let _ = writeln!(
            self.out,
            "qnum={}\tlspid={}\tlrpid={}",
            q.qnum, q.lspid, q.lrpid
        );
        for (label, t) in [
            ("send_time=", q.stime),
            ("rcv_time=", q.rtime),
            ("change_time=", q.ctime),
        ] {
            self.text(label);
            self.long_time(t, true);
            self.out.push(b'\n');
        }
        self.out.push(b'\n');
    }

    pub(super) fn shm_detail(&mut self, prog: &Prog, id: i32) {
        let Some(s) = find(sysv::shm::find(id.into())) else {
            return prog.warnx(format_args!("id {id} not found"));
        };
        let _ = write!(
            self.out,
            "\nShared memory Segment shmid={id}\nuid={}\tgid={}\tcuid={}\tcgid={}\n\
             mode={}\taccess_perms={}\n",
            s.perm.uid,
            s.perm.gid,
            s.perm.cuid,
            s.perm.cgid,
            alt_octal(s.perm.mode),
            alt_octal(s.perm.mode & 0o777)
        );
        let label = if self.unit == Unit::Human {
            "size="
        } else {
            "bytes="
        };
        self.size(self.unit, Some(label), s.size, "\t", 0);
        let _ = writeln!(
            self.out,
            "lpid={}\tcpid={}\tnattch={}",
            s.lpid, s.cpid, s.nattch
        );
        self.text("att_time=");
        self.long_time(s.atime, true);
        self.text("\ndet_time=");
        self.long_time(s.dtime, true);
        self.text("\nchange_time=");
        self.long_time(s.ctime, false);
        self.text("\n\n");
    }

    pub(super) fn sem_detail(&mut self, prog: &Prog, id: i32) -> Result<(), Failure> {
        let Some(s) = find(sysv::sem::find(id.into())) else {
            prog.warnx(format_args!("id {id} not found"));
            return Ok(());
        };
        // Values come before any output: a failure prints nothing on
        // stdout. util-linux asks GETVAL first and names it in the message;
        // GETALL fails for the same reasons (no read permission, gone).
        let values = sysv::sem::semaphores(id.into())
            .map_err(|e| prog.fail_errno("semctl(GETVAL) failed", &e.into()))?;
        let _ = write!(
            self.out,
            "\nSemaphore Array semid={id}\nuid={}\t gid={}\t cuid={}\t cgid={}\n\
             mode={}, access_perms={}\nnsems = {}\notime = ",
            s.perm.uid,
            s.perm.gid,
            s.perm.cuid,
            s.perm.cgid,
            alt_octal(s.perm.mode),
            alt_octal(s.perm.mode & 0o777),
            s.nsems
        );
        self.long_time(s.otime, true);
        self.text("\nctime = ");
        self.long_time(s.ctime, false);
        let _ = writeln!(
            self.out,
            "\n{:<10} {:<10} {:<10} {:<10} {:<10}",
            "semnum", "value", "ncount", "zcount", "pid"
        );
        for (num, v) in values.iter().enumerate() {
            let _ = writeln!(
                self.out,
                "{num:<10} {:<10} {:<10} {:<10} {:<10}",
                v.value, v.ncount, v.zcount, v.pid
            );
        }
        self.out.push(b'\n');
        Ok(())
    }
}
