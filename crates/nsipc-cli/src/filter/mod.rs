//! The `lsns -Q/--filter` expression language: libsmartcols filters.
//!
//! `NPROCS > 1 and USER != "root"`, `TYPE =~ "^(ipc|uts)$"`, `!(NS == 5)`.
//! Operands are column names, strings ('…' or "…", trimmed), numbers
//! (`10`, `4K` = 4096, `1.5`) and `true`/`false`; operators `== != < <= >
//! >=` (also `eq ne lt le gt ge`), `=~ !~` (POSIX extended regex),
//! `and or not` (also `&& || !`) and parentheses.
//!
//! libsmartcols parses with a bison grammar in which `and` and `or` share
//! one precedence level and every comparison and `!` share a higher one,
//! all left-associative: `a or b and c` is `(a or b) and c`, and `!a == b`
//! is `(!a) == b`. [`parse`] is an operator-precedence parser that
//! performs the same reductions in the same order, so it also fails the
//! same way: the same bison messages (`syntax error, unexpected end of
//! file`), the same 256-node and 256-deep stack limits (`memory
//! exhausted`), the same checks on regular expressions.
//!
//! Comparisons convert both sides to one type, as libsmartcols does: the
//! literal's type wins over a column's, float over number, and a column
//! value that does not convert (`USER > 5`) makes evaluation fail.
//!
//! One deliberate difference: a character that starts no token (`=` in
//! `NS = 1`) is skipped like flex does, but not echoed to stdout.

use lexer::Op;
use regex::Regex;
use std::fmt;

/// libsmartcols' limits (`SCOLS_FILTER_MAX_*`).
const MAX_EXPR_LEN: usize = 1024;
const MAX_NODES: usize = 256;
const MAX_REGEX_LEN: usize = 256;
const MAX_REPEAT: u64 = 1024;
/// bison's YYMAXDEPTH: the parser stack holds at most this many states.
const MAX_DEPTH: usize = 256;

/// A value's type, as libsmartcols' `SCOLS_DATA_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataType {
    String,
    U64,
    Float,
    Bool,
}

/// Why a filter did not parse. `Display` gives the text util-linux puts
/// after `failed to parse "EXPR": ` — `(null)` where libsmartcols leaves
/// no message (glibc prints a NULL `%s` that way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub Option<String>);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_deref().unwrap_or("(null)"))
    }
}

/// Evaluation failed: the errno lsns reports. A value that did not convert
/// sets it (EINVAL or ERANGE, as `ul_strtou64`/`ul_strtold` do); an
/// operator the types do not support (a regex on a boolean) fails in
/// libsmartcols without touching errno, which its last successful
/// conversion left at 0, so util-linux prints "Success": [`UNSUPPORTED`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalError(pub i32);

/// See [`EvalError`]: no errno set.
const UNSUPPORTED: EvalError = EvalError(0);

mod eval;
mod lexer;
mod parser;
mod regex;
#[cfg(test)]
mod tests;

pub use eval::Row;
pub use parser::parse;

/// A parsed filter.
#[derive(Debug)]
pub struct Filter {
    root: Node,
    holders: Vec<String>,
}

#[derive(Debug)]
enum Node {
    Param(Param),
    Not(Box<Node>),
    Binary(Op, Box<Node>, Box<Node>),
}

#[derive(Debug)]
enum Param {
    Literal(Value),
    /// A column; its type comes from the column.
    Holder(String),
    /// A string literal on the right of `=~`/`!~`, compiled.
    Regex(Value, Regex),
}

/// A value being compared. `empty` is libsmartcols' "no data" (an empty
/// cell): comparisons of numbers with it are false.
#[derive(Clone, Debug, PartialEq)]
struct Value {
    data: Data,
    empty: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Data {
    Str(Option<Vec<u8>>),
    U64(u64),
    Float(f64),
    Bool(bool),
}

impl Data {
    fn data_type(&self) -> DataType {
        match self {
            Data::Str(_) => DataType::String,
            Data::U64(_) => DataType::U64,
            Data::Float(_) => DataType::Float,
            Data::Bool(_) => DataType::Bool,
        }
    }
}

fn literal(data: Data) -> Value {
    Value { data, empty: false }
}
