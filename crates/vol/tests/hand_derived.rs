//! Values derivable by hand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{
    forecast_at, loglikelihood_at, Backcast, DistKind, ForecastOptions, GarchSpec, MeanSpec,
    VolKind,
};

fn zero_garch(dist: DistKind) -> GarchSpec {
    GarchSpec {
        mean: MeanSpec::Zero,
        vol: VolKind::Garch,
        p: 1,
        o: 0,
        q: 1,
        dist,
        backcast: Backcast::Sample,
    }
}

/// y = (1, −1, 2), ω = 0.1, α = 0.1, β = 0.8, sample backcast mean(y²) = 2:
/// σ²₀ = 0.1 + 0.9·2 = 1.9, σ²₁ = 0.1 + 0.1·1 + 0.8·1.9 = 1.72, σ²₂ = 0.1 + 0.1·1 + 0.8·1.72 = 1.576,
/// ℓ = −½ Σ (ln 2π + ln σ²_t + y²_t/σ²_t).
#[test]
fn normal_loglikelihood_of_three_points() {
    let y: [f64; 3] = [1.0, -1.0, 2.0];
    let s2: [f64; 3] = [1.9, 1.72, 1.576];
    let expected: f64 = y
        .iter()
        .zip(&s2)
        .map(|(y, s)| -0.5 * ((2.0 * std::f64::consts::PI).ln() + s.ln() + y * y / s))
        .sum();
    let got = loglikelihood_at(&y, &zero_garch(DistKind::Normal), &[0.1, 0.1, 0.8]).unwrap();
    assert!((got - expected).abs() < 1e-13, "{got} vs {expected}");
    // One step ahead: σ²₃ = 0.1 + 0.1·4 + 0.8·1.576 = 1.7608; two: 0.1 + 0.9·1.7608 = 1.68472.
    let f = forecast_at(
        &y,
        &zero_garch(DistKind::Normal),
        &[0.1, 0.1, 0.8],
        2,
        &ForecastOptions::default(),
    )
    .unwrap();
    assert!((f[0].0 - 1.7608).abs() < 1e-13);
    assert!((f[1].0 - 1.68472).abs() < 1e-13);
}

/// Student's t with ν = 5 on the same σ²: ℓ_t = ln Γ(3) − ln Γ(2.5) − ½ ln(3π) − ½ ln σ²_t
/// − 3 ln(1 + y²_t/(3σ²_t)); Γ(3) = 2, Γ(2.5) = 1.329340388179137 (= 3√π/4).
#[test]
fn student_t_loglikelihood_of_three_points() {
    let y: [f64; 3] = [1.0, -1.0, 2.0];
    let s2: [f64; 3] = [1.9, 1.72, 1.576];
    let c = 2f64.ln() - 1.329_340_388_179_137f64.ln() - 0.5 * (3.0 * std::f64::consts::PI).ln();
    let expected: f64 = y
        .iter()
        .zip(&s2)
        .map(|(y, s)| c - 0.5 * s.ln() - 3.0 * (1.0 + y * y / (3.0 * s)).ln())
        .sum();
    let got =
        loglikelihood_at(&y, &zero_garch(DistKind::StudentsT), &[0.1, 0.1, 0.8, 5.0]).unwrap();
    assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
}
