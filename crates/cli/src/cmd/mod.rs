//! One module per subcommand family.

pub mod data;
pub mod demo;
// == modules added by their owners below ==
pub mod alpha;
pub mod alpha_analyze;
pub mod alpha_analyze_report;
pub mod alpha_eval;
pub mod alpha_inputs;
pub mod garch;
pub mod leaderboard;
pub mod metrics;
pub mod portfolio;
pub mod report;
pub mod run;
