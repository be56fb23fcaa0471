//! Stress windows of a run (PRODUCT P5/P6): named market episodes and the worst N-day windows,
//! each with the strategy's return, maximum drawdown and volatility against the benchmark.
//!
//! Built-in episodes (US equity peak-to-trough dates of the S&P 500, inclusive), applied when
//! they overlap the data (clipped to it; `partial` says so):
//!
//! | name | start | end |
//! |---|---|---|
//! | Quant quake | 2007-08-06 | 2007-08-10 |
//! | GFC | 2008-09-01 | 2009-03-09 |
//! | US downgrade | 2011-07-22 | 2011-10-03 |
//! | Q4 2018 sell-off | 2018-09-20 | 2018-12-24 |
//! | COVID crash | 2020-02-19 | 2020-03-23 |
//! | 2022 rate shock | 2022-01-03 | 2022-10-12 |

use af_portfolio::stress::{window_stats, worst_windows, WindowStats};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::{NamedWindow, Stress};

/// The built-in episodes: (name, start, end).
pub const DEFAULT_WINDOWS: [(&str, &str, &str); 6] = [
    ("Quant quake", "2007-08-06", "2007-08-10"),
    ("GFC", "2008-09-01", "2009-03-09"),
    ("US downgrade", "2011-07-22", "2011-10-03"),
    ("Q4 2018 sell-off", "2018-09-20", "2018-12-24"),
    ("COVID crash", "2020-02-19", "2020-03-23"),
    ("2022 rate shock", "2022-01-03", "2022-10-12"),
];

/// One row of the stress table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StressRow {
    /// Window name (`worst 20 days #1` for a worst window).
    pub name: String,
    /// First date in the data.
    pub start: String,
    /// Last date in the data.
    pub end: String,
    /// The window reaches beyond the data.
    pub partial: bool,
    /// Statistics.
    #[serde(flatten)]
    pub stats: WindowStats,
    /// Days of the window on which the book held positions.
    pub invested_days: usize,
}

fn parse(d: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
}

/// Named windows (built-ins when `cfg.defaults`, then the configured ones) that overlap `dates`,
/// then the worst windows; `invested[t]` says whether the book held positions on day t.
pub fn stress_rows(
    cfg: &Stress,
    dates: &[NaiveDateTime],
    net: &[f64],
    benchmark: &[f64],
    invested: &[bool],
) -> Vec<StressRow> {
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return Vec::new();
    };
    let (first, last) = (first.date(), last.date());
    let mut named: Vec<NamedWindow> = Vec::new();
    if cfg.defaults {
        named.extend(DEFAULT_WINDOWS.iter().map(|(n, s, e)| NamedWindow {
            name: (*n).to_string(),
            start: (*s).to_string(),
            end: (*e).to_string(),
        }));
    }
    named.extend(cfg.windows.iter().cloned());
    let row = |name: String, s: usize, e: usize, partial: bool| StressRow {
        name,
        start: dates[s].date().to_string(),
        end: dates[e].date().to_string(),
        partial,
        stats: window_stats(net, Some(benchmark), s, e, 252.0),
        invested_days: invested[s..=e].iter().filter(|x| **x).count(),
    };
    let mut out = Vec::new();
    for w in named {
        let (Some(ws), Some(we)) = (parse(&w.start), parse(&w.end)) else {
            continue; // validated at load; built-ins are well formed
        };
        if we < first || ws > last {
            continue;
        }
        let s = dates.partition_point(|d| d.date() < ws);
        let e = dates.partition_point(|d| d.date() <= we);
        if e == 0 || s >= e {
            continue; // no trading day inside
        }
        out.push(row(w.name, s, e - 1, ws < first || we > last));
    }
    for &len in &cfg.worst_days {
        for (i, (s, e, _)) in worst_windows(net, len, cfg.worst_count)
            .into_iter()
            .enumerate()
        {
            out.push(row(format!("worst {len} days #{}", i + 1), s, e, false));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDateTime {
        parse(s).unwrap().and_hms_opt(0, 0, 0).unwrap()
    }

    #[test]
    fn overlapping_windows_only_clipped_and_flagged() {
        // business days 2020-03-02 .. 2020-03-31
        let dates: Vec<NaiveDateTime> = (2..=31)
            .map(|d| format!("2020-03-{d:02}"))
            .filter_map(|s| parse(&s))
            .filter(|d| chrono::Datelike::weekday(d).number_from_monday() <= 5)
            .map(|d| d.and_hms_opt(0, 0, 0).unwrap())
            .collect();
        let n = dates.len();
        let net = vec![-0.01; n];
        let bench = vec![-0.02; n];
        let cfg = Stress {
            windows: vec![NamedWindow {
                name: "mid March".into(),
                start: "2020-03-09".into(),
                end: "2020-03-13".into(),
            }],
            worst_days: vec![5],
            worst_count: 1,
            ..Stress::default()
        };
        let invested = vec![true; n];
        let rows = stress_rows(&cfg, &dates, &net, &bench, &invested);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["COVID crash", "mid March", "worst 5 days #1"]);
        let covid = &rows[0];
        assert!(covid.partial);
        assert_eq!(
            (covid.start.as_str(), covid.end.as_str()),
            ("2020-03-02", "2020-03-23")
        );
        assert_eq!(covid.invested_days, 16);
        assert!((covid.stats.total_return - (0.99f64.powi(16) - 1.0)).abs() < 1e-12);
        let mid = &rows[1];
        assert!(!mid.partial);
        assert_eq!(
            mid.stats.start,
            dates.iter().position(|d| *d == day("2020-03-09")).unwrap()
        );
        assert!((mid.stats.excess().unwrap() - (0.99f64.powi(5) - 0.98f64.powi(5))).abs() < 1e-12);
    }
}
