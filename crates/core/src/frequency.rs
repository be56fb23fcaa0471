//! Bar frequency of a panel.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::CoreError;

/// The bar size of a panel. Daily is the default; intraday bars are representable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Frequency {
    /// One-minute bars.
    Min1,
    /// Five-minute bars.
    Min5,
    /// Fifteen-minute bars.
    Min15,
    /// Thirty-minute bars.
    Min30,
    /// Hourly bars.
    Hour1,
    /// Four-hour bars.
    Hour4,
    /// Daily bars (the default).
    #[default]
    Day1,
    /// Weekly bars.
    Week1,
    /// Monthly bars.
    Month1,
}

impl Frequency {
    /// All frequencies, shortest first.
    pub const ALL: [Frequency; 9] = [
        Frequency::Min1,
        Frequency::Min5,
        Frequency::Min15,
        Frequency::Min30,
        Frequency::Hour1,
        Frequency::Hour4,
        Frequency::Day1,
        Frequency::Week1,
        Frequency::Month1,
    ];

    /// Short name as used on the command line (`1m`, `1h`, `1d`, `1mo`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Min1 => "1m",
            Frequency::Min5 => "5m",
            Frequency::Min15 => "15m",
            Frequency::Min30 => "30m",
            Frequency::Hour1 => "1h",
            Frequency::Hour4 => "4h",
            Frequency::Day1 => "1d",
            Frequency::Week1 => "1w",
            Frequency::Month1 => "1mo",
        }
    }

    /// Nominal length of one bar in seconds (a month counts 30 days).
    pub fn seconds(self) -> i64 {
        match self {
            Frequency::Min1 => 60,
            Frequency::Min5 => 300,
            Frequency::Min15 => 900,
            Frequency::Min30 => 1_800,
            Frequency::Hour1 => 3_600,
            Frequency::Hour4 => 14_400,
            Frequency::Day1 => 86_400,
            Frequency::Week1 => 7 * 86_400,
            Frequency::Month1 => 30 * 86_400,
        }
    }

    /// Number of bars in a year used for annualization (252 trading days; intraday bars assume a
    /// 6.5-hour session).
    pub fn periods_per_year(self) -> f64 {
        match self {
            Frequency::Day1 => 252.0,
            Frequency::Week1 => 52.0,
            Frequency::Month1 => 12.0,
            intraday => 252.0 * 23_400.0 / intraday.seconds() as f64,
        }
    }

    /// Whether the bars are shorter than a day.
    pub fn is_intraday(self) -> bool {
        self.seconds() < 86_400
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Frequency {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Frequency::ALL
            .into_iter()
            .find(|f| f.as_str() == lower)
            .or(match lower.as_str() {
                "daily" | "d" => Some(Frequency::Day1),
                "weekly" | "w" => Some(Frequency::Week1),
                "monthly" => Some(Frequency::Month1),
                "hourly" => Some(Frequency::Hour1),
                _ => None,
            })
            .ok_or_else(|| CoreError::UnknownFrequency(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_name() {
        for f in Frequency::ALL {
            assert_eq!(f.as_str().parse::<Frequency>(), Ok(f));
        }
        assert!("2d".parse::<Frequency>().is_err());
        assert_eq!(Frequency::Day1.periods_per_year(), 252.0);
        assert_eq!(Frequency::Hour1.periods_per_year(), 252.0 * 6.5);
    }
}
