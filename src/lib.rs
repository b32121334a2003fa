//! slacalc: an SLA calculator over declarative support-plan files.
//!
//! The library holds everything but the command line: the working-hours
//! engine, the plan model and its validation, the loader that finds plan
//! files, the SLA questions (deadline, status, …) that every command and
//! `batch` share, and the bounded readers and writers of the pipelines. Its
//! public surface is what a program embedding it needs (the Python package
//! of SPEC §10 among them):
//!
//! - plans: [`PlanSet`] (the embedded plans, plus files) and [`Plan`];
//! - one ticket's questions in [`sla`]: [`sla::resolve`] (the target a plan,
//!   a priority and a [`Metric`] set), [`sla::Ticket`] (its times, checked),
//!   then [`sla::Ticket::deadline`] and [`sla::Ticket::status`], which answer
//!   [`sla::DeadlineAnswer`] and [`sla::StatusAnswer`];
//! - the pipelines over files: [`replay::run`] (event histories into
//!   per-cycle rows) and [`report::run`] (rows into attainment per group);
//! - the types they speak: [`Timestamp`] (an instant, UTC seconds),
//!   [`WorkSpan`] (working time), [`LocalSeconds`] (a wall-clock time),
//!   [`Display`] (how messages print instants), [`BasisPoints`], and the
//!   error, [`Error`].
//!
//! Everything else is crate-private. The `cli` feature (on by default) adds
//! the `slacalc` binary; without it the library compiles none of the command
//! line's crates (clap, comfy-table, anyhow, …).
//!
//! # Example
//!
//! ```
//! use slacalc::sla::{self, Given, StopAfterNow, Ticket, Untracked};
//! use slacalc::{Display, Metric, PlanSet, Timestamp, WorkSpan};
//!
//! let plans = PlanSet::load(&[])?; // the embedded plans
//! let gold = plans.get("apizee-gold")?;
//! let target = sla::resolve(gold, Some("major"), Metric::FirstResponse, Untracked::Refused)?;
//! assert_eq!(target.target_seconds, Some(WorkSpan::new(4 * 3600)));
//!
//! // Friday 2026-11-20 13:00 UTC (14:00 in Paris, the plan's zone).
//! let opened = Timestamp::from_secs(1_795_179_600);
//! let due = Ticket::opened(opened).deadline(&target, false)?;
//! assert_eq!(due.deadline, Some(Timestamp::from_secs(1_795_179_600 + 4 * 3600)));
//!
//! // Two hours later, not answered yet: half the target is used.
//! let now = Timestamp::from_secs(1_795_179_600 + 2 * 3600);
//! let opened = Given { what: "opened", at: opened, typed: "", quoted: false };
//! let ticket = Ticket::new(opened, None, now, StopAfterNow::Refused, Display::Utc)?;
//! let status = ticket.status(&target, now, false)?;
//! assert_eq!(status.elapsed, WorkSpan::new(2 * 3600));
//! assert_eq!(status.remaining, Some(WorkSpan::new(2 * 3600)));
//! assert_eq!(status.state, sla::ClockState::Running);
//! # Ok::<(), slacalc::Error>(())
//! ```
// Here, not in Cargo.toml `[lints]`: those reach every target (benches,
// tests) and cannot spare `cfg(test)` code its `unwrap`s.
#![deny(missing_docs)]
#![warn(unreachable_pub)]
// What only the command line calls (export conversion, the HTML and
// OpenMetrics reports, ICS, quota and credit files) stays in the library,
// crate-private: without the `cli` feature it is compiled but unreached.
#![cfg_attr(not(feature = "cli"), allow(dead_code, unused_imports))]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// The command line names the library as `slacalc::…`, as it did from the
// binary; inside the crate that path is this crate.
#[cfg(feature = "cli")]
extern crate self as slacalc;

pub(crate) mod batch;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
pub(crate) mod decimal;
pub(crate) mod engine;
pub(crate) mod error;
pub(crate) mod event_exports;
pub(crate) mod ics;
pub(crate) mod instant;
pub(crate) mod io;
#[cfg(test)]
mod layers;
pub(crate) mod loader;
pub(crate) mod mapping;
pub(crate) mod offsets;
pub(crate) mod plan;
pub(crate) mod profiles;
pub mod replay;
pub mod report;
pub mod sla;
pub(crate) mod text;
pub(crate) mod world;

pub use decimal::BasisPoints;
pub use engine::calendar::Calendar;
pub use engine::day::{LocalSeconds, Timestamp, WorkSpan};
pub use error::{Error, PlanError, Result};
pub use instant::Display;
pub use io::RowFormat;
pub use loader::PlanSet;
pub use plan::lifecycle::Metric;
pub use plan::model::Plan;
pub use plan::validate::Source;

/// What the crate's own tests, benches, examples and fuzz targets reach
/// below the public surface. Not part of the API: no promise holds here.
#[doc(hidden)]
pub mod internal {
    #![allow(missing_docs)]
    pub mod batch {
        pub use crate::batch::{BatchOptions, run};
    }
    pub mod decimal {
        pub use crate::decimal::{BasisPoints, Cents, Micro, MicroPercent, Milli, Syntax};
    }
    pub mod engine {
        pub use crate::engine::calendar::Calendar;
        pub use crate::engine::duration::{Target, format_duration, parse_duration};
        pub use crate::engine::holiday::{Holiday, HolidayRule};
        pub use crate::engine::segment::Segment;
        pub use crate::engine::timeline::{clock_start, deadline, elapsed};
        pub use crate::engine::window::Window;
        pub mod holiday {
            pub use crate::engine::holiday::dates_in;
        }
        pub mod segment {
            pub use crate::engine::segment::normalize;
        }
        pub mod zone {
            pub use crate::engine::zone::{Local, TABLE_END, from_local, offset_at};
        }
    }
    pub mod instant {
        pub use crate::instant::{Display, format_instant, parse_date, parse_instant};
    }
    pub mod io {
        pub use crate::io::RowFormat;
    }
    pub mod loader {
        pub use crate::loader::embedded_sources;
    }
    pub mod mapping {
        pub use crate::mapping::Mapping;
    }
    pub mod plan {
        pub use crate::plan::model::QuotaUnit;
        pub use crate::plan::validate::Source;
        pub mod validate {
            pub use crate::plan::validate::{holiday_set, load};
        }
        pub mod lifecycle {
            pub use crate::plan::lifecycle::Metric;
        }
    }
    pub mod sla {
        pub use crate::sla::credit::{CreditInput, credit};
        pub use crate::sla::entitlements::entitlements;
        pub use crate::sla::money::Money;
        pub use crate::sla::quota::{QuotaInput, Usage, quota};
        pub mod money {
            pub use crate::sla::money::{Money, format_cents};
        }
        pub mod quota {
            pub use crate::sla::quota::ticks::{parse_quantity, to_milli};
        }
    }
    pub mod world {
        pub use crate::world::is_world_source;
    }
}
