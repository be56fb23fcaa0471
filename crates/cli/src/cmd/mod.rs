//! One module per subcommand family.

// == modules added by their owners below ==
pub mod alpha;
pub mod alpha_eval;
pub mod run;
pub mod garch;
pub mod data;
pub mod demo;
pub mod leaderboard;
pub mod report;
