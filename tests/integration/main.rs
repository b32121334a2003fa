//! Integration tests: every test drives the real binary through `util`.

mod check;
mod credit;
mod deadline;
mod entitlements;
mod errors;
mod plans;
mod quota;
mod status;
mod util;
