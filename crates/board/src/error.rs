//! Errors of the board: every variant names the run, asset or option at fault.

use thiserror::Error;

/// Why a leaderboard or report could not be built.
#[derive(Debug, Error)]
pub enum BoardError {
    /// The registry could not be read.
    #[error(transparent)]
    Registry(#[from] af_registry::RegistryError),
    /// A run has no model rows to rank.
    #[error(
        "run {run_id} has no model rows yet; run the experiment first (`alphafactory run FILE`)"
    )]
    EmptyRun {
        /// The run id.
        run_id: i64,
    },
    /// An asset asked for by the user is not in the run.
    #[error("asset `{asset}` is not in run {run_id}; its assets start with {known}")]
    UnknownAsset {
        /// The asset asked for.
        asset: String,
        /// The run id.
        run_id: i64,
        /// A few assets of the run, comma separated.
        known: String,
    },
    /// A stored value cannot be used (e.g. a non-finite forecast in the registry).
    #[error("run {run_id}, asset {asset}: {what}")]
    BadData {
        /// The run id.
        run_id: i64,
        /// The asset.
        asset: String,
        /// What is wrong.
        what: String,
    },
    /// Writing the report failed.
    #[error("writing {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
}

/// Result alias of the board.
pub type Result<T> = std::result::Result<T, BoardError>;
