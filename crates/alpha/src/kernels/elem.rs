//! Element-wise operators with scalar broadcasting.
//!
//! Every result passes through [`finite`]: ±∞ (division by zero, overflow, `log(0)`) becomes `NaN`.
//! Comparisons and logical operators return 1.0 / 0.0; a comparison involving `NaN` is false (0).

use rayon::prelude::*;

/// Minimum number of cells a rayon task handles.
const MIN_LEN: usize = 1 << 14;

/// A node's value during evaluation: a scalar, a panel field (borrowed) or a computed buffer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// One number for every cell.
    Scalar(f64),
    /// A column-major buffer borrowed from the panel.
    Borrowed(&'a [f64]),
    /// A computed column-major buffer.
    Owned(Vec<f64>),
}

impl Value<'_> {
    /// Cell `i` (scalars broadcast).
    #[inline]
    pub fn at(&self, i: usize) -> f64 {
        match self {
            Value::Scalar(x) => *x,
            Value::Borrowed(s) => s[i],
            Value::Owned(v) => v[i],
        }
    }

    /// The buffer, or `None` for a scalar.
    pub fn as_slice(&self) -> Option<&[f64]> {
        match self {
            Value::Scalar(_) => None,
            Value::Borrowed(s) => Some(s),
            Value::Owned(v) => Some(v),
        }
    }

    /// A full buffer of `len` cells (scalars are broadcast).
    pub fn to_series(&self, len: usize) -> std::borrow::Cow<'_, [f64]> {
        match self {
            Value::Scalar(x) => std::borrow::Cow::Owned(vec![*x; len]),
            Value::Borrowed(s) => std::borrow::Cow::Borrowed(s),
            Value::Owned(v) => std::borrow::Cow::Borrowed(v),
        }
    }
}

/// `x` if finite, else `NaN`.
#[inline]
pub fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        f64::NAN
    }
}

/// Unary element-wise operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `|x|`
    Abs,
    /// natural logarithm (`NaN` for x ≤ 0)
    Log,
    /// −1, 0 or 1 (`NaN` stays `NaN`)
    Sign,
    /// square root (`NaN` for x < 0)
    Sqrt,
}

/// Binary element-wise operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `a + b`
    Add,
    /// `a − b`
    Sub,
    /// `a · b`
    Mul,
    /// `a / b`
    Div,
    /// `a ^ b` (plain power)
    Pow,
    /// `sign(a)·|a|^b`
    SignedPower,
    /// `a < b`
    Lt,
    /// `a <= b`
    Le,
    /// `a > b`
    Gt,
    /// `a >= b`
    Ge,
    /// `a == b`
    Eq,
    /// `a != b` (false when either is `NaN`)
    Ne,
    /// both true (non-zero and not `NaN`)
    And,
    /// either true
    Or,
    /// element-wise minimum (`NaN` if either is `NaN`)
    Min,
    /// element-wise maximum (`NaN` if either is `NaN`)
    Max,
}

#[inline]
fn truth(x: f64) -> bool {
    x != 0.0 && !x.is_nan()
}

#[inline]
fn bool01(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Apply a unary operator to one number.
#[inline]
pub fn unary_scalar(op: UnOp, x: f64) -> f64 {
    finite(match op {
        UnOp::Neg => -x,
        UnOp::Abs => x.abs(),
        UnOp::Log => x.ln(),
        UnOp::Sign => {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else if x == 0.0 {
                0.0
            } else {
                f64::NAN
            }
        }
        UnOp::Sqrt => x.sqrt(),
    })
}

/// Apply a binary operator to two numbers.
#[inline]
pub fn binary_scalar(op: BinOp, a: f64, b: f64) -> f64 {
    finite(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Pow => a.powf(b),
        BinOp::SignedPower => {
            if a == 0.0 {
                0.0f64.powf(b)
            } else {
                a.signum() * a.abs().powf(b)
            }
        }
        BinOp::Lt => bool01(a < b),
        BinOp::Le => bool01(a <= b),
        BinOp::Gt => bool01(a > b),
        BinOp::Ge => bool01(a >= b),
        BinOp::Eq => bool01(a == b),
        BinOp::Ne => bool01(!a.is_nan() && !b.is_nan() && a != b),
        BinOp::And => bool01(truth(a) && truth(b)),
        BinOp::Or => bool01(truth(a) || truth(b)),
        BinOp::Min => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.min(b)
            }
        }
        BinOp::Max => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.max(b)
            }
        }
    })
}

/// `cond ? a : b` for one cell: `NaN` condition gives `NaN`, non-zero picks `a`.
#[inline]
pub fn cond_scalar(c: f64, a: f64, b: f64) -> f64 {
    if c.is_nan() {
        f64::NAN
    } else if c != 0.0 {
        a
    } else {
        b
    }
}

/// Fill `out` (resized to `len`) chunk by chunk in parallel: `f(offset, chunk)`.
fn fill(mut out: Vec<f64>, len: usize, f: impl Fn(usize, &mut [f64]) + Sync + Send) -> Vec<f64> {
    out.resize(len, 0.0);
    out.par_chunks_mut(MIN_LEN)
        .enumerate()
        .for_each(|(k, o)| f(k * MIN_LEN, o));
    out
}

/// The cells `lo..lo + n` of a value (a repeated scalar is materialised once per chunk).
pub(crate) enum Cells<'a> {
    Slice(&'a [f64]),
    Scalar(f64),
}

impl Cells<'_> {
    #[inline]
    fn get(&self, i: usize) -> f64 {
        match self {
            Cells::Slice(s) => s[i],
            Cells::Scalar(x) => *x,
        }
    }
}

pub(crate) fn cells<'a>(v: &'a Value<'_>, lo: usize, n: usize) -> Cells<'a> {
    match v.as_slice() {
        Some(s) => Cells::Slice(&s[lo..lo + n]),
        None => Cells::Scalar(v.at(0)),
    }
}

/// Unary operator over a value of `len` cells, into a recycled buffer.
pub fn unary(op: UnOp, x: &Value<'_>, len: usize, buf: Vec<f64>) -> Value<'static> {
    if let Value::Scalar(v) = x {
        return Value::Scalar(unary_scalar(op, *v));
    }
    Value::Owned(fill(buf, len, |lo, o| {
        let xs = cells(x, lo, o.len());
        let one = Cells::Scalar(0.0);
        macro_rules! each {
            ($($v:ident),*) => {
                match op {
                    $(UnOp::$v => zip_with(o, &xs, &one, |x, _| unary_scalar(UnOp::$v, x)),)*
                }
            };
        }
        each!(Neg, Abs, Log, Sign, Sqrt);
    }))
}

/// `each_binop!(op, OP => body)`: a `match` over every [`BinOp`], with `OP` a constant in each
/// arm, so `body` is compiled once per operator (a loop specialised to it) instead of
/// dispatching per cell.
macro_rules! each_binop {
    ($op:expr, $c:ident => $body:expr) => {
        each_binop!(@arms $op, $c, $body;
            Add, Sub, Mul, Div, Pow, SignedPower, Lt, Le, Gt, Ge, Eq, Ne, And, Or, Min, Max)
    };
    (@arms $op:expr, $c:ident, $body:expr; $($v:ident),*) => {
        match $op {
            $(BinOp::$v => {
                const $c: BinOp = BinOp::$v;
                $body
            })*
        }
    };
}
pub(crate) use each_binop;

/// Binary operator over two values of `len` cells, into a recycled buffer.
pub fn binary(
    op: BinOp,
    a: &Value<'_>,
    b: &Value<'_>,
    len: usize,
    buf: Vec<f64>,
) -> Value<'static> {
    if let (Value::Scalar(x), Value::Scalar(y)) = (a, b) {
        return Value::Scalar(binary_scalar(op, *x, *y));
    }
    Value::Owned(fill(buf, len, |lo, o| {
        let (xs, ys) = (cells(a, lo, o.len()), cells(b, lo, o.len()));
        // one match per chunk: each arm is a loop specialised to its operator (and vectorised
        // where the operator allows), not a dispatch per cell
        each_binop!(op, OP => zip_with(o, &xs, &ys, |x, y| binary_scalar(OP, x, y)));
    }))
}

/// `o[i] = f(x[i], y[i])` over one chunk, a loop per combination of slice and scalar.
#[inline(always)]
fn zip_with(o: &mut [f64], x: &Cells<'_>, y: &Cells<'_>, f: impl Fn(f64, f64) -> f64) {
    match (x, y) {
        (Cells::Slice(xs), Cells::Slice(ys)) => {
            for ((o, &x), &y) in o.iter_mut().zip(*xs).zip(*ys) {
                *o = f(x, y);
            }
        }
        (Cells::Scalar(x), Cells::Slice(ys)) => {
            for (o, &y) in o.iter_mut().zip(*ys) {
                *o = f(*x, y);
            }
        }
        (Cells::Slice(xs), Cells::Scalar(y)) => {
            for (o, &x) in o.iter_mut().zip(*xs) {
                *o = f(x, *y);
            }
        }
        (Cells::Scalar(x), Cells::Scalar(y)) => o.fill(f(*x, *y)),
    }
}

/// `c ? a : b` over values of `len` cells, into a recycled buffer.
pub fn cond(
    c: &Value<'_>,
    a: &Value<'_>,
    b: &Value<'_>,
    len: usize,
    buf: Vec<f64>,
) -> Value<'static> {
    if let (Value::Scalar(c), Value::Scalar(x), Value::Scalar(y)) = (c, a, b) {
        return Value::Scalar(cond_scalar(*c, *x, *y));
    }
    Value::Owned(fill(buf, len, |lo, o| {
        let (cs, xs, ys) = (
            cells(c, lo, o.len()),
            cells(a, lo, o.len()),
            cells(b, lo, o.len()),
        );
        for (i, o) in o.iter_mut().enumerate() {
            *o = cond_scalar(cs.get(i), xs.get(i), ys.get(i));
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_inf_rules() {
        let nan = f64::NAN;
        assert!(binary_scalar(BinOp::Div, 1.0, 0.0).is_nan());
        assert_eq!(binary_scalar(BinOp::Lt, nan, 1.0), 0.0);
        assert_eq!(binary_scalar(BinOp::Ne, nan, 1.0), 0.0);
        assert_eq!(binary_scalar(BinOp::Ge, 1.0, 1.0), 1.0);
        assert_eq!(binary_scalar(BinOp::Or, nan, 2.0), 1.0);
        assert_eq!(binary_scalar(BinOp::And, nan, 2.0), 0.0);
        assert_eq!(binary_scalar(BinOp::SignedPower, -2.0, 2.0), -4.0);
        assert_eq!(binary_scalar(BinOp::SignedPower, 0.0, 2.0), 0.0);
        assert!(binary_scalar(BinOp::Pow, -2.0, 0.5).is_nan());
        assert!(binary_scalar(BinOp::Max, nan, 1.0).is_nan());
        assert!(unary_scalar(UnOp::Log, 0.0).is_nan());
        assert_eq!(unary_scalar(UnOp::Sign, -0.0), 0.0);
        assert_eq!(unary_scalar(UnOp::Sign, -3.0), -1.0);
        assert!(cond_scalar(nan, 1.0, 2.0).is_nan());
        assert_eq!(cond_scalar(0.0, 1.0, 2.0), 2.0);
    }

    #[test]
    fn broadcasting() {
        let a = Value::Owned(vec![1.0, 2.0, 3.0]);
        let r = binary(BinOp::Sub, &Value::Scalar(10.0), &a, 3, Vec::new());
        assert_eq!(r, Value::Owned(vec![9.0, 8.0, 7.0]));
        let c = cond(
            &Value::Owned(vec![1.0, 0.0, 1.0]),
            &a,
            &Value::Scalar(-1.0),
            3,
            vec![5.0; 10],
        );
        assert_eq!(c, Value::Owned(vec![1.0, -1.0, 3.0]));
    }
}
