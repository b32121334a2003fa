//! Integration tests: every test drives the real binary through `util`.

// First: its macros (`due!`) serve the modules after it.
#[macro_use]
mod util;

mod analyst;
#[macro_use]
mod bad_input;
mod batch;
mod batch_metrics;
mod calendar;
mod calendars;
mod check;
mod credit;
mod deadline;
mod engine_fixes;
mod entitlements;
mod errors;
mod examples;
mod exports;
mod help;
mod holidays;
mod ics;
mod input_limits;
mod jobs;
mod loading;
mod plans;
mod profiles;
mod properties;
mod quota;
mod regressions;
mod reliability;
mod replay;
mod replay_exports;
mod report;
mod snapshots;
mod startup;
mod status;
mod time_formats;
mod trust;
mod world_holidays;
