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

use std::borrow::Cow;
use std::ffi::CString;
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

// ---------------------------------------------------------------------------
// Tokens (flex rules of filter-scanner.l, longest match, first rule wins)

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(u64),
    Float(f64),
    Holder(String),
    Str(Vec<u8>),
    True,
    False,
    /// A number with a size suffix that did not convert; its message.
    InvalidNumber(String),
    Open,
    Close,
    /// A lone `'`: a token the grammar does not know.
    Quote,
    Op(Op),
    Not,
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Reg,
    NReg,
}

impl Op {
    /// bison precedence level: `and`/`or` 1, comparisons 2 (`!` is 2 too).
    fn level(self) -> u8 {
        match self {
            Op::And | Op::Or => 1,
            _ => 2,
        }
    }
}

impl Token {
    /// The name bison's verbose error messages use for it.
    fn name(&self) -> &'static str {
        match self {
            Token::Number(_) => "T_NUMBER",
            Token::Float(_) => "T_FLOAT",
            Token::Holder(_) => "T_HOLDER",
            Token::Str(_) => "T_STRING",
            Token::True => "T_TRUE",
            Token::False => "T_FALSE",
            Token::InvalidNumber(_) => "T_INVALID_NUMBER",
            Token::Open => "'('",
            Token::Close => "')'",
            Token::Quote => "invalid token",
            Token::Not => "T_NEG",
            Token::End => "end of file",
            Token::Op(op) => match op {
                Op::And => "T_AND",
                Op::Or => "T_OR",
                Op::Eq => "T_EQ",
                Op::Ne => "T_NE",
                Op::Lt => "T_LT",
                Op::Le => "T_LE",
                Op::Gt => "T_GT",
                Op::Ge => "T_GE",
                Op::Reg => "T_REG",
                Op::NReg => "T_NREG",
            },
        }
    }
}

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic()
}

fn is_id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"_.%:/-".contains(&c)
}

const KEYWORDS: &[(&str, Token)] = &[
    ("and", Token::Op(Op::And)),
    ("AND", Token::Op(Op::And)),
    ("or", Token::Op(Op::Or)),
    ("OR", Token::Op(Op::Or)),
    ("not", Token::Not),
    ("NOT", Token::Not),
    ("eq", Token::Op(Op::Eq)),
    ("EQ", Token::Op(Op::Eq)),
    ("ne", Token::Op(Op::Ne)),
    ("NE", Token::Op(Op::Ne)),
    ("le", Token::Op(Op::Le)),
    ("LE", Token::Op(Op::Le)),
    ("lt", Token::Op(Op::Lt)),
    ("LT", Token::Op(Op::Lt)),
    ("ge", Token::Op(Op::Ge)),
    ("GE", Token::Op(Op::Ge)),
    ("gt", Token::Op(Op::Gt)),
    ("GT", Token::Op(Op::Gt)),
    ("false", Token::False),
    ("FALSE", Token::False),
    ("true", Token::True),
    ("TRUE", Token::True),
];

const SYMBOLS: &[(&str, Token)] = &[
    ("&&", Token::Op(Op::And)),
    ("||", Token::Op(Op::Or)),
    ("==", Token::Op(Op::Eq)),
    ("!=", Token::Op(Op::Ne)),
    ("<=", Token::Op(Op::Le)),
    (">=", Token::Op(Op::Ge)),
    ("=~", Token::Op(Op::Reg)),
    ("!~", Token::Op(Op::NReg)),
    ("<", Token::Op(Op::Lt)),
    (">", Token::Op(Op::Gt)),
    ("!", Token::Not),
    ("(", Token::Open),
    (")", Token::Close),
];

impl Lexer<'_> {
    fn next_token(&mut self) -> Token {
        loop {
            let rest = &self.s[self.pos..];
            let Some(&c) = rest.first() else {
                return Token::End;
            };
            if matches!(c, b' ' | b'\t' | b'\n') {
                self.pos += 1;
                continue;
            }
            if c.is_ascii_digit() {
                return self.number();
            }
            if is_id_start(c) {
                let len = rest.iter().take_while(|&&b| is_id_char(b)).count();
                let word = &rest[..len];
                self.pos += len;
                // A keyword only when it is the whole word (longest match).
                for (kw, tok) in KEYWORDS {
                    if word == kw.as_bytes() {
                        return tok.clone();
                    }
                }
                return Token::Holder(String::from_utf8_lossy(word).into_owned());
            }
            if c == b'"' || c == b'\'' {
                let close = rest[1..].iter().position(|&b| b == c || b == b'\n');
                if let Some(end) = close.filter(|&e| rest[1 + e] == c) {
                    self.pos += end + 2;
                    return Token::Str(trim_string(&rest[1..1 + end]));
                }
                if c == b'\'' {
                    self.pos += 1;
                    return Token::Quote;
                }
            }
            for (sym, tok) in SYMBOLS {
                if rest.starts_with(sym.as_bytes()) {
                    self.pos += sym.len();
                    return tok.clone();
                }
            }
            // flex's default rule: the character is skipped (and echoed).
            self.pos += 1;
        }
    }

    fn number(&mut self) -> Token {
        let rest = &self.s[self.pos..];
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let after = &rest[int_len..];
        // {int}+\.{int}+
        if after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_digit) {
            let frac = after[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            let text = &rest[..int_len + 1 + frac];
            self.pos += text.len();
            let value = c_strtod(text).unwrap_or(0.0);
            return Token::Float(value);
        }
        // {int}+([KMGTPEZY](iB)?)
        if let Some(&suffix) = after.first().filter(|c| b"KMGTPEZY".contains(c)) {
            let len = if after[1..].starts_with(b"iB") { 3 } else { 1 };
            let text = &rest[..int_len + len];
            self.pos += text.len();
            let shown = String::from_utf8_lossy(text).into_owned();
            return match size_with_suffix(&rest[..int_len], suffix) {
                Ok(n) => Token::Number(n),
                Err(errno) => Token::InvalidNumber(format!(
                    "\"{shown}\" token error: {}",
                    crate::report::strerror(&std::io::Error::from_raw_os_error(errno))
                )),
            };
        }
        self.pos += int_len;
        // strtoumax saturates.
        let mut n: u64 = 0;
        for &d in &rest[..int_len] {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add((d - b'0') as u64))
                .unwrap_or(u64::MAX);
            if n == u64::MAX {
                break;
            }
        }
        Token::Number(n)
    }
}

/// util-linux `strtosize` on `digits` + one `KMGTPEZY` suffix (binary
/// powers). The digits are read with base 0, so a leading 0 means octal.
fn size_with_suffix(digits: &[u8], suffix: u8) -> Result<u64, i32> {
    let text = std::str::from_utf8(digits).map_err(|_| libc::EINVAL)?;
    let (radix, body) = if text.len() > 1 && text.starts_with('0') {
        (8, &text[1..])
    } else {
        (10, text)
    };
    if !body.bytes().all(|b| (b as char).is_digit(radix)) {
        // strtoumax stopped early: "unexpected suffix".
        return Err(libc::EINVAL);
    }
    let mut x = u64::from_str_radix(body, radix).map_err(|_| libc::ERANGE)?;
    let power = b"KMGTPEZY".iter().position(|&c| c == suffix).unwrap_or(0) + 1;
    for _ in 0..power {
        x = x.checked_mul(1024).ok_or(libc::ERANGE)?;
    }
    Ok(x)
}

/// A string literal loses its quotes and surrounding white space.
fn trim_string(s: &[u8]) -> Vec<u8> {
    s.trim_ascii().to_vec()
}

fn c_strtod(text: &[u8]) -> Option<f64> {
    let c = CString::new(text).ok()?;
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: `c` is NUL-terminated and outlives the call; `end` is a valid
    // out-pointer.
    let v = unsafe { libc::strtod(c.as_ptr(), &mut end) };
    Some(v)
}

// ---------------------------------------------------------------------------
// The tree

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

/// A compiled POSIX extended regular expression (libc `regcomp`, as
/// libsmartcols uses, so the dialect is the same).
pub struct Regex(Box<libc::regex_t>);

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Regex")
    }
}

impl Regex {
    fn new(pattern: &[u8]) -> Result<Regex, Option<String>> {
        let c = CString::new(pattern).map_err(|_| None)?;
        // SAFETY: regex_t is a plain C struct; all-zero is a valid initial
        // state for regcomp to fill in.
        let mut re: Box<libc::regex_t> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: `re` points at writable storage, `c` is NUL-terminated.
        let rc =
            unsafe { libc::regcomp(&mut *re, c.as_ptr(), libc::REG_EXTENDED | libc::REG_NOSUB) };
        if rc != 0 {
            let mut buf = [0u8; 256];
            // SAFETY: regerror writes at most buf.len() bytes, NUL-terminated.
            unsafe { libc::regerror(rc, &*re, buf.as_mut_ptr().cast(), buf.len()) };
            let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            // A failed regcomp leaves nothing for regfree (glibc frees its
            // own state on error); `re`, our Box, is freed as it drops.
            return Err(Some(String::from_utf8_lossy(&buf[..len]).into_owned()));
        }
        Ok(Regex(re))
    }

    fn is_match(&self, text: &[u8]) -> bool {
        // Cell text never holds NUL; cut at one if it does, as C would.
        let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
        let Ok(c) = CString::new(&text[..end]) else {
            return false;
        };
        // SAFETY: the regex was compiled by regcomp and not freed; `c` is
        // NUL-terminated; no match offsets are requested (REG_NOSUB).
        unsafe { libc::regexec(&*self.0, c.as_ptr(), 0, std::ptr::null_mut(), 0) == 0 }
    }
}

impl Drop for Regex {
    fn drop(&mut self) {
        // SAFETY: compiled by a successful regcomp, freed once.
        unsafe { libc::regfree(&mut *self.0) };
    }
}

/// Patterns that make glibc's regcomp allocate gigabytes: consecutive
/// quantifiers (`a**`), a repeated group containing a quantifier
/// (`(a+)+`), repeat counts above 1024. libsmartcols refuses them.
fn is_unsafe_regex(p: &[u8]) -> bool {
    let quant = |c: u8| c == b'+' || c == b'*';
    for i in 0..p.len().saturating_sub(1) {
        if quant(p[i]) && quant(p[i + 1]) {
            return true;
        }
        if p[i] == b')' && quant(p[i + 1]) {
            for &c in p[..i].iter().rev() {
                if c == b'(' {
                    break;
                }
                if quant(c) {
                    return true;
                }
            }
        }
        if p[i] == b'{' {
            let mut j = i + 1;
            while j < p.len() && p[j] != b'}' {
                if p[j].is_ascii_digit() {
                    let digits = p[j..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let n = std::str::from_utf8(&p[j..j + digits])
                        .ok()
                        .and_then(|s| s.parse::<u64>().ok());
                    if n.is_none_or(|n| n > MAX_REPEAT) {
                        return true;
                    }
                    j += digits;
                } else {
                    j += 1;
                }
            }
        }
    }
    false
}

// ---------------------------------------------------------------------------
// The parser

/// What sits on the parser stack.
enum Item {
    Expr(Node),
    Open,
    Not,
    Op(Op),
}

struct Parser {
    stack: Vec<Item>,
    nodes: usize,
    holders: Vec<String>,
}

type Step<T> = Result<T, ParseError>;

fn syntax_error(unexpected: &Token, expecting_end: bool) -> ParseError {
    let mut msg = format!("syntax error, unexpected {}", unexpected.name());
    if expecting_end {
        msg.push_str(", expecting end of file");
    }
    // libsmartcols' yyerror() removes the first "T_" of the message.
    if let Some(at) = msg.find("T_") {
        msg.replace_range(at..at + 2, "");
    }
    ParseError(Some(msg))
}

impl Parser {
    fn push(&mut self, item: Item) -> Step<()> {
        // bison's stack holds the bottom state plus one per item, and
        // gives up when a push reaches its last slot.
        if self.stack.len() + 2 >= MAX_DEPTH {
            return Err(ParseError(Some("memory exhausted".into())));
        }
        self.stack.push(item);
        Ok(())
    }

    fn new_node(&mut self) -> Step<()> {
        if self.nodes >= MAX_NODES {
            return Err(ParseError(None));
        }
        self.nodes += 1;
        Ok(())
    }

    /// Whether the stack top is an operand (bison: in a state after `expr`).
    fn after_expr(&self) -> bool {
        matches!(self.stack.last(), Some(Item::Expr(_)))
    }

    /// Reduces `expr OP expr` and `! expr` while the operator on the stack
    /// binds at least as tightly as `incoming` (None: reduce everything).
    fn reduce(&mut self, incoming: Option<Op>) -> Step<()> {
        loop {
            let n = self.stack.len();
            if n < 2 {
                return Ok(());
            }
            match &self.stack[n - 2] {
                Item::Not => {
                    // `!` has the comparisons' level: reduce before any operator.
                    let Some(Item::Expr(e)) = self.stack.pop() else {
                        unreachable!()
                    };
                    self.stack.pop();
                    self.new_node()?;
                    self.stack.push(Item::Expr(Node::Not(Box::new(e))));
                }
                Item::Op(op) if incoming.is_none_or(|i| op.level() >= i.level()) => {
                    let op = *op;
                    let Some(Item::Expr(right)) = self.stack.pop() else {
                        unreachable!()
                    };
                    self.stack.pop();
                    let Some(Item::Expr(left)) = self.stack.pop() else {
                        unreachable!()
                    };
                    let right = if matches!(op, Op::Reg | Op::NReg) {
                        compile_regex(right)?
                    } else {
                        right
                    };
                    self.new_node()?;
                    self.stack.push(Item::Expr(Node::Binary(
                        op,
                        Box::new(left),
                        Box::new(right),
                    )));
                }
                _ => return Ok(()),
            }
        }
    }

    /// After reducing everything: is there an unclosed `(` below?
    fn in_parens(&self) -> bool {
        self.stack.iter().any(|i| matches!(i, Item::Open))
    }

    fn shift_operand(&mut self, tok: Token) -> Step<()> {
        let param = match tok {
            Token::Number(n) => Param::Literal(literal(Data::U64(n))),
            Token::Float(f) => Param::Literal(literal(Data::Float(f))),
            Token::Str(s) => Param::Literal(literal(Data::Str(Some(s)))),
            Token::True => Param::Literal(literal(Data::Bool(true))),
            Token::False => Param::Literal(literal(Data::Bool(false))),
            Token::Holder(name) => {
                self.holders.push(name.clone());
                Param::Holder(name)
            }
            Token::InvalidNumber(msg) => return Err(ParseError(Some(msg))),
            _ => unreachable!("not an operand"),
        };
        // The token's state and the `expr` it reduces to take one slot.
        self.new_node()?;
        self.push(Item::Expr(Node::Param(param)))
    }
}

fn compile_regex(node: Node) -> Step<Node> {
    match node {
        Node::Param(Param::Literal(Value {
            data: Data::Str(Some(s)),
            empty,
        })) => {
            if s.len() > MAX_REGEX_LEN || is_unsafe_regex(&s) {
                return Err(ParseError(None));
            }
            let re = Regex::new(&s).map_err(ParseError)?;
            Ok(Node::Param(Param::Regex(
                Value {
                    data: Data::Str(Some(s)),
                    empty,
                },
                re,
            )))
        }
        Node::Param(Param::Regex(..)) => Ok(node),
        _ => Err(ParseError(None)),
    }
}

/// Parses a filter expression. An empty expression is no filter (`None`).
pub fn parse(expr: &str) -> Result<Option<Filter>, ParseError> {
    if expr.is_empty() {
        return Ok(None);
    }
    if expr.len() > MAX_EXPR_LEN {
        return Err(ParseError(None));
    }
    let mut lexer = Lexer {
        s: expr.as_bytes(),
        pos: 0,
    };
    let mut p = Parser {
        stack: Vec::new(),
        nodes: 0,
        holders: Vec::new(),
    };
    loop {
        let tok = lexer.next_token();
        if !p.after_expr() {
            // Expecting an operand: nine possible tokens, too many for
            // bison to list.
            match tok {
                Token::Open => p.push(Item::Open)?,
                Token::Not => p.push(Item::Not)?,
                Token::Number(_)
                | Token::Float(_)
                | Token::Str(_)
                | Token::True
                | Token::False
                | Token::Holder(_)
                | Token::InvalidNumber(_) => p.shift_operand(tok)?,
                other => return Err(syntax_error(&other, false)),
            }
            continue;
        }
        match tok {
            Token::Op(op) => {
                p.reduce(Some(op))?;
                p.push(Item::Op(op))?;
            }
            Token::Close => {
                p.reduce(None)?;
                let n = p.stack.len();
                if n >= 2 && matches!(p.stack[n - 2], Item::Open) {
                    // `')'` gets a slot before `'(' expr ')'` reduces.
                    p.push(Item::Open)?;
                    p.stack.pop();
                    let Some(Item::Expr(e)) = p.stack.pop() else {
                        unreachable!()
                    };
                    p.stack.pop();
                    p.stack.push(Item::Expr(e));
                } else {
                    return Err(syntax_error(&tok, true));
                }
            }
            Token::End => {
                p.reduce(None)?;
                if p.in_parens() {
                    return Err(syntax_error(&tok, false));
                }
                let Some(Item::Expr(root)) = p.stack.pop() else {
                    return Err(ParseError(None));
                };
                return Ok(Some(Filter {
                    root,
                    holders: p.holders,
                }));
            }
            other => {
                // Default reductions first, then the error in the state
                // that has no reduction: inside parentheses (eleven
                // possible tokens) or at the end (only end of file).
                p.reduce(None)?;
                return Err(syntax_error(&other, !p.in_parens()));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Evaluation

/// A table row as the filter sees it: each column's type and text.
pub trait Row {
    /// The type and text of column `name` (as written in the filter);
    /// `None` text for an empty cell.
    fn cell(&mut self, name: &str) -> (DataType, Option<Cow<'_, [u8]>>);
}

impl Filter {
    /// Column names used, in order of appearance (with repeats).
    pub fn holders(&self) -> &[String] {
        &self.holders
    }

    /// Whether `row` matches.
    pub fn matches(&self, row: &mut dyn Row) -> Result<bool, EvalError> {
        eval(&self.root, row)
    }
}

fn eval(node: &Node, row: &mut dyn Row) -> Result<bool, EvalError> {
    match node {
        Node::Not(inner) => Ok(!eval(inner, row)?),
        Node::Binary(Op::And, l, r) => Ok(eval(l, row)? && eval(r, row)?),
        Node::Binary(Op::Or, l, r) => Ok(eval(l, row)? || eval(r, row)?),
        Node::Binary(op, l, r) => compare(*op, l, r, row),
        Node::Param(p) => {
            let v = param_value(p, row)?;
            if v.empty {
                return Ok(false);
            }
            Ok(match v.data {
                Data::Str(s) => s.is_some_and(|s| !s.is_empty()),
                Data::U64(n) => n != 0,
                Data::Float(f) => f != 0.0,
                Data::Bool(b) => b,
            })
        }
    }
}

/// A parameter's value; a column's text converted to the column's type.
fn param_value(p: &Param, row: &mut dyn Row) -> Result<Value, EvalError> {
    match p {
        Param::Literal(v) | Param::Regex(v, _) => Ok(v.clone()),
        Param::Holder(name) => {
            let (ty, text) = row.cell(name);
            let v = Value {
                empty: text.is_none(),
                data: Data::Str(text.map(Cow::into_owned)),
            };
            cast_in_place(v, ty)
        }
    }
}

fn node_type(node: &Node, row: &mut dyn Row) -> (DataType, bool) {
    match node {
        Node::Param(Param::Holder(name)) => (row.cell(name).0, true),
        Node::Param(Param::Literal(v) | Param::Regex(v, _)) => (v.data.data_type(), false),
        _ => (DataType::Bool, false),
    }
}

/// libsmartcols' `guess_expr_datatype`.
fn common_type(l: (DataType, bool), r: (DataType, bool)) -> DataType {
    if l.0 == r.0 {
        return l.0;
    }
    let ty = match (l.1, r.1) {
        (true, false) => r.0,
        (false, true) => l.0,
        _ => l.0,
    };
    if ty == DataType::U64 && (l.0 == DataType::Float || r.0 == DataType::Float) {
        DataType::Float
    } else {
        ty
    }
}

fn node_value(node: &Node, ty: DataType, row: &mut dyn Row) -> Result<Value, EvalError> {
    let v = match node {
        Node::Param(p) => param_value(p, row)?,
        other => literal(Data::Bool(eval(other, row)?)),
    };
    if v.data.data_type() == ty {
        return Ok(v);
    }
    // libsmartcols converts a copy, which keeps "empty" only for a
    // string without text.
    let copy = Value {
        empty: matches!(v.data, Data::Str(None)),
        data: v.data,
    };
    cast_in_place(copy, ty)
}

fn cast_in_place(v: Value, ty: DataType) -> Result<Value, EvalError> {
    let data = match (v.data, ty) {
        (d, t) if d.data_type() == t => d,
        (Data::Str(s), DataType::U64) => Data::U64(match s {
            None => 0,
            Some(s) => str_to_u64(&s)?,
        }),
        (Data::Str(s), DataType::Float) => Data::Float(match s {
            None => 0.0,
            Some(s) => str_to_float(&s)?,
        }),
        (Data::Str(s), _) => Data::Bool(s.is_some_and(|s| {
            s == b"1" || s.eq_ignore_ascii_case(b"true") || matches!(s.first(), Some(b'y' | b'Y'))
        })),
        (Data::U64(n), DataType::String) => Data::Str(Some(n.to_string().into_bytes())),
        (Data::U64(n), DataType::Float) => Data::Float(n as f64),
        (Data::U64(n), _) => Data::Bool(n > 0),
        (Data::Float(f), DataType::String) => Data::Str(Some(format_g(f).into_bytes())),
        (Data::Float(f), DataType::U64) => Data::U64(f as u64),
        (Data::Float(f), _) => Data::Bool(f > 0.0),
        (Data::Bool(b), DataType::String) => Data::Str(Some(if b {
            b"true".to_vec()
        } else {
            b"false".to_vec()
        })),
        (Data::Bool(b), DataType::U64) => Data::U64(b as u64),
        (Data::Bool(b), _) => Data::Float(if b { 1.0 } else { 0.0 }),
    };
    Ok(Value {
        data,
        empty: v.empty,
    })
}

/// `ul_strtou64(s, 10)`: C's strtoumax rules, negative numbers are ERANGE.
fn str_to_u64(s: &[u8]) -> Result<u64, EvalError> {
    let text = std::str::from_utf8(s).map_err(|_| EvalError(libc::EINVAL))?;
    match crate::numparse::parse_integer(text, 10) {
        Ok(v) if v < 0 => Err(EvalError(libc::ERANGE)),
        Ok(v) => u64::try_from(v).map_err(|_| EvalError(libc::ERANGE)),
        Err(crate::numparse::NumError::Invalid) => Err(EvalError(libc::EINVAL)),
        Err(crate::numparse::NumError::Range) => Err(EvalError(libc::ERANGE)),
    }
}

/// `ul_strtold`: the whole text must be a C floating-point number.
fn str_to_float(s: &[u8]) -> Result<f64, EvalError> {
    if s.is_empty() {
        return Err(EvalError(libc::EINVAL));
    }
    let c = CString::new(s).map_err(|_| EvalError(libc::EINVAL))?;
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: `c` is NUL-terminated; errno is thread-local.
    let (v, errno, consumed) = unsafe {
        *libc::__errno_location() = 0;
        let v = libc::strtod(c.as_ptr(), &mut end);
        (
            v,
            *libc::__errno_location(),
            end.offset_from(c.as_ptr()) as usize,
        )
    };
    if errno != 0 {
        return Err(EvalError(errno));
    }
    if consumed != s.len() {
        return Err(EvalError(libc::EINVAL));
    }
    Ok(v)
}

/// printf `%g`.
fn format_g(f: f64) -> String {
    let mut buf = [0u8; 64];
    // SAFETY: snprintf writes at most buf.len() bytes including the NUL.
    let n = unsafe { libc::snprintf(buf.as_mut_ptr().cast(), buf.len(), c"%g".as_ptr(), f) };
    let n = (n.max(0) as usize).min(buf.len() - 1);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn compare(op: Op, l: &Node, r: &Node, row: &mut dyn Row) -> Result<bool, EvalError> {
    let lt = node_type(l, row);
    let rt = node_type(r, row);
    let ty = common_type(lt, rt);
    let lv = node_value(l, ty, row)?;
    let rv = node_value(r, ty, row)?;
    if let (Op::Reg | Op::NReg, Data::Str(s)) = (op, &lv.data) {
        let Node::Param(Param::Regex(_, re)) = r else {
            return Err(UNSUPPORTED);
        };
        let hit = re.is_match(s.as_deref().unwrap_or(b""));
        return Ok(hit == (op == Op::Reg));
    }
    if matches!(op, Op::Reg | Op::NReg) {
        return Err(UNSUPPORTED);
    }
    use std::cmp::Ordering;
    let ord = match (&lv.data, &rv.data) {
        // NULL sorts before any string (libsmartcols' xstrcmp).
        (Data::Str(a), Data::Str(b)) => Some(a.as_deref().cmp(&b.as_deref())),
        _ if lv.empty || rv.empty => return Ok(false),
        (Data::U64(a), Data::U64(b)) => Some(a.cmp(b)),
        (Data::Float(a), Data::Float(b)) => a.partial_cmp(b),
        (Data::Bool(a), Data::Bool(b)) => Some(a.cmp(b)),
        _ => return Err(UNSUPPORTED),
    };
    Ok(match ord {
        // NaN: every comparison but != is false, as in C.
        None => op == Op::Ne,
        Some(o) => match op {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
            _ => false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Cells(Vec<(&'static str, DataType, Option<&'static str>)>);

    impl Row for Cells {
        fn cell(&mut self, name: &str) -> (DataType, Option<Cow<'_, [u8]>>) {
            let (ty, text) = self
                .0
                .iter()
                .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
                .copied()
                .map(|(_, ty, text)| (ty, text))
                .unwrap_or((DataType::String, None));
            (ty, text.map(|t| Cow::Borrowed(t.as_bytes())))
        }
    }

    fn row() -> Cells {
        Cells(vec![
            ("NS", DataType::U64, Some("4026531840")),
            ("TYPE", DataType::String, Some("net")),
            ("NPROCS", DataType::U64, Some("3")),
            ("PID", DataType::U64, None),
            ("USER", DataType::String, Some("root")),
            ("NETNSID", DataType::String, Some("unassigned")),
        ])
    }

    fn eval_str(expr: &str) -> Result<bool, EvalError> {
        parse(expr).unwrap().unwrap().matches(&mut row())
    }

    fn err(expr: &str) -> String {
        parse(expr).unwrap_err().to_string()
    }

    #[test]
    fn messages() {
        assert_eq!(err("BAD =="), "syntax error, unexpected end of file");
        assert_eq!(
            err("NS 5"),
            "syntax error, unexpected NUMBER, expecting end of file"
        );
        assert_eq!(
            err("NS == 5)"),
            "syntax error, unexpected ')', expecting end of file"
        );
        assert_eq!(err("(NS == 5"), "syntax error, unexpected end of file");
        assert_eq!(err("(NS == 5 6"), "syntax error, unexpected NUMBER");
        assert_eq!(err("NS == )"), "syntax error, unexpected ')'");
        assert_eq!(err("NS == 'a"), "syntax error, unexpected invalid token");
        assert_eq!(err("   "), "syntax error, unexpected end of file");
        assert_eq!(
            err("NS == 1Y"),
            "\"1Y\" token error: Numerical result out of range"
        );
        assert_eq!(err("NS == 09K"), "\"09K\" token error: Invalid argument");
        assert_eq!(
            err("NS 1Y"),
            "syntax error, unexpected INVALID_NUMBER, expecting end of file"
        );
        assert_eq!(err("TYPE =~ '('"), "Unmatched ( or \\(");
        assert_eq!(err("TYPE =~ 'a**'"), "(null)");
        assert_eq!(err("TYPE =~ 5"), "(null)");
        assert_eq!(err(&"(".repeat(300)), "memory exhausted");
        assert_eq!(err(&"x".repeat(1025)), "(null)");
        let many = vec!["1"; 200].join("&&");
        assert_eq!(err(&many), "(null)");
        assert!(parse("").unwrap().is_none());
    }

    #[test]
    fn precedence_is_libsmartcols() {
        // (true or false) and false: false; C precedence would say true.
        assert_eq!(eval_str("true or false and false"), Ok(false));
        assert_eq!(eval_str("!NS == false"), Ok(true));
        assert_eq!(eval_str("not (NS == 1)"), Ok(true));
        assert_eq!(eval_str("1 == 1 == true"), Ok(true));
    }

    #[test]
    fn comparisons_and_types() {
        assert_eq!(eval_str("NS == 4026531840"), Ok(true));
        assert_eq!(eval_str("ns eq 4026531840 && TYPE == 'net'"), Ok(true));
        assert_eq!(eval_str("NPROCS > 2 and NPROCS <= 3"), Ok(true));
        assert_eq!(eval_str("NPROCS > 2.5"), Ok(true));
        assert_eq!(eval_str("NPROCS == \"3\""), Ok(true));
        assert_eq!(eval_str("TYPE =~ '^(net|ipc)$'"), Ok(true));
        assert_eq!(eval_str("TYPE !~ 'n.t'"), Ok(false));
        assert_eq!(eval_str("USER == ' root '"), Ok(true));
        assert_eq!(eval_str("NPROCS == 3K"), Ok(false));
        assert_eq!(eval_str("NETNSID == 'unassigned'"), Ok(true));
        // Empty cells: number comparisons are false, the bare column too.
        assert_eq!(eval_str("PID == 0"), Ok(false));
        assert_eq!(eval_str("PID != 0"), Ok(false));
        assert_eq!(eval_str("PID"), Ok(false));
        assert_eq!(eval_str("!PID"), Ok(true));
        // A column that does not convert fails the whole evaluation.
        assert_eq!(eval_str("USER > 5"), Err(EvalError(libc::EINVAL)));
        assert_eq!(eval_str("NETNSID == 0"), Err(EvalError(libc::EINVAL)));
        assert_eq!(eval_str("NS > 5 or USER > 5"), Ok(true));
    }

    #[test]
    fn lexer_longest_match() {
        assert_eq!(parse("andx").unwrap().unwrap().holders(), ["andx"]);
        assert_eq!(
            parse("NS==1 and TYPE").unwrap().unwrap().holders(),
            ["NS", "TYPE"]
        );
        // A lone '=' starts no token and is skipped.
        assert_eq!(
            err("NS = 1"),
            "syntax error, unexpected NUMBER, expecting end of file"
        );
        assert_eq!(eval_str("NS =~ '^4026'"), Ok(true));
    }

    #[test]
    fn unsafe_regexes() {
        assert!(is_unsafe_regex(b"a++"));
        assert!(is_unsafe_regex(b"(a+)+"));
        assert!(is_unsafe_regex(b"a{1,2000}"));
        assert!(!is_unsafe_regex(b"(ab)+"));
        assert!(!is_unsafe_regex(b"a{1,20}"));
    }

    #[test]
    fn never_panics() {
        for s in [
            "((", "))", "!", "! !", "'", "\"", "a =~", "=~ a", "1.", ".5", "0x10", "\u{e9}",
        ] {
            let _ = parse(s).map(|f| f.map(|f| f.matches(&mut row())));
        }
    }
}
