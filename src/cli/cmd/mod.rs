//! One module per subcommand: arguments → validated request → library call →
//! rendered answer.

pub mod check;
pub mod deadline;
pub mod plans;
pub mod status;
mod ticket;
