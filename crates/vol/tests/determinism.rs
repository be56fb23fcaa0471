//! Bitwise determinism of `af_vol::fit`: the same series and spec give the same bits, whether fit
//! twice in a row in one thread (no state kept between fits: scratch buffers, caches, fused-path
//! flags) or on another thread (no thread-local state). Compared bit for bit: parameters,
//! log-likelihood, standard errors, variance forecasts, VaR and ES at 1/5% for 1 and 10 days.
//!
//! Cases: GARCH(1,1), GJR(1,1,1) and EGARCH(1,1,1) × normal, Student's t and skew-t, on the
//! DEM/GBP series (`tests/fixtures/dem2gbp.csv`) and on a simulated t(8)-shock GARCH series.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, ForecastOptions, GarchSpec, VolKind};

fn dem2gbp() -> Vec<f64> {
    include_str!("fixtures/dem2gbp.csv")
        .lines()
        .skip(1)
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

fn simulated() -> Vec<f64> {
    let spec = GarchSpec {
        dist: DistKind::StudentsT,
        ..GarchSpec::default()
    };
    simulate_spec(&spec, &[0.03, 0.05, 0.09, 0.88, 8.0], 1500, 300, 17)
        .unwrap()
        .y
}

/// Every number a fit reports that a user would compare, as raw bits.
fn fingerprint(y: &[f64], spec: &GarchSpec) -> Vec<u64> {
    let res = fit(y, spec, &FitOptions::default()).unwrap();
    let mut out: Vec<f64> = res.params.values().copied().collect();
    out.push(res.loglikelihood);
    out.extend(res.std_err.values().copied());
    out.extend(res.conditional_volatility.iter().copied());
    // Analytic where it exists, else simulated with a fixed seed (EGARCH beyond one day).
    let f = res
        .forecast(10, &ForecastOptions::auto(spec.vol, 10))
        .unwrap();
    out.extend(f.iter().map(|v| v.0));
    for h in [1, 10] {
        out.extend(res.value_at_risk(&[0.01, 0.05], h).unwrap());
        out.extend(res.expected_shortfall(&[0.01, 0.05], h).unwrap());
    }
    // The one-pass report (`garch fit-many`) must give the same bits as the separate calls.
    let report = res
        .forecast_and_risk(10, &ForecastOptions::auto(spec.vol, 10), &[0.01, 0.05])
        .unwrap();
    let one_day = (
        res.value_at_risk(&[0.01, 0.05], 1).unwrap(),
        res.expected_shortfall(&[0.01, 0.05], 1).unwrap(),
    );
    let same = |a: &[f64], b: &[f64]| {
        a.iter()
            .map(|v| v.to_bits())
            .eq(b.iter().map(|v| v.to_bits()))
    };
    assert!(
        same(&report.var, &one_day.0),
        "{spec:?}: VaR {:?} vs {:?}",
        report.var,
        one_day.0
    );
    assert!(
        same(&report.es, &one_day.1),
        "{spec:?}: ES {:?} vs {:?}",
        report.es,
        one_day.1
    );
    let rv: Vec<f64> = report.variance.iter().map(|v| v.0).collect();
    let fv: Vec<f64> = f.iter().map(|v| v.0).collect();
    assert!(same(&rv, &fv), "{spec:?}: forecasts {rv:?} vs {fv:?}");
    out.push(res.iterations as f64);
    out.into_iter().map(f64::to_bits).collect()
}

fn specs() -> Vec<GarchSpec> {
    let mut out = Vec::new();
    for (vol, o) in [(VolKind::Garch, 0), (VolKind::Gjr, 1), (VolKind::Egarch, 1)] {
        for dist in [DistKind::Normal, DistKind::StudentsT, DistKind::SkewStudent] {
            out.push(GarchSpec {
                vol,
                o,
                dist,
                ..GarchSpec::default()
            });
        }
    }
    out
}

fn check(name: &str, y: Vec<f64>) {
    let y = std::sync::Arc::new(y);
    for spec in specs() {
        let first = fingerprint(&y, &spec);
        let second = fingerprint(&y, &spec);
        assert_eq!(first, second, "{name} {spec:?}: second fit differs");
        let (y2, spec2) = (y.clone(), spec);
        let other = std::thread::spawn(move || fingerprint(&y2, &spec2))
            .join()
            .unwrap();
        assert_eq!(
            first, other,
            "{name} {spec:?}: fit on another thread differs"
        );
    }
}

#[test]
fn fits_on_dem2gbp_are_bitwise_repeatable() {
    check("dem2gbp", dem2gbp());
}

#[test]
fn fits_on_a_simulated_series_are_bitwise_repeatable() {
    check("simulated", simulated());
}

#[test]
fn a_different_fit_in_between_leaves_no_trace() {
    // State kept between fits would show when an unrelated fit runs in between.
    let y = dem2gbp();
    let spec = GarchSpec::default();
    let first = fingerprint(&y, &spec);
    let other = GarchSpec {
        vol: VolKind::Egarch,
        o: 1,
        dist: DistKind::SkewStudent,
        ..GarchSpec::default()
    };
    fingerprint(&simulated(), &other);
    assert_eq!(first, fingerprint(&y, &spec));
}
