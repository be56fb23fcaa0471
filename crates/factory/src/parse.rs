//! Reading an experiment file: YAML → checked [`Experiment`]. Syntax and type errors come from
//! the YAML reader with their line and column; semantic checks (ranges, empty lists, impossible
//! grid combinations) name the key and the line and column of its value.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::error::FactoryError;
use crate::experiment::{
    EnsembleKind, Experiment, Filters, Outputs, Targets, Universe, WalkForward, WindowKind,
};
use crate::grid::ModelGrid;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: Spanned<String>,
    #[serde(default)]
    seed: u64,
    universe: Spanned<Universe>,
    #[serde(default)]
    filters: Option<Spanned<Filters>>,
    #[serde(default)]
    targets: Option<Spanned<Targets>>,
    models: Spanned<Vec<Spanned<ModelGrid>>>,
    walk_forward: Spanned<RawWalkForward>,
    #[serde(default)]
    var_levels: Option<Spanned<Vec<f64>>>,
    #[serde(default)]
    ensembles: Vec<EnsembleKind>,
    #[serde(default)]
    outputs: Outputs,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWalkForward {
    train: Spanned<usize>,
    refit_every: Spanned<usize>,
    test: Spanned<usize>,
    #[serde(default)]
    window: WindowKind,
}

/// The first line of a YAML reader error without its own "error: line L column C:" prefix.
fn reader_message(full: &str) -> String {
    let first = full.lines().next().unwrap_or_default();
    let rest = first.strip_prefix("error: ").unwrap_or(first);
    match rest.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((_, msg)) => msg.to_string(),
        None => rest.to_string(),
    }
}

/// Dotted key path of the block-style key that starts line `line` (1-based) and its parents by
/// indentation, e.g. `models.garch`; `(document)` when the line has no key.
fn key_path_at(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let key_of = |l: &str| -> Option<(usize, String)> {
        let trimmed = l.trim_start();
        let indent = l.len() - trimmed.len();
        let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let (k, _) = body.split_once(':')?;
        let k = k.trim();
        (!k.is_empty() && !k.starts_with('#') && !k.contains([' ', '{', '[', '"']))
            .then(|| (indent, k.to_string()))
    };
    let Some(start) = line.checked_sub(1).filter(|&i| i < lines.len()) else {
        return "(document)".into();
    };
    let Some((mut indent, key)) = key_of(lines[start]) else {
        return "(document)".into();
    };
    let mut path = vec![key];
    for l in lines[..start].iter().rev() {
        if indent == 0 {
            break;
        }
        if let Some((i, k)) = key_of(l).filter(|(i, _)| *i < indent) {
            path.push(k);
            indent = i;
        }
    }
    path.reverse();
    path.join(".")
}

/// Read and check the experiment file at `path`.
pub fn load_experiment(path: &Path) -> Result<Experiment, FactoryError> {
    let text = std::fs::read_to_string(path).map_err(|source| FactoryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse_experiment(&text, path, base)
}

/// Parse and check experiment YAML; `path` is used in error messages, `base_dir` to resolve
/// relative paths.
pub fn parse_experiment(
    text: &str,
    path: &Path,
    base_dir: PathBuf,
) -> Result<Experiment, FactoryError> {
    let raw: Raw = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        FactoryError::Experiment {
            path: path.to_path_buf(),
            line: line as u32,
            column: column as u32,
            key: key_path_at(text, line as usize),
            message: reader_message(&e.to_string()),
        }
    })?;
    let err = |loc: &Location, key: &str, message: String| FactoryError::Experiment {
        path: path.to_path_buf(),
        line: loc.line() as u32,
        column: loc.column() as u32,
        key: key.to_string(),
        message,
    };

    if raw.name.value.trim().is_empty() {
        return Err(err(
            &raw.name.referenced,
            "name",
            "must not be empty".into(),
        ));
    }
    if let Universe::Synthetic(cfg) = &raw.universe.value {
        cfg.validate().map_err(|e| {
            err(
                &raw.universe.referenced,
                "universe.synthetic",
                e.to_string(),
            )
        })?;
    }
    let wf = &raw.walk_forward.value;
    let check = |s: &Spanned<usize>, key: &str, min: usize, what: &str| {
        if s.value < min {
            Err(err(
                &s.referenced,
                key,
                format!("{} is too small: {what}", s.value),
            ))
        } else {
            Ok(s.value)
        }
    };
    let walk_forward = WalkForward {
        train: check(
            &wf.train,
            "walk_forward.train",
            10,
            "give at least 10 training days",
        )?,
        refit_every: check(
            &wf.refit_every,
            "walk_forward.refit_every",
            1,
            "refit at least every day (≥ 1)",
        )?,
        test: check(
            &wf.test,
            "walk_forward.test",
            1,
            "give at least 1 out-of-sample day",
        )?,
        window: wf.window,
    };

    let targets = raw.targets.map(|t| (t.value, t.referenced));
    if let Some((t, loc)) = &targets {
        if t.realized_variance.horizons.is_empty() {
            return Err(err(
                loc,
                "targets.realized_variance.horizons",
                "empty list; give e.g. [1, 5, 22]".into(),
            ));
        }
        if let Some(h) = t
            .realized_variance
            .horizons
            .iter()
            .find(|&&h| h == 0 || h > 1000)
        {
            return Err(err(
                loc,
                "targets.realized_variance.horizons",
                format!("horizon {h} is outside 1..=1000 days"),
            ));
        }
        if !(t.returns.scale.is_finite() && t.returns.scale > 0.0) {
            return Err(err(
                loc,
                "targets.returns.scale",
                format!("{} must be a positive number", t.returns.scale),
            ));
        }
        if t.returns.field.trim().is_empty() {
            return Err(err(
                loc,
                "targets.returns.field",
                "must name a panel field".into(),
            ));
        }
    }

    if raw.models.value.is_empty() {
        return Err(err(
            &raw.models.referenced,
            "models",
            "empty list; give at least one model grid".into(),
        ));
    }
    for (i, g) in raw.models.value.iter().enumerate() {
        g.value
            .expand()
            .map_err(|m| err(&g.referenced, &format!("models[{i}]"), m))?;
    }

    let var_levels = match raw.var_levels {
        Some(v) => {
            if let Some(bad) = v.value.iter().find(|&&a| !(a > 0.0 && a < 0.5)) {
                return Err(err(
                    &v.referenced,
                    "var_levels",
                    format!("{bad} is not a tail probability in (0, 0.5)"),
                ));
            }
            v.value
        }
        None => vec![0.01, 0.05, 0.10],
    };

    let filters = raw.filters.map(|f| f.value).unwrap_or_default();
    Ok(Experiment {
        name: raw.name.value,
        seed: raw.seed,
        universe: raw.universe.value,
        filters,
        targets: targets.map(|t| t.0).unwrap_or_default(),
        models: raw.models.value.into_iter().map(|g| g.value).collect(),
        walk_forward,
        var_levels,
        ensembles: raw.ensembles,
        outputs: raw.outputs,
        base_dir,
    })
}
