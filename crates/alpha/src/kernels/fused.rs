//! Fused element-wise expressions: a tree of unary / binary / `? :` operators over computed
//! values, evaluated one cache-sized chunk of cells at a time.
//!
//! Without fusion every operator of `(close − open) / ((high − low) + 0.001)` writes a full
//! panel-sized buffer that the next one reads back from memory; fused, the inner results live in
//! per-task chunk buffers that stay in cache, and only the tree's root is written out. Each cell
//! is computed by the same scalar functions ([`unary_scalar`], [`binary_scalar`],
//! [`cond_scalar`]) on the same inputs as without fusion, so results are bit-identical.

use rayon::prelude::*;

use super::elem::{
    binary_scalar, cells, cond_scalar, each_binop, unary_scalar, BinOp, Cells, UnOp, Value,
};

/// Cells per chunk: three chunk buffers of a deep tree stay within a core's L2 cache.
const CHUNK: usize = 1 << 12;

/// An element-wise expression whose leaves are already computed values.
#[derive(Debug)]
pub enum Fused<'a> {
    /// A computed value (a panel field, a constant, any non-element-wise node).
    Leaf(&'a Value<'a>),
    /// `op(a)`
    Unary(UnOp, Box<Fused<'a>>),
    /// `a op b`
    Binary(BinOp, Box<Fused<'a>>, Box<Fused<'a>>),
    /// `c ? a : b`
    Cond(Box<Fused<'a>>, Box<Fused<'a>>, Box<Fused<'a>>),
}

/// Evaluate `e` over `len` cells into a recycled buffer (resized, fully overwritten), in
/// parallel over chunks.
pub fn evaluate_fused(e: &Fused<'_>, len: usize, mut buf: Vec<f64>) -> Vec<f64> {
    buf.resize(len, 0.0);
    buf.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each_init(Vec::new, |stack, (k, out)| {
            eval_into(e, k * CHUNK, out, stack)
        });
    buf
}

/// Cells `lo..lo + out.len()` of `e` into `out`; `stack` recycles chunk buffers.
fn eval_into(e: &Fused<'_>, lo: usize, out: &mut [f64], stack: &mut Vec<Vec<f64>>) {
    let n = out.len();
    match e {
        Fused::Leaf(v) => match cells(v, lo, n) {
            Cells::Slice(s) => out.copy_from_slice(s),
            Cells::Scalar(x) => out.fill(x),
        },
        Fused::Unary(op, a) => {
            eval_into(a, lo, out, stack);
            macro_rules! each {
                ($($v:ident),*) => {
                    match op {
                        $(UnOp::$v => out.iter_mut().for_each(|o| *o = unary_scalar(UnOp::$v, *o)),)*
                    }
                };
            }
            each!(Neg, Abs, Log, Sign, Sqrt);
        }
        Fused::Binary(op, a, b) => {
            eval_into(a, lo, out, stack);
            if let Fused::Leaf(v) = &**b {
                combine(*op, out, &cells(v, lo, n));
            } else {
                let mut t = take(stack, n);
                eval_into(b, lo, &mut t, stack);
                combine(*op, out, &Cells::Slice(&t));
                stack.push(t);
            }
        }
        Fused::Cond(c, a, b) => {
            eval_into(c, lo, out, stack);
            let mut ta = take(stack, n);
            eval_into(a, lo, &mut ta, stack);
            let mut tb = take(stack, n);
            eval_into(b, lo, &mut tb, stack);
            for ((o, &x), &y) in out.iter_mut().zip(&ta).zip(&tb) {
                *o = cond_scalar(*o, x, y);
            }
            stack.push(tb);
            stack.push(ta);
        }
    }
}

/// A chunk buffer of `n` cells from the stack (or a new one).
fn take(stack: &mut Vec<Vec<f64>>, n: usize) -> Vec<f64> {
    let mut t = stack.pop().unwrap_or_default();
    t.resize(n, 0.0);
    t
}

/// `out[i] = out[i] op y[i]`, one loop per operator.
fn combine(op: BinOp, out: &mut [f64], y: &Cells<'_>) {
    each_binop!(op, OP => apply(out, y, |a, b| binary_scalar(OP, a, b)));
}

#[inline(always)]
fn apply(out: &mut [f64], y: &Cells<'_>, f: impl Fn(f64, f64) -> f64) {
    match y {
        Cells::Slice(ys) => {
            for (o, &b) in out.iter_mut().zip(*ys) {
                *o = f(*o, b);
            }
        }
        Cells::Scalar(b) => {
            for o in out.iter_mut() {
                *o = f(*o, *b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::elem::{binary, cond, unary};

    #[test]
    fn fused_tree_is_bit_identical_to_one_operator_at_a_time() {
        let len = 3 * CHUNK + 77;
        let mut s = 3u64;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.3
        };
        let x = Value::Owned((0..len).map(|_| next()).collect());
        let y = Value::Owned(
            (0..len)
                .map(|i| if i % 13 == 0 { f64::NAN } else { next() })
                .collect(),
        );
        let k = Value::Scalar(0.001);
        // ((x - y) / (abs(y) + 0.001)) < x ? log(x) : y ^ 2
        let fused = Fused::Cond(
            Box::new(Fused::Binary(
                BinOp::Lt,
                Box::new(Fused::Binary(
                    BinOp::Div,
                    Box::new(Fused::Binary(
                        BinOp::Sub,
                        Box::new(Fused::Leaf(&x)),
                        Box::new(Fused::Leaf(&y)),
                    )),
                    Box::new(Fused::Binary(
                        BinOp::Add,
                        Box::new(Fused::Unary(UnOp::Abs, Box::new(Fused::Leaf(&y)))),
                        Box::new(Fused::Leaf(&k)),
                    )),
                )),
                Box::new(Fused::Leaf(&x)),
            )),
            Box::new(Fused::Unary(UnOp::Log, Box::new(Fused::Leaf(&x)))),
            Box::new(Fused::Binary(
                BinOp::Pow,
                Box::new(Fused::Leaf(&y)),
                Box::new(Fused::Leaf(&Value::Scalar(2.0))),
            )),
        );
        let got = evaluate_fused(&fused, len, Vec::new());
        let d = binary(BinOp::Sub, &x, &y, len, Vec::new());
        let a = unary(UnOp::Abs, &y, len, Vec::new());
        let a = binary(BinOp::Add, &a, &k, len, Vec::new());
        let q = binary(BinOp::Div, &d, &a, len, Vec::new());
        let c = binary(BinOp::Lt, &q, &x, len, Vec::new());
        let l = unary(UnOp::Log, &x, len, Vec::new());
        let p = binary(BinOp::Pow, &y, &Value::Scalar(2.0), len, Vec::new());
        let want = cond(&c, &l, &p, len, Vec::new());
        let want = want.as_slice().unwrap();
        assert!(got.iter().any(|v| v.is_nan()) && got.iter().any(|v| !v.is_nan()));
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!(g.to_bits(), w.to_bits(), "cell {i}");
        }
    }
}
