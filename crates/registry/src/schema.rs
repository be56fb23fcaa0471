//! Schema and migrations. `PRAGMA user_version` records the applied version; each migration is
//! applied once, in order, inside one transaction.
//!
//! Tables (all keyed so that row content, not insertion order, defines a run):
//!
//! | table | key | holds |
//! |---|---|---|
//! | `runs` | `id` | experiment name, canonical JSON and hash, code version, seed, shard, status, timings |
//! | `specs` | `spec_hash` | model family, display name and canonical spec JSON |
//! | `models` | run, asset, spec hash, window | train range, status, failure kind and reason, params JSON, log-likelihood, AIC, BIC, convergence, warnings, fit µs |
//! | `forecasts` | run, asset, spec hash, date, horizon | forecast variance of the next `horizon` days, realized variance |
//! | `var_forecasts` | run, asset, spec hash, date, level | one-day VaR (a positive loss) and the realized return |
//! | `alpha_retirements` | run, alpha, date | kill-switch retirement: reasons JSON, weight the day before, alphas live after (v2) |
//! | `alpha_promotions` | run, alpha, date | candidate promoted to live and its ranking score (v2) |
//! | `portfolio_states` | run, date | a change of the portfolio's state (active / reducing / halted), the one before, drawdown (v2) |

use rusqlite::Connection;

/// Migrations in order; version `i + 1` is `MIGRATIONS[i]`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    experiment_hash TEXT    NOT NULL,
    spec_json       TEXT    NOT NULL,
    code_version    TEXT    NOT NULL,
    seed            INTEGER NOT NULL,
    shard_index     INTEGER NOT NULL,
    shard_count     INTEGER NOT NULL,
    n_tasks         INTEGER NOT NULL,
    status          TEXT    NOT NULL,
    started         TEXT    NOT NULL,
    finished        TEXT,
    elapsed_s       REAL    NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_hash ON runs (experiment_hash, shard_index, shard_count);
CREATE TABLE specs (
    spec_hash TEXT PRIMARY KEY,
    family    TEXT NOT NULL,
    label     TEXT NOT NULL,
    spec_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE models (
    run_id       INTEGER NOT NULL REFERENCES runs (id),
    asset        TEXT    NOT NULL,
    spec_hash    TEXT    NOT NULL REFERENCES specs (spec_hash),
    window_index INTEGER NOT NULL,
    train_start  TEXT,
    train_end    TEXT,
    nobs         INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('ok', 'failed')),
    failure_kind TEXT,
    error        TEXT,
    params_json  TEXT,
    loglik       REAL,
    aic          REAL,
    bic          REAL,
    converged    INTEGER,
    warnings     TEXT,
    fit_us       INTEGER NOT NULL,
    PRIMARY KEY (run_id, asset, spec_hash, window_index)
) WITHOUT ROWID;
CREATE TABLE forecasts (
    run_id       INTEGER NOT NULL,
    asset        TEXT    NOT NULL,
    spec_hash    TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    horizon      INTEGER NOT NULL,
    window_index INTEGER NOT NULL,
    forecast     REAL    NOT NULL,
    realized     REAL,
    PRIMARY KEY (run_id, asset, spec_hash, date, horizon)
) WITHOUT ROWID;
CREATE TABLE var_forecasts (
    run_id          INTEGER NOT NULL,
    asset           TEXT    NOT NULL,
    spec_hash       TEXT    NOT NULL,
    date            TEXT    NOT NULL,
    level           REAL    NOT NULL,
    window_index    INTEGER NOT NULL,
    value_at_risk   REAL    NOT NULL,
    realized_return REAL,
    PRIMARY KEY (run_id, asset, spec_hash, date, level)
) WITHOUT ROWID;
"#,
    r#"
CREATE TABLE alpha_retirements (
    run_id        INTEGER NOT NULL REFERENCES runs (id),
    alpha         TEXT    NOT NULL,
    date          TEXT    NOT NULL,
    day_index     INTEGER NOT NULL,
    reasons_json  TEXT    NOT NULL,
    weight_before REAL    NOT NULL,
    live_after    INTEGER NOT NULL,
    PRIMARY KEY (run_id, alpha, date)
) WITHOUT ROWID;
CREATE TABLE alpha_promotions (
    run_id    INTEGER NOT NULL REFERENCES runs (id),
    alpha     TEXT    NOT NULL,
    date      TEXT    NOT NULL,
    day_index INTEGER NOT NULL,
    score     REAL,
    PRIMARY KEY (run_id, alpha, date)
) WITHOUT ROWID;
CREATE TABLE portfolio_states (
    run_id    INTEGER NOT NULL REFERENCES runs (id),
    date      TEXT    NOT NULL,
    day_index INTEGER NOT NULL,
    state     TEXT    NOT NULL CHECK (state IN ('active', 'reducing', 'halted')),
    previous  TEXT,
    drawdown  REAL    NOT NULL,
    PRIMARY KEY (run_id, date)
) WITHOUT ROWID;
"#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Read `user_version`.
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Apply every migration above `from`, each in its own IMMEDIATE transaction that re-reads the
/// version under the write lock, so processes opening a new registry at the same moment apply
/// each migration exactly once.
pub(crate) fn migrate(conn: &mut Connection, from: i64) -> rusqlite::Result<()> {
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let v = i as i64 + 1;
        if v <= from {
            continue;
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if version(&tx)? >= v {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", v)?;
        tx.commit()?;
    }
    Ok(())
}
