//! One module per subcommand: arguments → validated request → library call →
//! rendered answer.

pub(super) mod batch;
pub(super) mod calendar;
pub(super) mod check;
pub(super) mod credit;
pub(super) mod deadline;
pub(super) mod entitlements;
pub(super) mod holidays;
pub(super) mod man;
mod metric;
pub(super) mod plans;
pub(super) mod profiles;
pub(super) mod quota;
pub(super) mod replay;
pub(super) mod report;
pub(super) mod status;
mod stream;
mod ticket;
