//! The working-hours engine every command shares: calendars (zone, weekly
//! windows, holidays, overrides), durations and targets, and the two walks
//! (deadline and elapsed) over working time.

pub mod calendar;
pub mod duration;
pub mod holiday;
pub mod segment;
pub mod timeline;
pub mod zone;

pub use calendar::{Calendar, CalendarError, DayKind, HolidayCache, Window};
pub use duration::{Target, format_duration, parse_duration};
pub use holiday::{Holiday, HolidayRule};
pub use segment::Segment;
pub use timeline::{Step, WalkError, clock_start, deadline, elapsed};

#[cfg(test)]
mod tests;
