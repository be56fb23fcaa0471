//! Errors of the registry: each says which database and what went wrong.

use std::path::PathBuf;

/// A registry failure.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// SQLite refused an operation.
    #[error("registry {path}: {context}: {source}")]
    Sqlite {
        /// The database file (`:memory:` for an in-memory registry).
        path: PathBuf,
        /// What the registry was doing.
        context: &'static str,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer alphafactory.
    #[error("registry {path}: schema version {found} is newer than this build supports ({supported}); upgrade alphafactory")]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// `PRAGMA user_version` found in the file.
        found: i64,
        /// Highest version this build knows.
        supported: i64,
    },
    /// No run with this id.
    #[error("registry {path}: no run with id {id}; `alphafactory runs` lists the runs")]
    NoSuchRun {
        /// The database file.
        path: PathBuf,
        /// The id asked for.
        id: i64,
    },
    /// Shard registries that cannot be merged into one run.
    #[error("merge: {0}")]
    Merge(String),
    /// A row that breaks the schema's rules, refused before anything is written.
    #[error("registry {path}: {message}")]
    InvalidRow {
        /// The database file.
        path: PathBuf,
        /// What is wrong, naming the row.
        message: String,
    },
}

/// Result alias of the registry.
pub type Result<T> = std::result::Result<T, RegistryError>;
