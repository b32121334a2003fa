//! Integration tests: every test drives the real binary through `util`.

mod bad_input;
mod calendar;
mod check;
mod credit;
mod deadline;
mod entitlements;
mod errors;
mod examples;
mod help;
mod plans;
mod quota;
mod status;
mod util;
mod reliability;
