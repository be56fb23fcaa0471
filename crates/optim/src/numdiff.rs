//! Central-difference derivatives.
//!
//! Steps are relative: `h_i = step · max(|x_i|, floor)`; with `step ≈ ε^{1/3} ≈ 6e-6` a central
//! difference of a smooth function is accurate to about `ε^{2/3}` relative.

/// Default relative step for central differences of a function value.
pub const STEP_VALUE: f64 = 6.055e-6;
/// Default relative step for central differences of an analytic gradient.
pub const STEP_GRADIENT: f64 = 1e-5;

fn step(x: f64, rel: f64) -> f64 {
    rel * x.abs().max(1e-4)
}

/// Gradient of `f` at `x` by central differences.
pub fn gradient<F: FnMut(&[f64]) -> f64>(mut f: F, x: &[f64]) -> Vec<f64> {
    let mut xp = x.to_vec();
    (0..x.len())
        .map(|i| {
            let h = step(x[i], STEP_VALUE);
            xp[i] = x[i] + h;
            let fp = f(&xp);
            xp[i] = x[i] - h;
            let fm = f(&xp);
            xp[i] = x[i];
            (fp - fm) / (2.0 * h)
        })
        .collect()
}

/// Hessian of a function from its analytic gradient `g(x, out)`, by central differences of the
/// gradient, symmetrized. Returned row-major `n × n`.
pub fn hessian_from_gradient<G: FnMut(&[f64], &mut [f64])>(mut g: G, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut h = vec![0.0; n * n];
    let mut xp = x.to_vec();
    let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
    for j in 0..n {
        let dx = step(x[j], STEP_GRADIENT);
        xp[j] = x[j] + dx;
        g(&xp, &mut gp);
        xp[j] = x[j] - dx;
        g(&xp, &mut gm);
        xp[j] = x[j];
        for i in 0..n {
            h[i * n + j] = (gp[i] - gm[i]) / (2.0 * dx);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let s = 0.5 * (h[i * n + j] + h[j * n + i]);
            h[i * n + j] = s;
            h[j * n + i] = s;
        }
    }
    h
}

/// Hessian from an analytic gradient by forward differences (n + 1 gradients instead of 2n),
/// symmetrized; accurate to about √ε relative for a smooth gradient. Row-major `n × n`.
pub fn hessian_from_gradient_forward<G: FnMut(&[f64], &mut [f64])>(
    mut g: G,
    x: &[f64],
) -> Vec<f64> {
    let n = x.len();
    let mut h = vec![0.0; n * n];
    let mut xp = x.to_vec();
    let (mut g0, mut gp) = (vec![0.0; n], vec![0.0; n]);
    g(x, &mut g0);
    for j in 0..n {
        let dx = step(x[j], STEP_VALUE);
        xp[j] = x[j] + dx;
        g(&xp, &mut gp);
        xp[j] = x[j];
        for i in 0..n {
            h[i * n + j] = (gp[i] - g0[i]) / dx;
        }
    }
    for i in 0..n {
        for j in 0..i {
            let s = 0.5 * (h[i * n + j] + h[j * n + i]);
            h[i * n + j] = s;
            h[j * n + i] = s;
        }
    }
    h
}

/// Hessian of `f` at `x` by second-order central differences of values, row-major `n × n`.
pub fn hessian<F: FnMut(&[f64]) -> f64>(mut f: F, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let hs: Vec<f64> = x.iter().map(|&xi| step(xi, 1e-4)).collect();
    let mut out = vec![0.0; n * n];
    let mut xp = x.to_vec();
    let f0 = f(x);
    for i in 0..n {
        for j in i..n {
            let mut eval = |si: f64, sj: f64| {
                xp[i] += si * hs[i];
                xp[j] += sj * hs[j];
                let v = f(&xp);
                xp[i] = x[i];
                xp[j] = x[j];
                v
            };
            let v = if i == j {
                (eval(1.0, 0.0) - 2.0 * f0 + eval(-1.0, 0.0)) / (hs[i] * hs[i])
            } else {
                (eval(1.0, 1.0) - eval(1.0, -1.0) - eval(-1.0, 1.0) + eval(-1.0, -1.0))
                    / (4.0 * hs[i] * hs[j])
            };
            out[i * n + j] = v;
            out[j * n + i] = v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // f(x, y) = x²y + exp(y): ∇ = (2xy, x² + eʸ), H = [[2y, 2x], [2x, eʸ]] (by hand).
    fn f(x: &[f64]) -> f64 {
        x[0] * x[0] * x[1] + x[1].exp()
    }

    #[test]
    fn gradient_and_hessians_match_hand_derivatives() {
        let x = [1.5, 0.3];
        let g = gradient(f, &x);
        assert!((g[0] - 2.0 * 1.5 * 0.3).abs() < 1e-8);
        assert!((g[1] - (2.25 + 0.3f64.exp())).abs() < 1e-8);
        let exact = [0.6, 3.0, 3.0, 0.3f64.exp()];
        let h = hessian(f, &x);
        for (a, b) in h.iter().zip(&exact) {
            assert!((a - b).abs() < 1e-5, "{h:?}");
        }
        let ga = |x: &[f64], out: &mut [f64]| {
            out[0] = 2.0 * x[0] * x[1];
            out[1] = x[0] * x[0] + x[1].exp();
        };
        let h2 = hessian_from_gradient(ga, &x);
        for (a, b) in h2.iter().zip(&exact) {
            assert!((a - b).abs() < 1e-8, "{h2:?}");
        }
        let h3 = hessian_from_gradient_forward(ga, &x);
        for (a, b) in h3.iter().zip(&exact) {
            assert!((a - b).abs() < 1e-4, "{h3:?}");
        }
    }
}
