//! Statistical properties of the synthetic universe generator, with tolerances derived from the
//! sampling distributions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod synth_common;

use af_data::synthetic::{
    generate, generate_universe, SyntheticConfig, SyntheticUniverse, GICS_SECTORS,
};
use chrono::{Datelike, Weekday};
use std::sync::OnceLock;
use synth_common::{cfg, mean};

// ------------------------------------------------------------------- statistical checks ----

/// 200 assets × 2,520 days (504,000 cells), shared by the statistical tests.
fn mid() -> &'static (SyntheticConfig, SyntheticUniverse) {
    static MID: OnceLock<(SyntheticConfig, SyntheticUniverse)> = OnceLock::new();
    MID.get_or_init(|| {
        let c = cfg(200, 2520, 2024);
        let u = generate_universe(&c).unwrap();
        (c, u)
    })
}

#[test]
fn statistical_properties_of_a_mid_size_universe() {
    let (c, u) = mid();
    let (p, t) = (&u.panel, &u.truth);
    let (n, na) = (p.n_dates(), p.n_assets());
    let cells = (n * na) as f64;

    // Per-asset draws within their ranges, and spread over them (200 uniforms: min/max within
    // 5% of the ends with probability 1 − 2·0.95^200 > 0.9999).
    for (x, [lo, hi]) in [(&t.betas, c.beta_range), (&t.vol_levels, c.vol_range)] {
        assert!(x.iter().all(|b| (lo..=hi).contains(b)));
        let (mn, mx) = x
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
        assert!(mn < lo + 0.05 * (hi - lo) && mx > hi - 0.05 * (hi - lo));
    }

    // Shock frequency: binomial(N, 5%); 5 standard deviations.
    let shocks = t.shocks.iter().filter(|&&s| s).count() as f64;
    let sd = (c.shock_prob * (1.0 - c.shock_prob) / cells).sqrt();
    assert!(
        (shocks / cells - c.shock_prob).abs() < 5.0 * sd,
        "shock share {}",
        shocks / cells
    );

    // Standardized innovations: variance 1 on calm days, k² = 9 on shock days.
    let (mut calm, mut shock) = ((0.0, 0.0), (0.0, 0.0));
    for a in 0..na {
        let r = p.series("returns", a).unwrap();
        let vol = p.series("volatility", a).unwrap();
        for i in 0..n {
            let z = (r[i] - t.betas[a] * t.market[i] - t.calendar_effect[i]) / vol[i];
            let acc = if t.shocks[a * n + i] {
                &mut shock
            } else {
                &mut calm
            };
            *acc = (acc.0 + z * z, acc.1 + 1.0);
        }
    }
    // Var of a z² mean: 2/N for normal z; 4.5 standard deviations.
    assert!((calm.0 / calm.1 - 1.0).abs() < 4.5 * (2.0 / calm.1).sqrt());
    assert!((shock.0 / shock.1 / 9.0 - 1.0).abs() < 4.5 * (2.0 / shock.1).sqrt());

    // Average conditional variance near v_a²: the GARCH targets E[σ²] = v_a². The ratio's spread
    // across assets comes from σ²'s persistence (β + α·m = 0.97): over 200 assets the mean ratio
    // has a standard error of about 0.02 (measured over seeds 1..20: 0.017).
    let ratio = mean((0..na).map(|a| {
        let vol = p.series("volatility", a).unwrap();
        mean(vol.iter().map(|s| s * s)).0 / (t.vol_levels[a] * t.vol_levels[a])
    }))
    .0;
    assert!((ratio - 1.0).abs() < 0.1, "mean σ²/v² = {ratio}");
    let avg_vol = mean(p.field("volatility").unwrap().iter().copied()).0;
    assert!(
        (0.015..0.035).contains(&avg_vol),
        "average daily σ {avg_vol}"
    );

    // Betas recovered by OLS of returns on the market factor within 5 standard errors.
    let (fm, _) = mean(t.market.iter().copied());
    let sff: f64 = t.market.iter().map(|f| (f - fm).powi(2)).sum();
    for a in 0..na {
        let r = p.series("returns", a).unwrap();
        let (rm, _) = mean(r.iter().copied());
        let sfr: f64 = r
            .iter()
            .zip(&t.market)
            .map(|(x, f)| (x - rm) * (f - fm))
            .sum();
        let b = sfr / sff;
        let rss: f64 = r
            .iter()
            .zip(&t.market)
            .map(|(x, f)| (x - rm - b * (f - fm)).powi(2))
            .sum();
        let se = (rss / (n as f64 - 2.0) / sff).sqrt();
        assert!(
            (b - t.betas[a]).abs() < 5.0 * se,
            "asset {a}: {b} vs {}",
            t.betas[a]
        );
    }
}

#[test]
fn calendar_effects_show_in_returns() {
    let (c, u) = mid();
    let (p, t) = (&u.panel, &u.truth);
    let (n, na) = (p.n_dates(), p.n_assets());
    let dates = p.dates();
    let weekday_mean = |w: Weekday, x: &dyn Fn(usize, usize) -> f64| {
        mean(
            (0..n)
                .filter(|&i| dates[i].weekday() == w)
                .flat_map(|i| (0..na).map(move |a| (a, i)))
                .map(|(a, i)| x(a, i)),
        )
        .0
    };
    // Raw returns: Monday's mean is below Friday's (the effects differ by 0.0015; the market
    // factor's average over 504 days adds about ±0.0005 to each).
    let r = p.field("returns").unwrap();
    let raw = |a: usize, i: usize| r[a * n + i];
    assert!(weekday_mean(Weekday::Mon, &raw) < weekday_mean(Weekday::Fri, &raw));
    // Market-neutral returns: the effect means within 4.5 standard errors; the error is that of
    // 504 effect draws plus 100,800 idiosyncratic terms (σ ≤ 0.035·√1.4).
    let resid = |a: usize, i: usize| r[a * n + i] - t.betas[a] * t.market[i];
    let idio = 0.035 * 1.4_f64.sqrt() / ((504 * na) as f64).sqrt();
    for (w, e) in [
        (Weekday::Mon, c.monday_effect),
        (Weekday::Fri, c.friday_effect),
    ] {
        let se = e.std / 504f64.sqrt() + idio;
        let got = weekday_mean(w, &resid);
        assert!(
            (got - e.mean).abs() < 4.5 * se,
            "{w:?}: {got} vs {}",
            e.mean
        );
    }
    // Month-end: the effect is added exactly on flagged dates (not on a Friday or Monday).
    for (i, d) in dates.iter().enumerate() {
        let wd = d.weekday();
        if !t.month_end[i] && wd != Weekday::Mon && wd != Weekday::Fri {
            assert_eq!(t.calendar_effect[i], 0.0, "{d}");
        }
    }
    let ends: Vec<f64> = (0..n)
        .filter(|&i| t.month_end[i] && !matches!(dates[i].weekday(), Weekday::Mon | Weekday::Fri))
        .map(|i| t.calendar_effect[i])
        .collect();
    let (me, k) = mean(ends.iter().copied());
    let e = c.month_end_effect;
    assert!(
        (me - e.mean).abs() < 4.5 * e.std / (k as f64).sqrt(),
        "month-end mean {me}"
    );
}

#[test]
fn alternative_data_and_bars_are_consistent() {
    let (c, u) = mid();
    let p = &u.panel;
    let cells = p.len() as f64;
    let m = p.field("mentions").unwrap();
    assert!(m.iter().all(|x| *x >= 0.0 && x.fract() == 0.0));
    let (mm, _) = mean(m.iter().copied());
    // Poisson(100): mean 100, variance 100; 5 standard errors.
    assert!(
        (mm - c.mentions_mean).abs() < 5.0 * (c.mentions_mean / cells).sqrt(),
        "{mm}"
    );
    let var = mean(m.iter().map(|x| (x - mm).powi(2))).0;
    assert!(
        (var / c.mentions_mean - 1.0).abs() < 0.02,
        "mentions variance {var}"
    );
    let s = p.field("sentiment").unwrap();
    let (sm, _) = mean(s.iter().copied());
    assert!(sm.abs() < 5.0 / cells.sqrt());
    assert!((mean(s.iter().map(|x| x * x)).0 - 1.0).abs() < 5.0 * (2.0 / cells).sqrt());
    let iv = p.field("implied_vol").unwrap();
    let vol = p.field("volatility").unwrap();
    let noise = mean(iv.iter().zip(vol).map(|(i, v)| (i / v - 1.0).powi(2)))
        .0
        .sqrt();
    assert!(
        (noise - c.iv_noise).abs() < 0.002,
        "implied-vol noise {noise}"
    );

    let [o, h, l, cl, vw, cap, vo] =
        ["open", "high", "low", "close", "vwap", "cap", "volume"].map(|f| p.field(f).unwrap());
    for i in 0..p.len() {
        assert!(
            l[i] > 0.0 && l[i] <= o[i].min(cl[i]) && h[i] >= o[i].max(cl[i]),
            "cell {i}"
        );
        assert!(l[i] <= vw[i] && vw[i] <= h[i], "cell {i}");
        assert!(vo[i].fract() == 0.0);
    }
    let n = p.n_dates();
    for a in 0..p.n_assets() {
        let shares = u.truth.shares[a];
        // volume = round(base·size·(1 + 2|r|)) ≥ round(base·size), base·size = shares·turnover.
        let floor = (shares * c.daily_turnover).round();
        for i in a * n..(a + 1) * n {
            assert!((cap[i] / cl[i] - shares).abs() <= 1e-9 * shares);
            assert!(vo[i] >= floor, "cell {i}");
        }
    }
    // Sizes spread average volume across assets (log-normal, dispersion 1).
    let adv: Vec<f64> = (0..p.n_assets())
        .map(|a| mean(vo[a * n..(a + 1) * n].iter().copied()).0)
        .collect();
    let (lo, hi) = adv
        .iter()
        .fold((f64::MAX, 0.0_f64), |(x, y), &v| (x.min(v), y.max(v)));
    assert!(hi / lo > 20.0, "ADV spread {lo}..{hi}");
}

#[test]
fn documents_volume_formula_without_size_dispersion() {
    let c = SyntheticConfig {
        size_dispersion: 0.0,
        ..cfg(6, 200, 5)
    };
    let p = generate(&c).unwrap();
    let (r, v) = (p.field("returns").unwrap(), p.field("volume").unwrap());
    for (x, vol) in r.iter().zip(v) {
        assert_eq!(*vol, (1e6 * (1.0 + 2.0 * x.abs())).round());
    }
}

#[test]
fn metadata_names_and_taxonomy() {
    let (_, u) = mid();
    let p = &u.panel;
    assert_eq!(p.assets()[0], "A0001");
    assert_eq!(p.assets()[199], "A0200");
    let mut sectors = std::collections::BTreeSet::new();
    for m in p.meta() {
        let s = m.sector.clone().unwrap();
        assert!(GICS_SECTORS.contains(&s.as_str()));
        let ind = m.industry.clone().unwrap();
        assert!(ind.starts_with(&s));
        assert!(m.subindustry.clone().unwrap().starts_with(&ind));
        assert!(matches!(m.market.as_deref(), Some("NYSE" | "NASDAQ")));
        sectors.insert(s);
    }
    assert_eq!(sectors.len(), 11);
    let named = SyntheticConfig {
        names: Some(vec!["X".into(), "Y".into()]),
        ..cfg(2, 10, 1)
    };
    assert_eq!(
        generate(&named).unwrap().assets(),
        &["X".to_string(), "Y".to_string()]
    );
}

#[test]
fn sector_factor_correlates_assets_of_a_sector() {
    let c = SyntheticConfig {
        sector_vol: 0.01,
        sectors: 4,
        ..cfg(40, 1500, 9)
    };
    let u = generate_universe(&c).unwrap();
    let (p, t) = (&u.panel, &u.truth);
    let n = p.n_dates();
    // Market- and calendar-neutral returns, demeaned.
    let resid: Vec<Vec<f64>> = (0..p.n_assets())
        .map(|a| {
            let r = p.series("returns", a).unwrap();
            let x: Vec<f64> = (0..n)
                .map(|i| r[i] - t.betas[a] * t.market[i] - t.calendar_effect[i])
                .collect();
            let m = mean(x.iter().copied()).0;
            x.iter().map(|v| v - m).collect()
        })
        .collect();
    let corr = |x: &[f64], y: &[f64]| {
        let sxy: f64 = x.iter().zip(y).map(|(a, b)| a * b).sum();
        let sxx: f64 = x.iter().map(|a| a * a).sum();
        let syy: f64 = y.iter().map(|b| b * b).sum();
        sxy / (sxx * syy).sqrt()
    };
    let (mut same, mut other) = (vec![], vec![]);
    for a in 0..p.n_assets() {
        assert_eq!(
            p.meta()[a].sector.as_deref(),
            Some(GICS_SECTORS[t.sectors[a]])
        );
        for b in a + 1..p.n_assets() {
            let rho = corr(&resid[a], &resid[b]);
            if t.sectors[a] == t.sectors[b] {
                same.push(rho);
            } else {
                other.push(rho);
            }
        }
    }
    // Within a sector ρ = s²/√((s² + m·v_a²)(s² + m·v_b²)) ≥ 1e-4/(1e-4 + 1.4·0.035²) ≈ 0.055;
    // across sectors 0, each estimate with standard error 1/√1500 ≈ 0.026.
    let (ms, mo) = (mean(same.into_iter()).0, mean(other.into_iter()).0);
    assert!(ms > 0.055, "within-sector correlation {ms}");
    assert!(mo.abs() < 0.02, "cross-sector correlation {mo}");
    // Off by default: the documents' model.
    let plain = generate_universe(&cfg(3, 20, 9)).unwrap();
    assert!(plain.truth.sector_factor.iter().all(|g| *g == 0.0));
}
