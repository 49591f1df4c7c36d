//! Evaluation of the tree against a row, with libsmartcols's type rules.

use super::{literal, Data, DataType, EvalError, Filter, Node, Op, Param, Value, UNSUPPORTED};
use std::borrow::Cow;
use std::ffi::CString;

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

pub(super) fn eval(node: &Node, row: &mut dyn Row) -> Result<bool, EvalError> {
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
pub(super) fn param_value(p: &Param, row: &mut dyn Row) -> Result<Value, EvalError> {
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

pub(super) fn node_type(node: &Node, row: &mut dyn Row) -> (DataType, bool) {
    match node {
        Node::Param(Param::Holder(name)) => (row.cell(name).0, true),
        Node::Param(Param::Literal(v) | Param::Regex(v, _)) => (v.data.data_type(), false),
        _ => (DataType::Bool, false),
    }
}

/// libsmartcols' `guess_expr_datatype`.
pub(super) fn common_type(l: (DataType, bool), r: (DataType, bool)) -> DataType {
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

pub(super) fn node_value(node: &Node, ty: DataType, row: &mut dyn Row) -> Result<Value, EvalError> {
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

pub(super) fn cast_in_place(v: Value, ty: DataType) -> Result<Value, EvalError> {
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
pub(super) fn str_to_u64(s: &[u8]) -> Result<u64, EvalError> {
    let text = std::str::from_utf8(s).map_err(|_| EvalError(libc::EINVAL))?;
    match crate::numparse::parse_integer(text, 10) {
        Ok(v) if v < 0 => Err(EvalError(libc::ERANGE)),
        Ok(v) => u64::try_from(v).map_err(|_| EvalError(libc::ERANGE)),
        Err(crate::numparse::NumError::Invalid) => Err(EvalError(libc::EINVAL)),
        Err(crate::numparse::NumError::Range) => Err(EvalError(libc::ERANGE)),
    }
}

/// `ul_strtold`: the whole text must be a C floating-point number.
pub(super) fn str_to_float(s: &[u8]) -> Result<f64, EvalError> {
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
pub(super) fn format_g(f: f64) -> String {
    let mut buf = [0u8; 64];
    // SAFETY: snprintf writes at most buf.len() bytes including the NUL.
    let n = unsafe { libc::snprintf(buf.as_mut_ptr().cast(), buf.len(), c"%g".as_ptr(), f) };
    let n = (n.max(0) as usize).min(buf.len() - 1);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

pub(super) fn compare(op: Op, l: &Node, r: &Node, row: &mut dyn Row) -> Result<bool, EvalError> {
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
