//! Tests of the synthetic universe generator: the calendar against pandas, determinism across
//! seeds and thread counts, the recursion against a naive re-computation, statistical
//! properties with tolerances derived from the sampling distributions, and bad configurations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_data::synthetic::{
    business_days, generate, generate_universe, SyntheticConfig, SyntheticError, SyntheticUniverse,
    DEFAULT_TICKERS, FIELDS, GICS_SECTORS,
};
use chrono::{Datelike, NaiveDate, Weekday};
use std::sync::OnceLock;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cfg(assets: usize, days: usize, seed: u64) -> SyntheticConfig {
    SyntheticConfig {
        assets,
        days: Some(days),
        seed,
        ..SyntheticConfig::default()
    }
}

/// Every field bit for bit, names, dates, metadata and the hidden quantities.
fn assert_identical(a: &SyntheticUniverse, b: &SyntheticUniverse) {
    assert_eq!(a.panel.dates(), b.panel.dates());
    assert_eq!(a.panel.assets(), b.panel.assets());
    assert_eq!(a.panel.meta(), b.panel.meta());
    for f in FIELDS {
        let (x, y) = (a.panel.field(f).unwrap(), b.panel.field(f).unwrap());
        assert_eq!(x.len(), y.len());
        let same = x.iter().zip(y).all(|(u, v)| u.to_bits() == v.to_bits());
        assert!(same, "field {f} differs");
    }
    assert_eq!(a.truth, b.truth);
}

fn mean(x: impl Iterator<Item = f64>) -> (f64, usize) {
    let (s, n) = x.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (s / n as f64, n)
}

// ---------------------------------------------------------------- calendar (pandas oracle) ----

#[test]
fn calendar_matches_pandas_bdate_range_and_bmonthend() {
    let text = include_str!("fixtures/synthetic_calendar.json");
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(doc["tool"], "pandas");
    for case in doc["cases"].as_array().unwrap() {
        let start = date(case["start"].as_str().unwrap());
        let mut c = SyntheticConfig {
            assets: 2,
            start,
            ..SyntheticConfig::default()
        };
        match case["days"].as_u64() {
            Some(d) => c.days = Some(d as usize),
            None => c.end = Some(date(case["end"].as_str().unwrap())),
        }
        let u = generate_universe(&c).unwrap();
        let dates: Vec<NaiveDate> = u.panel.dates().iter().map(|d| d.date()).collect();
        assert_eq!(
            dates.len() as u64,
            case["n_days"].as_u64().unwrap(),
            "{case}"
        );
        assert_eq!(dates[0], date(case["first"].as_str().unwrap()));
        assert_eq!(*dates.last().unwrap(), date(case["last"].as_str().unwrap()));
        let mut wd = [0u64; 5];
        for d in &dates {
            wd[d.weekday().num_days_from_monday() as usize] += 1;
        }
        let expected: Vec<u64> = case["weekday_counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(wd.to_vec(), expected, "{case}");
        let ends: Vec<NaiveDate> = dates
            .iter()
            .zip(&u.truth.month_end)
            .filter(|(_, &f)| f)
            .map(|(d, _)| *d)
            .collect();
        let expected: Vec<NaiveDate> = case["month_ends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| date(v.as_str().unwrap()))
            .collect();
        assert_eq!(ends, expected, "{case}");
        assert_eq!(dates, business_days(start, c.end_date(), c.days));
    }
}

#[test]
fn default_config_is_the_documents_universe() {
    let u = generate_universe(&SyntheticConfig::default()).unwrap();
    let p = &u.panel;
    assert_eq!(p.assets(), DEFAULT_TICKERS.map(String::from).as_slice());
    // pandas: bdate_range("2020-01-01", "2024-12-31") has 1,305 days (fixture, case 1).
    assert_eq!(p.n_dates(), 1305);
    assert_eq!(p.field_names().collect::<Vec<_>>(), FIELDS.to_vec());
    for d in p.dates() {
        assert!(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun), "{d}");
    }
    for w in p.dates().windows(2) {
        let gap = (w[1] - w[0]).num_days();
        let friday = w[0].weekday() == Weekday::Fri;
        assert!(gap == 1 || (friday && gap == 3), "{} -> {}", w[0], w[1]);
    }
}

// ------------------------------------------------------------------------ determinism ----

#[test]
fn same_seed_same_panel_other_seed_other_panel() {
    let c = cfg(40, 300, 7);
    let a = generate_universe(&c).unwrap();
    let b = generate_universe(&c).unwrap();
    assert_identical(&a, &b);
    let other = generate_universe(&cfg(40, 300, 8)).unwrap();
    for f in FIELDS {
        let (x, y) = (a.panel.field(f).unwrap(), other.panel.field(f).unwrap());
        let same = x.iter().zip(y).filter(|(u, v)| u == v).count();
        // Only mentions (integers around 100) can coincide by chance: P(equal) ≈ 1/(2√π·10) ≈ 2.8%.
        assert!(same < x.len() / 10, "field {f}: {same} equal cells");
    }
    assert_ne!(a.truth.betas, other.truth.betas);
}

#[test]
fn identical_for_any_thread_count() {
    let c = cfg(37, 260, 42);
    let run = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
            .install(|| generate_universe(&c).unwrap())
    };
    let one = run(1);
    assert_identical(&one, &run(2));
    assert_identical(&one, &run(3));
}

#[test]
fn asset_series_do_not_depend_on_universe_size_or_length() {
    let with_sectors = |assets, days| SyntheticConfig {
        sector_vol: 0.01,
        ..cfg(assets, days, 3)
    };
    let small = generate_universe(&with_sectors(8, 100)).unwrap();
    let big = generate_universe(&with_sectors(12, 150)).unwrap();
    for f in FIELDS {
        for a in 0..8 {
            let x = small.panel.series(f, a).unwrap();
            let y = &big.panel.series(f, a).unwrap()[..100];
            assert!(
                x.iter().zip(y).all(|(u, v)| u.to_bits() == v.to_bits()),
                "{f} #{a}"
            );
        }
    }
    assert_eq!(small.panel.meta(), &big.panel.meta()[..8]);
    assert_eq!(small.truth.market, big.truth.market[..100]);
}

// ------------------------------------------------------------- the recursion, recomputed ----

#[test]
fn volatility_follows_the_garch_recursion_exactly() {
    let c = SyntheticConfig {
        sector_vol: 0.005,
        ..cfg(20, 500, 11)
    };
    let u = generate_universe(&c).unwrap();
    let (p, t) = (&u.panel, &u.truth);
    let (alpha, beta) = (c.garch_alpha, c.garch_beta);
    let m = 1.0 - c.shock_prob + c.shock_prob * c.shock_scale.powi(2);
    for a in 0..p.n_assets() {
        let r = p.series("returns", a).unwrap();
        let vol = p.series("volatility", a).unwrap();
        let close = p.series("close", a).unwrap();
        let v = t.vol_levels[a];
        assert!((t.omegas[a] - v * v * (1.0 - beta - alpha * m)).abs() < 1e-18);
        let mut sigma2 = v * v;
        let mut prev = t.initial_prices[a];
        for i in 0..p.n_dates() {
            if i > 0 {
                let g = t.sector_factor[t.sectors[a] * p.n_dates() + i - 1];
                let eps = r[i - 1] - t.betas[a] * t.market[i - 1] - t.calendar_effect[i - 1] - g;
                sigma2 = t.omegas[a] + alpha * eps * eps + beta * sigma2;
            }
            assert!(
                (vol[i] - sigma2.sqrt()).abs() <= 1e-12 * vol[i],
                "asset {a} t {i}"
            );
            assert!(
                (close[i] / prev - 1.0 - r[i]).abs() < 1e-12,
                "asset {a} t {i}"
            );
            prev = close[i];
        }
    }
}

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

// ------------------------------------------------------------------------- bad input ----

fn err(c: SyntheticConfig) -> String {
    generate(&c).unwrap_err().to_string()
}

#[test]
fn bad_configurations_are_named_errors() {
    let base = cfg(3, 10, 1);
    assert!(err(SyntheticConfig {
        assets: 0,
        ..base.clone()
    })
    .contains("synthetic.assets"));
    let e = err(SyntheticConfig {
        days: None,
        start: date("2024-01-01"),
        end: Some(date("2023-01-01")),
        ..base.clone()
    });
    assert!(
        e.contains("synthetic.end") && e.contains("before start"),
        "{e}"
    );
    let e = err(SyntheticConfig {
        vol_range: [-0.01, 0.02],
        ..base.clone()
    });
    assert!(e.contains("synthetic.vol_range"), "{e}");
    let e = err(SyntheticConfig {
        vol_range: [0.03, 0.02],
        ..base.clone()
    });
    assert!(e.contains("synthetic.vol_range"), "{e}");
    let e = err(SyntheticConfig {
        end: Some(date("2024-01-01")),
        ..base.clone()
    });
    assert!(e.contains("either `days` or `end`"), "{e}");
    assert!(err(SyntheticConfig {
        days: Some(0),
        ..base.clone()
    })
    .contains("synthetic.days"));
    let e = err(SyntheticConfig {
        garch_beta: 0.95,
        ..base.clone()
    });
    assert!(e.contains("stationary"), "{e}");
    let e = err(SyntheticConfig {
        names: Some(vec!["A".into()]),
        ..base.clone()
    });
    assert!(e.contains("synthetic.names"), "{e}");
    let e = err(SyntheticConfig {
        names: Some(vec!["A".into(), "B".into(), "A".into()]),
        ..base.clone()
    });
    assert!(e.contains("synthetic.names") && e.contains("twice"), "{e}");
    let e = err(SyntheticConfig {
        shock_prob: 1.5,
        ..base.clone()
    });
    assert!(e.contains("synthetic.shock_prob"), "{e}");
    let e = err(SyntheticConfig {
        mentions_mean: f64::NAN,
        ..base.clone()
    });
    assert!(e.contains("synthetic.mentions_mean"), "{e}");
    let e = err(SyntheticConfig {
        markets: vec![],
        ..base.clone()
    });
    assert!(e.contains("synthetic.markets"), "{e}");
    let weekend = SyntheticConfig {
        days: None,
        start: date("2024-06-01"),
        end: Some(date("2024-06-02")),
        ..base.clone()
    };
    assert!(matches!(
        generate(&weekend),
        Err(SyntheticError::EmptyCalendar { .. })
    ));
    let e = err(SyntheticConfig {
        assets: 1 << 20,
        days: Some(2000),
        ..base.clone()
    });
    assert!(e.contains("exceeds the limit"), "{e}");
    // A calendar range far too long is refused before its dates are built.
    let e = err(SyntheticConfig {
        assets: 100_000,
        days: None,
        end: Some(date("9999-12-31")),
        ..base
    });
    assert!(e.contains("exceeds the limit"), "{e}");
}

#[test]
fn config_deserializes_with_defaults_and_rejects_unknown_keys() {
    let c: SyntheticConfig =
        serde_json::from_str(r#"{"assets": 500, "days": 2520, "seed": 42}"#).unwrap();
    assert_eq!((c.assets, c.days, c.seed), (500, Some(2520), 42));
    assert_eq!(c.vol_range, SyntheticConfig::default().vol_range);
    let c: SyntheticConfig = serde_json::from_str(
        r#"{"start": "2021-03-01", "end": "2021-03-31", "monday_effect": {"mean": 0, "std": 0.001}}"#,
    )
    .unwrap();
    assert_eq!(c.end, Some(date("2021-03-31")));
    assert_eq!(generate(&c).unwrap().n_dates(), 23);
    let back: SyntheticConfig = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
    let e = serde_json::from_str::<SyntheticConfig>(r#"{"asets": 5}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("asets"), "{e}");
    let e = serde_json::from_str::<SyntheticConfig>(r#"{"start": "2020-13-01"}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("YYYY-MM-DD"), "{e}");
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
