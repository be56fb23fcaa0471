//! Lexer and Pratt parser: expression text → [`Expr`] syntax tree with byte spans.
//!
//! Grammar, loosest binding first (all binary operators left-associative except `^`):
//! ```text
//! expr    := or ('?' expr ':' expr)?              -- ternary, right-associative
//! or      := and ('||' and)*
//! and     := cmp ('&&' cmp)*
//! cmp     := add (('<' | '<=' | '>' | '>=' | '==' | '!=') add)*
//! add     := mul (('+' | '-') mul)*
//! mul     := unary (('*' | '/') unary)*
//! unary   := ('-' | '+') unary | power
//! power   := primary ('^' unary)?                 -- right-associative, tighter than unary minus
//! primary := number | name | name '(' (expr (',' expr)*)? ')' | '(' expr ')'
//! ```
//! Names may contain dots (`IndClass.sector`); function names are case-insensitive.

use crate::error::{ExprError, ExprErrorKind, Span};

/// Deepest nesting (parenthesised / call / unary levels, each counted about twice) the parser
/// accepts: guards the stack against hostile input.
pub const MAX_DEPTH: usize = 200;

/// Deepest parenthesis nesting accepted (the Alpha101 formulas need 15).
pub const MAX_PARENS: usize = 48;

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`
    Neg,
}

/// Binary operators of the surface syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` (power)
    Pow,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `&&`
    And,
    /// `||`
    Or,
}

/// A node of the syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number literal.
    Num(f64),
    /// A bare name: a field (`close`), `adv20`, or a group (`IndClass.sector`).
    Name(String),
    /// A function call; `name_span` covers the name only.
    Call {
        /// The function name as written.
        name: String,
        /// Span of the name.
        name_span: Span,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// A unary operation.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operation.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `cond ? a : b`
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// A syntax-tree node with the byte span of its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    LParen,
    RParen,
    Comma,
    Op(&'static str),
    Question,
    Colon,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(x) => format!("number `{x}`"),
        Tok::Name(s) => format!("name `{s}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Op(s) => format!("`{s}`"),
        Tok::Question => "`?`".into(),
        Tok::Colon => "`:`".into(),
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                let mut j = i + 1;
                if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
                    j += 1;
                }
                if j < bytes.len() && bytes[j].is_ascii_digit() {
                    i = j;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            // a number glued to a name (`3abc`) is malformed
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let text = &src[start..i];
            let value: f64 = text.parse().map_err(|_| {
                ExprError::new(
                    ExprErrorKind::BadNumber(text.to_string()),
                    Span::new(start, i),
                    src,
                )
            })?;
            out.push((Tok::Num(value), Span::new(start, i)));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || (bytes[i] == b'.'
                        && bytes
                            .get(i + 1)
                            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')))
            {
                i += 1;
            }
            out.push((Tok::Name(src[start..i].to_string()), Span::new(start, i)));
            continue;
        }
        let two = bytes.get(i..i + 2);
        let tok2 = match two {
            Some(b"<=") => Some("<="),
            Some(b">=") => Some(">="),
            Some(b"==") => Some("=="),
            Some(b"!=") => Some("!="),
            Some(b"&&") => Some("&&"),
            Some(b"||") => Some("||"),
            _ => None,
        };
        if let Some(op) = tok2 {
            out.push((Tok::Op(op), Span::new(i, i + 2)));
            i += 2;
            continue;
        }
        let tok = match c {
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b',' => Tok::Comma,
            b'?' => Tok::Question,
            b':' => Tok::Colon,
            b'+' => Tok::Op("+"),
            b'-' => Tok::Op("-"),
            b'*' => Tok::Op("*"),
            b'/' => Tok::Op("/"),
            b'^' => Tok::Op("^"),
            b'<' => Tok::Op("<"),
            b'>' => Tok::Op(">"),
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(ExprError::new(
                    ExprErrorKind::UnexpectedChar(ch),
                    Span::new(i, i + ch.len_utf8()),
                    src,
                ));
            }
        };
        out.push((tok, Span::new(i, i + 1)));
        i += 1;
    }
    Ok(out)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

/// Parse expression text into a syntax tree. Errors carry the byte span of the offending token.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let toks = lex(src)?;
    let mut open = 0usize;
    for (t, span) in &toks {
        match t {
            Tok::LParen => open += 1,
            Tok::RParen => open = open.saturating_sub(1),
            _ => {}
        }
        if open > MAX_PARENS {
            return Err(ExprError::new(ExprErrorKind::TooDeep, *span, src));
        }
    }
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.expr()?;
    if let Some((t, span)) = p.toks.get(p.pos) {
        return Err(p.err(
            ExprErrorKind::UnexpectedToken {
                found: describe(t),
                expected: "an operator or the end of the expression".into(),
            },
            *span,
        ));
    }
    Ok(e)
}

impl Parser<'_> {
    fn err(&self, kind: ExprErrorKind, span: Span) -> ExprError {
        ExprError::new(kind, span, self.src)
    }

    fn end_span(&self) -> Span {
        Span::new(self.src.len(), self.src.len() + 1)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn expect(&mut self, want: Tok, what: &str) -> Result<Span, ExprError> {
        match self.toks.get(self.pos) {
            Some((t, span)) if *t == want => {
                self.pos += 1;
                Ok(*span)
            }
            Some((t, span)) => Err(self.err(
                ExprErrorKind::UnexpectedToken {
                    found: describe(t),
                    expected: what.into(),
                },
                *span,
            )),
            None => Err(self.err(
                ExprErrorKind::UnexpectedEnd {
                    expected: what.into(),
                },
                self.end_span(),
            )),
        }
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.toks.get(self.pos).map_or(self.end_span(), |t| t.1);
            return Err(self.err(ExprErrorKind::TooDeep, span));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        self.enter()?;
        let cond = self.binary(0)?;
        let out = if self.peek() == Some(&Tok::Question) {
            self.pos += 1;
            let a = self.expr()?;
            self.expect(Tok::Colon, "`:` of the `? :` conditional")?;
            let b = self.expr()?;
            let span = cond.span.join(b.span);
            Expr {
                kind: ExprKind::Cond(Box::new(cond), Box::new(a), Box::new(b)),
                span,
            }
        } else {
            cond
        };
        self.depth -= 1;
        Ok(out)
    }

    /// Binary operator at the current position with its precedence level (0 = loosest).
    fn binop(&self) -> Option<(BinaryOp, usize)> {
        let Some(Tok::Op(op)) = self.peek() else {
            return None;
        };
        Some(match *op {
            "||" => (BinaryOp::Or, 0),
            "&&" => (BinaryOp::And, 1),
            "<" => (BinaryOp::Lt, 2),
            "<=" => (BinaryOp::Le, 2),
            ">" => (BinaryOp::Gt, 2),
            ">=" => (BinaryOp::Ge, 2),
            "==" => (BinaryOp::Eq, 2),
            "!=" => (BinaryOp::Ne, 2),
            "+" => (BinaryOp::Add, 3),
            "-" => (BinaryOp::Sub, 3),
            "*" => (BinaryOp::Mul, 4),
            "/" => (BinaryOp::Div, 4),
            _ => return None,
        })
    }

    fn binary(&mut self, level: usize) -> Result<Expr, ExprError> {
        if level > 4 {
            return self.unary();
        }
        let mut lhs = self.binary(level + 1)?;
        while let Some((op, l)) = self.binop() {
            if l != level {
                break;
            }
            self.pos += 1;
            let rhs = self.binary(level + 1)?;
            let span = lhs.span.join(rhs.span);
            lhs = Expr {
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                span,
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        self.enter()?;
        let out = match self.toks.get(self.pos) {
            Some((Tok::Op("-"), span)) => {
                let span = *span;
                self.pos += 1;
                let inner = self.unary()?;
                let span = span.join(inner.span);
                Expr {
                    kind: ExprKind::Unary(UnaryOp::Neg, Box::new(inner)),
                    span,
                }
            }
            Some((Tok::Op("+"), _)) => {
                self.pos += 1;
                self.unary()?
            }
            _ => self.power()?,
        };
        self.depth -= 1;
        Ok(out)
    }

    fn power(&mut self) -> Result<Expr, ExprError> {
        let base = self.primary()?;
        if self.peek() == Some(&Tok::Op("^")) {
            self.pos += 1;
            let exp = self.unary()?;
            let span = base.span.join(exp.span);
            return Ok(Expr {
                kind: ExprKind::Binary(BinaryOp::Pow, Box::new(base), Box::new(exp)),
                span,
            });
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let expected = "a number, a name, a function call or `(`";
        let Some((tok, span)) = self.toks.get(self.pos).cloned() else {
            return Err(self.err(
                ExprErrorKind::UnexpectedEnd {
                    expected: expected.into(),
                },
                self.end_span(),
            ));
        };
        self.pos += 1;
        match tok {
            Tok::Num(x) => Ok(Expr {
                kind: ExprKind::Num(x),
                span,
            }),
            Tok::LParen => {
                let inner = self.expr()?;
                let close = self.expect(Tok::RParen, "`)`")?;
                Ok(Expr {
                    kind: inner.kind,
                    span: span.join(close),
                })
            }
            Tok::Name(name) => {
                if self.peek() != Some(&Tok::LParen) {
                    return Ok(Expr {
                        kind: ExprKind::Name(name),
                        span,
                    });
                }
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                } else {
                    loop {
                        args.push(self.expr()?);
                        match self.peek() {
                            Some(Tok::Comma) => self.pos += 1,
                            _ => break,
                        }
                    }
                    self.expect(Tok::RParen, "`,` or `)` closing the argument list")?;
                }
                let end = self.toks.get(self.pos - 1).map_or(span, |t| t.1);
                Ok(Expr {
                    kind: ExprKind::Call {
                        name,
                        name_span: span,
                        args,
                    },
                    span: span.join(end),
                })
            }
            other => Err(self.err(
                ExprErrorKind::UnexpectedToken {
                    found: describe(&other),
                    expected: expected.into(),
                },
                span,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Num(x) => format!("{x}"),
            ExprKind::Name(s) => s.clone(),
            ExprKind::Call { name, args, .. } => format!(
                "{name}({})",
                args.iter().map(show).collect::<Vec<_>>().join(",")
            ),
            ExprKind::Unary(_, a) => format!("(-{})", show(a)),
            ExprKind::Binary(op, a, b) => format!("({} {op:?} {})", show(a), show(b)),
            ExprKind::Cond(c, a, b) => format!("({} ? {} : {})", show(c), show(a), show(b)),
        }
    }

    #[test]
    fn precedence_and_associativity() {
        let e = parse("a + b * c ^ 2 ^ 3 < -d || e && f ? 1 : g ? 2 : 3").unwrap();
        assert_eq!(
            show(&e),
            "((((a Add (b Mul (c Pow (2 Pow 3)))) Lt (-d)) Or (e And f)) ? 1 : (g ? 2 : 3))"
        );
        assert_eq!(show(&parse("-a^2").unwrap()), "(-(a Pow 2))");
        assert_eq!(show(&parse("a - b - c").unwrap()), "((a Sub b) Sub c)");
    }

    #[test]
    fn numbers_names_and_calls() {
        let e = parse("IndNeutralize(vwap, IndClass.sector) + .001 * 2. + 1e-3").unwrap();
        assert_eq!(
            show(&e),
            "((IndNeutralize(vwap,IndClass.sector) Add (0.001 Mul 2)) Add 0.001)"
        );
        let e = parse("rank( close )").unwrap();
        assert_eq!(e.span, Span::new(0, 13));
    }

    #[test]
    fn errors_point_at_the_token() {
        let e = parse("rank(close +)").unwrap_err();
        assert_eq!(e.offset(), 12);
        assert!(e.to_string().contains("^"), "{e}");
        let e = parse("rank(close").unwrap_err();
        assert_eq!(e.offset(), 10);
        let e = parse("close # open").unwrap_err();
        assert_eq!(e.kind, ExprErrorKind::UnexpectedChar('#'));
        assert_eq!(e.offset(), 6);
        let e = parse("1.2.3 + x").unwrap_err();
        assert!(matches!(e.kind, ExprErrorKind::BadNumber(_)));
        assert_eq!(e.caret(), "1.2.3 + x\n^^^^^");
        let e = parse("a b").unwrap_err();
        assert_eq!(e.offset(), 2);
        let e = parse("c ? 1").unwrap_err();
        assert!(matches!(e.kind, ExprErrorKind::UnexpectedEnd { .. }));
        let deep = "(".repeat(5000) + "1" + &")".repeat(5000);
        assert_eq!(parse(&deep).unwrap_err().kind, ExprErrorKind::TooDeep);
    }
}
