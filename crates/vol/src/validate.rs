//! Checks run before any estimation: the series and the specification.

use crate::error::{FitError, FitWarning};
use crate::mean::MeanModel;
use crate::spec::{GarchSpec, MeanSpec, VolKind};

/// Rejects a spec that `arch` could not estimate, with the reason and the fix.
pub(crate) fn check_spec(spec: &GarchSpec) -> Result<(), FitError> {
    let bad = |reason: &str| {
        Err(FitError::InvalidSpec {
            model: spec.to_string(),
            reason: reason.to_string(),
        })
    };
    if spec.p + spec.o == 0 {
        return bad("p or o must be at least 1: without ARCH or asymmetric terms the variance never reacts to shocks and beta is not identified");
    }
    match spec.vol {
        VolKind::Garch if spec.o > 0 => {
            return bad("GARCH has no asymmetric terms; use vol = gjr for o > 0");
        }
        VolKind::Gjr if spec.o == 0 => {
            return bad("GJR-GARCH needs o >= 1; with o = 0 it is GARCH");
        }
        _ => {}
    }
    if spec.p.max(spec.o).max(spec.q) > 50 {
        return bad("orders above 50 are not supported");
    }
    if let MeanSpec::Ar { lags } = spec.mean {
        if lags > 50 {
            return bad("AR lags above 50 are not supported");
        }
    }
    Ok(())
}

/// Minimum number of observations: the AR hold-back plus the longest lag plus twice the number
/// of parameters, and never fewer than 20.
pub(crate) fn needed_obs(spec: &GarchSpec) -> usize {
    let k = crate::param_names(spec).len();
    let hold = match spec.mean {
        MeanSpec::Ar { lags } => lags,
        _ => 0,
    };
    (hold + spec.p.max(spec.o).max(spec.q) + 2 * k).max(20)
}

/// Checks the series: finite, at least `needed` observations, not constant.
pub(crate) fn check_series(y: &[f64], spec: &GarchSpec, needed: usize) -> Result<(), FitError> {
    if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(FitError::NonFinite { index, value });
    }
    if y.len() < needed {
        return Err(FitError::TooFewObservations {
            model: spec.to_string(),
            got: y.len(),
            needed,
        });
    }
    let first = y[0];
    if y.iter().all(|&v| v == first) {
        return Err(FitError::ConstantSeries { value: first });
    }
    Ok(())
}

/// `arch`'s data-scale check on the starting residuals: variance outside [0.1, 10⁴) gives a
/// warning carrying the power of 10 that would fix it.
pub(crate) fn scale_warning(mean: &MeanModel, phi: &[f64]) -> Option<FitWarning> {
    let mut e = vec![0.0; mean.nobs()];
    mean.resids(phi, &mut e);
    let n = e.len() as f64;
    let m = e.iter().sum::<f64>() / n;
    let variance = e.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n;
    let mut rescale = 1.0;
    let mut scale = variance;
    while !(0.1..10_000.0).contains(&scale) && scale > 0.0 && rescale > 1e-30 && rescale < 1e30 {
        rescale *= if scale < 1.0 { 10.0 } else { 0.1 };
        scale = variance * rescale * rescale;
    }
    (rescale != 1.0).then_some(FitWarning::DataScale { variance, rescale })
}
