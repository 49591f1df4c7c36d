//! A `getopt_long`-compatible command-line layer over [`lexopt`].
//!
//! Every tool declares its options once, as a [`ToolSpec`] holding a table of
//! [`Opt`]s. The same table drives parsing (this module), `--help`
//! ([`ToolSpec::help`]), and the man pages and shell completions
//! (`crate::doc`). Nothing about an option is written twice.
//!
//! Why not clap: util-linux scripts depend on glibc `getopt_long` details that
//! clap cannot express — optional values that must be attached (`nsenter
//! -u/proc/1/ns/uts`, `-iu` meaning "ipc namespace file `u`"), `-m=/x` meaning
//! the file `=/x`, unique prefixes of long options with getopt's "is ambiguous;
//! possibilities:" message, exit status 1 for usage errors, and stopping at the
//! program name (`+`). lexopt tokenises; this layer adds the table lookup,
//! prefix matching and glibc's exact messages.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;

use crate::report::{Failure, Prog};

mod spec;
#[cfg(test)]
mod tests;

pub use spec::{HasArg, Opt, OptDoc, Ordering, ToolSpec};

/// One parsed command-line element.
#[derive(Debug, PartialEq, Eq)]
pub enum Arg<T> {
    /// An option with its value (`None` for flags and absent optional values).
    Opt(T, Option<OsString>),
    /// A non-option word (only with [`Ordering::Permute`]).
    Operand(OsString),
    /// With [`Ordering::StopAtOperand`]: the program and its arguments,
    /// returned once, as the last element.
    Program(Vec<OsString>),
}

/// A usage error in getopt's words. Displayed as glibc prints it (without the
/// program name and the "Try --help" line, which [`crate::report`] adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// The option character as glibc prints it: its first byte.
    UnknownShort(String),
    UnknownLong(String),
    Ambiguous(String, Vec<&'static str>),
    MissingShortValue(char),
    MissingLongValue(&'static str),
    UnexpectedLongValue(&'static str),
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::UnknownShort(c) => write!(f, "invalid option -- '{c}'"),
            UsageError::UnknownLong(s) => write!(f, "unrecognized option '--{s}'"),
            UsageError::Ambiguous(s, names) => {
                write!(f, "option '--{s}' is ambiguous; possibilities:")?;
                for name in names {
                    write!(f, " '--{name}'")?;
                }
                Ok(())
            }
            UsageError::MissingShortValue(c) => write!(f, "option requires an argument -- '{c}'"),
            UsageError::MissingLongValue(s) => write!(f, "option '--{s}' requires an argument"),
            UsageError::UnexpectedLongValue(s) => {
                write!(f, "option '--{s}' doesn't allow an argument")
            }
        }
    }
}

/// The parser: yields [`Arg`]s in command-line order.
pub struct Getopt<T: 'static> {
    spec: &'static ToolSpec<T>,
    parser: lexopt::Parser,
    done: bool,
    /// The arguments as given: lexopt turns bytes that are not UTF-8 in
    /// option names into U+FFFD, glibc's messages show the bytes.
    raw: Vec<OsString>,
}

impl<T: Copy> Getopt<T> {
    /// Parses `args` (without `argv[0]`) against `spec`.
    pub fn new<I>(spec: &'static ToolSpec<T>, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<OsString>,
    {
        let raw: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let mut parser = lexopt::Parser::from_args(raw.clone());
        // getopt gives `-m=/x` the value "=/x"; tools strip '=' where
        // util-linux master does.
        parser.set_short_equals(false);
        Getopt {
            spec,
            parser,
            done: false,
            raw,
        }
    }

    /// Parses everything at once.
    pub fn collect_all(self) -> Result<Vec<Arg<T>>, UsageError> {
        let mut out = Vec::new();
        let mut this = self;
        while let Some(arg) = this.next_arg()? {
            out.push(arg);
        }
        Ok(out)
    }

    /// [`Getopt::next_arg`] with a usage error reported in glibc's words
    /// and the "Try --help" line, as every tool needs it.
    pub fn next_or_fail(&mut self, prog: &Prog) -> Result<Option<Arg<T>>, Failure> {
        self.next_arg().map_err(|e| prog.getopt_error(&e))
    }

    /// The next element, `Ok(None)` at the end.
    pub fn next_arg(&mut self) -> Result<Option<Arg<T>>, UsageError> {
        if self.done {
            return Ok(None);
        }
        let token = match self.parser.next() {
            Ok(Some(token)) => token,
            Ok(None) => return Ok(None),
            Err(e) => return Err(self.convert_lexopt_error(e)),
        };
        match token {
            lexopt::Arg::Short(c) => self.short(c).map(Some),
            lexopt::Arg::Long(name) => {
                let name = name.to_string();
                self.long(&name).map(Some)
            }
            lexopt::Arg::Value(word) => match self.spec.ordering {
                Ordering::Permute => Ok(Some(Arg::Operand(word))),
                Ordering::StopAtOperand => {
                    self.done = true;
                    let mut program = vec![word];
                    if let Ok(rest) = self.parser.raw_args() {
                        program.extend(rest);
                    }
                    Ok(Some(Arg::Program(program)))
                }
            },
        }
    }

    fn short(&mut self, c: char) -> Result<Arg<T>, UsageError> {
        let Some(opt) = self.spec.options.iter().find(|o| o.short == Some(c)) else {
            return Err(UsageError::UnknownShort(self.short_shown(c)));
        };
        let value = match opt.arg {
            HasArg::No => None,
            HasArg::Optional if opt.short_is_flag => None,
            HasArg::Optional => self.parser.optional_value(),
            HasArg::Required => Some(
                self.parser
                    .value()
                    .map_err(|_| UsageError::MissingShortValue(c))?,
            ),
        };
        Ok(Arg::Opt(opt.id, value))
    }

    fn long(&mut self, typed: &str) -> Result<Arg<T>, UsageError> {
        let opt = match self.resolve_long(typed) {
            Ok(opt) => opt,
            Err(e) => {
                // glibc quotes the whole word, including any "=value".
                let attached = self.parser.optional_value();
                let full = self
                    .long_shown(typed)
                    .unwrap_or_else(|| with_attached(typed, attached.as_deref()));
                return Err(match e {
                    UsageError::Ambiguous(_, names) => UsageError::Ambiguous(full, names),
                    _ => UsageError::UnknownLong(full),
                });
            }
        };
        let value = match opt.arg {
            HasArg::No => {
                if self.parser.optional_value().is_some() {
                    return Err(UsageError::UnexpectedLongValue(opt.long));
                }
                None
            }
            HasArg::Optional => self.parser.optional_value(),
            HasArg::Required => Some(
                self.parser
                    .value()
                    .map_err(|_| UsageError::MissingLongValue(opt.long))?,
            ),
        };
        Ok(Arg::Opt(opt.id, value))
    }

    /// glibc rules: an exact match wins; otherwise a unique prefix; several
    /// prefix matches are not ambiguous when they all mean the same option.
    fn resolve_long(&self, typed: &str) -> Result<&'static Opt<T>, UsageError> {
        let options = self.spec.options;
        if let Some(exact) = options
            .iter()
            .find(|o| !o.long.is_empty() && o.long == typed)
        {
            return Ok(exact);
        }
        let prefix_of = |extension: bool| -> Vec<&'static Opt<T>> {
            options
                .iter()
                .filter(|o| !o.long.is_empty() && o.long.starts_with(typed))
                .filter(|o| o.extension == extension)
                .collect()
        };
        let mut matches = prefix_of(false);
        if matches.is_empty() {
            matches = prefix_of(true);
        }
        match matches.as_slice() {
            [] => Err(UsageError::UnknownLong(typed.to_string())),
            [one] => Ok(one),
            [first, rest @ ..] => {
                let same = rest
                    .iter()
                    .all(|o| o.arg == first.arg && o.short == first.short && o.help == first.help);
                if same {
                    Ok(first)
                } else {
                    let names = matches.iter().map(|o| o.long).collect();
                    Err(UsageError::Ambiguous(typed.to_string(), names))
                }
            }
        }
    }

    /// An unknown option character as glibc's getopt reports it: one byte,
    /// the first of a multi-byte character, exactly as typed (see
    /// `report::shown`). lexopt hands over U+FFFD for bytes that are not
    /// UTF-8; the byte is then the first such in the first option cluster
    /// that has one.
    fn short_shown(&self, c: char) -> String {
        if c.is_ascii() {
            return c.to_string();
        }
        let typed = (c == char::REPLACEMENT_CHARACTER)
            .then(|| {
                self.raw.iter().find_map(|arg| {
                    let bytes = arg.as_bytes();
                    if !bytes.starts_with(b"-") || bytes.starts_with(b"--") {
                        return None;
                    }
                    let chunk = bytes.utf8_chunks().find(|ch| !ch.invalid().is_empty())?;
                    Some(chunk.invalid()[0])
                })
            })
            .flatten();
        let mut utf8 = [0u8; 4];
        let first = typed.unwrap_or(c.encode_utf8(&mut utf8).as_bytes()[0]);
        crate::report::shown(OsStr::from_bytes(&[first]))
    }

    /// The whole word of an unknown long option after `--`, `=value`
    /// included, as typed: the first argument that lexopt would have read
    /// as `--typed`.
    fn long_shown(&self, typed: &str) -> Option<String> {
        self.raw.iter().find_map(|arg| {
            let word = arg.as_bytes().strip_prefix(b"--")?;
            let name = word.split(|&b| b == b'=').next().unwrap_or_default();
            (String::from_utf8_lossy(name) == typed)
                .then(|| crate::report::shown(OsStr::from_bytes(word)))
        })
    }

    fn convert_lexopt_error(&self, e: lexopt::Error) -> UsageError {
        match e {
            lexopt::Error::UnexpectedValue { option, .. } => {
                let name = option.trim_start_matches('-');
                match self.spec.options.iter().find(|o| o.long == name) {
                    Some(o) => UsageError::UnexpectedLongValue(o.long),
                    None => UsageError::UnknownLong(name.to_string()),
                }
            }
            other => UsageError::UnknownLong(other.to_string()),
        }
    }
}

fn with_attached(typed: &str, attached: Option<&OsStr>) -> String {
    match attached {
        Some(v) => format!("{typed}={}", crate::report::shown(v)),
        None => typed.to_string(),
    }
}
