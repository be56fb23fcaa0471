//! One module per subcommand family.

pub mod data;
pub mod demo;
// == modules added by their owners below ==
