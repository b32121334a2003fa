//! The working-hours engine every command shares: calendars (zone, weekly
//! windows, holidays, overrides), durations and targets, and the two walks
//! (deadline and elapsed) over working time.
//!
//! Modules, bottom up: [`day`] (the [`Day`] and [`WorkSpan`] quantities),
//! [`zone`] (offsets and wall-clock resolution; past 2099 through the
//! equivalent years memoized in `zone_years`), [`window`], [`holiday`], the
//! year tables (private: `year`, with the whole-year totals of `yearsum` and
//! the per-shape sums of regular years in `shapes`) and their [`cursor`],
//! [`calendar`], [`timeline`] (the walks), and [`both`] (a status's deadline
//! and elapsed time from one walk).

pub mod both;
pub mod calendar;
pub mod cursor;
pub mod day;
pub mod duration;
pub mod holiday;
mod parse;
pub mod segment;
mod shapes;
pub mod timeline;
pub mod window;
mod year;
mod yearsum;
pub mod zone;
mod zone_years;

pub use calendar::{Calendar, CalendarError, DataFrom, DayKind, Horizon, WEEKDAYS};
pub use cursor::YearCursor;
pub use day::{Day, LocalSeconds, Timestamp, WorkSpan};
pub use duration::{Target, format_duration, parse_duration};
pub use holiday::{Holiday, HolidayRule};
pub use parse::ParseError;
pub use segment::Segment;
pub use timeline::{Step, WalkError, clock_start, deadline, elapsed};
pub use window::Window;
pub use zone::Disambiguation;

#[cfg(test)]
mod span_tests;
#[cfg(test)]
mod tests;
