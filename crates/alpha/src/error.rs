//! Errors of the expression language: every error carries the byte span of the sub-expression
//! that failed, and renders a caret line under the source text.

use std::fmt;

use thiserror::Error;

/// A byte range `start..end` inside an expression's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte (0-based).
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (clamped so that `end >= start`).
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// What went wrong, without the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprErrorKind {
    /// A character that starts no token.
    UnexpectedChar(char),
    /// A token that does not fit the grammar here.
    UnexpectedToken {
        /// What was found.
        found: String,
        /// What the parser expected instead.
        expected: String,
    },
    /// The text ended in the middle of an expression.
    UnexpectedEnd {
        /// What the parser expected.
        expected: String,
    },
    /// A malformed number literal.
    BadNumber(String),
    /// A function name that is not an operator of the language.
    UnknownFunction(String),
    /// A field that the panel does not hold.
    UnknownField {
        /// Requested field.
        field: String,
        /// Fields the panel holds.
        available: String,
    },
    /// Wrong number of arguments.
    Arity {
        /// Operator name.
        op: String,
        /// Accepted argument counts, e.g. "2" or "1 or 2".
        expected: String,
        /// Count found.
        got: usize,
    },
    /// A window / lag argument that is not a constant number, or out of range.
    BadWindow {
        /// Operator name.
        op: String,
        /// Why it is rejected.
        reason: String,
    },
    /// An `IndClass.x` group that is not sector, industry, subindustry or market.
    UnknownGroup(String),
    /// A group (`IndClass.x`) used where a number is needed, or a number where a group is needed.
    Misplaced(String),
    /// An unknown library name such as `alpha101:102`.
    UnknownLibraryEntry(String),
    /// The expression nests deeper than the parser allows.
    TooDeep,
}

impl fmt::Display for ExprErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExprErrorKind::UnexpectedChar(c) => write!(f, "unexpected character `{c}`"),
            ExprErrorKind::UnexpectedToken { found, expected } => {
                write!(f, "expected {expected}, found {found}")
            }
            ExprErrorKind::UnexpectedEnd { expected } => {
                write!(f, "expected {expected}, found the end of the expression")
            }
            ExprErrorKind::BadNumber(s) => write!(f, "malformed number `{s}`"),
            ExprErrorKind::UnknownFunction(s) => write!(
                f,
                "unknown function `{s}` (see the operator list in the af-alpha crate docs)"
            ),
            ExprErrorKind::UnknownField { field, available } => {
                write!(f, "unknown field `{field}`; the panel has: {available}")
            }
            ExprErrorKind::Arity { op, expected, got } => {
                write!(f, "`{op}` takes {expected} argument(s), got {got}")
            }
            ExprErrorKind::BadWindow { op, reason } => write!(f, "bad window for `{op}`: {reason}"),
            ExprErrorKind::UnknownGroup(s) => write!(
                f,
                "unknown group `IndClass.{s}`; use sector, industry, subindustry or market"
            ),
            ExprErrorKind::Misplaced(s) => write!(f, "{s}"),
            ExprErrorKind::UnknownLibraryEntry(s) => write!(
                f,
                "unknown library alpha `{s}`; use alpha101:001..alpha101:101 or tech:<name>"
            ),
            ExprErrorKind::TooDeep => write!(f, "expression nests too deeply"),
        }
    }
}

/// An error in an expression, with the byte span of the failing sub-expression.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct ExprError {
    /// What went wrong.
    pub kind: ExprErrorKind,
    /// Where, in bytes of `source`.
    pub span: Span,
    /// The full expression text.
    pub source_text: String,
}

impl ExprError {
    /// An error of `kind` at `span` in `source`.
    pub fn new(kind: ExprErrorKind, span: Span, source: &str) -> Self {
        ExprError {
            kind,
            span,
            source_text: source.to_string(),
        }
    }

    /// Byte offset of the error in the expression.
    pub fn offset(&self) -> usize {
        self.span.start
    }

    /// The expression followed by a caret line marking the failing span, e.g.
    /// ```text
    /// rank(close +)
    ///             ^
    /// ```
    pub fn caret(&self) -> String {
        let start = self.span.start.min(self.source_text.len());
        let end = self.span.end.clamp(start, self.source_text.len());
        // column counted in characters so that the caret lines up for non-ASCII text
        let col = self
            .source_text
            .get(..start)
            .map_or(start, |s| s.chars().count());
        let width = self
            .source_text
            .get(start..end)
            .map_or(1, |s| s.chars().count())
            .max(1);
        let line: String = self
            .source_text
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .collect();
        format!("{line}\n{}{}", " ".repeat(col), "^".repeat(width))
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at byte {}\n{}",
            self.kind,
            self.span.start,
            self.caret()
        )
    }
}

/// An error raised while evaluating a checked plan over a panel.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EvalError {
    /// The panel changed shape or lost a field between check and evaluation.
    #[error("field `{0}` is missing from the panel at evaluation time")]
    MissingField(String),
    /// A panel error.
    #[error(transparent)]
    Core(#[from] af_core::CoreError),
    /// Buffers of the wrong length were given to a transform.
    #[error("{what}: expected {expected} values (dates × assets), got {got}")]
    Shape {
        /// Which input.
        what: String,
        /// Expected length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A transform argument is out of range.
    #[error("bad argument `{name}` = {value}: {reason}")]
    BadArgument {
        /// Argument name.
        name: String,
        /// Its value.
        value: String,
        /// Why it is rejected.
        reason: String,
    },
}

/// Either a checking error or an evaluation error (the convenience API returns this).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AlphaError {
    /// The expression does not parse or check.
    #[error("{name}: {source}")]
    Expr {
        /// Name of the alpha.
        name: String,
        /// The positioned error.
        #[source]
        source: ExprError,
    },
    /// Evaluation failed.
    #[error(transparent)]
    Eval(#[from] EvalError),
}
