//! Badly scaled data: a DataScale warning like `arch`, and — because the estimator fits y·c and
//! maps the estimates back — the same fit as on well-scaled data: ℓ(y·c) = ℓ(y) − n ln c,
//! slopes and shapes unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, FitWarning, GarchSpec, VolKind};

#[test]
fn fits_are_scale_equivariant() {
    for (vol, o) in [
        (VolKind::Garch, 0),
        (VolKind::Egarch, 1),
        (VolKind::Tarch, 1),
    ] {
        let spec = GarchSpec {
            vol,
            o,
            dist: DistKind::StudentsT,
            ..GarchSpec::default()
        };
        let truth: &[f64] = match vol {
            VolKind::Egarch => &[0.05, 0.0, 0.15, -0.08, 0.95, 6.0],
            VolKind::Tarch => &[0.05, 0.02, 0.05, 0.06, 0.9, 6.0],
            _ => &[0.05, 0.02, 0.08, 0.9, 6.0],
        };
        let y = simulate_spec(&spec, truth, 2000, 300, 8).unwrap().y;
        let base = fit(&y, &spec, &FitOptions::default()).unwrap();
        assert!(base.warnings.is_empty(), "{:?}", base.warnings);
        for c in [1e-3f64, 1e4] {
            let yc: Vec<f64> = y.iter().map(|v| v * c).collect();
            let r = fit(&yc, &spec, &FitOptions::default()).unwrap();
            assert!(r
                .warnings
                .iter()
                .any(|w| matches!(w, FitWarning::DataScale { .. })));
            let shift = base.nobs as f64 * c.ln();
            let want = base.loglikelihood - shift;
            assert!(
                (r.loglikelihood - want).abs() < 1e-6 * want.abs(),
                "{spec} ×{c}: {} vs {want}",
                r.loglikelihood
            );
            for name in ["alpha[1]", "beta[1]", "nu"] {
                let (a, b) = (r.params[name], base.params[name]);
                assert!(
                    (a - b).abs() < 1e-3 * (1.0 + b.abs()),
                    "{spec} ×{c} {name}: {a} vs {b}"
                );
            }
            let (m, mb) = (r.params["mu"], base.params["mu"] * c);
            assert!((m - mb).abs() < 1e-3 * c, "{spec} ×{c} mu: {m} vs {mb}");
        }
    }
}
