//! One module per subcommand family.

// == modules added by their owners below ==
pub mod alpha;
pub mod alpha_eval;
pub mod alpha_analyze;
pub mod alpha_analyze_report;
pub mod run;
pub mod garch;
pub mod data;
pub mod demo;
pub mod leaderboard;
pub mod report;
