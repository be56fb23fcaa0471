//! Combine the registries of `--shard i/n` runs into one registry whose rows equal those of a
//! single-machine run of the same experiment (timings aside).

use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::records::{NewRun, RunRow, RunStatus};
use crate::{Registry, RegistryError, Result};

/// What a merge produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeSummary {
    /// The run id in the output registry.
    pub run_id: i64,
    /// Shards merged.
    pub shards: u32,
    /// Model rows copied.
    pub models: u64,
}

/// The newest sharded run of a shard registry.
fn shard_run(path: &Path) -> Result<RunRow> {
    let reg = Registry::open(path)?;
    let runs = reg.runs()?;
    let run = runs
        .into_iter()
        .rev()
        .find(|r| r.run.shard_count > 1)
        .ok_or_else(|| {
            RegistryError::Merge(format!(
                "{}: holds no sharded run (made with --shard i/n)",
                path.display()
            ))
        })?;
    if run.status != RunStatus::Finished {
        return Err(RegistryError::Merge(format!(
            "{}: shard {}/{} of run {} is {}; finish it with `alphafactory run FILE --shard {}/{} --resume` first",
            path.display(),
            run.run.shard_index,
            run.run.shard_count,
            run.id,
            run.status.as_str(),
            run.run.shard_index,
            run.run.shard_count
        )));
    }
    Ok(run)
}

/// Merge the finished shard registries `shards` into `out` (created if needed) as one run.
///
/// Every shard must hold a finished run of the same experiment with the same shard count, and
/// the shards must be exactly `0..n`.
pub fn merge_shards(out: &Path, shards: &[PathBuf]) -> Result<MergeSummary> {
    if shards.is_empty() {
        return Err(RegistryError::Merge("no shard registries given".into()));
    }
    let mut runs = Vec::with_capacity(shards.len());
    for p in shards {
        runs.push((p, shard_run(p)?));
    }
    let (first_path, first) = &runs[0];
    let n = first.run.shard_count;
    let mut seen = vec![None::<&PathBuf>; n as usize];
    for (p, r) in &runs {
        if r.run.experiment_hash != first.run.experiment_hash || r.run.shard_count != n {
            return Err(RegistryError::Merge(format!(
                "{} holds experiment {} with {} shards but {} holds {} with {}: not shards of one run",
                p.display(),
                r.run.experiment_hash,
                r.run.shard_count,
                first_path.display(),
                first.run.experiment_hash,
                n
            )));
        }
        let slot = &mut seen[r.run.shard_index as usize % n as usize];
        if let Some(other) = slot {
            return Err(RegistryError::Merge(format!(
                "shard {}/{} appears twice: {} and {}",
                r.run.shard_index,
                n,
                other.display(),
                p.display()
            )));
        }
        *slot = Some(p);
    }
    if let Some(missing) = seen.iter().position(Option::is_none) {
        return Err(RegistryError::Merge(format!(
            "shard {missing}/{n} is missing"
        )));
    }

    let mut reg = Registry::open(out)?;
    if reg
        .runs()?
        .iter()
        .any(|r| r.run.experiment_hash == first.run.experiment_hash && r.run.shard_count == 1)
    {
        return Err(RegistryError::Merge(format!(
            "{} already holds a run of experiment {}",
            out.display(),
            first.run.experiment_hash
        )));
    }
    let started = runs
        .iter()
        .map(|(_, r)| r.run.started.clone())
        .min()
        .unwrap_or_default();
    let finished = runs.iter().filter_map(|(_, r)| r.finished.clone()).max();
    let elapsed = runs.iter().map(|(_, r)| r.elapsed_s).fold(0.0, f64::max);
    let run_id = reg.create_run(&NewRun {
        shard_index: 0,
        shard_count: 1,
        n_tasks: runs.iter().map(|(_, r)| r.run.n_tasks).sum(),
        started,
        ..first.run.clone()
    })?;
    let e = reg.err("copying shard rows");
    let mut models = 0u64;
    for (p, r) in &runs {
        let path = p.to_string_lossy().into_owned();
        reg.conn
            .execute("ATTACH DATABASE ?1 AS shard", [&path])
            .map_err(&e)?;
        let copied = (|| -> rusqlite::Result<usize> {
            let tx = reg.conn.transaction()?;
            tx.execute("INSERT OR IGNORE INTO specs SELECT * FROM shard.specs", [])?;
            let n = tx.execute(
                "INSERT INTO models SELECT ?1, asset, spec_hash, window_index, train_start, train_end,
                    nobs, status, failure_kind, error, params_json, loglik, aic, bic, converged, warnings, fit_us
                 FROM shard.models WHERE run_id = ?2",
                params![run_id, r.id],
            )?;
            tx.execute(
                "INSERT INTO forecasts SELECT ?1, asset, spec_hash, date, horizon, window_index, forecast,
                    realized FROM shard.forecasts WHERE run_id = ?2",
                params![run_id, r.id],
            )?;
            tx.execute(
                "INSERT INTO var_forecasts SELECT ?1, asset, spec_hash, date, level, window_index,
                    value_at_risk, realized_return FROM shard.var_forecasts WHERE run_id = ?2",
                params![run_id, r.id],
            )?;
            tx.commit()?;
            Ok(n)
        })();
        reg.conn.execute("DETACH DATABASE shard", []).map_err(&e)?;
        models += copied.map_err(&e)? as u64;
    }
    reg.close_run(run_id, RunStatus::Finished, finished.as_deref(), elapsed)?;
    Ok(MergeSummary {
        run_id,
        shards: n,
        models,
    })
}
