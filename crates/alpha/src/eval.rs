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

/// One evaluated alpha handed to the consumer of [`evaluate_each`].
#[derive(Debug, Clone, Copy)]
pub struct AlphaRef<'a> {
    /// Position of the alpha among the plan's roots (the order of [`Plan::add`]).
    pub index: usize,
    /// The name given to [`Plan::add`].
    pub name: &'a str,
    /// `n_dates × n_assets` values in the panel's layout, as in [`AlphaValues::values`].
    pub values: &'a [f64],
}

/// Evaluate every root of `plan` over `panel`, in the order they were added.
///
/// Every alpha is held in memory until the end (101 alphas on 500 × 2,520 are 1 GB); a consumer
/// that can take them one at a time should use [`evaluate_each`].
pub fn evaluate(plan: &Plan, panel: &Panel) -> Result<Vec<AlphaValues>, EvalError> {
    let len = panel.n_dates() * panel.n_assets();
    let mut out = Vec::with_capacity(plan.roots().len());
    run(plan, panel, &mut |k, slot, last| {
        let values = match (last, slot.take()) {
            (true, Some(Value::Owned(b))) => b,
            (_, Some(v)) => {
                let copy = v.to_series(len).into_owned();
                if !last {
                    *slot = Some(v);
                }
                copy
            }
            (_, None) => return Err(EvalError::MissingField(format!("internal root #{k}"))),
        };
        out.push(AlphaValues {
            name: plan.roots()[k].0.clone(),
            values,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Evaluate every root of `plan` over `panel` and hand each alpha to `consume` as soon as it and
/// the alphas added before it are computed, in the order they were added. Its buffer is then
/// recycled for the rest of the batch, so the memory is that of the live intermediate values,
/// not of every alpha at once (and no fresh pages are faulted in for each alpha). The values
/// are bit-identical to [`evaluate`]'s. An error returned by `consume` stops the evaluation.
pub fn evaluate_each<E: From<EvalError>>(
    plan: &Plan,
    panel: &Panel,
    mut consume: impl FnMut(AlphaRef<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let len = panel.n_dates() * panel.n_assets();
    run(plan, panel, &mut |k, slot, _| {
        let v = slot
            .as_ref()
            .ok_or_else(|| EvalError::MissingField(format!("internal root #{k}")))?;
        let values = v.to_series(len);
        consume(AlphaRef {
            index: k,
            name: &plan.roots()[k].0,
            values: &values,
        })
    })
}

/// A root's value handed over: `(root index, the node's value slot, whether this is the node's
/// last use)`. The sink may take the value out of the slot; what it leaves is recycled after the
/// last use.
type Emit<'s, 'p, E> = dyn FnMut(usize, &mut Option<Value<'p>>, bool) -> Result<(), E> + 's;

/// The evaluation loop shared by [`evaluate`] and [`evaluate_each`]: nodes in topological order,
/// each root emitted in the order of [`Plan::add`] once it and the roots before it are ready.
fn run<'p, E: From<EvalError>>(
    plan: &Plan,
    panel: &'p Panel,
    emit: &mut Emit<'_, 'p, E>,
) -> Result<(), E> {
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
    let roots = plan.roots();
    let mut next = 0;
    let mut values: Vec<Option<Value<'p>>> = vec![None; nodes.len()];
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
            release(c, &mut uses, &mut values, &mut pool);
        }
        // hand over every root that is ready, in the order of `Plan::add`
        while let Some((_, r)) = roots.get(next) {
            if values[*r].is_none() {
                break;
            }
            emit(next, &mut values[*r], uses[*r] == 1)?;
            release(*r, &mut uses, &mut values, &mut pool);
            next += 1;
        }
    }
    Ok(())
}

/// One use of node `c` is over; at the last its buffer returns to the pool.
fn release<'p>(
    c: NodeId,
    uses: &mut [usize],
    values: &mut [Option<Value<'p>>],
    pool: &mut Vec<Vec<f64>>,
) {
    uses[c] -= 1;
    if uses[c] == 0 {
        if let Some(Value::Owned(b)) = values[c].take() {
            pool.push(b);
        }
    }
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
