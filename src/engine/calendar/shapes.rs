//! Year sums by the year's *shape*, so a walk over thousands of years after
//! 2100 works out each year's sum in a few operations, not from a year table.
//!
//! Past 2100 (chrono-tz's table end) a year's offsets follow its equivalent
//! year (see [`crate::engine::zone`]), and they, its weekdays, its fixed-date
//! and n-th-weekday holidays and its recurring overrides depend only on its
//! shape: 1 January's weekday and whether it and the years either side are
//! leap (the table reaches three days into each). So the sum of a *regular*
//! year is that of the first regular year of the same shape met, worked out
//! once from a year table with those rules only, minus each Easter-offset
//! holiday (an Easter offset falls on the same weekday every year), unless
//! that holiday falls on a day the shape's sum already corrected: on another
//! holiday nothing changes (the day works nothing either way, issue 23:
//! Ascension on 1 or 8 May kept one French year in twenty off this path);
//! on an override or a day an offset change touches, the year takes the
//! year-table path, as every irregular year does.
//!
//! A year is regular when it lies in 2101–9998, no exact override, `date`,
//! `dates` or active `since`/`until` rule falls in it, and the calendar's
//! rules are all fixed dates, n-th weekdays, Easter offsets that stay in
//! their year (-80 to 248 days), dates and year-bounded forms of the first
//! three. Any other rule (observed days, offsets of offsets, Orthodox
//! Easter) sends every year to the year tables.
//!
//! Years up to 2100 (issue 23) have no equivalent-year rule: their offset
//! changes are the zone's history. But a year's sum depends on its changes
//! only through their times relative to its 1 January and their offsets, so
//! those years are summed by shape and changes. A year with no change at all
//! (local mean time, or a zone without DST) keeps one offset throughout,
//! which moves every window by the same amount and changes no sum: it has
//! its shape's sum, worked out once from a year table with no change. A year
//! with changes (read from the zone's transition table,
//! [`crate::engine::zone`]) has that sum corrected on each day a change
//! touches, by what the change does to that weekday's windows: worked out
//! once per weekday and changes around the day (issue 23: Paris from 1583
//! to 2100 takes 14 year tables and a few worked days, where one year table
//! per shape and changes took 72). A calendar with recurring overrides keeps
//! the first way: the first year met with a given shape and changes is
//! worked out from a year table, and every later one reuses it.
//!
//! Past 2100, each shape's sum is kept for every day Easter may fall on, so
//! a run of years reads one entry a year.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, OnceLock};

use chrono::Datelike;
use rustc_hash::FxHashMap;

use super::Calendar;
use super::year::{self, EAST, WEST, YearInfo};
use super::yearsum::{self, YearSum};
use crate::engine::day::{DAY, Day, WorkSpan};
use crate::engine::holiday::HolidayRule;
use crate::engine::zone::TABLE_END;

/// Shapes: 1 January's weekday (7) times the leapness of the year before,
/// the year and the year after (8).
const SHAPES: usize = 56;

/// A calendar's memo of regular years' sums (see the module docs).
#[derive(Debug)]
pub(crate) struct Shapes {
    /// What makes a year regular, or `None` when no year is.
    plan: OnceLock<Option<Plan>>,
    /// Each shape's sums past 2100 by Easter's day, computed on first use
    /// (the slots too: a short walk, which never asks, allocates nothing).
    sums: OnceLock<Box<[OnceLock<LateShape>]>>,
    /// Sums of years up to 2100, by shape and offset changes (see the module
    /// docs), for calendars with recurring overrides.
    early: Mutex<FxHashMap<EarlyKey, ShapeSum>>,
    /// Sums of years up to 2100 with no offset change, by 1 January's
    /// weekday and leapness (see [`Shapes::early_sum`]).
    steady: OnceLock<Box<[OnceLock<ShapeSum>]>>,
    /// What an offset change does to a day's work, by its weekday and the
    /// changes around it (see [`DstKey`]).
    dst: Mutex<FxHashMap<DstKey, i64>>,
    /// Each year's of 1583–2100 work, [`IRREGULAR`] when it is not regular,
    /// [`UNKNOWN`] until first asked. Atomics, not `OnceLock`s: a cold walk
    /// fills 518 of them, and two threads that race store the same answer.
    early_years: OnceLock<Box<[AtomicI64]>>,
}

/// An `early_years` slot not worked out yet (no year works that many seconds).
const UNKNOWN: i64 = i64::MIN;
/// An `early_years` slot of a year that is not regular.
const IRREGULAR: i64 = i64::MIN + 1;

impl Default for Shapes {
    fn default() -> Shapes {
        Shapes {
            plan: OnceLock::new(),
            sums: OnceLock::new(),
            early: Mutex::default(),
            steady: OnceLock::new(),
            dst: Mutex::default(),
            early_years: OnceLock::new(),
        }
    }
}

/// What a year up to 2100 shares with the years that have its sum: its
/// 1 January's weekday and leapness, its offset (only when it changes), and
/// its offset changes as (seconds from its 1 January, offset from then on),
/// those in the days either side of the year included.
#[derive(Debug, PartialEq, Eq, Hash)]
struct EarlyKey {
    shape: usize,
    base: i64,
    changes: Vec<(i64, i64)>,
}

/// The last year summed by shape and changes: 2100's table reaches into
/// 2101, past chrono-tz's, and from 2101 on the shape alone decides.
const LAST_EARLY: i64 = 2100;

/// The calendar's rules, as the shapes see them.
#[derive(Debug)]
struct Plan {
    /// Each distinct Easter offset, with the working seconds of its weekday.
    easter: Vec<(i64, i64)>,
    /// Years that are not regular, as sorted, merged inclusive ranges.
    irregular: Vec<(i64, i64)>,
}

/// The first day of the year (from 0) Easter Sunday may fall on: 22 March
/// of a common year.
const EASTER_FIRST: usize = 80;
/// How many days of the year Easter Sunday may fall on: 22 March of a
/// common year to 25 April of a leap year.
const EASTER_DAYS: usize = 36;

/// One shape's sum past 2100 for each day Easter Sunday may fall on (from
/// [`EASTER_FIRST`]), its Easter holidays taken off, or [`IRREGULAR`] when
/// one falls on a day the shape's sum corrected (see [`Plan::with_easter`]):
/// a year of the shape is then one table read, which a run of thousands of
/// years ([`Shapes::years`]) does once a year.
#[derive(Debug)]
struct LateShape {
    work: [i64; EASTER_DAYS],
}

impl LateShape {
    /// From the shape's sum in `year` (by [`Shapes::early_sum`]'s way: a
    /// year table per weekday and leapness, the change days corrected).
    fn of(shapes: &Shapes, cal: &Calendar, plan: &Plan, year: i64) -> LateShape {
        let shape = shapes.early_sum(cal, year, Day::jan1(year).weekday() * 2 + usize::from(leap(year)));
        LateShape {
            work: std::array::from_fn(|i| plan.with_easter_on(&shape, (EASTER_FIRST + i) as i64).unwrap_or(IRREGULAR)),
        }
    }

    /// The sum of a year of this shape whose Easter Sunday is day `easter`
    /// (from 0); `None` when the year is not regular.
    #[inline]
    fn work(&self, easter: i64) -> Option<i64> {
        let w = *self.work.get(usize::try_from(easter).ok()?.checked_sub(EASTER_FIRST)?)?;
        (w != IRREGULAR).then_some(w)
    }
}

/// One shape's sum without the Easter holidays, and the days of the year
/// (ordinals from 0) that sum corrected, and of those the holidays with no
/// override (a day off whatever else falls on it: an Easter holiday there
/// changes nothing).
#[derive(Debug, Clone, Copy)]
struct ShapeSum {
    work: i64,
    special: [u64; 6],
    holidays: [u64; 6],
}

impl Shapes {
    /// The sum of `year` when it is regular, else `None` (see the module docs).
    pub(crate) fn regular(&self, cal: &Calendar, year: i64) -> Option<YearSum> {
        if !(1583..=9998).contains(&year) || cal.is_always() {
            return None;
        }
        let plan = self.plan.get_or_init(|| Plan::of(cal)).as_ref()?;
        let i = plan.irregular.partition_point(|&(_, hi)| hi < year);
        if plan.irregular.get(i).is_some_and(|&(lo, _)| lo <= year) {
            return None;
        }
        let first = Day::jan1(year);
        let work = if year <= LAST_EARLY {
            // Each early year's answer is kept: a warm walk (`batch`, the
            // same calendar again) reads it back without the memo's key.
            let slots = self.early_years.get_or_init(|| (1583..=LAST_EARLY).map(|_| AtomicI64::new(UNKNOWN)).collect());
            let slot = slots.get(usize::try_from(year - 1583).ok()?)?;
            match slot.load(Ordering::Relaxed) {
                UNKNOWN => {
                    // The neighbours' leapness only places their offset changes,
                    // which this key holds itself: 1 January's weekday and leapness.
                    let shape = self.early_sum(cal, year, first.weekday() * 2 + usize::from(leap(year)));
                    let work = plan.with_easter(&shape, year);
                    slot.store(work.unwrap_or(IRREGULAR), Ordering::Relaxed);
                    work?
                }
                IRREGULAR => return None,
                work => work,
            }
        } else {
            let key = first.weekday() * 8
                + usize::from(leap(year - 1)) * 4
                + usize::from(leap(year)) * 2
                + usize::from(leap(year + 1));
            self.sums().get(key)?.get_or_init(|| LateShape::of(self, cal, plan, year)).work(easter_ordinal(year)?)?
        };
        Some(YearSum::new(cal, first, Day::jan1(year + 1), WorkSpan::new(work)))
    }

    /// The sum of the `n` years from `year` when every one of them is
    /// regular and lies in 2101–9998 (see [`BLOCKS`]), else `None`. A few
    /// operations a year: its shape from the previous one's, its shape's
    /// sum, its Easter from [`EASTER`].
    pub(crate) fn years(&self, cal: &Calendar, year: i64, n: i64) -> Option<YearSum> {
        if year < LAST_EARLY + 1 || year + n - 1 > 9998 || n < 1 || cal.is_always() {
            return None;
        }
        let plan = self.plan.get_or_init(|| Plan::of(cal)).as_ref()?;
        let i = plan.irregular.partition_point(|&(_, hi)| hi < year);
        if plan.irregular.get(i).is_some_and(|&(lo, _)| lo < year + n) {
            return None;
        }
        let mut work = 0;
        let easter = EASTER.get(usize::try_from(year - 1583).ok()?..usize::try_from(year + n - 1583).ok()?)?;
        // Shapes repeat every 400 years (146,097 days, whole weeks).
        let mut at = usize::try_from(year % 400).ok()?;
        let sums = self.sums();
        for (y, &e) in (year..year + n).zip(easter) {
            let key = usize::from(*SHAPE_OF.get(at)?);
            let shape = sums.get(key)?.get_or_init(|| LateShape::of(self, cal, plan, y));
            work += shape.work(i64::from(e))?;
            at = if at == 399 { 0 } else { at + 1 };
        }
        Some(YearSum::new(cal, Day::jan1(year), Day::jan1(year + n), WorkSpan::new(work)))
    }
}

impl Shapes {
    /// The slots of [`Shapes::sums`], made on first use.
    fn sums(&self) -> &[OnceLock<LateShape>] {
        slots(&self.sums, SHAPES)
    }
}

/// `n` empty slots in `cell`, made on first use.
fn slots<T>(cell: &OnceLock<Box<[OnceLock<T>]>>, n: usize) -> &[OnceLock<T>] {
    cell.get_or_init(|| (0..n).map(|_| OnceLock::new()).collect())
}

/// The runs of years a walk offers whole at a 1 January before the year
/// itself, largest first (issue 23): 400 and 25 years, aligned on 2101, so a
/// walk over millennia takes a score of steps instead of one a year, and a
/// run it declines (its target ends inside) is not summed again at the next
/// 1 January.
pub(crate) const BLOCKS: [i64; 2] = [400, 25];

/// True when a run of `n` years (one of [`BLOCKS`]) may start at `year`.
pub(crate) fn block_starts(year: i64, n: i64) -> bool {
    year > LAST_EARLY && (year - (LAST_EARLY + 1)) % n == 0
}

/// A day an offset change touches, as its correction depends on it: its
/// weekday (whose windows it works), the offset two days before its
/// midnight and the changes from then to four days after it (instant from
/// its midnight, offset from then on), and whether it lies so close to
/// chrono-tz's table end that a wall-clock time is read past it. Resolving
/// its windows' boundaries reads offsets within two days of their wall-clock
/// times only ([`crate::engine::zone::resolve`]), so two days with one key
/// work the same.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DstKey {
    weekday: usize,
    beyond: bool,
    base: i64,
    changes: [(i64, i64); DST_CHANGES],
}

/// Most changes a [`DstKey`] holds (a day near more is worked out directly).
const DST_CHANGES: usize = 4;

impl Shapes {
    /// The sum of regular `year` of shape `shape` (1 January's weekday and
    /// leapness), its Easter holidays left out: that of the shape's years with no offset change
    /// (one year table per shape), corrected on each day an offset change
    /// touches by what the change does to its weekday's windows there (see
    /// [`DstKey`]; a holiday works nothing either way). Paris from 1583 to
    /// 2100 takes 14 year tables and a handful of worked days, not 72 year
    /// tables; past 2100, 28 shapes take a few more worked days. A calendar
    /// with recurring overrides (a day's windows are then not its weekday's
    /// or none) takes [`Shapes::early_sum_by_changes`].
    fn early_sum(&self, cal: &Calendar, year: i64, shape: usize) -> ShapeSum {
        if !cal.recurring().is_empty() {
            return self.early_sum_by_changes(cal, year, shape);
        }
        let steady = || slots(&self.steady, 14).get(shape).map(|s| *s.get_or_init(|| ShapeSum::of(cal, year, true)));
        let (lo, hi) = year::offset_span(year);
        let (base, changes) = cal.transitions(lo, hi);
        let Some(mut sum) = steady() else { return self.early_sum_by_changes(cal, year, shape) };
        if changes.is_empty() {
            return sum;
        }
        // The days the changes touch, as `yearsum::year_sum` finds them.
        let (first, end) = (Day::jan1(year), Day::jan1(year + 1));
        let reach = cal.reach_days();
        let mut days: Vec<Day> = Vec::with_capacity(4 * changes.len());
        for &(t, _) in &changes {
            let (a, b) = (Day::containing(t - WEST) - reach - 1, Day::containing(t + EAST) + 1);
            let touched = |d: Day| {
                let (a, b) = (d.start() - EAST, (d + reach).start() + WEST);
                changes.iter().any(|&(t, _)| a < t && t <= b)
            };
            days.extend((a.get()..=b.get()).map(Day::new).filter(|&d| d >= first && d < end && touched(d)));
        }
        days.sort_unstable();
        days.dedup();
        let lens = yearsum::weekday_lens(cal);
        for d in days {
            let ord = d - first;
            let (Ok(word), bit) = (usize::try_from(ord / 64), ord % 64) else { continue };
            if let Some(w) = sum.special.get_mut(word) {
                *w |= 1 << bit;
            }
            if sum.holidays.get(word).is_some_and(|w| w >> bit & 1 == 1) {
                continue;
            }
            sum.work += self.dst_correction(cal, d, base, &changes, &lens);
        }
        sum
    }

    /// What the offset changes around `d` (`base` before `changes`) do to
    /// its weekday's working time: its exact work minus its weekday's length.
    fn dst_correction(&self, cal: &Calendar, d: Day, base: i64, changes: &[(i64, i64)], lens: &[i64; 7]) -> i64 {
        let weekday = d.weekday();
        let work = || {
            let mut segs = Vec::with_capacity(4);
            cal.dst_day_segments(d, &cal.week()[weekday], &mut segs);
            segs.iter().map(|s| s.duration()).sum::<i64>() - lens[weekday]
        };
        let (from, to) = (d.start() - 2 * DAY, d.start() + 4 * DAY);
        let i = changes.partition_point(|&(t, _)| t <= from);
        let near = changes.get(i..).unwrap_or(&[]);
        let n = near.partition_point(|&(t, _)| t <= to);
        if n > DST_CHANGES {
            return work();
        }
        let mut key = DstKey {
            weekday,
            beyond: to + 2 * DAY >= TABLE_END,
            base: i.checked_sub(1).and_then(|j| changes.get(j)).map_or(base, |&(_, o)| o),
            changes: [(0, 0); DST_CHANGES],
        };
        for (k, &(t, o)) in key.changes.iter_mut().zip(&near[..n]) {
            *k = (t - d.start(), o);
        }
        let lock = || self.dst.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&c) = lock().get(&key) {
            return c;
        }
        let c = work();
        *lock().entry(key).or_insert(c)
    }

    /// The sum of `year` (up to [`LAST_EARLY`]) of shape `shape`, from the
    /// memo by shape and offset changes (see the module docs).
    fn early_sum_by_changes(&self, cal: &Calendar, year: i64, shape: usize) -> ShapeSum {
        let (lo, hi) = year::offset_span(year);
        let (base, mut changes) = cal.transitions(lo, hi);
        let jan1 = Day::jan1(year).start();
        for c in &mut changes {
            c.0 -= jan1;
        }
        let key = EarlyKey { shape, base: if changes.is_empty() { 0 } else { base }, changes };
        let lock = || self.early.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&sum) = lock().get(&key) {
            return sum;
        }
        // Worked out outside the lock: a year table asks the calendar's
        // other caches, never this one.
        let sum = ShapeSum::of(cal, year, false);
        *lock().entry(key).or_insert(sum)
    }
}

impl Plan {
    /// `shape`'s sum in `year` with the year's Easter holidays taken off,
    /// or `None` when one falls on a day the shape's sum corrected other
    /// than a holiday (then the year table decides).
    fn with_easter(&self, shape: &ShapeSum, year: i64) -> Option<i64> {
        if self.easter.is_empty() {
            return Some(shape.work);
        }
        self.with_easter_on(shape, easter_ordinal(year)?)
    }

    /// [`Plan::with_easter`] for a year whose Easter Sunday is day `easter` (from 0).
    fn with_easter_on(&self, shape: &ShapeSum, easter: i64) -> Option<i64> {
        let mut work = shape.work;
        for &(offset, len) in &self.easter {
            // Offsets keep the holiday in its year (`easter_stays`): never negative.
            let ord = usize::try_from(easter + offset).ok()?;
            let (word, bit) = (ord / 64, ord % 64);
            if shape.special.get(word).is_none_or(|w| w >> bit & 1 == 1) {
                // A day the shape's sum already corrected: when it is a
                // holiday (and no override), it works nothing already, and
                // stays so; else the year table decides.
                if shape.holidays.get(word).is_some_and(|w| w >> bit & 1 == 1) {
                    continue;
                }
                return None;
            }
            work -= len;
        }
        Some(work)
    }

    /// The plan of `cal`, or `None` when one of its rules makes every year irregular.
    fn of(cal: &Calendar) -> Option<Plan> {
        let lens = yearsum::weekday_lens(cal);
        let mut easter = Vec::new();
        let mut irregular: Vec<(i64, i64)> =
            cal.overrides().keys().map(|d| (i64::from(d.year()), i64::from(d.year()))).collect();
        for h in cal.holidays() {
            match &h.rule {
                HolidayRule::Fixed { .. } | HolidayRule::NthWeekday { .. } => {}
                HolidayRule::Easter(offset) if easter_stays(*offset) => {
                    let offset = i64::from(*offset);
                    // Easter is a Sunday (weekday 6).
                    let len = lens[(6 + offset).rem_euclid(7) as usize];
                    if !easter.iter().any(|&(o, _)| o == offset) {
                        easter.push((offset, len));
                    }
                }
                HolidayRule::Date(d) => irregular.push((i64::from(d.year()), i64::from(d.year()))),
                HolidayRule::Dates(ds) => {
                    irregular.extend(ds.iter().map(|d| (i64::from(d.year()), i64::from(d.year()))))
                }
                HolidayRule::Years { rule, since, until }
                    if in_shape(rule) || matches!(**rule, HolidayRule::Easter(o) if easter_stays(o)) =>
                {
                    irregular.push((i64::from(*since), i64::from(*until)));
                }
                _ => return None,
            }
        }
        irregular.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(irregular.len());
        for (lo, hi) in irregular {
            match merged.last_mut() {
                Some(last) if lo <= last.1 + 1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        Some(Plan { easter, irregular: merged })
    }
}

impl ShapeSum {
    /// The sum of regular `year` with its fixed-date and n-th-weekday
    /// holidays only, and the days it corrected; `steady`: as if its zone
    /// kept one offset all year.
    fn of(cal: &Calendar, year: i64, steady: bool) -> ShapeSum {
        let (info, special): (YearInfo, Vec<Day>) = YearInfo::compute_with(cal, year, in_shape, steady);
        let first = Day::jan1(year);
        let (mut bits, mut holidays) = ([0u64; 6], [0u64; 6]);
        for d in special {
            let ord = d - first;
            let Ok(i) = usize::try_from(ord / 64) else { continue };
            if let Some(w) = bits.get_mut(i) {
                *w |= 1 << (ord % 64);
            }
            // Exact overrides make the year irregular, so only a recurring one may
            // replace the holiday's (empty) windows.
            if info.holiday_at(d).is_some()
                && info.recurring_at(d).is_none()
                && let Some(w) = holidays.get_mut(i)
            {
                *w |= 1 << (ord % 64);
            }
        }
        ShapeSum { work: info.sum().work.secs(), special: bits, holidays }
    }
}

/// Rules whose dates depend on the year's shape only.
fn in_shape(rule: &HolidayRule) -> bool {
    matches!(rule, HolidayRule::Fixed { .. } | HolidayRule::NthWeekday { .. })
}

/// True when an Easter offset keeps the holiday in its Easter's year (as
/// [`crate::engine::holiday::each_date_in`] relies on too).
fn easter_stays(offset: i32) -> bool {
    (-80..=248).contains(&offset)
}

/// Easter Sunday's day of the year (0 for 1 January) in `year`, from
/// [`EASTER`]; `None` outside 1583..=9999.
fn easter_ordinal(year: i64) -> Option<i64> {
    let i = usize::try_from(year - 1583).ok()?;
    EASTER.get(i).map(|&d| i64::from(d))
}

/// [`crate::engine::holiday::easter`]'s day of the year (from 0) for every year of
/// 1583..=9999, worked out at compile time: a walk over thousands of years
/// reads one byte a year instead of the computus and a date conversion
/// (checked against it for every year by a test).
static EASTER: [u8; 8417] = {
    let mut table = [0u8; 8417];
    let mut i = 0;
    while i < table.len() {
        let y = 1583 + i as i64;
        // The algorithm of `holiday::easter` (anonymous Gregorian computus).
        let (a, b, c) = (y % 19, y / 100, y % 100);
        let (d, e) = (b / 4, b % 4);
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let (i2, k) = (c / 4, c % 4);
        let l = (32 + 2 * e + 2 * i2 - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        // March or April: 31 + 28 (+ 1 in a leap year) days before 1 March.
        let before_march = 59 + leap(y) as i64;
        let ord = before_march + if month == 3 { day - 1 } else { 31 + day - 1 };
        table[i] = ord as u8;
        i += 1;
    }
    table
};

/// The shape key of [`Shapes::sums`] (1 January's weekday times the
/// leapness of the year before, the year and the year after) of each year,
/// by the year modulo 400, worked out at compile time: the runs of
/// [`Shapes::years`] read one byte a year.
static SHAPE_OF: [u8; 400] = {
    let mut table = [0u8; 400];
    let mut i = 0;
    while i < 400 {
        // 2400 + i: a year of the same remainder, whose neighbours are too.
        let y = 2400 + i as i64;
        let key =
            Day::jan1(y).weekday() * 8 + (leap(y - 1) as usize) * 4 + (leap(y) as usize) * 2 + leap(y + 1) as usize;
        table[i] = key as u8;
        i += 1;
    }
    table
};

/// Gregorian leap year; three years in four answer after one remainder.
const fn leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::engine::holiday::Holiday;
    use crate::engine::tests::{french_holidays, w};

    /// A run of years sums what its years sum one by one, and only when
    /// every one of them is regular.
    #[test]
    fn blocks_sum_their_years() {
        use chrono_tz::{America, Europe};
        for tz in [Europe::Paris, America::Santiago] {
            let day: Vec<_> = ["09:00-12:00", "14:00-18:00", "22:00-02:30"].iter().map(|s| w(s)).collect();
            let week = std::array::from_fn(|i| if i < 5 { day.clone() } else { vec![] });
            let mut holidays = french_holidays();
            // A year-bounded holiday makes 2601-2610 irregular.
            holidays.push(Holiday {
                name: "x".into(),
                rule: HolidayRule::Years {
                    rule: Box::new(HolidayRule::Fixed { month: 6, day: 2 }),
                    since: 2601,
                    until: 2610,
                },
            });
            let cal = Calendar::new("blocks", tz, week, holidays, BTreeMap::new(), None).expect("calendar");
            for (start, n) in [(2101, 400), (2101, 25), (2526, 25), (2501, 400), (9301, 400), (9701, 25), (9976, 25)] {
                let one_by_one: Option<i64> =
                    (start..start + n).map(|y| cal.shapes.regular(&cal, y).map(|s| s.work.secs())).sum();
                let block = cal.shapes.years(&cal, start, n);
                assert_eq!(block.map(|b| b.work.secs()), one_by_one, "{tz} {start} {n}");
                if let Some(b) = block {
                    assert_eq!((b.end, b.span.start), (Day::jan1(start + n), Day::jan1(start).start() - 2 * 86_400));
                }
                let irregular = start <= 2610 && 2601 < start + n;
                assert_eq!(block.is_none(), irregular || start + n > 9999, "{tz} {start} {n}");
            }
        }
    }

    #[test]
    fn the_easter_table_is_the_computus() {
        for year in 1583..=9999 {
            let easter = crate::engine::holiday::easter(year).expect("in range");
            assert_eq!(easter_ordinal(i64::from(year)), Some(i64::from(easter.ordinal0())), "{year}");
        }
        assert_eq!((easter_ordinal(1582), easter_ordinal(10_000)), (None, None));
    }

    /// Years 1583 to 2100 summed by shape and offset changes sum exactly
    /// like their own year tables, in zones with every kind of history
    /// (LMT, wars, half-hour DST, southern DST, Morocco's Ramadan changes),
    /// with a split day, an overnight window and a small-hours window that
    /// the changes cut. Most years are regular (checked too), so the memo
    /// is what answers.
    #[test]
    fn early_years_sum_like_their_tables() {
        use chrono_tz::{Africa, America, Asia, Australia, Europe};
        let cases = [
            (Europe::Paris, vec!["09:00-12:00", "14:00-18:00"]),
            (America::New_York, vec!["22:00-06:00"]),
            (Australia::Lord_Howe, vec!["01:00-04:00", "08:00-17:00"]),
            (America::Santiago, vec!["00:00-24:00"]),
            (Africa::Casablanca, vec!["02:30-03:00", "09:00-17:00"]),
            (Asia::Kolkata, vec!["09:30-18:00"]),
        ];
        for (tz, windows) in cases {
            let day: Vec<_> = windows.iter().map(|s| w(s)).collect();
            let week = std::array::from_fn(|i| if i < 5 { day.clone() } else { vec![] });
            let cal = Calendar::new("early", tz, week, french_holidays(), BTreeMap::new(), None).expect("calendar");
            let mut regular = 0;
            // Every early year, and a sample of the later ones.
            let years: Vec<i64> = (1583..=2100).chain((2101..=9998).step_by(13)).collect();
            for &year in &years {
                if let Some(sum) = cal.shapes.regular(&cal, year) {
                    assert_eq!(sum, *YearInfo::compute(&cal, year).sum(), "{tz} {year}");
                    regular += 1;
                }
            }
            assert!(regular * 10 > years.len() * 9, "{tz}: {regular} regular years");
        }
    }
}
