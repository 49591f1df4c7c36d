//! The table of namespaces made from a snapshot: cells, tree, filter rows.

use super::{col_info, find_col, Col, Config, Tree};
use crate::containers;
use crate::filter::{self, DataType, Row};
use crate::names::Names;
use crate::output::{Column, Flags, JsonType, LineId, Table};
use nsipc::ns::discover::{NetNsId, NsInfo, Snapshot};
use nsipc::ns::Kind;
use std::borrow::Cow;
use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt;

/// Builds the table from a snapshot.
pub(super) struct Lister<'a> {
    pub(super) cfg: &'a Config,
    pub(super) snap: &'a Snapshot,
    pub(super) table: Table,
    /// Output column index of each configured column.
    pub(super) cols: Vec<(Col, usize)>,
    /// Per process: the line last added for it (process trees).
    pub(super) proc_line: Vec<Option<LineId>>,
    /// Per namespace: its line (owner/parent trees).
    pub(super) ns_line: Vec<Option<LineId>>,
    pub(super) names: Names,
    pub(super) commands: HashMap<i32, Option<Vec<u8>>>,
    pub(super) tree: Tree,
    pub(super) containers: nsipc::container::Resolver,
}

impl<'a> Lister<'a> {
    pub(super) fn new(cfg: &'a Config, snap: &'a Snapshot) -> Self {
        // JSON nests only for an explicit -T (see the module comment).
        let tree = if cfg.json && !cfg.explicit_tree {
            Tree::None
        } else {
            cfg.tree
        };
        let mut table = Table::with_name("namespaces");
        let mut cols = Vec::new();
        for &col in &cfg.columns {
            let info = col_info(col);
            let mut flags = info.flags;
            if cfg.no_trunc {
                flags = flags.without(Flags::TRUNC);
            }
            if tree == Tree::Process && col == Col::Command {
                flags = flags | Flags::TREE;
            }
            if cfg.no_wrap {
                flags = flags.without(Flags::WRAP);
            }
            if matches!(tree, Tree::Owner | Tree::Parent) && col == Col::Ns {
                flags = (flags | Flags::TREE).without(Flags::RIGHT);
            }
            if col == Col::Nsfs && !cfg.no_wrap {
                flags = flags | Flags::MULTILINE;
            }
            if cfg.sort == Some((col, true)) {
                flags = flags | Flags::HIDDEN;
            }
            let mut column = Column::new(info.name, info.width, flags).json(info.json);
            if col == Col::Nsfs && !cfg.no_wrap {
                column.safechars = b"\n";
            }
            cols.push((col, table.add_column(column)));
        }
        Lister {
            cfg,
            snap,
            table,
            cols,
            proc_line: vec![None; snap.processes.len()],
            ns_line: vec![None; snap.namespaces.len()],
            names: Names::default(),
            commands: HashMap::new(),
            tree,
            containers: nsipc::container::Resolver::new(),
        }
    }

    pub(super) fn ns_index(&self, ino: u64) -> Option<usize> {
        self.snap
            .namespaces
            .binary_search_by_key(&ino, |n| n.ino)
            .ok()
    }

    /// A related namespace (parent or owner) present in the listing.
    pub(super) fn related(&self, ns: usize, parent: bool) -> Option<usize> {
        let info = &self.snap.namespaces[ns];
        let ino = if parent { info.parent } else { info.owner }?;
        if ino == info.ino {
            return None;
        }
        self.ns_index(ino)
    }

    /// The parent process of process `p`, if it was read.
    pub(super) fn parent_process(&self, p: usize) -> Option<usize> {
        let proc = &self.snap.processes[p];
        match proc.thread_of {
            Some(leader) => self.snap.process_index(leader),
            None => self.snap.process_index(proc.ppid),
        }
    }

    pub(super) fn show_namespaces(&mut self) -> Result<(), filter::EvalError> {
        for i in 0..self.snap.namespaces.len() {
            let ns = &self.snap.namespaces[i];
            if let Some(pid) = self.cfg.task {
                if !ns
                    .members
                    .iter()
                    .any(|&m| self.snap.processes[m].pid == pid)
                {
                    continue;
                }
            }
            if self.cfg.persistent && !ns.members.is_empty() {
                continue;
            }
            if self.ns_line[i].is_none() {
                self.show_namespace(i, 0)?;
            }
        }
        Ok(())
    }

    /// One namespace, after its owner/parent ancestors in those trees.
    pub(super) fn show_namespace(
        &mut self,
        ns: usize,
        depth: usize,
    ) -> Result<(), filter::EvalError> {
        if depth < 64 {
            let up = match self.tree {
                Tree::Owner => self.related(ns, false),
                Tree::Parent => self.related(ns, true).or_else(|| self.related(ns, false)),
                _ => None,
            };
            if let Some(up) = up {
                if self.ns_line[up].is_none() {
                    self.show_namespace(up, depth + 1)?;
                }
            }
        }
        let holder = self.snap.namespaces[ns].holder;
        self.add_line(ns, holder)
    }

    /// The `<namespace ID>` mode: one line per member process.
    pub(super) fn show_members(&mut self, ns: &NsInfo) -> Result<(), filter::EvalError> {
        let ns_index = self.ns_index(ns.ino).unwrap_or(0);
        for &p in &ns.members {
            if self.proc_line[p].is_none() {
                self.show_member(ns_index, p, 0)?;
            }
        }
        Ok(())
    }

    pub(super) fn show_member(
        &mut self,
        ns: usize,
        p: usize,
        depth: usize,
    ) -> Result<(), filter::EvalError> {
        // Parents first, while they are in the same namespace.
        if self.tree == Tree::Process && depth < 4096 {
            if let Some(parent) = self.parent_process(p) {
                let kind = self.snap.namespaces[ns].kind as usize;
                let procs = &self.snap.processes;
                if self.proc_line[parent].is_none() && procs[parent].ns[kind] == procs[p].ns[kind] {
                    self.show_member(ns, parent, depth + 1)?;
                }
            }
        }
        self.add_line(ns, Some(p))
    }

    pub(super) fn add_line(
        &mut self,
        ns: usize,
        proc: Option<usize>,
    ) -> Result<(), filter::EvalError> {
        let parent_line = match self.tree {
            Tree::Process => proc
                .and_then(|p| self.parent_process(p))
                .and_then(|pp| self.proc_line[pp]),
            Tree::Parent => self.related(ns, true).and_then(|r| self.ns_line[r]),
            Tree::Owner => self.related(ns, false).and_then(|r| self.ns_line[r]),
            Tree::None => None,
        };
        if let Some(f) = &self.cfg.filter {
            let mut row = FilterRow {
                lister: self,
                ns,
                proc,
                cache: Vec::new(),
            };
            if !f.matches(&mut row)? {
                return Ok(());
            }
        }
        let line = self.table.new_line(parent_line);
        for k in 0..self.cols.len() {
            let (col, index) = self.cols[k];
            if let Some(data) = self.cell(col, ns, proc) {
                self.table.set(line, index, data);
            }
        }
        match (self.tree, proc) {
            (Tree::Owner | Tree::Parent, _) => self.ns_line[ns] = Some(line),
            (_, Some(p)) => self.proc_line[p] = Some(line),
            _ => {}
        }
        Ok(())
    }

    pub(super) fn command(&mut self, pid: i32) -> Option<Vec<u8>> {
        self.commands
            .entry(pid)
            .or_insert_with(|| crate::proc_command::command(pid))
            .clone()
    }

    pub(super) fn user(&mut self, uid: u32) -> Vec<u8> {
        self.names.user_or_uid(uid)
    }

    /// A cell's text; `None` for an empty cell.
    pub(super) fn cell(
        &mut self,
        col: Col,
        ns_index: usize,
        proc: Option<usize>,
    ) -> Option<Vec<u8>> {
        let ns = &self.snap.namespaces[ns_index];
        let proc = proc.map(|p| &self.snap.processes[p]);
        let uid = proc.map_or(ns.owner_uid.unwrap_or(0), |p| p.uid);
        let text = |s: String| Some(s.into_bytes());
        match col {
            Col::Ns => text(ns.ino.to_string()),
            Col::Type => text(ns.kind.proc_name().to_string()),
            Col::Path => {
                proc.and_then(|p| text(format!("/proc/{}/ns/{}", p.pid, ns.kind.proc_name())))
            }
            Col::Nprocs => text(ns.members.len().to_string()),
            Col::Pid => proc.and_then(|p| text(p.pid.to_string())),
            Col::Ppid => proc.and_then(|p| text(p.ppid.to_string())),
            Col::Command => {
                let pid = proc?.pid;
                self.command(pid)
            }
            Col::Uid => text(uid.to_string()),
            Col::User => Some(self.user(uid)),
            Col::NetNsId => match ns.netnsid {
                Some(NetNsId::Assigned(id)) if ns.kind == Kind::Net => text(id.to_string()),
                Some(NetNsId::Unassigned) if ns.kind == Kind::Net => text("unassigned".into()),
                _ => None,
            },
            Col::Nsfs => {
                let sep: &[u8] = if self.cfg.no_wrap { b"," } else { b"\n" };
                let targets = self.snap.nsfs_targets(ns);
                if targets.is_empty() {
                    return None;
                }
                let parts: Vec<&[u8]> = targets.iter().map(|t| t.as_os_str().as_bytes()).collect();
                Some(parts.join(sep))
            }
            Col::Pns => text(ns.parent.unwrap_or(0).to_string()),
            Col::Ons => text(ns.owner.unwrap_or(0).to_string()),
            Col::Container(field) => {
                let pid = proc?.pid;
                containers::cell(&self.containers.of_pid(pid)?, field)
            }
        }
    }
}

/// A would-be line as the filter sees it (cells computed on demand).
pub(super) struct FilterRow<'l, 'a> {
    pub(super) lister: &'l mut Lister<'a>,
    pub(super) ns: usize,
    pub(super) proc: Option<usize>,
    pub(super) cache: Vec<(Col, Option<Vec<u8>>)>,
}

impl Row for FilterRow<'_, '_> {
    fn cell(&mut self, name: &str) -> (DataType, Option<Cow<'_, [u8]>>) {
        let Some(col) = find_col(name) else {
            return (DataType::String, None);
        };
        let ty = match col_info(col).json {
            JsonType::Number => DataType::U64,
            _ => DataType::String,
        };
        let at = match self.cache.iter().position(|(c, _)| *c == col) {
            Some(at) => at,
            None => {
                let data = self.lister.cell(col, self.ns, self.proc);
                self.cache.push((col, data));
                self.cache.len() - 1
            }
        };
        (ty, self.cache[at].1.as_deref().map(Cow::Borrowed))
    }
}
