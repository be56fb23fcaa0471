//! The trust-region subproblem of [`crate::trust_minimize`]: min ĝᵀp + ½pᵀĤp subject to
//! ‖p‖ ≤ Δ in the scaled variables, solved exactly through the eigendecomposition Ĥ = QΛQᵀ
//! (Moré & Sorensen 1983): p(λ) = −Σ a_i/(λ_i + λ) q_i with a = Qᵀĝ, λ from the secular
//! equation 1/Δ − 1/‖p(λ)‖ = 0, and the "hard case" step along the lowest eigenvector.

use nalgebra::{DMatrix, SymmetricEigen};

/// The scaled quadratic model at one iterate, diagonalized.
pub(crate) struct Subproblem {
    /// Eigenvalues of Ĥ.
    lam: Vec<f64>,
    /// Eigenvectors of Ĥ, column j for λ_j, column-major.
    q: DMatrix<f64>,
    /// a = Qᵀĝ.
    a: Vec<f64>,
    /// The scaling d.
    d: Vec<f64>,
}

/// A step of the subproblem: p in the original variables, c = Qᵀp̂ its eigen-coordinates.
pub(crate) struct Step {
    pub p: Vec<f64>,
    pub c: Vec<f64>,
    pub norm: f64,
    pub on_boundary: bool,
}

impl Subproblem {
    pub(crate) fn new(g: &[f64], h: &[f64], d: &[f64]) -> Subproblem {
        let k = g.len();
        let hs = DMatrix::from_fn(k, k, |i, j| {
            0.5 * (h[i * k + j] + h[j * k + i]) / (d[i] * d[j])
        });
        let eig = SymmetricEigen::new(hs);
        let a = (0..k)
            .map(|j| (0..k).map(|i| eig.eigenvectors[(i, j)] * g[i] / d[i]).sum())
            .collect();
        Subproblem {
            lam: eig.eigenvalues.iter().copied().collect(),
            q: eig.eigenvectors,
            a,
            d: d.to_vec(),
        }
    }

    /// Ĥ ≻ 0 and the Newton decrement ½Σ a_i²/λ_i at most `tol`.
    pub(crate) fn converged(&self, tol: f64) -> bool {
        let top = self.lam.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        self.lam.iter().all(|&l| l > 1e-12 * top)
            && 0.5
                * self
                    .a
                    .iter()
                    .zip(&self.lam)
                    .map(|(a, l)| a * a / l)
                    .sum::<f64>()
                <= tol
    }

    pub(crate) fn norm_at(&self, shift: f64) -> f64 {
        self.a
            .iter()
            .zip(&self.lam)
            .map(|(a, l)| (a / (l + shift)).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    /// The exact minimizer of the model within ‖p̂‖ ≤ `radius` (Moré–Sorensen).
    pub(crate) fn step(&self, radius: f64) -> Step {
        let k = self.a.len();
        let lmin = self.lam.iter().copied().fold(f64::INFINITY, f64::min);
        let top = self
            .lam
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()))
            .max(1e-300);
        let lo = (-lmin).max(0.0);
        let gnorm = self.a.iter().map(|a| a * a).sum::<f64>().sqrt();
        let shifted = |shift: f64| -> Vec<f64> {
            self.a
                .iter()
                .zip(&self.lam)
                .map(|(a, l)| -a / (l + shift))
                .collect()
        };
        let interior = lmin > 1e-12 * top && self.norm_at(0.0) <= radius;
        let on_boundary = !interior;
        let c = if interior {
            shifted(0.0)
        } else {
            // Terms of the lowest eigenvalue(s) with a negligible a_j make the hard case.
            let near = |j: usize| self.lam[j] - lmin <= 1e-12 * top;
            let hard_norm = (0..k)
                .filter(|&j| !near(j))
                .map(|j| (self.a[j] / (self.lam[j] + lo)).powi(2))
                .sum::<f64>()
                .sqrt();
            let small_a = (0..k)
                .filter(|&j| near(j))
                .all(|j| self.a[j].abs() <= 1e-12 * gnorm.max(1e-300));
            if small_a && hard_norm < radius {
                let mut c: Vec<f64> = (0..k)
                    .map(|j| {
                        if near(j) {
                            0.0
                        } else {
                            -self.a[j] / (self.lam[j] + lo)
                        }
                    })
                    .collect();
                let jmin = (0..k).find(|&j| near(j)).unwrap_or(0);
                let tau = (radius * radius - hard_norm * hard_norm).max(0.0).sqrt();
                c[jmin] += if self.a[jmin] > 0.0 { -tau } else { tau };
                c
            } else {
                shifted(self.secular(lo, radius, gnorm))
            }
        };
        let norm = c.iter().map(|v| v * v).sum::<f64>().sqrt();
        let p = (0..k)
            .map(|i| (0..k).map(|j| self.q[(i, j)] * c[j]).sum::<f64>() / self.d[i])
            .collect();
        Step {
            p,
            c,
            norm,
            on_boundary,
        }
    }

    /// λ > `lo` with ‖p̂(λ)‖ = `radius`: Newton's iteration on 1/Δ − 1/‖p̂(λ)‖ inside a
    /// bisection bracket.
    fn secular(&self, lo: f64, radius: f64, gnorm: f64) -> f64 {
        let (mut a, mut b) = (lo, lo + gnorm / radius + 1e-300);
        let mut s = b;
        for _ in 0..100 {
            let norm = self.norm_at(s);
            if (norm - radius).abs() <= 1e-10 * radius {
                break;
            }
            if norm > radius {
                a = s;
            } else {
                b = s;
            }
            let dn: f64 = self
                .a
                .iter()
                .zip(&self.lam)
                .map(|(ai, l)| ai * ai / (l + s).powi(3))
                .sum::<f64>()
                / norm;
            // φ(s) = 1/Δ − 1/‖p‖, φ'(s) = −‖p‖'/‖p‖², ‖p‖' = −dn.
            let newton = s - (1.0 / radius - 1.0 / norm) * norm * norm / -dn;
            s = if newton > a && newton < b && newton.is_finite() {
                newton
            } else {
                0.5 * (a + b)
            };
        }
        s
    }

    /// m(0) − m(frac·p̂) for a step.
    pub(crate) fn decrease(&self, step: &Step, frac: f64) -> f64 {
        -step
            .c
            .iter()
            .zip(&self.a)
            .zip(&self.lam)
            .map(|((c, a), l)| frac * a * c + 0.5 * l * (frac * c).powi(2))
            .sum::<f64>()
    }
}
