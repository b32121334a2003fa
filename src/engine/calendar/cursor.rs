//! A walk's handle on a calendar's shared year tables.

use std::sync::Arc;

use super::Calendar;
use super::year::YearInfo;
use crate::engine::day::Day;

/// Most years one calendar keeps in its cache before starting afresh.
const YEAR_CACHE: usize = 512;

/// A walk's cursor on the calendar's year tables: holds the current year, so
/// the shared cache is locked once per year walked, not once per day.
#[derive(Debug, Default)]
pub(crate) struct YearCursor {
    current: Option<Arc<YearInfo>>,
}

impl YearCursor {
    /// An empty cursor.
    pub(crate) fn new() -> YearCursor {
        YearCursor::default()
    }

    /// The calendar's table for the local year holding `day`.
    #[inline]
    pub(crate) fn for_day(&mut self, cal: &Calendar, day: Day) -> &YearInfo {
        match self.current {
            Some(ref info) if info.contains(day) => {}
            _ => self.current = Some(shared(cal, day)),
        }
        // Set just above: the closure never runs (it spares an `unreachable!`).
        self.current.get_or_insert_with(|| shared(cal, day))
    }
}

/// The calendar's table for `year`, computed on first use. Out of line: the
/// walks call [`YearCursor::for_day`] a few times a day, and this once a year.
#[cold]
#[inline(never)]
fn shared(cal: &Calendar, day: Day) -> Arc<YearInfo> {
    let mut years = cal.years().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Every batch row starts a fresh cursor, and a calendar holds a few
    // years: looking through them beats working out the year and hashing it.
    if years.len() <= 8
        && let Some(info) = years.values().find(|y| y.contains(day))
    {
        return Arc::clone(info);
    }
    if years.len() > YEAR_CACHE {
        years.clear();
    }
    let year = day.year();
    Arc::clone(years.entry(year).or_insert_with(|| Arc::new(YearInfo::compute(cal, year))))
}
