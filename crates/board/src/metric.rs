//! What a leaderboard ranks by ([`Metric`]) and how it groups ([`GroupBy`]).

use std::str::FromStr;

use serde::Serialize;

use crate::score::ScoreRow;

/// The score a leaderboard ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Patton's QLIKE (robust to noise in the realized variance; the default).
    Qlike,
    /// Mean squared error.
    Mse,
    /// Mean absolute error.
    Mae,
    /// Mincer–Zarnowitz R² (higher is better).
    MzR2,
    /// Mean AIC of the fits (variants only).
    Aic,
    /// Mean BIC of the fits (variants only).
    Bic,
}

impl Metric {
    /// True when a larger value ranks first.
    pub fn higher_is_better(self) -> bool {
        self == Metric::MzR2
    }

    /// This metric's value in a row.
    pub fn of(self, r: &ScoreRow) -> Option<f64> {
        match self {
            Metric::Qlike => r.qlike,
            Metric::Mse => r.mse,
            Metric::Mae => r.mae,
            Metric::MzR2 => r.mz_r2,
            Metric::Aic => r.aic,
            Metric::Bic => r.bic,
        }
    }

    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Qlike => "qlike",
            Metric::Mse => "mse",
            Metric::Mae => "mae",
            Metric::MzR2 => "mz_r2",
            Metric::Aic => "aic",
            Metric::Bic => "bic",
        }
    }
}

impl FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "qlike" => Metric::Qlike,
            "mse" => Metric::Mse,
            "mae" => Metric::Mae,
            "mz_r2" | "mz-r2" | "r2" => Metric::MzR2,
            "aic" => Metric::Aic,
            "bic" => Metric::Bic,
            _ => {
                return Err(format!(
                    "unknown metric `{s}`: expected qlike, mse, mae, mz_r2, aic or bic"
                ))
            }
        })
    }
}

/// How leaderboard rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One ranking per asset (means over horizons).
    Asset,
    /// One ranking of the model families over every asset and horizon.
    Family,
    /// One ranking per horizon (means over assets).
    Horizon,
}

impl FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "asset" => GroupBy::Asset,
            "family" | "model" => GroupBy::Family,
            "horizon" => GroupBy::Horizon,
            _ => {
                return Err(format!(
                    "unknown grouping `{s}`: expected asset, family or horizon"
                ))
            }
        })
    }
}
