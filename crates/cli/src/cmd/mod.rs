//! One module per subcommand family.

// == modules added by their owners below ==
pub mod run;
pub mod garch;
