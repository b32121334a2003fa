//! slacalc: an SLA calculator over declarative support-plan files.
//!
//! The library holds everything but the command line: the working-hours
//! [`engine`], the [`plan`] model and its validation, the [`loader`] that
//! finds plan files, the [`sla`] questions (deadline, status, …) that every
//! command and `batch` share, and the bounded readers and writers of [`io`].
// Here, not in Cargo.toml `[lints]`: those reach every target (benches,
// tests) and cannot spare `cfg(test)` code its `unwrap`s.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// The command line names the library as `slacalc::…`, as it did from the
// binary; inside the crate that path is this crate.
#[cfg(feature = "cli")]
extern crate self as slacalc;

pub mod batch;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
pub mod decimal;
pub mod engine;
pub mod error;
pub mod event_exports;
pub mod ics;
pub mod instant;
pub mod io;
#[cfg(test)]
mod layers;
pub mod loader;
pub mod mapping;
pub mod plan;
pub mod profiles;
pub mod replay;
pub mod report;
pub mod sla;
pub mod text;
pub mod world;

pub use error::{Error, Result};
pub use loader::PlanSet;
