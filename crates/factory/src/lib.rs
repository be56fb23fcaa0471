//! The alphafactory model factory: describe universe × targets × model grid × walk-forward scheme
//! once in an experiment file, run tens of thousands of models on one machine in parallel, never
//! lose finished work.
//!
//! * [`parse::load_experiment`] — YAML experiment file → checked [`Experiment`] (errors name key,
//!   line and column).
//! * [`grid`] — model grids → [`ModelSpec`]s, each with a stable hash (the registry key).
//! * [`plan::Plan`] — assets × specs × walk-forward windows, sharded deterministically.
//! * [`engine::run`] — rayon workers, one writer, batched transactions, resume, Ctrl-C.
//! * [`fitter::Fitter`] — the seam to model maths; [`vol::VolFitter`] fits the GARCH family.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod engine;
pub mod error;
pub mod experiment;
pub mod fitter;
pub mod grid;
pub mod hash;
pub mod parse;
pub mod plan;
pub mod progress;
pub mod task;
pub mod vol;

pub use engine::{run, RunOptions, RunSummary};
pub use error::FactoryError;
pub use experiment::{Experiment, Universe, WalkForward, WindowKind};
pub use fitter::{FitFailure, Fitted, Fitter, OriginForecast};
pub use grid::{ModelGrid, ModelSpec};
pub use parse::{load_experiment, parse_experiment};
pub use plan::{load_universe, Plan, Shard, TaskId};
pub use progress::ProgressMode;
pub use vol::VolFitter;
