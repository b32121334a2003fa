//! The working-hours engine every command shares: calendars (zone, weekly
//! windows, holidays, overrides), durations and targets, and the two walks
//! (deadline and elapsed) over working time.
//!
//! Modules, bottom up: [`day`] (the [`Day`] and [`WorkSpan`] quantities),
//! [`zone`] (offsets and wall-clock resolution; up to 2099 from chrono-tz's
//! changes read once into `zone_table`, past 2099 through the equivalent
//! years memoized in `zone_years`), [`window`], [`holiday`],
//! [`calendar`] with its year tables in its own folder (`calendar/`: `year`,
//! with the whole-year totals of `yearsum` and the per-shape sums of regular
//! years in `shapes`, and their [`calendar::cursor`]; they and `Calendar`
//! import each other, a cycle kept inside that one folder), [`timeline`]
//! (the walks), and [`status_walk`] (a status's deadline and elapsed time
//! from one walk). The engine's [`ParseError`] is in `parse_error`.

pub(crate) mod calendar;
pub(crate) mod day;
pub(crate) mod duration;
pub(crate) mod holiday;
mod parse_error;
pub(crate) mod segment;
pub(crate) mod status_walk;
pub(crate) mod timeline;
pub(crate) mod window;
pub(crate) mod zone;
mod zone_table;
mod zone_years;

pub(crate) use calendar::cursor::{Pooled as PooledCursor, YearCursor};
pub(crate) use calendar::{Calendar, DataFrom, DayKind, Horizon};
pub(crate) use day::LocalSeconds;
pub(crate) use duration::{Target, format_duration, parse_duration};
pub(crate) use holiday::{Holiday, HolidayRule};
pub(crate) use parse_error::ParseError;
pub(crate) use segment::Segment;
pub(crate) use timeline::{Step, WalkError, clock_start, deadline, elapsed};
pub(crate) use window::Window;

#[cfg(test)]
mod span_tests;
#[cfg(test)]
mod tests;
