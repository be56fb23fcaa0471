//! Maximum-likelihood estimation: starting values, constrained optimization, covariance.

use crate::covariance::{cov_from_curvature, param_cov};
use crate::dist;
use crate::error::{FitError, FitWarning};
use crate::hessian::Curvature;
use crate::likelihood::Model;
use crate::result::FitResult;
use crate::spec::{CovType, GarchSpec};
use crate::validate;
use af_optim::{minimize, LinearConstraints, MinimizeOptions};

/// Options of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// Covariance of the estimates (robust sandwich by default, like `arch`).
    pub cov: CovType,
    /// Maximum number of likelihood evaluations of the optimizer.
    pub max_iter: usize,
    /// Relative tolerance on the log-likelihood between steps.
    pub tol: f64,
    /// Compute standard errors (one more pass over the data, or 2k gradients where no analytic
    /// Hessian exists; skip it when only ℓ, σ² are needed).
    pub std_errors: bool,
    /// Optional starting values in `param_names` order (checked against bounds and constraints;
    /// ignored with the estimator's own otherwise).
    pub starting_values: Option<Vec<f64>>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            cov: CovType::Robust,
            max_iter: 1000,
            tol: 1e-10,
            std_errors: true,
            starting_values: None,
        }
    }
}

/// Estimates `spec` on the series `y` by maximum likelihood.
///
/// Steps, as `arch`: residuals at the mean's least-squares fit fix the backcast and the variance
/// bounds; variance starting values come from a small grid (best Gaussian likelihood), the shape
/// from the kurtosis; SLSQP maximizes ℓ under the components' bounds and linear constraints with
/// the analytic gradient; the covariance is the sandwich H⁻¹JH⁻¹ (or −H⁻¹). GARCH/GJR(1,1) with
/// normal errors first try trust-region Newton with the exact Hessian from one typical starting
/// point (module `newton_fit`); SLSQP from the grid takes over wherever that does not end at an
/// interior maximum.
pub fn fit(y: &[f64], spec: &GarchSpec, opts: &FitOptions) -> Result<FitResult, FitError> {
    validate::check_spec(spec)?;
    validate::check_series(y, spec, validate::needed_obs(spec))?;
    let mut model = Model::new(*spec, y);
    let phi0 = model.mean.starting_values()?;
    let scale = validate::scale_warning(&model.mean, &phi0);
    // Internally the series is brought to a variance in [1, 100) (arch's warning range is wider).
    let rescale = match scale {
        Some(FitWarning::DataScale { variance, .. }) => {
            10f64.powf(-(variance.log10() / 2.0).floor())
        }
        _ => 1.0,
    };
    let mut warnings: Vec<FitWarning> = scale.into_iter().collect();
    let (bounds, cons) = bounds_and_constraints(&model);
    // A badly scaled series is estimated as y·c (c a power of 10)
    // and the estimates mapped back exactly (ℓ(θ; y) = ℓ(θ_c; y·c) − n ln c); everything after
    // the optimizer — ℓ, σ², covariance — is computed on the original series.
    let (theta, sol_evals, termination, curvature) = if rescale == 1.0 {
        let user = opts.starting_values.clone();
        let (sol, curv) = optimize(&mut model, &phi0, user, opts)?;
        (sol.x, sol.evaluations, sol.termination, curv)
    } else {
        let yc: Vec<f64> = y.iter().map(|v| v * rescale).collect();
        let mut scaled = Model::new(*spec, &yc);
        let phi_c = scaled.mean.starting_values()?;
        let user = opts
            .starting_values
            .as_ref()
            .map(|sv| rescale_params(spec, sv, rescale));
        let (sol, _) = optimize(&mut scaled, &phi_c, user, opts)?;
        (
            rescale_params(spec, &sol.x, 1.0 / rescale),
            sol.evaluations,
            sol.termination,
            None,
        )
    };
    let converged = termination.is_converged();
    if !converged {
        warnings.push(FitWarning::NotConverged {
            evaluations: sol_evals,
            reason: format!("{termination:?}"),
        });
    }
    let names = crate::param_names(spec);
    warnings.extend(boundary_warnings(&theta, &bounds, &cons, &names));
    let cov = if opts.std_errors {
        // The Newton path's last curvature is that of the optimum (or of the point one Newton
        // step before it, ~1e-10 relative away): no further pass.
        let c = match &curvature {
            Some(curv) => cov_from_curvature(curv, model.nobs(), opts.cov),
            None => param_cov(&mut model, &theta, opts.cov),
        };
        if c.is_none() {
            warnings.push(FitWarning::SingularHessian);
        }
        c
    } else {
        None
    };
    let ll = model.filter(&theta);
    Ok(FitResult::build(
        *spec, y, &model, theta, ll, cov, opts.cov, converged, sol_evals, warnings,
    ))
}

/// Starting values, then trust-region Newton (where the analytic Hessian covers the model, see
/// [`crate::newton_fit`]) or SLSQP on −ℓ/n with the analytic gradient; with Newton's curvature at
/// the optimum when that path converged.
fn optimize(
    model: &mut Model,
    phi0: &[f64],
    user: Option<Vec<f64>>,
    opts: &FitOptions,
) -> Result<(af_optim::Solution, Option<Curvature>), FitError> {
    let k = model.k();
    let (bounds, cons) = bounds_and_constraints(model);
    let user = user.filter(|u| u.len() == k && feasible(u, &bounds, &cons));
    let mut newton_evals = 0;
    if crate::newton_fit::covers(model) {
        // Newton converges from one typical point (the grid's 8 passes would cost more than
        // the ~0.5 extra iteration they save); where it does not, SLSQP starts from the grid
        // exactly as without it.
        let start = user
            .clone()
            .unwrap_or_else(|| crate::newton_fit::start(model, phi0));
        match crate::newton_fit::maximize(model, &start, &bounds, &cons, opts.tol, opts.max_iter) {
            crate::newton_fit::Outcome::Converged(sol, curv) => return Ok((sol, Some(curv))),
            crate::newton_fit::Outcome::Fallback(evals) => newton_evals = evals,
        }
    }
    let sv = match user {
        Some(user) => user,
        None => starting_values(model, phi0),
    };
    let n = model.nobs() as f64;
    let spec = model.spec;
    // Rescaled coordinates where the starting curvature is analytic and pays for itself (see
    // `egarch_fit`): EGARCH, and GARCH/GJR(1,1) with a shape parameter.
    let scaled =
        spec.vol == crate::spec::VolKind::Egarch || (model.kd > 0 && crate::hessian::covers(model));
    let objective = |theta: &[f64], grad: Option<&mut [f64]>| -> f64 {
        match grad {
            Some(g) => {
                let ll = model.loglik_grad(theta, g);
                g.iter_mut().for_each(|v| *v = -*v / n);
                -ll / n
            }
            None => -model.loglik(theta) / n,
        }
    };
    let mopts = MinimizeOptions {
        max_eval: opts.max_iter,
        ftol_rel: opts.tol,
        xtol_rel: opts.tol.sqrt() * 1e-3,
    };
    let solved = if scaled {
        crate::egarch_fit::minimize_scaled(model, &sv, &bounds, &cons, &mopts)
    } else {
        minimize(objective, &sv, &bounds, &cons, &mopts)
    };
    let mut sol = solved.map_err(|e| FitError::Optimizer {
        model: spec.to_string(),
        reason: e.to_string(),
    })?;
    // EGARCH's flat directions leave SLSQP short of the maximum: finish with Newton steps.
    if spec.vol == crate::spec::VolKind::Egarch {
        crate::polish::newton(model, &mut sol.x, &bounds, &cons);
    }
    sol.evaluations += newton_evals;
    Ok((sol, None))
}

/// Maps parameters of y to those of y·c: the mean's constant ×c, ω ×c² (×c for TARCH, which
/// models σ), EGARCH ω + 2 ln c·(1 − Σβ); slopes and shapes are scale free.
pub(crate) fn rescale_params(spec: &GarchSpec, theta: &[f64], c: f64) -> Vec<f64> {
    let mut out = theta.to_vec();
    let km = crate::mean::MeanModel::num_params(spec.mean);
    if km > 0 {
        out[0] *= c;
    }
    let (p, o) = (spec.p, spec.o);
    let omega = km;
    match spec.vol {
        crate::spec::VolKind::Egarch => {
            let beta: f64 = theta[km + 1 + p + o..km + 1 + p + o + spec.q].iter().sum();
            out[omega] += 2.0 * c.ln() * (1.0 - beta);
        }
        crate::spec::VolKind::Tarch => out[omega] *= c,
        _ => out[omega] *= c * c,
    }
    out
}

/// Stacked bounds and constraints of mean × variance × distribution.
pub(crate) fn bounds_and_constraints(model: &Model) -> (Vec<(f64, f64)>, LinearConstraints) {
    let k = model.k();
    let mut bounds = model.mean.bounds();
    bounds.extend(model.vol.bounds(model.resids_at_start()));
    bounds.extend(dist::bounds(model.spec.dist));
    let mut cons = LinearConstraints::none();
    cons.stack(&model.vol.constraints(), model.km, k);
    cons.stack(&dist::constraints(model.spec.dist), model.km + model.kv, k);
    (bounds, cons)
}

fn starting_values(model: &Model, phi0: &[f64]) -> Vec<f64> {
    let resids = model.resids_at_start();
    let sv_vol = model
        .vol
        .starting_values(resids, model.backcast, &model.lo, &model.hi);
    let mut sv = phi0.to_vec();
    if model.kd > 0 {
        // The shape starts from the kurtosis of the residuals standardized at the variance's
        // starting values (a parameter-free distribution needs no such pass).
        let s2 = model
            .vol
            .sigma2(&sv_vol, resids, model.backcast, &model.lo, &model.hi);
        let std: Vec<f64> = resids.iter().zip(&s2).map(|(e, v)| e / v.sqrt()).collect();
        sv.extend(sv_vol);
        sv.extend(dist::starting_values(model.spec.dist, &std));
    } else {
        sv.extend(sv_vol);
    }
    sv
}

fn feasible(x: &[f64], bounds: &[(f64, f64)], cons: &LinearConstraints) -> bool {
    x.iter().zip(bounds).all(|(v, (l, u))| v >= l && v <= u) && cons.min_slack(x) >= 0.0
}

fn boundary_warnings(
    theta: &[f64],
    bounds: &[(f64, f64)],
    cons: &LinearConstraints,
    names: &[String],
) -> Vec<FitWarning> {
    let tol = 1e-6;
    let mut out: Vec<String> = Vec::new();
    for (i, (v, (l, u))) in theta.iter().zip(bounds).enumerate() {
        let near = |b: f64| b.is_finite() && (v - b).abs() <= tol * (1.0 + b.abs());
        if near(*l) || near(*u) {
            out.push(names[i].clone());
        }
    }
    for i in 0..cons.len() {
        if cons.slack(i, theta) <= tol {
            let involved: Vec<&str> = cons.a[i]
                .iter()
                .zip(names)
                .filter(|(a, _)| **a != 0.0)
                .map(|(_, n)| n.as_str())
                .collect();
            let label = if involved.len() == 1 {
                involved[0].to_string()
            } else {
                format!("persistence ({})", involved.join(" + "))
            };
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
    out.into_iter()
        .map(|param| FitWarning::AtBoundary { param })
        .collect()
}
