//! The alphafactory registry: every run, model, forecast and failure in one SQLite file.
//!
//! * WAL journal, `PRAGMA user_version` migrations ([`schema`]).
//! * [`Registry::write_tasks`] stores a batch of finished tasks in ONE transaction, so a run killed
//!   at any moment (even `kill -9`) leaves only whole tasks behind; [`Registry::done_tasks`] tells
//!   a resumed run what to skip.
//! * Queries for reports and leaderboards ([`query`]), shard merge ([`merge`]).
//! * The kill-switch and portfolio-state log of strategy backtests ([`strategy_log`]).
//!
//! The registry knows a model only by its spec JSON, parameters and metrics; it never computes.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod error;
pub mod merge;
pub mod query;
pub mod records;
pub mod schema;
pub mod strategy_log;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use error::{RegistryError, Result};
pub use merge::{merge_shards, MergeSummary};
pub use query::FailureCount;
pub use records::{
    Failure, ForecastRow, ModelRow, NewRun, RunCounts, RunRow, RunStatus, SpecRow, TaskKey,
    TaskRecord, VarRow,
};
pub use schema::SCHEMA_VERSION;
pub use strategy_log::{PromotionRow, RetirementRow, StateChangeRow, StrategyLog};

/// An open registry database.
#[derive(Debug)]
pub struct Registry {
    conn: Connection,
    path: PathBuf,
}

impl Registry {
    /// Open (creating if needed) the registry at `path`, switch it to WAL and migrate it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(|source| RegistryError::Sqlite {
            path: path.clone(),
            context: "opening the database",
            source,
        })?;
        Self::init(conn, path)
    }

    /// An in-memory registry (tests, dry runs).
    pub fn open_in_memory() -> Result<Self> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| RegistryError::Sqlite {
            path: path.clone(),
            context: "opening the database",
            source,
        })?;
        Self::init(conn, path)
    }

    fn init(mut conn: Connection, path: PathBuf) -> Result<Self> {
        let sql = |context: &'static str| {
            let path = path.clone();
            move |source| RegistryError::Sqlite {
                path,
                context,
                source,
            }
        };
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(sql("setting the busy timeout"))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql("switching to WAL"))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql("setting synchronous"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql("enabling foreign keys"))?;
        let found = schema::version(&conn).map_err(sql("reading user_version"))?;
        if found > SCHEMA_VERSION {
            return Err(RegistryError::NewerSchema {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        schema::migrate(&mut conn, found).map_err(sql("migrating the schema"))?;
        Ok(Registry { conn, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Wrap a SQLite error with this registry's path and what was being done.
    pub(crate) fn err(&self, context: &'static str) -> impl Fn(rusqlite::Error) -> RegistryError {
        let path = self.path.clone();
        move |source| RegistryError::Sqlite {
            path: path.clone(),
            context,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_to_current_version_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.db");
        {
            let r = Registry::open(&p).unwrap();
            assert_eq!(schema::version(&r.conn).unwrap(), SCHEMA_VERSION);
        }
        let r = Registry::open(&p).unwrap();
        assert_eq!(schema::version(&r.conn).unwrap(), SCHEMA_VERSION);
        let mode: String = r
            .conn
            .query_row("PRAGMA journal_mode", [], |x| x.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn refuses_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.db");
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let e = Registry::open(&p).unwrap_err();
        assert!(e.to_string().contains("newer"), "{e}");
    }
}
