//! The parallel engine: rayon workers run tasks (each fit single-threaded) and send their rows
//! through a bounded channel to ONE writer — the calling thread — which stores them in batched
//! transactions. Memory stays flat: at most the channel plus one batch are in flight.
//!
//! Results do not depend on the thread count (a task's rows depend on the task alone, its seed on
//! (run seed, asset, spec hash)). A run killed at any moment leaves only whole tasks; the next
//! `run` of the same experiment (or `--resume`) skips them and ends with the same rows as an
//! uninterrupted run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use af_registry::{FailureCount, NewRun, Registry, RunStatus, SpecRow, TaskKey};
use rayon::prelude::*;
use serde::Serialize;

use crate::error::FactoryError;
use crate::experiment::Experiment;
use crate::fitter::Fitter;
use crate::plan::{Plan, Shard, TaskId};
use crate::progress::{Progress, ProgressMode};
use crate::task::execute;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Require an unfinished run to continue (an unfinished run is continued even without it).
    pub resume: bool,
    /// This machine's share of the tasks.
    pub shard: Shard,
    /// Progress display.
    pub progress: ProgressMode,
    /// Set to stop cleanly (Ctrl-C): finished work is flushed, the run is marked interrupted.
    pub stop: Arc<AtomicBool>,
    /// Tasks per transaction at most.
    pub batch_tasks: usize,
    /// Longest time a finished task waits before it is committed.
    pub batch_interval: Duration,
    /// Code version recorded with a new run.
    pub code_version: String,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: 0,
            resume: false,
            shard: Shard::default(),
            progress: ProgressMode::Quiet,
            stop: Arc::new(AtomicBool::new(false)),
            batch_tasks: 500,
            batch_interval: Duration::from_millis(500),
            code_version: code_version(),
        }
    }
}

/// What a run session did.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// Run id in the registry.
    pub run_id: i64,
    /// Whether an unfinished run was continued.
    pub resumed: bool,
    /// Tasks of this run (its shard's share).
    pub total: u64,
    /// Tasks already in the registry when this session started.
    pub skipped: u64,
    /// Tasks whose fit succeeded (whole run).
    pub ok: u64,
    /// Tasks that failed (whole run).
    pub failed: u64,
    /// Failures by kind.
    pub breakdown: Vec<FailureCount>,
    /// Whether the session stopped before finishing (Ctrl-C).
    pub interrupted: bool,
    /// Wall seconds of this session.
    pub elapsed_s: f64,
    /// Tasks per second in this session.
    pub models_per_s: f64,
    /// Assets left out by the filters, with the reason.
    pub excluded: Vec<(String, String)>,
}

impl std::fmt::Display for RunSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.interrupted {
            "interrupted"
        } else {
            "finished"
        };
        writeln!(
            f,
            "run {} {state}: {} ok, {} failed of {} tasks ({} resumed) in {:.1} s, {:.1} models/s",
            self.run_id,
            self.ok,
            self.failed,
            self.total,
            self.skipped,
            self.elapsed_s,
            self.models_per_s
        )?;
        for c in &self.breakdown {
            writeln!(f, "  {:>6} {}  e.g. {}", c.count, c.kind, c.example)?;
        }
        for (asset, why) in &self.excluded {
            writeln!(f, "  excluded {asset}: {why}")?;
        }
        if self.interrupted {
            writeln!(f, "continue with: alphafactory run FILE --resume")?;
        }
        Ok(())
    }
}

/// `CARGO_PKG_VERSION`, plus `git describe` of the build when it was built from a checkout.
pub fn code_version() -> String {
    let describe = env!("AF_GIT_DESCRIBE");
    if describe.is_empty() {
        env!("CARGO_PKG_VERSION").to_string()
    } else {
        format!("{} ({describe})", env!("CARGO_PKG_VERSION"))
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Find the unfinished run to continue, or register a new one. Returns (run id, resumed).
fn open_run(
    exp: &Experiment,
    plan: &Plan,
    reg: &mut Registry,
    opts: &RunOptions,
) -> Result<(i64, bool), FactoryError> {
    let hash = exp.hash();
    let (si, sc) = (opts.shard.index, opts.shard.count);
    if let Some(id) = reg.find_unfinished_run(&hash, si, sc)? {
        reg.reopen_run(id)?;
        return Ok((id, true));
    }
    if opts.resume {
        return Err(FactoryError::Resume(format!(
            "no unfinished run of experiment `{}` (hash {hash}, shard {si}/{sc}) in {}; run without --resume to start one",
            exp.name,
            reg.path().display()
        )));
    }
    let id = reg.create_run(&NewRun {
        name: exp.name.clone(),
        experiment_hash: hash,
        spec_json: exp.canonical_json(),
        code_version: opts.code_version.clone(),
        seed: exp.seed,
        shard_index: si,
        shard_count: sc,
        n_tasks: plan.n_tasks_in(opts.shard) as u64,
        started: now(),
    })?;
    Ok((id, false))
}

/// Run (or continue) the experiment's tasks of `opts.shard` into `reg`.
pub fn run(
    exp: &Experiment,
    plan: &Plan,
    fitter: &dyn Fitter,
    reg: &mut Registry,
    opts: &RunOptions,
) -> Result<RunSummary, FactoryError> {
    let session = Instant::now();
    let (run_id, resumed) = open_run(exp, plan, reg, opts)?;
    let specs: Vec<SpecRow> = plan
        .specs
        .iter()
        .map(|s| SpecRow {
            spec_hash: s.hash.clone(),
            family: s.spec.family().to_string(),
            label: s.spec.to_string(),
            spec_json: s.json.clone(),
        })
        .collect();
    reg.upsert_specs(&specs)?;

    let done = reg.done_tasks(run_id)?;
    let key = |t: &TaskId| TaskKey {
        asset: plan.assets[t.asset as usize].name.clone(),
        spec_hash: plan.specs[t.spec as usize].hash.clone(),
        window: t.window,
    };
    let todo: Vec<TaskId> = plan
        .tasks(opts.shard)
        .filter(|t| !done.contains(&key(t)))
        .collect();
    drop(done);
    let total = plan.n_tasks_in(opts.shard) as u64;
    let skipped = total - todo.len() as u64;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| FactoryError::ThreadPool(e.to_string()))?;
    let abort = AtomicBool::new(false);
    let stopped = || opts.stop.load(Ordering::Relaxed) || abort.load(Ordering::Relaxed);
    let mut progress = Progress::new(opts.progress, total, skipped);
    let batch = opts.batch_tasks.max(1);
    let (tx, rx) = sync_channel(batch * 2);
    let mut write_error = None;
    let mut ran = 0u64;

    std::thread::scope(|scope| {
        let workers = scope.spawn(|| {
            pool.install(|| {
                todo.par_iter().for_each_with(tx, |tx, &id| {
                    if !stopped() {
                        // A closed channel means the writer gave up; `abort` is already set.
                        let _ = tx.send(execute(plan, fitter, id));
                    }
                })
            })
        });
        let mut buf = Vec::with_capacity(batch);
        let mut last = Instant::now();
        loop {
            let disconnected = match rx.recv_timeout(opts.batch_interval) {
                Ok(rec) => {
                    progress.task_done(rec.model.failure.is_some());
                    buf.push(rec);
                    false
                }
                Err(RecvTimeoutError::Timeout) => false,
                Err(RecvTimeoutError::Disconnected) => true,
            };
            let due = buf.len() >= batch || last.elapsed() >= opts.batch_interval || disconnected;
            if due && !buf.is_empty() {
                if let Err(e) = reg.write_tasks(run_id, &buf) {
                    abort.store(true, Ordering::Relaxed);
                    write_error = Some(e);
                    break;
                }
                ran += buf.len() as u64;
                buf.clear();
                last = Instant::now();
            }
            if disconnected {
                break;
            }
        }
        drop(rx);
        // A worker panic is impossible (tasks catch model panics); joining only waits.
        let _ = workers.join();
    });
    progress.finish();
    let elapsed = session.elapsed().as_secs_f64();
    if let Some(e) = write_error {
        reg.close_run(run_id, RunStatus::Interrupted, None, elapsed)?;
        return Err(e.into());
    }
    let counts = reg.counts(run_id)?;
    let complete = counts.ok + counts.failed >= total;
    let (status, finished) = if complete {
        (RunStatus::Finished, Some(now()))
    } else {
        (RunStatus::Interrupted, None)
    };
    reg.close_run(run_id, status, finished.as_deref(), elapsed)?;
    Ok(RunSummary {
        run_id,
        resumed,
        total,
        skipped,
        ok: counts.ok,
        failed: counts.failed,
        breakdown: reg.failure_breakdown(run_id)?,
        interrupted: !complete,
        elapsed_s: elapsed,
        models_per_s: ran as f64 / elapsed.max(1e-9),
        excluded: plan.excluded.clone(),
    })
}
