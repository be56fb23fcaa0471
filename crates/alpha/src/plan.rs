//! The checker: syntax tree → checked, hash-consed plan.
//!
//! Checking resolves every name (fields of the panel, `returns`, `adv{d}`, `IndClass.*`), every
//! function and its arity, and turns window arguments into integers (floored; they must be
//! constant). Each checked node is interned in a table keyed by its operator and its children's
//! ids, so a sub-expression that appears twice — in one alpha or across a batch — is one node and
//! is computed once. Constant sub-expressions are folded.

use std::collections::HashMap;

use af_core::Panel;

use crate::error::{ExprError, ExprErrorKind, Span};
use crate::kernels::elem::{binary_scalar, cond_scalar, unary_scalar, BinOp, UnOp};
use crate::kernels::extrema::Extremum;
use crate::kernels::rolling::Moment;
use crate::kernels::window::WindowOp;
use crate::parser::{parse, BinaryOp, Expr, ExprKind, UnaryOp};

/// Index of a node in a [`Plan`].
pub type NodeId = usize;

/// Largest window accepted (in bars).
pub const MAX_WINDOW: usize = 100_000;

/// The asset classification used by `indneutralize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// `IndClass.sector`
    Sector,
    /// `IndClass.industry`
    Industry,
    /// `IndClass.subindustry`
    Subindustry,
    /// `IndClass.market`
    Market,
}

/// One checked operation; children are earlier nodes of the same plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// A constant (bits of an `f64`).
    Const(u64),
    /// A panel field.
    Field(String),
    /// `close / delay(close, 1) − 1`, used when the panel has no `returns` field.
    Returns,
    /// Element-wise unary operator.
    Unary(UnOp, NodeId),
    /// Element-wise binary operator.
    Binary(BinOp, NodeId, NodeId),
    /// `c ? a : b`
    Cond(NodeId, NodeId, NodeId),
    /// Rolling sum / mean / std (second child = first) or cov / corr, with window.
    Moment(Moment, NodeId, NodeId, usize),
    /// Rolling min / max / argmin / argmax with window.
    Extremum(Extremum, NodeId, usize),
    /// delay / delta / ts_rank / product / decay_linear / ema with window.
    Window(WindowOp, NodeId, usize),
    /// Cross-sectional percentile rank.
    Rank(NodeId),
    /// Cross-sectional `x·a/Σ|x|` (bits of `a`).
    Scale(NodeId, u64),
    /// Cross-sectional group demeaning.
    Neutralize(NodeId, Group),
}

/// A checked batch of alphas: nodes in topological order, shared sub-expressions interned once.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    nodes: Vec<Node>,
    index: HashMap<Node, NodeId>,
    roots: Vec<(String, NodeId)>,
    fields: Vec<String>,
}

/// What a sub-expression checks to: a numeric node or a group name.
enum Checked {
    Num(NodeId),
    Group(Group, Span),
}

impl Plan {
    /// An empty plan checking names against `panel`'s fields.
    pub fn for_panel(panel: &Panel) -> Self {
        Plan {
            fields: panel.field_names().map(str::to_string).collect(),
            ..Plan::default()
        }
    }

    /// An empty plan checking names against the given field names.
    pub fn with_fields<S: AsRef<str>>(fields: &[S]) -> Self {
        Plan {
            fields: fields.iter().map(|s| s.as_ref().to_string()).collect(),
            ..Plan::default()
        }
    }

    /// Parse and check `source`, adding it to the batch under `name`. Returns the root node.
    pub fn add(&mut self, name: &str, source: &str) -> Result<NodeId, ExprError> {
        let expr = parse(source)?;
        let id =
            match self.check(&expr, source)? {
                Checked::Num(id) => id,
                Checked::Group(_, span) => return Err(ExprError::new(
                    ExprErrorKind::Misplaced(
                        "a group (IndClass.*) is only valid as the 2nd argument of indneutralize"
                            .into(),
                    ),
                    span,
                    source,
                )),
            };
        self.roots.push((name.to_string(), id));
        Ok(id)
    }

    /// The nodes, children before parents.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The named roots, in the order added.
    pub fn roots(&self) -> &[(String, NodeId)] {
        &self.roots
    }

    fn intern(&mut self, node: Node) -> NodeId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let id = self.nodes.len();
        self.nodes.push(node.clone());
        self.index.insert(node, id);
        id
    }

    fn constant(&mut self, x: f64) -> NodeId {
        let x = if x.is_finite() { x } else { f64::NAN };
        let bits = if x.is_nan() {
            f64::NAN.to_bits()
        } else {
            x.to_bits()
        };
        self.intern(Node::Const(bits))
    }

    fn const_value(&self, id: NodeId) -> Option<f64> {
        match self.nodes.get(id) {
            Some(Node::Const(b)) => Some(f64::from_bits(*b)),
            _ => None,
        }
    }

    fn unary(&mut self, op: UnOp, a: NodeId) -> NodeId {
        match self.const_value(a) {
            Some(x) => self.constant(unary_scalar(op, x)),
            None => self.intern(Node::Unary(op, a)),
        }
    }

    fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId) -> NodeId {
        if let (Some(x), Some(y)) = (self.const_value(a), self.const_value(b)) {
            return self.constant(binary_scalar(op, x, y));
        }
        let commutes = matches!(
            op,
            BinOp::Add | BinOp::Mul | BinOp::Min | BinOp::Max | BinOp::Eq | BinOp::Ne
        ) || matches!(op, BinOp::And | BinOp::Or);
        let (a, b) = if commutes && b < a { (b, a) } else { (a, b) };
        self.intern(Node::Binary(op, a, b))
    }

    fn has_field(&self, name: &str) -> Option<String> {
        if self.fields.iter().any(|f| f == name) {
            return Some(name.to_string());
        }
        let lower = name.to_ascii_lowercase();
        self.fields.iter().find(|f| **f == lower).cloned()
    }

    fn field(&mut self, name: &str, span: Span, src: &str) -> Result<NodeId, ExprError> {
        match self.has_field(name) {
            Some(f) => Ok(self.intern(Node::Field(f))),
            None => Err(ExprError::new(
                ExprErrorKind::UnknownField {
                    field: name.to_string(),
                    available: self.fields.join(", "),
                },
                span,
                src,
            )),
        }
    }

    fn name(&mut self, name: &str, span: Span, src: &str) -> Result<Checked, ExprError> {
        let lower = name.to_ascii_lowercase();
        if let Some(g) = lower.strip_prefix("indclass.") {
            let group = match g {
                "sector" => Group::Sector,
                "industry" => Group::Industry,
                "subindustry" => Group::Subindustry,
                "market" => Group::Market,
                _ => {
                    return Err(ExprError::new(
                        ExprErrorKind::UnknownGroup(g.to_string()),
                        span,
                        src,
                    ))
                }
            };
            return Ok(Checked::Group(group, span));
        }
        if self.has_field(name).is_none() {
            if lower == "returns" {
                self.field("close", span, src)?;
                return Ok(Checked::Num(self.intern(Node::Returns)));
            }
            if let Some(d) = lower
                .strip_prefix("adv")
                .and_then(|d| d.parse::<usize>().ok())
            {
                if d == 0 || d > MAX_WINDOW {
                    return Err(ExprError::new(
                        ExprErrorKind::BadWindow {
                            op: lower.clone(),
                            reason: format!("adv window must be in 1..={MAX_WINDOW}"),
                        },
                        span,
                        src,
                    ));
                }
                let v = self.field("volume", span, src)?;
                return Ok(Checked::Num(self.intern(Node::Moment(
                    Moment::Mean,
                    v,
                    v,
                    d,
                ))));
            }
        }
        Ok(Checked::Num(self.field(name, span, src)?))
    }

    fn num(&mut self, e: &Expr, src: &str) -> Result<NodeId, ExprError> {
        match self.check(e, src)? {
            Checked::Num(id) => Ok(id),
            Checked::Group(_, span) => Err(ExprError::new(
                ExprErrorKind::Misplaced(
                    "a group (IndClass.*) is only valid as the 2nd argument of indneutralize"
                        .into(),
                ),
                span,
                src,
            )),
        }
    }

    /// A window / lag argument: a constant, floored, within `min..=MAX_WINDOW`.
    fn window(&mut self, op: &str, e: &Expr, min: usize, src: &str) -> Result<usize, ExprError> {
        let id = self.num(e, src)?;
        let bad = |reason: String| {
            ExprError::new(
                ExprErrorKind::BadWindow {
                    op: op.to_string(),
                    reason,
                },
                e.span,
                src,
            )
        };
        let Some(x) = self.const_value(id) else {
            return Err(bad("the window must be a constant number".into()));
        };
        let d = x.floor();
        if !d.is_finite() || d < min as f64 || d > MAX_WINDOW as f64 {
            return Err(bad(format!(
                "{x} floors to {d}, outside {min}..={MAX_WINDOW}"
            )));
        }
        Ok(d as usize)
    }

    fn check(&mut self, e: &Expr, src: &str) -> Result<Checked, ExprError> {
        let id = match &e.kind {
            ExprKind::Num(x) => self.constant(*x),
            ExprKind::Name(n) => return self.name(n, e.span, src),
            ExprKind::Unary(UnaryOp::Neg, a) => {
                let a = self.num(a, src)?;
                self.unary(UnOp::Neg, a)
            }
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.num(a, src)?, self.num(b, src)?);
                let op = match op {
                    BinaryOp::Add => BinOp::Add,
                    BinaryOp::Sub => BinOp::Sub,
                    BinaryOp::Mul => BinOp::Mul,
                    BinaryOp::Div => BinOp::Div,
                    BinaryOp::Pow => BinOp::Pow,
                    BinaryOp::Lt => BinOp::Lt,
                    BinaryOp::Le => BinOp::Le,
                    BinaryOp::Gt => BinOp::Gt,
                    BinaryOp::Ge => BinOp::Ge,
                    BinaryOp::Eq => BinOp::Eq,
                    BinaryOp::Ne => BinOp::Ne,
                    BinaryOp::And => BinOp::And,
                    BinaryOp::Or => BinOp::Or,
                };
                self.binary(op, a, b)
            }
            ExprKind::Cond(c, a, b) => {
                let (c, a, b) = (self.num(c, src)?, self.num(a, src)?, self.num(b, src)?);
                match (
                    self.const_value(c),
                    self.const_value(a),
                    self.const_value(b),
                ) {
                    (Some(c), Some(a), Some(b)) => self.constant(cond_scalar(c, a, b)),
                    _ => self.intern(Node::Cond(c, a, b)),
                }
            }
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.call(name, *name_span, args, src)?,
        };
        Ok(Checked::Num(id))
    }

    fn call(
        &mut self,
        name: &str,
        name_span: Span,
        args: &[Expr],
        src: &str,
    ) -> Result<NodeId, ExprError> {
        let lower = name.to_ascii_lowercase();
        let arity = |expected: &str, ok: bool| -> Result<(), ExprError> {
            if ok {
                Ok(())
            } else {
                Err(ExprError::new(
                    ExprErrorKind::Arity {
                        op: lower.clone(),
                        expected: expected.to_string(),
                        got: args.len(),
                    },
                    name_span,
                    src,
                ))
            }
        };
        let unop = match lower.as_str() {
            "abs" => Some(UnOp::Abs),
            "log" => Some(UnOp::Log),
            "sign" => Some(UnOp::Sign),
            "sqrt" => Some(UnOp::Sqrt),
            _ => None,
        };
        if let Some(op) = unop {
            arity("1", args.len() == 1)?;
            let a = self.num(&args[0], src)?;
            return Ok(self.unary(op, a));
        }
        let moment = match lower.as_str() {
            "sum" | "ts_sum" => Some((Moment::Sum, 1)),
            "ts_mean" | "mean" | "sma" => Some((Moment::Mean, 1)),
            "stddev" | "ts_std" => Some((Moment::Std, 2)),
            _ => None,
        };
        if let Some((m, min)) = moment {
            arity("2", args.len() == 2)?;
            let x = self.num(&args[0], src)?;
            let d = self.window(&lower, &args[1], min, src)?;
            return Ok(self.intern(Node::Moment(m, x, x, d)));
        }
        let extremum = match lower.as_str() {
            "ts_min" => Some(Extremum::Min),
            "ts_max" => Some(Extremum::Max),
            "ts_argmin" => Some(Extremum::ArgMin),
            "ts_argmax" => Some(Extremum::ArgMax),
            _ => None,
        };
        if let Some(op) = extremum {
            arity("2", args.len() == 2)?;
            let x = self.num(&args[0], src)?;
            let d = self.window(&lower, &args[1], 1, src)?;
            return Ok(self.intern(Node::Extremum(op, x, d)));
        }
        let window = match lower.as_str() {
            "delay" => Some((WindowOp::Delay, 0)),
            "delta" => Some((WindowOp::Delta, 0)),
            "ts_rank" => Some((WindowOp::TsRank, 1)),
            "product" | "ts_product" => Some((WindowOp::Product, 1)),
            "decay_linear" => Some((WindowOp::DecayLinear, 1)),
            "ema" => Some((WindowOp::Ema, 1)),
            _ => None,
        };
        if let Some((op, min)) = window {
            arity("2", args.len() == 2)?;
            let x = self.num(&args[0], src)?;
            let d = self.window(&lower, &args[1], min, src)?;
            return Ok(self.intern(Node::Window(op, x, d)));
        }
        match lower.as_str() {
            "correlation" | "corr" | "covariance" | "cov" => {
                arity("3", args.len() == 3)?;
                let x = self.num(&args[0], src)?;
                let y = self.num(&args[1], src)?;
                let d = self.window(&lower, &args[2], 2, src)?;
                let m = if lower.starts_with("cor") {
                    Moment::Corr
                } else {
                    Moment::Cov
                };
                Ok(self.intern(Node::Moment(m, x, y, d)))
            }
            "rank" => {
                arity("1", args.len() == 1)?;
                let x = self.num(&args[0], src)?;
                // a percentile rank is its own rank (same order, same ties, same count):
                // rank(rank(x)) is rank(x), bit for bit, and costs nothing
                if matches!(self.nodes[x], Node::Rank(_)) {
                    return Ok(x);
                }
                Ok(self.intern(Node::Rank(x)))
            }
            "scale" => {
                arity("1 or 2", args.len() == 1 || args.len() == 2)?;
                let x = self.num(&args[0], src)?;
                let a = match args.get(1) {
                    Some(e) => {
                        let id = self.num(e, src)?;
                        self.const_value(id).ok_or_else(|| {
                            ExprError::new(
                                ExprErrorKind::Misplaced(
                                    "the scale target `a` must be a constant".into(),
                                ),
                                e.span,
                                src,
                            )
                        })?
                    }
                    None => 1.0,
                };
                Ok(self.intern(Node::Scale(x, a.to_bits())))
            }
            "signedpower" | "pow" | "power" => {
                arity("2", args.len() == 2)?;
                let (a, b) = (self.num(&args[0], src)?, self.num(&args[1], src)?);
                let op = if lower == "signedpower" {
                    BinOp::SignedPower
                } else {
                    BinOp::Pow
                };
                Ok(self.binary(op, a, b))
            }
            "min" | "max" | "greatest" | "least" => {
                arity("2", args.len() == 2)?;
                let a = self.num(&args[0], src)?;
                let b = self.num(&args[1], src)?;
                let is_max = lower == "max" || lower == "greatest";
                if (lower == "min" || lower == "max") && self.const_value(b).is_some() {
                    // the paper's min(x, d) = ts_min(x, d)
                    let d = self.window(&lower, &args[1], 1, src)?;
                    let op = if is_max { Extremum::Max } else { Extremum::Min };
                    return Ok(self.intern(Node::Extremum(op, a, d)));
                }
                let op = if is_max { BinOp::Max } else { BinOp::Min };
                Ok(self.binary(op, a, b))
            }
            "indneutralize" => {
                arity("2", args.len() == 2)?;
                let x = self.num(&args[0], src)?;
                match self.check(&args[1], src)? {
                    Checked::Group(g, _) => Ok(self.intern(Node::Neutralize(x, g))),
                    Checked::Num(_) => Err(ExprError::new(
                        ExprErrorKind::Misplaced(
                            "indneutralize needs a group: IndClass.sector, IndClass.industry, \
                             IndClass.subindustry or IndClass.market"
                                .into(),
                        ),
                        args[1].span,
                        src,
                    )),
                }
            }
            _ => Err(ExprError::new(
                ExprErrorKind::UnknownFunction(name.to_string()),
                name_span,
                src,
            )),
        }
    }
}
