//! The listing sections of each kind: rows in each format, limits and
//! summaries.

use super::printf::{int, put_left, Pad};
use super::render::total_or_clamp;
use super::{Format, Render, Unit};
use nsipc::ipc::sysv::{self, MsgQueue, SemSet, ShmSegment};
use std::io::Write;

impl Render<'_> {
    pub(super) fn msg_section(&mut self, format: Format) {
        match format {
            Format::Limits => return self.msg_limits(),
            Format::Summary => return self.msg_summary(),
            Format::Creator => self.text(
                "------ Message Queues Creators/Owners --------\n\
                 msqid      perms      cuid       cgid       uid        gid       \n",
            ),
            Format::Time => self.text(
                "------ Message Queues Send/Recv/Change Times --------\n\
                 msqid    owner      send                 recv                 change              \n",
            ),
            Format::Pid => self.text(
                "------ Message Queues PIDs --------\n\
                 msqid      owner      lspid      lrpid     \n",
            ),
            Format::Default => {
                self.text("------ Message Queues --------\n");
                let size = if self.unit == Unit::Human { "size" } else { "used-bytes" };
                let _ = writeln!(
                    self.out,
                    "{:<10} {:<10} {:<10} {:<10} {size:<12} {:<12}",
                    "key", "msqid", "owner", "perms", "messages"
                );
            }
        }
        // Nothing to list when neither /proc nor the syscalls answer.
        let _ = sysv::msg::for_each(|q| {
            self.msg_row(format, &q);
            self.row_done();
        });
    }

    pub(super) fn msg_row(&mut self, format: Format, q: &MsgQueue) {
        match format {
            Format::Creator => self.creator_row(q.id.as_raw(), &q.perm),
            Format::Time => {
                self.id_owner(q.id.as_raw(), 8, q.perm.uid);
                self.short_time(q.stime);
                self.short_time(q.rtime);
                self.short_time(q.ctime);
                self.out.push(b'\n');
            }
            Format::Pid => {
                self.id_owner(q.id.as_raw(), 8, q.perm.uid);
                self.text("  ");
                int(&mut self.out, q.lspid, 10, 5, Pad::Right);
                self.text("     ");
                int(&mut self.out, q.lrpid, 10, 5, Pad::Right);
                self.out.push(b'\n');
            }
            _ => {
                self.head(q.id.as_raw(), &q.perm);
                if self.unit == Unit::Human {
                    self.size(Unit::Human, None, q.cbytes, "      ", 6);
                } else {
                    self.size(self.unit, None, q.cbytes, "", -12);
                }
                self.out.push(b' ');
                int(&mut self.out, q.qnum, 10, 12, Pad::Left);
                self.out.push(b'\n');
            }
        }
    }

    pub(super) fn msg_limits(&mut self) {
        let Ok(lim) = sysv::msg::limits() else {
            return self.text("unable to fetch message limits\n");
        };
        let unit = if self.unit == Unit::Default {
            Unit::Bytes
        } else {
            self.unit
        };
        self.text("------ Messages Limits --------\n");
        let _ = writeln!(self.out, "max queues system wide = {}", lim.msgmni);
        self.size(unit, Some("max size of message"), lim.msgmax, "\n", 0);
        self.size(unit, Some("default max size of queue"), lim.msgmnb, "\n", 0);
    }

    pub(super) fn msg_summary(&mut self) {
        let Ok(usage) = sysv::msg::usage() else {
            return self.text("kernel not configured for message queues\n");
        };
        self.text("------ Messages Status --------\n");
        let _ = writeln!(self.out, "allocated queues = {}", usage.queues);
        let _ = writeln!(self.out, "used headers = {}", usage.messages);
        let end = if self.unit == Unit::Default {
            " bytes\n"
        } else {
            "\n"
        };
        self.size(self.unit, Some("used space"), usage.bytes, end, 0);
    }

    pub(super) fn shm_section(&mut self, format: Format) {
        match format {
            Format::Limits => return self.shm_limits(),
            Format::Summary => return self.shm_summary(),
            Format::Creator => self.text(
                "------ Shared Memory Segment Creators/Owners --------\n\
                 shmid      perms      cuid       cgid       uid        gid       \n",
            ),
            Format::Time => self.text(
                "------ Shared Memory Attach/Detach/Change Times --------\n\
                 shmid      owner      attached             detached             changed             \n",
            ),
            Format::Pid => self.text(
                "------ Shared Memory Creator/Last-op PIDs --------\n\
                 shmid      owner      cpid       lpid      \n",
            ),
            Format::Default => {
                self.text("------ Shared Memory Segments --------\n");
                let size = if self.unit == Unit::Human { "size" } else { "bytes" };
                let _ = writeln!(
                    self.out,
                    "{:<10} {:<10} {:<10} {:<10} {size:<10} {:<10} {:<12}",
                    "key", "shmid", "owner", "perms", "nattch", "status"
                );
            }
        }
        // Nothing to list when neither /proc nor the syscalls answer.
        let _ = sysv::shm::for_each(|s| {
            self.shm_row(format, &s);
            self.row_done();
        });
    }

    pub(super) fn shm_row(&mut self, format: Format, s: &ShmSegment) {
        match format {
            Format::Creator => self.creator_row(s.id.as_raw(), &s.perm),
            Format::Time => {
                self.id_owner(s.id.as_raw(), 10, s.perm.uid);
                self.short_time(s.atime);
                self.short_time(s.dtime);
                self.short_time(s.ctime);
                self.out.push(b'\n');
            }
            Format::Pid => {
                self.id_owner(s.id.as_raw(), 10, s.perm.uid);
                self.out.push(b' ');
                int(&mut self.out, s.cpid, 10, 10, Pad::Left);
                self.out.push(b' ');
                int(&mut self.out, s.lpid, 10, 10, Pad::Left);
                self.out.push(b'\n');
            }
            _ => {
                self.head(s.id.as_raw(), &s.perm);
                if self.unit == Unit::Human {
                    self.size(Unit::Human, None, s.size, "    ", 6);
                } else {
                    self.size(self.unit, None, s.size, "", -10);
                }
                self.out.push(b' ');
                int(&mut self.out, s.nattch, 10, 10, Pad::Left);
                self.out.push(b' ');
                put_left(
                    &mut self.out,
                    if s.is_dest() { b"dest" } else { b" " },
                    6,
                    6,
                );
                self.out.push(b' ');
                put_left(
                    &mut self.out,
                    if s.is_locked() { b"locked" } else { b" " },
                    6,
                    6,
                );
                self.out.push(b'\n');
            }
        }
    }

    pub(super) fn shm_limits(&mut self) {
        let Ok(lim) = sysv::shm::limits() else {
            return self.text("unable to fetch shared memory limits\n");
        };
        let page = sysv::shm::page_size();
        self.text("------ Shared Memory Limits --------\n");
        let _ = writeln!(self.out, "max number of segments = {}", lim.shmmni);
        let unit = if self.unit == Unit::Default {
            Unit::Kb
        } else {
            self.unit
        };
        self.size(unit, Some("max seg size"), lim.shmmax, "\n", 0);
        // shmall is in pages and its default (ULONG_MAX - 2^24) overflows
        // when multiplied out: clamp to the largest whole multiple, as
        // util-linux does (its limits tests expect exactly this).
        if matches!(self.unit, Unit::Default | Unit::Kb) {
            let per_page = page / 1024;
            let total = total_or_clamp(lim.shmall, per_page);
            self.size(
                Unit::Default,
                Some("max total shared memory (kbytes)"),
                total,
                "\n",
                0,
            );
        } else {
            let total = total_or_clamp(lim.shmall, page);
            self.size(self.unit, Some("max total shared memory"), total, "\n", 0);
        }
        let unit = if self.unit == Unit::Default {
            Unit::Bytes
        } else {
            self.unit
        };
        self.size(unit, Some("min seg size"), lim.shmmin, "\n", 0);
    }

    pub(super) fn shm_summary(&mut self) {
        let Ok(u) = sysv::shm::usage() else {
            return self.text("kernel not configured for shared memory\n");
        };
        self.text("------ Shared Memory Status --------\n");
        let _ = write!(
            self.out,
            "segments allocated {}\npages allocated {}\npages resident  {}\n\
             pages swapped   {}\nSwap performance: {} attempts\t {} successes\n",
            u.segments, u.pages, u.resident, u.swapped, u.swap_attempts, u.swap_successes
        );
    }

    pub(super) fn sem_section(&mut self, format: Format) {
        match format {
            Format::Limits => return self.sem_limits(),
            Format::Summary => return self.sem_summary(),
            Format::Creator => self.text(
                "------ Semaphore Arrays Creators/Owners --------\n\
                 semid      perms      cuid       cgid       uid        gid       \n",
            ),
            Format::Time => self.text(
                "------ Semaphore Operation/Change Times --------\n\
                 semid    owner      last-op                    last-changed              \n",
            ),
            // util-linux has no PID view of semaphores: not even a title.
            Format::Pid => return,
            Format::Default => self.text(
                "------ Semaphore Arrays --------\n\
                 key        semid      owner      perms      nsems     \n",
            ),
        }
        // Nothing to list when neither /proc nor the syscalls answer.
        let _ = sysv::sem::for_each(|s| {
            self.sem_row(format, &s);
            self.row_done();
        });
    }

    pub(super) fn sem_row(&mut self, format: Format, s: &SemSet) {
        match format {
            Format::Creator => self.creator_row(s.id.as_raw(), &s.perm),
            Format::Time => {
                self.id_owner(s.id.as_raw(), 8, s.perm.uid);
                self.text("  ");
                self.long_time(s.otime, true);
                self.out.push(b' ');
                self.long_time(s.ctime, true);
                self.out.push(b'\n');
            }
            _ => {
                self.head(s.id.as_raw(), &s.perm);
                int(&mut self.out, s.nsems, 10, 10, Pad::Left);
                self.out.push(b'\n');
            }
        }
    }

    pub(super) fn sem_limits(&mut self) {
        let Ok(lim) = sysv::sem::limits() else {
            return self.text("unable to fetch semaphore limits\n");
        };
        let _ = write!(
            self.out,
            "------ Semaphore Limits --------\nmax number of arrays = {}\n\
             max semaphores per array = {}\nmax semaphores system wide = {}\n\
             max ops per semop call = {}\nsemaphore max value = {}\n",
            lim.semmni, lim.semmsl, lim.semmns, lim.semopm, lim.semvmx
        );
    }

    pub(super) fn sem_summary(&mut self) {
        let Ok(u) = sysv::sem::usage() else {
            return self.text("kernel not configured for semaphores\n");
        };
        let _ = write!(
            self.out,
            "------ Semaphore Status --------\nused arrays = {}\nallocated semaphores = {}\n",
            u.sets, u.semaphores
        );
    }
}
