//! Fiorentini–Calzolari–Panattoni (1996) benchmark on the Bollerslev–Ghysels DEM/GBP returns.
//!
//! Reference values as published (hard-coded in R rugarch `R/rugarch-benchmarks.R`, reproduced
//! in `/work/shared/data/README.md`); scored by the log relative error
//! LRE = −log10(|estimate − benchmark| / |benchmark|), LRE ≥ 4 required.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, Backcast, CovType, DistKind, FitOptions, GarchSpec, MeanSpec, VolKind};

fn dem2gbp() -> Vec<f64> {
    let text = include_str!("fixtures/dem2gbp.csv");
    text.lines()
        .skip(1)
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

fn lre(est: f64, bench: f64) -> f64 {
    -((est - bench).abs() / bench.abs()).log10()
}

fn spec(vol: VolKind) -> GarchSpec {
    with_backcast(vol, Backcast::Sample)
}

fn with_backcast(vol: VolKind, backcast: Backcast) -> GarchSpec {
    GarchSpec {
        mean: MeanSpec::Constant,
        vol,
        p: 1,
        o: usize::from(vol == VolKind::Egarch),
        q: 1,
        dist: DistKind::Normal,
        backcast,
    }
}

fn check(names: &[&str], got: &[f64], bench: &[f64], what: &str, min_lre: f64) {
    let mut worst = f64::INFINITY;
    for ((n, g), b) in names.iter().zip(got).zip(bench) {
        let l = lre(*g, *b);
        eprintln!("{what} {n}: {g:.10} vs {b:.10}  LRE {l:.2}");
        worst = worst.min(l);
    }
    assert!(worst >= min_lre, "{what}: worst LRE {worst:.2} < {min_lre}");
}

#[test]
fn garch11_matches_fcp_benchmark() {
    let y = dem2gbp();
    assert_eq!(y.len(), 1974);
    let opts = FitOptions {
        cov: CovType::Classic,
        ..FitOptions::default()
    };
    let res = fit(&y, &spec(VolKind::Garch), &opts).unwrap();
    eprintln!("{}", res.summary());
    assert!(res.converged);
    let names = ["mu", "omega", "alpha[1]", "beta[1]"];
    let est: Vec<f64> = names.iter().map(|n| res.params[*n]).collect();
    let se: Vec<f64> = names.iter().map(|n| res.std_err[*n]).collect();
    check(
        &names,
        &est,
        &[-0.00619041, 0.0107613, 0.153134, 0.805974],
        "estimate",
        4.0,
    );
    check(
        &names,
        &se,
        &[0.00846212, 0.00285271, 0.0265228, 0.0335527],
        "std.err",
        4.0,
    );
}

#[test]
fn egarch11_matches_published_estimates() {
    let y = dem2gbp();
    let opts = FitOptions {
        cov: CovType::Classic,
        ..FitOptions::default()
    };
    let res = fit(&y, &spec(VolKind::Egarch), &opts).unwrap();
    assert!(res.converged);
    // rugarch: log σ²_t = ω + α₁ z + γ₁(|z| − E|z|) + β log σ²; arch: α on |z| − E|z|, γ on z.
    // So arch alpha[1] = rugarch gamma1 and arch gamma[1] = rugarch alpha1.
    let names = ["mu", "omega", "alpha[1]", "gamma[1]", "beta[1]"];
    let est: Vec<f64> = names.iter().map(|n| res.params[*n]).collect();
    let bench = [
        -0.01167873487,
        -0.12633933747,
        0.33305592776,
        -0.03845788444,
        0.91265373928,
    ];
    // Under arch's start (no pre-sample shock, ln σ²₋₁ = ln mean ε²) the published values are
    // 2–4 digits away: they use TSP's `e(0) = mean` start, see `egarch11_published_convention`.
    // Here: LRE ≥ 2 on estimates, and our optimum must beat the published point under ours.
    check(&names, &est, &bench, "estimate", 2.0);
    let se: Vec<f64> = names.iter().map(|n| res.std_err[*n]).collect();
    // Published to 3 significant digits, covariance type undocumented: our classic −H⁻¹ is
    // 4–6% below every one of them (robust matches mu only), so within 6% (LRE ≥ 1.2).
    check(
        &names,
        &se,
        &[0.00886, 0.0285, 0.0406, 0.0192, 0.0168],
        "std.err",
        1.2,
    );
    let at_bench = af_vol::loglikelihood_at(&y, &spec(VolKind::Egarch), &bench).unwrap();
    assert!(
        res.loglikelihood >= at_bench,
        "{} < {at_bench}",
        res.loglikelihood
    );
    // Independent check of our EGARCH likelihood surface: scipy Nelder–Mead on a Python
    // transcription of arch's recursion (dynamic sample backcast) reached ℓ = −1102.2704378369708
    // at mu = −0.01159892, omega = −0.12689022.
    assert!(
        (res.loglikelihood + 1_102.270_437_836_970_8).abs() < 1e-6,
        "{}",
        res.loglikelihood
    );
    assert!(lre(res.params["mu"], -0.01159892) >= 4.0);
    assert!(lre(res.params["omega"], -0.12689022) >= 4.0);
}

/// The published EGARCH values are the TSP column "e(0)=mean" of C. Cummins' `egarch.tsp`
/// (tspintl.com/examples/bench/egarch.tsp; rugarch's `ugarchbench` hard-codes its estimates):
/// h₀ = ln(ε'ε/T) and a pre-sample residual ε̄ = Σε/T at the current μ, so the first log-variance
/// carries α(|e₀| − √(2/π)) + γe₀ with e₀ = ε̄/σ₀ — our `Backcast::SampleMeanShock`.
/// `scripts/fixtures/egarch_conventions.py` (output in `egarch_conventions.txt`) fits eleven
/// start-up conventions with scipy; only this one reproduces the benchmark (LRE ≥ 6.8 on every
/// parameter, ℓ = −1101.6843841 to all published digits); the next best (ln var ε with the same
/// shock) reaches 3.3, arch's start 2.2, rugarch's own C filter 2.2.
///
/// Standard errors: rugarch's benchmark s.e. (.00886 …) are the RATS column of the same file,
/// recovered from 3-digit t-statistics; TSP's own column comes from numeric second derivatives.
/// Our classic −H⁻¹ matches the converged limit of a central-difference Hessian (step sweep in
/// the script's companion check: 0.0083222, 0.027221, 0.038764, 0.018303, 0.016182), and TSP's
/// values sit 1.5e-4…3.6e-4 relative below that limit (no difference scheme tried lands on all
/// five), so LRE ≥ 3.4 against TSP's s.e. is what the published digits support, 1.2 against
/// RATS's. The script's second part (2026-11-22) tried the other covariance conventions at our
/// optimum and at the published point; none reaches LRE 4 on all five: the Hessian with the
/// start-up quantities (h₀ = ln ε'ε/T, e₀ = ε̄/σ₀) held fixed instead of differentiated through μ
/// gains on γ (3.45 → 3.60) but loses μ (4.2 → 3.19); BHHH (G'G)⁻¹ is 0.3–0.9 too large and the
/// sandwich 0.3–0.5 too small (LRE < 1.5); central differences at relative step 3e-4 reach
/// 4.0–4.3 on four but γ stays at 3.45. Freezing only e₀ (h₀ still through μ) is the best
/// analytic-limit variant (min 3.58: μ 4.67, γ 3.67, ω/α/β unchanged at 3.6–3.8); with a
/// central step of 3e-4 on top it reaches 4.07–4.65 on four and γ 3.69 — still short of 4, and
/// a step tuned to the published digits is no convention to ship. TSP's s.e. sit 0.5–2.6e-4 below
/// every limit, consistent with its own finite-difference Hessian, so 3.4 stays the assertion.
#[test]
fn egarch11_published_convention() {
    let y = dem2gbp();
    let opts = FitOptions {
        cov: CovType::Classic,
        ..FitOptions::default()
    };
    let sp = with_backcast(VolKind::Egarch, Backcast::SampleMeanShock);
    let res = fit(&y, &sp, &opts).unwrap();
    eprintln!("{}", res.summary());
    assert!(res.converged);
    let names = ["mu", "omega", "alpha[1]", "gamma[1]", "beta[1]"];
    let est: Vec<f64> = names.iter().map(|n| res.params[*n]).collect();
    let bench = [
        -0.01167873487,
        -0.12633933747,
        0.33305592776,
        -0.03845788444,
        0.91265373928,
    ];
    check(&names, &est, &bench, "estimate", 6.0);
    assert!(
        lre(res.loglikelihood, -1101.6843841) >= 9.0,
        "{}",
        res.loglikelihood
    );
    let se: Vec<f64> = names.iter().map(|n| res.std_err[*n]).collect();
    let tsp_se = [
        0.0083216274259,
        0.02721344887,
        0.03875690246,
        0.01829620652,
        0.01617807763,
    ];
    check(&names, &se, &tsp_se, "std.err (TSP)", 3.4);
    check(
        &names,
        &se,
        &[0.00886, 0.0285, 0.0406, 0.0192, 0.0168],
        "std.err (RATS)",
        1.2,
    );
    // The likelihood at the published point under this convention is the published one.
    let at_bench = af_vol::loglikelihood_at(&y, &sp, &bench).unwrap();
    assert!((at_bench + 1_101.684_384_1).abs() < 1e-6, "{at_bench}");
    assert!(res.loglikelihood >= at_bench - 1e-9);
}
