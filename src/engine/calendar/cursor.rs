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

/// A fresh [`Calendar`] id (see its `uid`).
pub(super) fn next_uid() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Most calendars a thread keeps a cursor for between walks: `batch` walks
/// a few plans' calendars, each a handful of times a row.
const POOLED: usize = 16;

thread_local! {
    /// The thread's cursors between walks, by calendar id, most recent last.
    static POOL: std::cell::RefCell<Vec<(u64, YearCursor)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A walk's [`YearCursor`], taken from the thread's pool for its calendar
/// and put back when the walk ends. A fresh cursor per walk locked the
/// calendar's shared year cache and counted a reference on its year at the
/// start of every walk: for `batch`, a lock and two atomic operations per
/// row, on cache lines every worker thread writes. A pooled cursor still
/// holds its year (a year table never changes once built), so the next walk
/// on that calendar and year takes neither.
///
/// Keyed by the calendar's `uid`, never its address: a calendar dropped and
/// another made at the same place must not find the first one's years.
pub(crate) struct Pooled {
    uid: u64,
    cursor: YearCursor,
}

impl Pooled {
    /// The thread's cursor for `cal` (a fresh one the first time, or while
    /// another walk on this thread holds it).
    pub(crate) fn take(cal: &Calendar) -> Pooled {
        let uid = cal.uid();
        let cursor = POOL
            .try_with(|pool| {
                let mut pool = pool.try_borrow_mut().ok()?;
                let i = pool.iter().rposition(|(id, _)| *id == uid)?;
                Some(pool.remove(i).1)
            })
            .ok()
            .flatten()
            .unwrap_or_default();
        Pooled { uid, cursor }
    }
}

impl std::ops::Deref for Pooled {
    type Target = YearCursor;
    fn deref(&self) -> &YearCursor {
        &self.cursor
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut YearCursor {
        &mut self.cursor
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let entry = (self.uid, std::mem::take(&mut self.cursor));
        // During thread teardown, or inside another pool access: dropped.
        let _ = POOL.try_with(|pool| {
            if let Ok(mut pool) = pool.try_borrow_mut() {
                if pool.len() >= POOLED {
                    pool.remove(0);
                }
                pool.push(entry);
            }
        });
    }
}
