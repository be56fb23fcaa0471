//! Where `alpha analyze` gets its alphas: expressions (`--expr name=source`), library entries
//! (`--library alpha101`, `--library alpha101:7,tech:rsi14`) and long files
//! `date,asset,alpha,value` (`--alphas`, what `alpha eval` writes), all on the panel's grid.

use std::collections::HashMap;
use std::path::Path;

use af_core::Panel;
use anyhow::{bail, Context, Result};

use super::alpha_analyze::AnalyzeArgs;

/// Alpha values `(name, values)` from `--expr`, `--library` and `--alphas`.
pub fn collect_alphas(args: &AnalyzeArgs, panel: &Panel) -> Result<Vec<(String, Vec<f64>)>> {
    let mut exprs: Vec<(String, String)> = Vec::new();
    for (i, e) in args.expr.iter().enumerate() {
        exprs.push(split_named(e, i));
    }
    if let Some(lib) = &args.library {
        for item in lib.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item.contains(':') {
                let entry = af_alpha::library::resolve(item)
                    .map_err(|e| anyhow::anyhow!("--library {item}: {e}"))?;
                exprs.push((entry.name, entry.source.to_string()));
            } else {
                let all = af_alpha::library::library(item).with_context(|| {
                    format!("--library: unknown library `{item}`; use alpha101 or tech")
                })?;
                exprs.extend(all.into_iter().map(|e| (e.name, e.source.to_string())));
            }
        }
    }
    let mut out = Vec::new();
    if !exprs.is_empty() {
        let values = af_alpha::evaluate_batch(panel, &exprs)?;
        out.extend(values.into_iter().map(|v| (v.name, v.values)));
    }
    if let Some(path) = &args.alphas {
        out.extend(read_long_alphas(path, panel)?);
    }
    if out.is_empty() {
        bail!("no alphas: pass --expr, --library or --alphas");
    }
    Ok(out)
}

/// `name=source` → (name, source); a bare source is named `expr{i+1}`.
fn split_named(e: &str, i: usize) -> (String, String) {
    if let Some((l, r)) = e.split_once('=') {
        let name = l.trim();
        let ident = !name.is_empty()
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '-'));
        if ident && !r.starts_with('=') {
            return (name.to_string(), r.trim().to_string());
        }
    }
    (format!("expr{}", i + 1), e.trim().to_string())
}

/// Reads `date,asset,alpha,value` rows onto the panel's grid (cells without a row are `NaN`).
fn read_long_alphas(path: &Path, panel: &Panel) -> Result<Vec<(String, Vec<f64>)>> {
    let (nd, na) = (panel.n_dates(), panel.n_assets());
    let date_idx: HashMap<i64, usize> = panel
        .dates()
        .iter()
        .enumerate()
        .map(|(i, d)| (af_data::dates::to_seconds(d), i))
        .collect();
    let asset_idx: HashMap<&str, usize> = panel
        .assets()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let header = reader
        .headers()
        .with_context(|| format!("{}: reading the header", path.display()))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .with_context(|| {
                format!(
                    "{}: no `{name}` column; the file needs date, asset, alpha, value",
                    path.display()
                )
            })
    };
    let (cd, ca, cn, cv) = (col("date")?, col("asset")?, col("alpha")?, col("value")?);
    let mut alphas: indexmap::IndexMap<String, Vec<f64>> = indexmap::IndexMap::new();
    for (row, rec) in reader.records().enumerate() {
        let line = row + 2;
        let rec = rec.with_context(|| format!("{}: line {line}", path.display()))?;
        let field = |c: usize| rec.get(c).unwrap_or("").trim();
        let secs = af_data::dates::parse_timestamp(field(cd).as_bytes()).with_context(|| {
            format!("{}: line {line}: bad date `{}`", path.display(), field(cd))
        })?;
        let t = *date_idx.get(&secs).with_context(|| {
            format!(
                "{}: line {line}: date `{}` is not in the panel",
                path.display(),
                field(cd)
            )
        })?;
        let a = *asset_idx.get(field(ca)).with_context(|| {
            format!(
                "{}: line {line}: asset `{}` is not in the panel",
                path.display(),
                field(ca)
            )
        })?;
        let raw = field(cv);
        let v = if raw.is_empty() || raw.eq_ignore_ascii_case("nan") {
            f64::NAN
        } else {
            raw.parse::<f64>().with_context(|| {
                format!(
                    "{}: line {line}, column value: `{raw}` is not a number",
                    path.display()
                )
            })?
        };
        let name = field(cn);
        if name.is_empty() {
            bail!("{}: line {line}: empty alpha name", path.display());
        }
        let values = alphas
            .entry(name.to_string())
            .or_insert_with(|| vec![f64::NAN; nd * na]);
        values[a * nd + t] = v;
    }
    Ok(alphas.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::split_named;

    #[test]
    fn names_split_only_at_an_assignment() {
        assert_eq!(
            split_named("mom=rank(delta(close, 5))", 0),
            ("mom".into(), "rank(delta(close, 5))".into())
        );
        assert_eq!(
            split_named("close == open", 1),
            ("expr2".into(), "close == open".into())
        );
        assert_eq!(
            split_named("rank(close) <= 0.5", 2),
            ("expr3".into(), "rank(close) <= 0.5".into())
        );
    }
}
