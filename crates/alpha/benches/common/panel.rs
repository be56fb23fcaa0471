//! The seeded synthetic OHLCV panel shared by the `alpha101` bench and the `alpha101_batch`
//! example: a market factor plus idiosyncratic noise, sector / industry / subindustry labels.

use af_core::{AssetMeta, Frequency, Panel};
use chrono::{Duration, NaiveDate};

/// splitmix64 → uniform in (0, 1).
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// OHLCV + vwap + cap panel with a market factor and sector / industry / subindustry labels.
pub fn synthetic_panel(n_dates: usize, n_assets: usize, seed: u64) -> Panel {
    let mut rng = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2015, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let dates = (0..n_dates)
        .map(|i| start + Duration::days(i as i64))
        .collect();
    let assets = (0..n_assets).map(|a| format!("A{a:04}")).collect();
    let mut panel = Panel::new(dates, assets, Frequency::Day1).unwrap();
    for (a, m) in panel.meta_mut().iter_mut().enumerate() {
        *m = AssetMeta {
            sector: Some(format!("S{}", a % 11)),
            industry: Some(format!("I{}", a % 24)),
            subindustry: Some(format!("U{}", a % 60)),
            market: None,
        };
    }
    let mkt: Vec<f64> = (0..n_dates).map(|_| 0.01 * rng.normal()).collect();
    let len = n_dates * n_assets;
    let mut f: Vec<Vec<f64>> = vec![vec![0.0; len]; 7];
    for a in 0..n_assets {
        let beta = 0.5 + rng.uniform();
        let vol = 0.012 + 0.018 * rng.uniform();
        let shares = 1e7 + 1e9 * rng.uniform();
        let mut close = 10.0 + 190.0 * rng.uniform();
        for t in 0..n_dates {
            let i = a * n_dates + t;
            let r = beta * mkt[t] + vol * rng.normal();
            let open = close * (1.0 + 0.004 * rng.normal());
            close *= r.exp();
            let high = open.max(close) * (1.0 + (0.008 * rng.normal()).abs());
            let low = open.min(close) * (1.0 - (0.008 * rng.normal()).abs());
            let vwap = low + (high - low) * (0.25 + 0.5 * rng.uniform());
            let volume = ((13.0 + 0.4 * rng.normal()).exp() * (1.0 + 20.0 * r.abs())).round();
            for (k, v) in [open, high, low, close, volume, vwap, close * shares]
                .into_iter()
                .enumerate()
            {
                f[k][i] = v;
            }
        }
    }
    for (name, v) in ["open", "high", "low", "close", "volume", "vwap", "cap"]
        .into_iter()
        .zip(f)
    {
        panel.insert_field(name, v).unwrap();
    }
    panel
}
