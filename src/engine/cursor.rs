//! A walk's handle on a calendar's shared year tables.

use std::sync::Arc;

use super::calendar::Calendar;
use super::day::Day;
use super::year::YearInfo;

/// Most years one calendar keeps in its cache before starting afresh.
const YEAR_CACHE: usize = 512;

/// A walk's cursor on the calendar's year tables: holds the current year, so
/// the shared cache is locked once per year walked, not once per day.
#[derive(Debug, Default)]
pub struct YearCursor {
    current: Option<Arc<YearInfo>>,
}

impl YearCursor {
    /// An empty cursor.
    pub fn new() -> YearCursor {
        YearCursor::default()
    }

    /// The calendar's table for the local year holding `day`.
    #[inline]
    pub(crate) fn for_day(&mut self, cal: &Calendar, day: Day) -> &YearInfo {
        match self.current {
            Some(ref info) if info.contains(day) => {}
            _ => self.current = Some(shared(cal, day.year())),
        }
        // Set just above: the closure never runs (it spares an `unreachable!`).
        self.current.get_or_insert_with(|| shared(cal, day.year()))
    }
}

/// The calendar's table for `year`, computed on first use. Out of line: the
/// walks call [`YearCursor::for_day`] a few times a day, and this once a year.
#[cold]
#[inline(never)]
fn shared(cal: &Calendar, year: i64) -> Arc<YearInfo> {
    let mut years = cal.years().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if years.len() > YEAR_CACHE {
        years.clear();
    }
    Arc::clone(years.entry(year).or_insert_with(|| Arc::new(YearInfo::compute(cal, year))))
}
