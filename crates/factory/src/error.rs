//! Errors of the factory. A user's mistake names the file, key, line and column, or the asset and
//! date; nothing the user controls panics.

use std::path::PathBuf;

/// A factory failure (per-task failures are not errors: they are rows with their reasons).
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    /// The experiment file could not be read.
    #[error("{path}: cannot read the experiment file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// The experiment file is not valid: the key, where it is and what is wrong.
    #[error("{path}:{line}:{column}: {key}: {message}")]
    Experiment {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: u32,
        /// 1-based column (0 when unknown).
        column: u32,
        /// Dotted key, e.g. `walk_forward.train`.
        key: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The universe could not be built or read.
    #[error("universe: {0}")]
    Universe(String),
    /// A bad `--shard` argument.
    #[error("--shard {given}: {reason}")]
    Shard {
        /// What was given.
        given: String,
        /// What is allowed.
        reason: String,
    },
    /// `--resume` with nothing to resume.
    #[error("--resume: {0}")]
    Resume(String),
    /// The registry failed.
    #[error(transparent)]
    Registry(#[from] af_registry::RegistryError),
    /// The worker thread pool could not be built.
    #[error("thread pool: {0}")]
    ThreadPool(String),
}
