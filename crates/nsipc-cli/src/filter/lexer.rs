//! Tokens: the flex rules of filter-scanner.l (longest match, first rule
//! wins).

use std::ffi::CString;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Token {
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
pub(super) enum Op {
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
    pub(super) fn level(self) -> u8 {
        match self {
            Op::And | Op::Or => 1,
            _ => 2,
        }
    }
}

impl Token {
    /// The name bison's verbose error messages use for it.
    pub(super) fn name(&self) -> &'static str {
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

pub(super) struct Lexer<'a> {
    pub(super) s: &'a [u8],
    pub(super) pos: usize,
}

pub(super) fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic()
}

pub(super) fn is_id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"_.%:/-".contains(&c)
}

pub(super) const KEYWORDS: &[(&str, Token)] = &[
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

pub(super) const SYMBOLS: &[(&str, Token)] = &[
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
    pub(super) fn next_token(&mut self) -> Token {
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

    pub(super) fn number(&mut self) -> Token {
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
pub(super) fn size_with_suffix(digits: &[u8], suffix: u8) -> Result<u64, i32> {
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
pub(super) fn trim_string(s: &[u8]) -> Vec<u8> {
    s.trim_ascii().to_vec()
}

pub(super) fn c_strtod(text: &[u8]) -> Option<f64> {
    let c = CString::new(text).ok()?;
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: `c` is NUL-terminated and outlives the call; `end` is a valid
    // out-pointer.
    let v = unsafe { libc::strtod(c.as_ptr(), &mut end) };
    Some(v)
}
