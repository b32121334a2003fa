//! Integration tests: every test drives the real binary through `util`.

mod check;
mod deadline;
mod errors;
mod plans;
mod status;
mod util;
