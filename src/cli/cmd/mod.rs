//! One module per subcommand: arguments → validated request → library call →
//! rendered answer.

pub mod batch;
pub mod calendar;
pub mod check;
pub mod credit;
pub mod deadline;
pub mod entitlements;
pub mod holidays;
pub mod man;
mod metric;
pub mod plans;
pub mod profiles;
pub mod quota;
pub mod replay;
pub mod report;
pub mod status;
mod stream;
mod ticket;
