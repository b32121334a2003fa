//! The working-hours engine every command shares: calendars (zone, weekly
//! windows, holidays, overrides), durations and targets, and the two walks
//! (deadline and elapsed) over working time.
//!
//! Modules, bottom up: [`day`] (the [`Day`] and [`WorkSpan`] quantities),
//! [`zone`] (offsets and wall-clock resolution; past 2099 through the
//! equivalent years memoized in `zone_years`), [`window`], [`holiday`],
//! [`calendar`] with its year tables in its own folder (`calendar/`: `year`,
//! with the whole-year totals of `yearsum` and the per-shape sums of regular
//! years in `shapes`, and their [`calendar::cursor`]; they and `Calendar`
//! import each other, a cycle kept inside that one folder), [`timeline`]
//! (the walks), and [`status_walk`] (a status's deadline and elapsed time
//! from one walk). The engine's [`ParseError`] is in `parse_error`.

pub mod calendar;
pub mod day;
pub mod duration;
pub mod holiday;
mod parse_error;
pub mod segment;
pub mod status_walk;
pub mod timeline;
pub mod window;
pub mod zone;
mod zone_years;

pub use calendar::cursor::YearCursor;
pub use calendar::{Calendar, CalendarError, DataFrom, DayKind, Horizon, WEEKDAYS};
pub use day::{Day, WorkSpan};
pub use duration::{Target, format_duration, parse_duration};
pub use holiday::{Holiday, HolidayRule};
pub use parse_error::ParseError;
pub use segment::Segment;
pub use timeline::{Step, WalkError, clock_start, deadline, elapsed};
pub use window::Window;
pub use zone::Disambiguation;

#[cfg(test)]
mod span_tests;
#[cfg(test)]
mod tests;
