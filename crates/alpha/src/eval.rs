//! Evaluation of a checked [`Plan`] over a [`Panel`].
//!
//! Nodes are computed once each, in topological order. Time-series operators run per asset over
//! contiguous series and cross-sectional operators per block of dates (see [`crate::kernels`]),
//! both in parallel with rayon; every cell is computed by the same sequential code whatever the
//! number of threads, so results do not depend on it. A node's buffer is recycled as soon as its
//! last consumer has run, which keeps the memory of a 101-alpha batch to the live frontier.
//! An element-wise node used only by one element-wise parent is not stored at all: it is fused
//! into the parent and computed chunk by chunk in cache ([`crate::kernels::fused`]). The
//! cross-sectional operators work on cache-sized date-major tiles of their own.

use af_core::Panel;
use rayon::prelude::*;

use crate::error::EvalError;
use crate::kernels::cross::{cross_section_tiled, CrossOp};
use crate::kernels::elem::{binary, cond, finite, unary, Value};
use crate::kernels::extrema::rolling_extremum;
use crate::kernels::fused::{evaluate_fused, Fused};
use crate::kernels::rolling::rolling;
use crate::kernels::window::{window, WindowOp};
use crate::plan::{Group, Node, NodeId, Plan};

/// One evaluated alpha: column-major values with the panel's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct AlphaValues {
    /// The name given to [`Plan::add`].
    pub name: String,
    /// `n_dates × n_assets` values; value of asset `a` at date `t` is at `a * n_dates + t`.
    pub values: Vec<f64>,
}

/// Group id of every asset for `group`; assets without the classification share one group.
pub fn group_ids(panel: &Panel, group: Group) -> (Vec<usize>, usize) {
    let mut names: Vec<Option<&str>> = Vec::new();
    let ids = panel
        .meta()
        .iter()
        .map(|m| {
            let key = match group {
                Group::Sector => m.sector.as_deref(),
                Group::Industry => m.industry.as_deref(),
                Group::Subindustry => m.subindustry.as_deref(),
                Group::Market => m.market.as_deref(),
            };
            match names.iter().position(|n| *n == key) {
                Some(i) => i,
                None => {
                    names.push(key);
                    names.len() - 1
                }
            }
        })
        .collect();
    (ids, names.len())
}

/// Apply a per-series kernel to every asset in parallel, into a recycled buffer (every kernel
/// writes every cell of its series).
fn per_asset(
    x: &[f64],
    y: Option<&[f64]>,
    n_dates: usize,
    mut out: Vec<f64>,
    f: impl Fn(&[f64], &[f64], &mut [f64]) + Sync,
) -> Vec<f64> {
    out.resize(x.len(), f64::NAN);
    if n_dates == 0 {
        return out;
    }
    out.par_chunks_mut(n_dates).enumerate().for_each(|(a, o)| {
        let xs = &x[a * n_dates..(a + 1) * n_dates];
        let ys = y.map_or(xs, |y| &y[a * n_dates..(a + 1) * n_dates]);
        f(xs, ys, o);
    });
    out
}

/// Evaluate every root of `plan` over `panel`, in the order they were added.
pub fn evaluate(plan: &Plan, panel: &Panel) -> Result<Vec<AlphaValues>, EvalError> {
    let nodes = plan.nodes();
    let (nd, na) = (panel.n_dates(), panel.n_assets());
    let len = nd * na;
    // uses: edges from reachable parents + root references
    let mut reachable = vec![false; nodes.len()];
    let mut uses = vec![0usize; nodes.len()];
    for (_, r) in plan.roots() {
        reachable[*r] = true;
        uses[*r] += 1;
    }
    for i in (0..nodes.len()).rev() {
        if !reachable[i] {
            continue;
        }
        for c in children(&nodes[i]) {
            reachable[c] = true;
            uses[c] += 1;
        }
    }
    // an element-wise node used once, by an element-wise parent, is fused into the parent:
    // computed chunk by chunk inside the parent's pass, never stored
    let mut fused = vec![false; nodes.len()];
    for i in 0..nodes.len() {
        if reachable[i] && elementwise(&nodes[i]) {
            for c in children(&nodes[i]) {
                if uses[c] == 1 && elementwise(&nodes[c]) {
                    fused[c] = true;
                }
            }
        }
    }
    let mut values: Vec<Option<Value<'_>>> = vec![None; nodes.len()];
    // buffers of dropped nodes, reused to avoid fresh allocations (and page faults) per node
    let mut pool: Vec<Vec<f64>> = Vec::new();
    for i in 0..nodes.len() {
        if !reachable[i] || fused[i] {
            continue;
        }
        let buf = match nodes[i] {
            Node::Const(_) | Node::Field(_) => Vec::new(),
            _ => sized(pool.pop().unwrap_or_default(), len),
        };
        let get = |id: NodeId| -> Result<&Value<'_>, EvalError> {
            values[id]
                .as_ref()
                .ok_or_else(|| EvalError::MissingField(format!("internal node #{id}")))
        };
        let v: Value<'_> = match &nodes[i] {
            Node::Const(b) => Value::Scalar(f64::from_bits(*b)),
            Node::Field(f) => {
                let s = panel
                    .field(f)
                    .map_err(|_| EvalError::MissingField(f.clone()))?;
                if s.iter().all(|v| v.is_finite() || v.is_nan()) {
                    Value::Borrowed(s)
                } else {
                    Value::Owned(s.iter().map(|&v| finite(v)).collect())
                }
            }
            Node::Returns => {
                let close = panel
                    .field("close")
                    .map_err(|_| EvalError::MissingField("close".into()))?;
                Value::Owned(per_asset(close, None, nd, buf, |x, _, o| {
                    o[0] = f64::NAN;
                    for t in 1..x.len() {
                        o[t] = finite(x[t] / x[t - 1] - 1.0);
                    }
                }))
            }
            Node::Unary(..) | Node::Binary(..) | Node::Cond(..)
                if children(&nodes[i]).iter().any(|&c| fused[c]) =>
            {
                let tree = fused_tree(nodes, &fused, &values, i)?;
                Value::Owned(evaluate_fused(&tree, len, buf))
            }
            Node::Unary(op, a) => unary(*op, get(*a)?, len, buf),
            Node::Binary(op, a, b) => binary(*op, get(*a)?, get(*b)?, len, buf),
            Node::Cond(c, a, b) => cond(get(*c)?, get(*a)?, get(*b)?, len, buf),
            Node::Moment(m, x, y, d) => {
                let xs = get(*x)?.to_series(len);
                let ys = get(*y)?.to_series(len);
                let m = *m;
                let d = *d;
                Value::Owned(per_asset(&xs, Some(&ys), nd, buf, |x, y, o| {
                    rolling(m, x, y, d, o)
                }))
            }
            Node::Extremum(op, x, d) => {
                let xs = get(*x)?.to_series(len);
                let (op, d) = (*op, *d);
                Value::Owned(per_asset(&xs, None, nd, buf, |x, _, o| {
                    rolling_extremum(op, x, d, o)
                }))
            }
            Node::Window(op, x, d) => {
                let xs = get(*x)?.to_series(len);
                let (op, d) = (*op, *d);
                let mut v = per_asset(&xs, None, nd, buf, |x, _, o| window(op, x, d, o));
                if op == WindowOp::Product || op == WindowOp::Ema {
                    v.iter_mut().for_each(|c| *c = finite(*c));
                }
                Value::Owned(v)
            }
            Node::Rank(x) => {
                let xs = get(*x)?.to_series(len);
                Value::Owned(cross_section_tiled(&CrossOp::Rank, &xs, nd, na, buf))
            }
            Node::Scale(x, a) => {
                let xs = get(*x)?.to_series(len);
                let op = CrossOp::Scale(f64::from_bits(*a));
                Value::Owned(cross_section_tiled(&op, &xs, nd, na, buf))
            }
            Node::Neutralize(x, g) => {
                let xs = get(*x)?.to_series(len);
                let (groups, n_groups) = group_ids(panel, *g);
                let op = CrossOp::Neutralize {
                    groups: &groups,
                    n_groups,
                };
                Value::Owned(cross_section_tiled(&op, &xs, nd, na, buf))
            }
        };
        values[i] = Some(v);
        for c in leaves(nodes, &fused, i) {
            uses[c] -= 1;
            if uses[c] == 0 {
                if let Some(Value::Owned(b)) = values[c].take() {
                    pool.push(b);
                }
            }
        }
    }
    drop(pool);
    plan.roots()
        .iter()
        .map(|(name, r)| {
            uses[*r] -= 1;
            let v = if uses[*r] == 0 {
                values[*r].take()
            } else {
                values[*r].clone()
            };
            let v = v.ok_or_else(|| EvalError::MissingField(format!("internal node #{r}")))?;
            let values = match v {
                Value::Owned(b) => b,
                other => other.to_series(len).into_owned(),
            };
            Ok(AlphaValues {
                name: name.clone(),
                values,
            })
        })
        .collect()
}

/// `buf` with `len` cells. A buffer too small for them (a fresh one: a root's buffer leaves the
/// pool for good) is filled with `NaN` by all threads, so that the page faults of its first touch
/// are spread over the cores instead of stalling the others behind a sequential fill.
fn sized(mut buf: Vec<f64>, len: usize) -> Vec<f64> {
    if buf.capacity() < len {
        rayon::iter::repeat_n(f64::NAN, len).collect_into_vec(&mut buf);
    } else {
        buf.resize(len, f64::NAN);
    }
    buf
}

/// Unary, binary and `? :` nodes.
fn elementwise(node: &Node) -> bool {
    matches!(node, Node::Unary(..) | Node::Binary(..) | Node::Cond(..))
}

/// The stored values node `i` reads: its children, through the fused ones.
fn leaves(nodes: &[Node], fused: &[bool], i: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    for c in children(&nodes[i]) {
        if fused[c] {
            out.extend(leaves(nodes, fused, c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The element-wise tree rooted at node `i`, down to stored values.
fn fused_tree<'v>(
    nodes: &[Node],
    fused: &[bool],
    values: &'v [Option<Value<'v>>],
    i: NodeId,
) -> Result<Fused<'v>, EvalError> {
    let sub = |c: NodeId| -> Result<Box<Fused<'v>>, EvalError> {
        Ok(Box::new(if fused[c] {
            fused_tree(nodes, fused, values, c)?
        } else {
            Fused::Leaf(
                values[c]
                    .as_ref()
                    .ok_or_else(|| EvalError::MissingField(format!("internal node #{c}")))?,
            )
        }))
    };
    Ok(match &nodes[i] {
        Node::Unary(op, a) => Fused::Unary(*op, sub(*a)?),
        Node::Binary(op, a, b) => Fused::Binary(*op, sub(*a)?, sub(*b)?),
        Node::Cond(c, a, b) => Fused::Cond(sub(*c)?, sub(*a)?, sub(*b)?),
        _ => Fused::Leaf(
            values[i]
                .as_ref()
                .ok_or_else(|| EvalError::MissingField(format!("internal node #{i}")))?,
        ),
    })
}

/// The children of a node.
fn children(node: &Node) -> Vec<NodeId> {
    match node {
        Node::Const(_) | Node::Field(_) | Node::Returns => vec![],
        Node::Unary(_, a)
        | Node::Extremum(_, a, _)
        | Node::Window(_, a, _)
        | Node::Rank(a)
        | Node::Scale(a, _)
        | Node::Neutralize(a, _) => vec![*a],
        Node::Binary(_, a, b) => vec![*a, *b],
        Node::Moment(_, a, b, _) => {
            if a == b {
                vec![*a]
            } else {
                vec![*a, *b]
            }
        }
        Node::Cond(c, a, b) => vec![*c, *a, *b],
    }
}
