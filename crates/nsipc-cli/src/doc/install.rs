//! `nsipc --install DIR [--prefix PREFIX] [-v]`.
//!
//! The convention packagers expect of a multi-call binary (busybox, coreutils'
//! single-binary build): one real `nsipc` in DIR and a *relative* symbolic
//! link per tool (`ipcs -> nsipc`). When the running binary is not already
//! DIR/nsipc (it runs from `target/release`), it is copied there first, so the
//! install survives `cargo clean` and moving the tree; relative links survive
//! moving DIR (a staging root, `DESTDIR`).
//!
//! Only DIR itself is created, never its parents: `nsipc --install
//! /nonexistent/bin` fails with mkdir's error and creates nothing. With a
//! prefix, man pages go to PREFIX/share/man/man1 and completions where each
//! shell looks: share/bash-completion/completions, share/zsh/vendor-completions
//! (Debian's directory, for PREFIX /usr) or share/zsh/site-functions (zsh's
//! own, for any other prefix), share/fish/vendor_completions.d. Those
//! directories are created with their parents, inside PREFIX only, which
//! must exist.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::report::{Prog, Stdout};
use crate::tools;

use super::{man_page, programs, Shell};

type InstallError = (String, PathBuf, io::Error);

fn err(what: &str, path: &Path) -> impl FnOnce(io::Error) -> InstallError {
    let (what, path) = (what.to_string(), path.to_path_buf());
    move |e| (what, path, e)
}

/// What was installed: a kind and its files.
struct Kind {
    label: String,
    dir: PathBuf,
    files: Vec<String>,
}

/// `nsipc --install DIR [--prefix PREFIX]`; `verbose` prints every file.
pub fn install(prog: &Prog, dir: &Path, prefix: Option<&Path>, verbose: bool) -> i32 {
    let mut done = Vec::new();
    let result = install_binary(dir, &mut done).and_then(|()| match prefix {
        Some(prefix) => install_docs(prefix, &mut done),
        None => Ok(()),
    });
    let mut out = Stdout::new();
    for kind in &done {
        let _ = if verbose {
            kind.files
                .iter()
                .try_for_each(|f| writeln!(out, "{}: {}", kind.label, kind.dir.join(f).display()))
        } else {
            writeln!(
                out,
                "{}: {} in {}",
                kind.label,
                kind.files.join(" "),
                kind.dir.display()
            )
        };
    }
    let status = match result {
        Ok(()) => 0,
        Err((what, path, e)) => {
            let _ = out.flush();
            prog.warn(format_args!("{what} {}", path.display()), &e);
            1
        }
    };
    out.finish(prog, status)
}

/// DIR itself (not its parents), like `mkdir DIR`.
fn make_dir(dir: &Path) -> Result<(), InstallError> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(("cannot create directory".into(), dir.to_path_buf(), e)),
    }
}

fn install_binary(dir: &Path, done: &mut Vec<Kind>) -> Result<(), InstallError> {
    let exe = std::env::current_exe().map_err(err("cannot find", Path::new("/proc/self/exe")))?;
    make_dir(dir)?;
    // Check every tool link first: a real file in the way stops the
    // install before anything is changed.
    let links: Vec<PathBuf> = tools::TOOLS.iter().map(|t| dir.join(t.name)).collect();
    for link in &links {
        if let Ok(meta) = fs::symlink_metadata(link) {
            if !meta.file_type().is_symlink() {
                return Err((
                    "cannot install".into(),
                    link.clone(),
                    io::Error::from_raw_os_error(libc::EEXIST),
                ));
            }
        }
    }
    let target = dir.join("nsipc");
    let same =
        fs::canonicalize(&target).is_ok_and(|t| fs::canonicalize(&exe).is_ok_and(|e| e == t));
    if !same {
        copy_binary(&exe, &target)?;
        done.push(Kind {
            label: "binary".into(),
            dir: dir.to_path_buf(),
            files: vec!["nsipc".into()],
        });
    }
    for link in &links {
        if fs::symlink_metadata(link).is_ok() {
            fs::remove_file(link).map_err(err("cannot replace", link))?;
        }
        std::os::unix::fs::symlink("nsipc", link).map_err(err("cannot install", link))?;
    }
    done.push(Kind {
        label: "tool links (-> nsipc)".into(),
        dir: dir.to_path_buf(),
        files: tools::TOOLS.iter().map(|t| t.name.to_string()).collect(),
    });
    Ok(())
}

/// Copies through a temporary file and a rename, so a running nsipc at
/// `target` is never overwritten in place.
fn copy_binary(exe: &Path, target: &Path) -> Result<(), InstallError> {
    if fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        return Err((
            "cannot install".into(),
            target.to_path_buf(),
            io::Error::from_raw_os_error(libc::EISDIR),
        ));
    }
    let tmp = target.with_file_name(".nsipc.install.tmp");
    fs::copy(exe, &tmp).map_err(err("cannot install", &tmp))?;
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755))
        .map_err(err("cannot install", &tmp))?;
    fs::rename(&tmp, target).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        ("cannot install".to_string(), target.to_path_buf(), e)
    })
}

/// The directory each shell reads completions from, under `prefix`.
pub(super) fn completion_dir(prefix: &Path, shell: Shell) -> PathBuf {
    prefix.join(match shell {
        Shell::Bash => "share/bash-completion/completions",
        Shell::Zsh if prefix == Path::new("/usr") => "share/zsh/vendor-completions",
        Shell::Zsh => "share/zsh/site-functions",
        Shell::Fish => "share/fish/vendor_completions.d",
    })
}

fn completion_file(shell: Shell, name: &str) -> String {
    match shell {
        Shell::Bash => name.to_string(),
        Shell::Zsh => format!("_{name}"),
        Shell::Fish => format!("{name}.fish"),
    }
}

fn write_all(dir: &Path, files: &[(String, String)]) -> Result<(), InstallError> {
    for (name, text) in files {
        let path = dir.join(name);
        fs::write(&path, text).map_err(err("cannot install", &path))?;
    }
    Ok(())
}

fn install_docs(prefix: &Path, done: &mut Vec<Kind>) -> Result<(), InstallError> {
    if !prefix.is_dir() {
        return Err((
            "cannot install into".into(),
            prefix.to_path_buf(),
            io::Error::from_raw_os_error(libc::ENOENT),
        ));
    }
    let programs = programs();
    let man = prefix.join("share/man/man1");
    let mut sets = vec![(
        "man pages".to_string(),
        man,
        programs
            .iter()
            .map(|p| (format!("{}.1", p.doc.name), man_page(p)))
            .collect::<Vec<_>>(),
    )];
    for shell in Shell::ALL {
        let label = format!("{} completions", shell.name());
        sets.push((
            label,
            completion_dir(prefix, shell),
            programs
                .iter()
                .map(|p| (completion_file(shell, p.doc.name), shell.script(p)))
                .collect(),
        ));
    }
    for (label, dir, files) in sets {
        fs::create_dir_all(&dir).map_err(err("cannot create directory", &dir))?;
        write_all(&dir, &files)?;
        done.push(Kind {
            label,
            dir,
            files: files.into_iter().map(|(n, _)| n).collect(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zsh_directory_depends_on_the_prefix() {
        assert_eq!(
            completion_dir(Path::new("/usr"), Shell::Zsh),
            Path::new("/usr/share/zsh/vendor-completions")
        );
        assert_eq!(
            completion_dir(Path::new("/usr/local"), Shell::Zsh),
            Path::new("/usr/local/share/zsh/site-functions")
        );
        assert_eq!(
            completion_dir(Path::new("/opt/x"), Shell::Fish),
            Path::new("/opt/x/share/fish/vendor_completions.d")
        );
    }
}
