//! Tests of the synthetic universe generator: the calendar against pandas, determinism across
//! seeds and thread counts, the recursion against a naive re-computation, and bad configurations.
//! Statistical properties are in `synthetic_stats.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod synth_common;

use af_data::synthetic::{
    business_days, generate, generate_universe, SyntheticConfig, SyntheticError, DEFAULT_TICKERS,
    FIELDS,
};
use chrono::{Datelike, NaiveDate, Weekday};
use synth_common::{assert_identical, cfg, date};

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
