//! The strategy's risk model (PRODUCT P2, P3): the asset covariance of the mean–variance
//! construction and the parametric VaR, and the pro-forma VaR / CVaR of each day's weights that
//! drives P2's dynamic leverage and the VaR budget.
//!
//! * `covariance: ledoit_wolf` — Ledoit–Wolf over the last `window` days;
//!   `shrink` — sample covariance shrunk toward the average variance by `shrinkage`;
//!   `garch` — D·R̃·D (`af_portfolio::garch_risk`): per-asset GARCH(1,1) fitted on the last
//!   `garch_window` days every `garch_refit_every` days and filtered forward daily in between;
//!   an asset whose fit fails uses its sample variance and the run records a warning.
//! * `var_method: historical` — quantiles of the pro-forma P&L wᵀr_s over the last `window` days;
//!   `parametric` — normal with μ the pro-forma mean and σ = √(wᵀΣw);
//!   `garch` — GARCH(1,1) fitted to the pro-forma P&L over the last `garch_window` days, VaR and
//!   CVaR from `af-vol`; when the fit fails the day falls back to historical (and is counted).
//!
//! Every input ends at the decision day s: no look-ahead.

use af_portfolio::covariance::{ledoit_wolf, sample_covariance, shrink_to_average_variance};
use af_portfolio::garch_risk::{
    fit_asset_models, garch_covariance_with, garch_var_cvar, AssetVolModel,
};
use af_portfolio::risk::{
    dynamic_leverage, historical, normal_var_cvar, risk_score, var_budget_scale, VarCvar,
};
use af_vol::GarchSpec;
use nalgebra::DMatrix;

use crate::config::{CovarianceKind, Risk, VarMethod};
use crate::signals::DateMajor;

/// Risk state carried through the days of a run (GARCH parameters are refitted periodically).
#[derive(Debug)]
pub struct RiskModel {
    risk: Risk,
    spec: GarchSpec,
    models: Vec<AssetVolModel>,
    fitted_on: Option<usize>,
    /// Non-fatal problems: (day, message).
    pub warnings: Vec<(usize, String)>,
    /// Days on which the GARCH VaR fell back to historical.
    pub garch_var_fallbacks: usize,
}

impl RiskModel {
    /// A model for these settings.
    pub fn new(risk: &Risk) -> Self {
        RiskModel {
            risk: risk.clone(),
            spec: GarchSpec::default(),
            models: Vec::new(),
            fitted_on: None,
            warnings: Vec::new(),
            garch_var_fallbacks: 0,
        }
    }

    /// Returns of `assets` over days `from..to` as a T × N matrix (missing kept as NaN when
    /// `keep_nan`, else 0).
    fn matrix(
        r: &DateMajor,
        assets: &[usize],
        from: usize,
        to: usize,
        keep_nan: bool,
    ) -> DMatrix<f64> {
        DMatrix::from_fn(to - from, assets.len(), |t, j| {
            let v = r.row(from + t)[assets[j]];
            if v.is_finite() || keep_nan {
                v
            } else {
                0.0
            }
        })
    }

    /// Covariance of `assets` as known at the close of day `to − 1`.
    pub fn covariance(
        &mut self,
        r: &DateMajor,
        assets: &[usize],
        to: usize,
        asset_names: &[String],
    ) -> Result<DMatrix<f64>, String> {
        match self.risk.covariance {
            CovarianceKind::LedoitWolf | CovarianceKind::Shrink => {
                let from = to.saturating_sub(self.risk.window);
                let x = Self::matrix(r, assets, from, to, false);
                if self.risk.covariance == CovarianceKind::LedoitWolf {
                    Ok(ledoit_wolf(&x).map_err(|e| e.to_string())?.0)
                } else {
                    let s = sample_covariance(&x, 1).map_err(|e| e.to_string())?;
                    shrink_to_average_variance(&s, self.risk.shrinkage).map_err(|e| e.to_string())
                }
            }
            CovarianceKind::Garch => {
                let from = to.saturating_sub(self.risk.garch_window);
                let due = self
                    .fitted_on
                    .is_none_or(|d| to >= d + self.risk.garch_refit_every);
                if due {
                    let all: Vec<usize> = (0..r.n_assets).collect();
                    let x = Self::matrix(r, &all, from, to, true);
                    self.models = fit_asset_models(&x, &self.spec);
                    self.fitted_on = Some(to);
                    for (a, m) in self.models.iter().enumerate() {
                        if let AssetVolModel::Failed(why) = m {
                            let name = asset_names.get(a).map_or("?", String::as_str);
                            self.warnings.push((
                                to.saturating_sub(1),
                                format!(
                                    "asset {name}: GARCH fit failed ({why}); sample variance used"
                                ),
                            ));
                        }
                    }
                }
                let x = Self::matrix(r, assets, from, to, true);
                let models: Vec<AssetVolModel> =
                    assets.iter().map(|&a| self.models[a].clone()).collect();
                let g = garch_covariance_with(&x, &models, &self.spec, self.risk.shrinkage)
                    .map_err(|e| e.to_string())?;
                Ok(g.cov)
            }
        }
    }

    /// Pro-forma VaR / CVaR of weights `w` decided at the close of day `to − 1`.
    pub fn var(
        &mut self,
        w: &[f64],
        r: &DateMajor,
        to: usize,
        asset_names: &[String],
    ) -> Option<VarCvar> {
        let pnl = |from: usize| -> Vec<f64> {
            (from..to)
                .map(|t| {
                    r.row(t)
                        .iter()
                        .zip(w)
                        .map(|(x, wi)| if x.is_finite() { x * wi } else { 0.0 })
                        .sum()
                })
                .collect()
        };
        let level = self.risk.var_level;
        let hist_from = to.saturating_sub(self.risk.window);
        if to <= hist_from + 10 {
            return None;
        }
        match self.risk.var_method {
            VarMethod::Historical => historical(&pnl(hist_from), level).ok(),
            VarMethod::Parametric => {
                let held: Vec<usize> = (0..w.len()).filter(|&a| w[a] != 0.0).collect();
                let p = pnl(hist_from);
                let mu = p.iter().sum::<f64>() / p.len() as f64;
                let cov = self.covariance(r, &held, to, asset_names).ok()?;
                let wh = nalgebra::DVector::from_iterator(held.len(), held.iter().map(|&a| w[a]));
                let var = (wh.transpose() * &cov * &wh)[(0, 0)];
                (var >= 0.0).then(|| normal_var_cvar(mu, var.sqrt(), level))
            }
            VarMethod::Garch => {
                let p = pnl(to.saturating_sub(self.risk.garch_window));
                match garch_var_cvar(&p, level, &self.spec) {
                    Ok((vc, _)) => Some(vc),
                    Err(_) => {
                        self.garch_var_fallbacks += 1;
                        historical(&pnl(hist_from), level).ok()
                    }
                }
            }
        }
    }

    /// P2 dynamic leverage × VaR-budget scale for `w` (1.0 when no VaR can be measured yet),
    /// with the VaR / CVaR it used.
    pub fn multiplier(
        &mut self,
        w: &[f64],
        r: &DateMajor,
        to: usize,
        asset_names: &[String],
    ) -> (f64, Option<VarCvar>) {
        let Some(vc) = self.var(w, r, to, asset_names) else {
            return (1.0, None);
        };
        let mut m = if self.risk.dynamic_leverage {
            dynamic_leverage(risk_score(&vc))
        } else {
            1.0
        };
        if let Some(budget) = self.risk.var_budget {
            m *= var_budget_scale(vc.var * m, budget);
        }
        (m, Some(vc))
    }
}
