//! Date and timestamp parsing, formatting and frequency inference.
//!
//! Timestamps are handled internally as seconds since 1970-01-01 00:00:00 (UTC, no leap seconds).
//! Accepted text forms (leading/trailing spaces ignored):
//!
//! * `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD`;
//! * any of those followed by `T` or a space and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff…`
//!   (fractions are truncated to the second), optionally ending in `Z` or a `±HH:MM` / `±HHMM`
//!   offset (converted to UTC);
//! * epoch seconds (9–10 digits) or epoch milliseconds (12–13 digits).

use af_core::Frequency;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};

const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), `None` if the date is invalid.
fn days_from_civil(y: i32, m: u32, d: u32) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(i64::from(date.num_days_from_ce()) - 719_163)
}

/// Parse `n` ASCII digits starting at `i`.
fn digits(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let s = b.get(i..i + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Parse one date or timestamp into seconds since the epoch; `None` when not recognised.
pub fn parse_timestamp(raw: &[u8]) -> Option<i64> {
    let b = raw.trim_ascii();
    if b.is_empty() {
        return None;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return parse_all_digits(b);
    }
    // Date part: YYYY sep MM sep DD.
    let y = digits(b, 0, 4)?;
    let sep = *b.get(4)?;
    if !matches!(sep, b'-' | b'/' | b'.') || b.get(7) != Some(&sep) {
        return parse_compact_with_time(b);
    }
    let m = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    let days = days_from_civil(i32::try_from(y).ok()?, m, d)?;
    let secs = parse_time(b.get(10..)?)?;
    Some(days * SECONDS_PER_DAY + secs)
}

/// `YYYYMMDD`, epoch seconds or epoch milliseconds.
fn parse_all_digits(b: &[u8]) -> Option<i64> {
    match b.len() {
        8 => {
            let y = digits(b, 0, 4)?;
            let days = days_from_civil(i32::try_from(y).ok()?, digits(b, 4, 2)?, digits(b, 6, 2)?)?;
            Some(days * SECONDS_PER_DAY)
        }
        9 | 10 => std::str::from_utf8(b).ok()?.parse::<i64>().ok(),
        12 | 13 => Some(
            std::str::from_utf8(b)
                .ok()?
                .parse::<i64>()
                .ok()?
                .div_euclid(1000),
        ),
        _ => None,
    }
}

/// `YYYYMMDD` followed by a time (`20240102 09:30`).
fn parse_compact_with_time(b: &[u8]) -> Option<i64> {
    let y = digits(b, 0, 4)?;
    let days = days_from_civil(i32::try_from(y).ok()?, digits(b, 4, 2)?, digits(b, 6, 2)?)?;
    Some(days * SECONDS_PER_DAY + parse_time(b.get(8..)?)?)
}

/// The optional time part after the date: empty, or `[T ]HH:MM[:SS[.f…]][Z|±HH:MM]`.
fn parse_time(b: &[u8]) -> Option<i64> {
    if b.is_empty() {
        return Some(0);
    }
    if !matches!(b[0], b'T' | b't' | b' ') {
        return None;
    }
    let b = &b[1..];
    let h = digits(b, 0, 2)?;
    if b.get(2) != Some(&b':') {
        return None;
    }
    let mi = digits(b, 3, 2)?;
    let mut i = 5;
    let mut s = 0;
    if b.get(i) == Some(&b':') {
        s = digits(b, 6, 2)?;
        i = 8;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let base = i64::from(h * 3600 + mi * 60 + s.min(59));
    let offset = parse_offset(&b[i..])?;
    Some(base - offset)
}

/// `""`, `Z`, `±HH:MM` or `±HHMM` → offset in seconds east of UTC.
fn parse_offset(b: &[u8]) -> Option<i64> {
    match b {
        [] | [b'Z'] | [b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest.len() {
                5 if rest[2] == b':' => (digits(rest, 0, 2)?, digits(rest, 3, 2)?),
                4 => (digits(rest, 0, 2)?, digits(rest, 2, 2)?),
                2 => (digits(rest, 0, 2)?, 0),
                _ => return None,
            };
            let off = i64::from(h * 3600 + m * 60);
            Some(if *sign == b'-' { -off } else { off })
        }
        _ => None,
    }
}

/// Seconds since the epoch → `NaiveDateTime`.
pub fn to_datetime(secs: i64) -> NaiveDateTime {
    DateTime::from_timestamp(secs, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// `NaiveDateTime` → seconds since the epoch.
pub fn to_seconds(dt: &NaiveDateTime) -> i64 {
    dt.and_utc().timestamp()
}

/// Whether every timestamp is at midnight (a pure date).
pub fn all_midnight(dates: &[NaiveDateTime]) -> bool {
    dates
        .iter()
        .all(|d| to_seconds(d).rem_euclid(SECONDS_PER_DAY) == 0)
}

/// Text of a timestamp: `YYYY-MM-DD` when `date_only`, else `YYYY-MM-DD HH:MM:SS`.
pub fn format_datetime(dt: &NaiveDateTime, date_only: bool) -> String {
    if date_only {
        dt.format("%Y-%m-%d").to_string()
    } else {
        dt.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// The frequency whose nominal bar is closest (in log scale) to the median step between
/// consecutive sorted distinct timestamps; daily when there are fewer than two timestamps.
///
/// Daily data with weekends has a median step of one day, so it is inferred as daily.
pub fn infer_frequency(sorted_secs: &[i64]) -> Frequency {
    let mut steps: Vec<i64> = sorted_secs
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|&d| d > 0)
        .collect();
    if steps.is_empty() {
        return Frequency::Day1;
    }
    let mid = steps.len() / 2;
    let (_, median, _) = steps.select_nth_unstable(mid);
    let median = (*median as f64).ln();
    Frequency::ALL
        .into_iter()
        .min_by(|a, b| {
            let da = ((a.seconds() as f64).ln() - median).abs();
            let db = ((b.seconds() as f64).ln() - median).abs();
            da.total_cmp(&db)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Option<i64> {
        parse_timestamp(s.as_bytes())
    }

    #[test]
    fn parses_every_documented_form() {
        let day = 19_724 * 86_400; // 2024-01-02, days since epoch checked with `date -d`.
        assert_eq!(ts("2024-01-02"), Some(day));
        assert_eq!(ts(" 2024/01/02 "), Some(day));
        assert_eq!(ts("2024.01.02"), Some(day));
        assert_eq!(ts("20240102"), Some(day));
        assert_eq!(ts("2024-01-02T09:30"), Some(day + 34_200));
        assert_eq!(ts("2024-01-02 09:30:15"), Some(day + 34_215));
        assert_eq!(ts("2024-01-02T09:30:15.250Z"), Some(day + 34_215));
        assert_eq!(ts("2024-01-02T09:30:00+01:00"), Some(day + 30_600));
        assert_eq!(ts("20240102 09:30"), Some(day + 34_200));
        assert_eq!(ts("1704153600"), Some(day));
        assert_eq!(ts("1704153600000"), Some(day));
    }

    #[test]
    fn rejects_invalid_dates() {
        for bad in [
            "2024-13-01",
            "2024-02-30",
            "01/02/2024",
            "abc",
            "",
            "2024-01-02X",
            "2024-01-02 25:00",
        ] {
            assert_eq!(ts(bad), None, "{bad}");
        }
    }

    #[test]
    fn infers_frequency_from_median_step() {
        let daily: Vec<i64> = [0, 1, 2, 3, 4, 7, 8].iter().map(|d| d * 86_400).collect();
        assert_eq!(infer_frequency(&daily), Frequency::Day1);
        let five: Vec<i64> = (0..10).map(|i| i * 300).collect();
        assert_eq!(infer_frequency(&five), Frequency::Min5);
        let hourly: Vec<i64> = (0..10).map(|i| i * 3600).collect();
        assert_eq!(infer_frequency(&hourly), Frequency::Hour1);
        let weekly: Vec<i64> = (0..10).map(|i| i * 7 * 86_400).collect();
        assert_eq!(infer_frequency(&weekly), Frequency::Week1);
        let monthly: Vec<i64> = [0, 31, 59, 90, 120].iter().map(|d| d * 86_400).collect();
        assert_eq!(infer_frequency(&monthly), Frequency::Month1);
        assert_eq!(infer_frequency(&[5]), Frequency::Day1);
    }

    #[test]
    fn round_trips_text() {
        let d = to_datetime(19_724 * 86_400 + 3_661);
        assert_eq!(format_datetime(&d, false), "2024-01-02 01:01:01");
        assert_eq!(ts(&format_datetime(&d, false)), Some(to_seconds(&d)));
        assert!(!all_midnight(&[d]));
    }
}
