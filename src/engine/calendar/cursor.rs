//! A walk's handle on a calendar's shared year tables.

use std::sync::Arc;

use super::Calendar;
use super::year::YearInfo;
use crate::engine::day::Day;

/// Most years one calendar keeps in its cache before starting afresh.
const YEAR_CACHE: usize = 512;

/// A walk's cursor on the calendar's year tables: holds the current year, so
/// the shared cache is locked once per year walked, not once per day, and
/// the few years before it, so a cursor kept between walks ([`Pooled`])
/// serves walks over the same few years (tickets opened last year, answered
/// or measured this year) without the lock either.
#[derive(Debug, Default)]
pub(crate) struct YearCursor {
    current: Option<Arc<YearInfo>>,
    /// The years held before `current`, most recent first.
    older: [Option<Arc<YearInfo>>; OLDER],
}

/// Years a cursor holds besides its current one.
const OLDER: usize = 3;

impl YearCursor {
    /// An empty cursor.
    pub(crate) const fn new() -> YearCursor {
        YearCursor { current: None, older: [const { None }; OLDER] }
    }

    /// The calendar's table for the local year holding `day`.
    #[inline]
    pub(crate) fn for_day(&mut self, cal: &Calendar, day: Day) -> &YearInfo {
        match self.current {
            Some(ref info) if info.contains(day) => {}
            _ => self.switch(cal, day),
        }
        // Set just above: the closure never runs (it spares an `unreachable!`).
        self.current.get_or_insert_with(|| shared(cal, day))
    }

    /// Makes the year holding `day` current: one the cursor holds, else the
    /// calendar's (the current one then moves to the front of `older`).
    #[cold]
    #[inline(never)]
    fn switch(&mut self, cal: &Calendar, day: Day) {
        let held = self.older.iter().position(|y| y.as_ref().is_some_and(|info| info.contains(day)));
        let next = match held {
            Some(i) => self.older[i].take(),
            None => Some(shared(cal, day)),
        };
        let last = held.unwrap_or(OLDER - 1);
        // older[..=last] shifts one place back; the old current goes first.
        self.older[..=last].rotate_right(1);
        self.older[0] = std::mem::replace(&mut self.current, next);
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

/// A [`Calendar`]'s id in this process (see its `uid`). Not part of what the
/// calendar is: `Debug` leaves the number out, so two calendars made from
/// the same rules print alike.
pub(super) struct Uid(pub(super) u64);

impl Uid {
    /// A fresh id.
    pub(super) fn next() -> Uid {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Uid(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl std::fmt::Debug for Uid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Uid")
    }
}

/// Slots of a thread's cursor pool: `batch` walks a few plans' calendars,
/// each a handful of times a row. A calendar takes slot `uid % POOLED`; two
/// that share one take turns (only slower). A thread so keeps at most
/// `POOLED` × 4 year tables alive, those of a dropped calendar included
/// until its slot is taken again: bounded, tens of KB each.
const POOLED: usize = 16;

thread_local! {
    /// The thread's cursors between walks: (calendar id, cursor) per slot.
    static POOL: std::cell::RefCell<[(u64, YearCursor); POOLED]> =
        const { std::cell::RefCell::new([const { (u64::MAX, YearCursor::new()) }; POOLED]) };
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
                let slot = &mut pool[uid as usize % POOLED];
                (slot.0 == uid).then(|| std::mem::replace(&mut slot.1, YearCursor::new()))
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
        let (uid, cursor) = (self.uid, std::mem::replace(&mut self.cursor, YearCursor::new()));
        // During thread teardown, or inside another pool access: dropped.
        let _ = POOL.try_with(|pool| {
            if let Ok(mut pool) = pool.try_borrow_mut() {
                pool[uid as usize % POOLED] = (uid, cursor);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::any_calendar;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// A cursor moved back and forth over a few years (the years it
        /// holds, and others) always answers the year holding the day, as a
        /// fresh cursor does; so does a pooled one, from walk to walk.
        #[test]
        fn a_cursor_answers_the_year_of_the_day(
            cal in any_calendar(),
            days in proptest::collection::vec(19_000i64..21_500, 1..40),
        ) {
            let mut kept = YearCursor::new();
            for &d in &days {
                let day = Day::new(d);
                let want = YearCursor::new().for_day(&cal, day).days();
                let mut pooled = Pooled::take(&cal);
                prop_assert_eq!(pooled.for_day(&cal, day).days(), want);
                let got = kept.for_day(&cal, day);
                prop_assert!(got.contains(day));
                prop_assert_eq!(got.days(), want);
            }
        }
    }
}
