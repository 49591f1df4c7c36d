//! The parser: tokens to the expression tree, with libsmartcols's
//! precedence and messages.

use super::lexer::{Lexer, Token};
use super::regex::is_unsafe_regex;
use super::{
    literal, Data, Filter, Node, Op, Param, ParseError, Regex, Value, MAX_DEPTH, MAX_EXPR_LEN,
    MAX_NODES, MAX_REGEX_LEN,
};

/// What sits on the parser stack.
pub(super) enum Item {
    Expr(Node),
    Open,
    Not,
    Op(Op),
}

pub(super) struct Parser {
    pub(super) stack: Vec<Item>,
    pub(super) nodes: usize,
    pub(super) holders: Vec<String>,
}

pub(super) type Step<T> = Result<T, ParseError>;

pub(super) fn syntax_error(unexpected: &Token, expecting_end: bool) -> ParseError {
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
    pub(super) fn push(&mut self, item: Item) -> Step<()> {
        // bison's stack holds the bottom state plus one per item, and
        // gives up when a push reaches its last slot.
        if self.stack.len() + 2 >= MAX_DEPTH {
            return Err(ParseError(Some("memory exhausted".into())));
        }
        self.stack.push(item);
        Ok(())
    }

    pub(super) fn new_node(&mut self) -> Step<()> {
        if self.nodes >= MAX_NODES {
            return Err(ParseError(None));
        }
        self.nodes += 1;
        Ok(())
    }

    /// Whether the stack top is an operand (bison: in a state after `expr`).
    pub(super) fn after_expr(&self) -> bool {
        matches!(self.stack.last(), Some(Item::Expr(_)))
    }

    /// Reduces `expr OP expr` and `! expr` while the operator on the stack
    /// binds at least as tightly as `incoming` (None: reduce everything).
    pub(super) fn reduce(&mut self, incoming: Option<Op>) -> Step<()> {
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
    pub(super) fn in_parens(&self) -> bool {
        self.stack.iter().any(|i| matches!(i, Item::Open))
    }

    pub(super) fn shift_operand(&mut self, tok: Token) -> Step<()> {
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

pub(super) fn compile_regex(node: Node) -> Step<Node> {
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
