//! Integration tests: every test drives the real binary through `util`.

mod bad_input;
mod batch;
mod calendar;
mod calendars;
mod check;
mod credit;
mod deadline;
mod engine_fixes;
mod entitlements;
mod errors;
mod examples;
mod help;
mod input_limits;
mod loading;
mod plans;
mod properties;
mod quota;
mod regressions;
mod reliability;
mod replay;
mod report;
mod snapshots;
mod status;
mod trust;
mod util;
