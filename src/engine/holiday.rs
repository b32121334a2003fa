//! Holiday rules as data: a fixed month-day, an offset from (Western or
//! Orthodox) Easter, an explicit date or list of dates, or the n-th (or last)
//! weekday of a month, for any year from 1583 (the first full Gregorian year)
//! to 9999; any of them moved by an `offset` in days, limited to a span of
//! years (`since` / `until`), and given an observed day when it falls on a
//! weekend (see [`Observance`]).
//!
//! Two questions are asked of a rule: which dates a *rule year* produces
//! ([`HolidayRule::dates_from`]: Easter 2027 − 100 days is 2026-12-18, New
//! Year's Day 2022 observed is Friday 2021-12-31) and which dates fall *in* a
//! year, whatever rule year produced them ([`HolidayRule::dates_in`], what the
//! engine's year tables use).

use std::fmt;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};

/// First and last years the engine computes holidays for.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 1583..=9999;

/// A named holiday rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Shown in `--explain` and `calendar`.
    pub name: String,
    /// When it falls.
    pub rule: HolidayRule,
}

/// How a holiday's date is found each year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolidayRule {
    /// The same month and day every year (`01-01`). 29 February only in leap years.
    Fixed {
        /// 1..=12
        month: u32,
        /// 1..=31
        day: u32,
    },
    /// Days after (or before, if negative) Gregorian Easter Sunday.
    Easter(i32),
    /// One explicit date.
    Date(NaiveDate),
    /// The `nth` given weekday of `month`; `nth = -1` is the last one.
    NthWeekday {
        /// 1..=12
        month: u32,
        /// Which weekday.
        weekday: Weekday,
        /// 1..=5, or -1 for the last.
        nth: i8,
    },
    /// Days after (or before) Orthodox Easter Sunday (computed in the Julian
    /// calendar, given as a Gregorian date).
    OrthodoxEaster(i32),
    /// Explicit dates (lunar holidays, one-offs), each produced by its own year.
    Dates(Arc<[NaiveDate]>),
    /// Another rule's date moved by `days` (the day after Thanksgiving is the
    /// 4th Thursday of November + 1). Plan files keep it in the year of the
    /// date it moves.
    Offset {
        /// The rule moved.
        rule: Box<HolidayRule>,
        /// Days later (earlier if negative).
        days: i32,
    },
    /// Another rule, only in the rule years `since..=until`.
    Years {
        /// The rule limited.
        rule: Box<HolidayRule>,
        /// First rule year it applies in.
        since: i32,
        /// Last rule year it applies in.
        until: i32,
    },
    /// The observed day of rule `index` of `set` when that rule's date falls
    /// on a Saturday or Sunday (none when it falls on a weekday).
    Observed {
        /// The rules of the holiday set, which an observed day must not land on.
        set: Arc<ObservedSet>,
        /// Which of them this is the observed day of.
        index: usize,
    },
}

/// Where a holiday falling on a weekend is observed. When that day is
/// already a holiday of the set (its own date, or the observed day of an
/// earlier one), it moves on to the next working day (Monday to Friday, not a
/// holiday of the set): Christmas on a Saturday is observed Monday the 27th
/// and Boxing Day on the Sunday Tuesday the 28th, as in England.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observance {
    /// Saturday → the Friday before, Sunday → the Monday after (US federal).
    NearestWeekday,
    /// Saturday or Sunday → the Monday after (UK substitute days).
    NextMonday,
    /// Sunday → the Monday after; a Saturday holiday is not moved (Japan,
    /// Canada's provinces, many countries' substitute days).
    SundayNextMonday,
}

impl Observance {
    /// Parses the plan-file spelling (`nearest-weekday`, `next-monday`).
    pub fn parse(s: &str) -> Option<Observance> {
        match s {
            "nearest-weekday" => Some(Observance::NearestWeekday),
            "next-monday" => Some(Observance::NextMonday),
            "sunday-next-monday" => Some(Observance::SundayNextMonday),
            _ => None,
        }
    }

    /// The plan-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Observance::NearestWeekday => "nearest-weekday",
            Observance::NextMonday => "next-monday",
            Observance::SundayNextMonday => "sunday-next-monday",
        }
    }

    /// Whether a holiday on day number `n` (days since 0001-01-01, a
    /// Monday) gets an observed day.
    fn applies(self, n: i64) -> bool {
        match self {
            Observance::SundayNextMonday => n.rem_euclid(7) == 6,
            _ => n.rem_euclid(7) >= 5,
        }
    }
}

/// The rules of one holiday set, each with its observance if it has one: what
/// an observed day is found from (it must not land on another of them).
#[derive(Debug, Clone)]
pub struct ObservedSet {
    /// The set's rules in plan order (none of them [`HolidayRule::Observed`]).
    pub rules: Vec<(HolidayRule, Option<Observance>)>,
    /// The observed days of the last few years resolved (see
    /// [`ObservedSet::resolve`]).
    years: YearCache,
}

impl PartialEq for ObservedSet {
    fn eq(&self, other: &ObservedSet) -> bool {
        self.rules == other.rules
    }
}

impl Eq for ObservedSet {}

/// How many years' observed days an [`ObservedSet`] keeps: a walk asks for
/// a year and its two neighbours, then moves on.
const YEARS_KEPT: usize = 4;

/// Where each weekend holiday of one year is observed: (its date, its rule)
/// → the observed day, sorted by key.
type YearObserved = Arc<[((NaiveDate, usize), NaiveDate)]>;

/// The last [`YEARS_KEPT`] years resolved, newest last. Shared by the walks
/// of every thread (`batch --jobs`), so behind a mutex; a clone starts empty.
#[derive(Default)]
struct YearCache(std::sync::Mutex<Vec<(i32, YearObserved)>>, std::sync::Mutex<Vec<(i32, YearDates)>>);

/// The set's holidays of one year, as (day number, rule), sorted.
type YearDates = Arc<[(i64, usize)]>;

impl Clone for YearCache {
    fn clone(&self) -> YearCache {
        YearCache::default()
    }
}

impl fmt::Debug for YearCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("YearCache")
    }
}

/// Days since 0001-01-01 (a Monday, so a weekday is the number mod 7).
fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 1
}

/// The date of a [`day_number`].
fn from_day_number(n: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n + 1).ok()?)
}

/// True on Saturday and Sunday.
fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(chrono::Duration::days(n))
}

impl ObservedSet {
    /// The set of `rules` (see [`ObservedSet::rules`]).
    pub fn new(rules: Vec<(HolidayRule, Option<Observance>)>) -> ObservedSet {
        ObservedSet { rules, years: YearCache::default() }
    }

    /// The observed days rule `index` gets from `rule_year`: one for each of
    /// its dates that falls on a weekend.
    fn observed_from(&self, index: usize, rule_year: i32) -> Vec<NaiveDate> {
        let Some((rule, Some(_))) = self.rules.get(index) else { return Vec::new() };
        let weekend_dates: Vec<NaiveDate> = rule.dates_from(rule_year).into_iter().filter(|&d| weekend(d)).collect();
        if weekend_dates.is_empty() {
            return Vec::new();
        }
        weekend_dates.into_iter().filter_map(|d| self.resolve(d, index)).collect()
    }

    /// Where rule `index`'s weekend date `d` is observed: read from the
    /// resolution of `d`'s year (see [`ObservedSet::resolve_year`]).
    fn resolve(&self, d: NaiveDate, index: usize) -> Option<NaiveDate> {
        let year = self.year(d.year());
        let at = year.binary_search_by(|(key, _)| key.cmp(&(d, index))).ok()?;
        Some(year[at].1)
    }

    /// The observed days of `year`, resolved once and kept for the next
    /// questions about it.
    fn year(&self, year: i32) -> YearObserved {
        let cached = |c: &Vec<(i32, YearObserved)>| c.iter().find(|(y, _)| *y == year).map(|(_, r)| Arc::clone(r));
        if let Some(r) = self.years.0.lock().ok().and_then(|c| cached(&c)) {
            return r;
        }
        let resolved = self.resolve_year(year);
        if let Ok(mut c) = self.years.0.lock()
            && cached(&c).is_none()
        {
            if c.len() >= YEARS_KEPT {
                c.remove(0);
            }
            c.push((year, Arc::clone(&resolved)));
        }
        resolved
    }

    /// Resolves every weekend holiday of `year`. Each rule's dates in `year`
    /// and the years either side are computed once and sorted by date, then
    /// plan order. A weekend date `d` is observed as the set's holidays
    /// within 31 days of it say: those are taken in that order, each weekend
    /// one with an observance moved to its first free working day (not a
    /// weekend, not one of those holidays, not a day an earlier one moved
    /// to), up to `d`. One such pass serves every rule falling on `d`, and a
    /// holiday lies within 31 days of at most 18 weekend days: O(rules log
    /// rules) a year, where asking each rule of each date anew was O(rules²)
    /// (audit 2026-12-06 H24), with the same answers.
    fn resolve_year(&self, year: i32) -> YearObserved {
        // The pass counts in day numbers (days since 0001-01-01, a Monday):
        // chrono's date arithmetic is most of the cost otherwise.
        let days: Vec<(i64, usize)> = (year.saturating_sub(1)..=year.saturating_add(1))
            .flat_map(|y| self.dates_of(y).iter().copied().collect::<Vec<_>>())
            .collect();
        let weekend_n = |n: i64| n.rem_euclid(7) >= 5;
        let first_try = |how: Observance, n: i64| match (how, n.rem_euclid(7)) {
            (Observance::NearestWeekday, 5) => n - 1,
            (_, 5) => n + 2,
            _ => n + 1,
        };
        let (year_start, year_end) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        {
            (Some(a), Some(b)) => (day_number(a), day_number(b)),
            _ => return Arc::from(Vec::new()),
        };
        let observed = |&(n, j): &(i64, usize)| {
            (year_start..=year_end).contains(&n) && self.rules[j].1.is_some_and(|how| how.applies(n))
        };
        let mut out: Vec<((NaiveDate, usize), NaiveDate)> = Vec::new();
        // next[s]: the first slot from s on that is a free working day (a
        // union-find over the window's days, so a move past a run of taken
        // days costs about one step).
        let mut next: Vec<usize> = Vec::new();
        let mut at = 0;
        while let Some(i) = days[at..].iter().position(observed).map(|i| at + i) {
            let dn = days[i].0;
            at = i + days[i..].iter().take_while(|(x, _)| *x == dn).count();
            let (lo, hi) = (dn - 31, dn + 31);
            let first = days.partition_point(|(x, _)| *x < lo);
            let last = days.partition_point(|(x, _)| *x <= hi);
            let window = &days[first..last];
            // Slot 0 is the day before `lo` (a Saturday's Friday); past `hi`
            // no holiday is known, so each move takes at most two more days.
            let base = lo - 1;
            let moves = window.iter().filter(|(x, _)| weekend_n(*x)).count();
            let len = usize::try_from(hi - base + 1).unwrap_or(0) + 2 * moves + 4;
            let slot = |n: i64| usize::try_from(n - base).unwrap_or(0);
            next.clear();
            let mut weekday = base.rem_euclid(7);
            for s in 0..len {
                next.push(s + usize::from(weekday >= 5));
                weekday = if weekday == 6 { 0 } else { weekday + 1 };
            }
            for &(x, _) in window {
                next[slot(x)] = slot(x) + 1;
            }
            let find = |next: &mut Vec<usize>, s: usize| {
                let mut r = s;
                while r < next.len() && next[r] != r {
                    r = next[r];
                }
                // Path compression.
                let mut c = s;
                while c < next.len() && next[c] != c {
                    let up = next[c];
                    next[c] = r;
                    c = up;
                }
                r
            };
            for &(xn, j) in window {
                if xn > dn {
                    break;
                }
                let Some(how) = self.rules[j].1 else { continue };
                if !how.applies(xn) {
                    continue;
                }
                let to = find(&mut next, slot(first_try(how, xn)));
                if to < next.len() {
                    next[to] = to + 1;
                }
                if xn == dn {
                    let (Some(date), Some(moved)) = (from_day_number(xn), from_day_number(base + to as i64)) else {
                        continue;
                    };
                    out.push(((date, j), moved));
                }
            }
        }
        // Dates in order, and rules in order within a date: `out` is sorted.
        out.into()
    }

    /// The set's holidays in `year` (each rule's dates computed once a
    /// year, kept for the neighbouring years' passes).
    fn dates_of(&self, year: i32) -> YearDates {
        let cached = |c: &Vec<(i32, YearDates)>| c.iter().find(|(y, _)| *y == year).map(|(_, r)| Arc::clone(r));
        if let Some(r) = self.years.1.lock().ok().and_then(|c| cached(&c)) {
            return r;
        }
        let mut v: Vec<(i64, usize)> = Vec::new();
        for (j, (rule, _)) in self.rules.iter().enumerate() {
            v.extend(rule.dates_in(year).into_iter().map(|x| (day_number(x), j)));
        }
        v.sort_unstable();
        v.dedup();
        let v: YearDates = v.into();
        if let Ok(mut c) = self.years.1.lock()
            && cached(&c).is_none()
        {
            if c.len() > YEARS_KEPT {
                c.remove(0);
            }
            c.push((year, Arc::clone(&v)));
        }
        v
    }
}

/// Which years a check over a rule must look at to see every case.
enum Sample {
    /// The rule repeats every 400 years (a Gregorian cycle, weekdays included).
    Cycle,
    /// The rule depends on Easter: every supported year.
    All,
    /// The rule only gives dates in these years.
    Only(Vec<i32>),
}

impl HolidayRule {
    /// The date this rule gives for `year`, if any: the first of
    /// [`HolidayRule::dates_from`]. For an Easter offset it is counted from
    /// that year's Easter, so a large offset may land in another year
    /// (`easter = -100` of 2027 is 2026-12-18): to ask which dates fall *in*
    /// a year, use [`HolidayRule::dates_in`].
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        self.dates_from(year).into_iter().next()
    }

    /// The dates rule year `year` produces, in order: at most one, except for
    /// a list of dates. They may lie in another year (an Easter offset, a
    /// holiday on 1 January observed on 31 December).
    pub fn dates_from(&self, year: i32) -> Vec<NaiveDate> {
        match self {
            HolidayRule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, *month, *day).into_iter().collect(),
            HolidayRule::Easter(offset) => {
                easter(year).and_then(|e| add_days(e, i64::from(*offset))).into_iter().collect()
            }
            HolidayRule::OrthodoxEaster(offset) => {
                orthodox_easter(year).and_then(|e| add_days(e, i64::from(*offset))).into_iter().collect()
            }
            HolidayRule::Date(d) => (d.year() == year).then_some(*d).into_iter().collect(),
            HolidayRule::Dates(ds) => ds.iter().copied().filter(|d| d.year() == year).collect(),
            HolidayRule::NthWeekday { month, weekday, nth } => {
                nth_weekday(year, *month, *weekday, *nth).into_iter().collect()
            }
            HolidayRule::Offset { rule, days } => {
                rule.dates_from(year).into_iter().filter_map(|d| add_days(d, i64::from(*days))).collect()
            }
            HolidayRule::Years { rule, since, until } => {
                if (*since..=*until).contains(&year) {
                    rule.dates_from(year)
                } else {
                    Vec::new()
                }
            }
            HolidayRule::Observed { set, index } => set.observed_from(*index, year),
        }
    }

    /// The rule years whose dates may fall in `year`.
    fn rule_years(&self, year: i32) -> std::ops::RangeInclusive<i64> {
        let y = i64::from(year);
        match self {
            HolidayRule::Fixed { .. }
            | HolidayRule::Date(_)
            | HolidayRule::Dates(_)
            | HolidayRule::NthWeekday { .. } => y..=y,
            // Easter falls 80 to 115 days after 1 January (22 March to 25
            // April; Orthodox Easter, as a Gregorian date, up to about 75 days
            // later by 9999), so the date lies about (80 + offset) / 365.2425
            // years after its Easter's year, give or take one: try the Easter
            // years around that.
            HolidayRule::Easter(offset) | HolidayRule::OrthodoxEaster(offset) => {
                let reach = ((80 + i64::from(*offset)) * 400).div_euclid(146_097);
                let first = y - reach - 2;
                let last = if matches!(self, HolidayRule::Easter(_)) { first + 3 } else { first + 4 };
                first - i64::from(matches!(self, HolidayRule::OrthodoxEaster(_)))..=last
            }
            HolidayRule::Offset { rule, days } => {
                let inner = rule.rule_years(year);
                let reach = i64::from(*days).abs() / 365 + 1;
                inner.start() - reach..=inner.end() + reach
            }
            HolidayRule::Years { rule, since, until } => {
                let inner = rule.rule_years(year);
                (*inner.start()).max(i64::from(*since))..=(*inner.end()).min(i64::from(*until))
            }
            HolidayRule::Observed { set, index } => match set.rules.get(*index) {
                Some((rule, _)) => {
                    let inner = rule.rule_years(year);
                    inner.start() - 1..=inner.end() + 1
                }
                None => y..=y,
            },
        }
    }

    /// The dates of this rule that fall in `year`, in order, whatever rule
    /// year produced them. `easter = -90` gives both 2026-01-05 (from Easter
    /// 2026, 5 April) and 2026-12-28 (from Easter 2027, 28 March); New Year's
    /// Day observed on the nearest weekday gives 2021-12-31 in 2021 (1
    /// January 2022 is a Saturday).
    pub fn dates_in(&self, year: i32) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .rule_years(year)
            .filter_map(|e| i32::try_from(e).ok())
            .flat_map(|e| self.dates_from(e))
            .filter(|d| d.year() == year)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn sample(&self) -> Sample {
        match self {
            HolidayRule::Fixed { .. } | HolidayRule::NthWeekday { .. } => Sample::Cycle,
            HolidayRule::Easter(_) | HolidayRule::OrthodoxEaster(_) => Sample::All,
            HolidayRule::Date(d) => Sample::Only(vec![d.year()]),
            HolidayRule::Dates(ds) => {
                let mut v: Vec<i32> = ds.iter().map(Datelike::year).collect();
                v.dedup();
                Sample::Only(v)
            }
            HolidayRule::Offset { rule, .. } => rule.sample(),
            HolidayRule::Observed { set, index } => {
                set.rules.get(*index).map_or(Sample::Only(Vec::new()), |(r, _)| r.sample())
            }
            HolidayRule::Years { rule, since, until } => match rule.sample() {
                Sample::Cycle => Sample::Only((*since..=(*until).min(since.saturating_add(399))).collect()),
                Sample::All => Sample::Only((*since..=*until).collect()),
                Sample::Only(v) => Sample::Only(v.into_iter().filter(|y| (*since..=*until).contains(y)).collect()),
            },
        }
    }

    /// Every (rule year, date) this rule produces, over enough years to see
    /// each case it has: a 400-year Gregorian cycle, every supported year
    /// when it depends on Easter, or the years of its explicit dates.
    fn each_case(&self, mut f: impl FnMut(i32, NaiveDate) -> bool) {
        let years: Box<dyn Iterator<Item = i32>> = match self.sample() {
            Sample::Cycle => Box::new(2000..=2399),
            Sample::All => Box::new(YEARS),
            Sample::Only(v) => Box::new(v.into_iter()),
        };
        for y in years {
            for d in self.dates_from(y) {
                if !f(y, d) {
                    return;
                }
            }
        }
    }

    /// True when the rule can give a Saturday or a Sunday (an observance on
    /// one that cannot would never apply).
    pub fn can_fall_on_weekend(&self) -> bool {
        let mut found = false;
        self.each_case(|_, d| {
            found = weekend(d);
            !found
        });
        found
    }

    /// A date of this rule that `days` more would move into another year,
    /// with where it would land, if there is one.
    pub fn offset_leaves_year(&self, days: i32) -> Option<(NaiveDate, NaiveDate)> {
        let mut hit = None;
        self.each_case(|_, d| {
            hit = match add_days(d, i64::from(days)) {
                Some(to) if to.year() == d.year() => None,
                to => Some((d, to.unwrap_or(d))),
            };
            hit.is_none()
        });
        hit
    }
}

/// The `nth` `weekday` of `month` in `year` (`nth = -1`: the last).
fn nth_weekday(year: i32, month: u32, weekday: Weekday, nth: i8) -> Option<NaiveDate> {
    if nth > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth as u8)
    } else {
        let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        let last = NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()?;
        let back = (last.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
        last.checked_sub_signed(chrono::Duration::days(i64::from(back)))
    }
}

impl fmt::Display for HolidayRule {
    /// How `plans show` describes the rule.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HolidayRule::Fixed { month, day } => write!(f, "every {month:02}-{day:02}"),
            HolidayRule::Easter(n) => write!(f, "Easter {n:+} days"),
            HolidayRule::OrthodoxEaster(n) => write!(f, "Orthodox Easter {n:+} days"),
            HolidayRule::Date(d) => write!(f, "{d}"),
            HolidayRule::Dates(ds) => {
                let shown: Vec<String> = ds.iter().take(3).map(NaiveDate::to_string).collect();
                let more = if ds.len() > 3 { format!(", … ({} dates)", ds.len()) } else { String::new() };
                write!(f, "{}{more}", shown.join(", "))
            }
            HolidayRule::NthWeekday { month, weekday, nth } => {
                if *nth < 0 {
                    write!(f, "last {weekday} of month {month}")
                } else {
                    write!(f, "{nth}. {weekday} of month {month}")
                }
            }
            HolidayRule::Offset { rule, days } => write!(f, "{rule} {days:+} days"),
            HolidayRule::Years { rule, since, until } => match (*since == *YEARS.start(), *until == *YEARS.end()) {
                (true, true) => write!(f, "{rule}"),
                (false, true) => write!(f, "{rule}, since {since}"),
                (true, false) => write!(f, "{rule}, until {until}"),
                (false, false) => write!(f, "{rule}, {since}–{until}"),
            },
            HolidayRule::Observed { set, index } => match set.rules.get(*index) {
                Some((rule, Some(how))) => write!(f, "observed ({}) of {rule}", how.as_str()),
                _ => write!(f, "observed"),
            },
        }
    }
}

/// Gregorian (Western) Easter Sunday of `year`, by the anonymous
/// Meeus/Jones/Butcher algorithm. `None` outside 1583..=9999.
pub(crate) fn easter(year: i32) -> Option<NaiveDate> {
    if !YEARS.contains(&year) {
        return None;
    }
    let y = year;
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, month as u32, day as u32)
}

/// Orthodox Easter Sunday of `year` as a Gregorian date: Easter computed in
/// the Julian calendar (Meeus's Julian algorithm), then moved by the
/// Julian–Gregorian difference of that year. `None` outside 1583..=9999.
pub(crate) fn orthodox_easter(year: i32) -> Option<NaiveDate> {
    if !YEARS.contains(&year) {
        return None;
    }
    let (a, b, c) = (year % 4, year % 7, year % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    // March and April of `year`: the difference of its century.
    let diff = year / 100 - year / 400 - 2;
    add_days(NaiveDate::from_ymd_opt(year, month as u32, day as u32)?, i64::from(diff))
}

/// Calls `f` with each holiday date that falls in `year` and its rule's
/// index, rule by rule (within a rule, in order): exactly the pairs of
/// [`dates_in`], in another order. The year tables are built from it, once a
/// year crossed: the common rules (a fixed date, an n-th weekday, an Easter
/// offset that cannot leave the year) are worked out in place, without the
/// lists [`HolidayRule::dates_in`] builds; every other rule goes through it.
pub(crate) fn each_date_in(holidays: &[Holiday], year: i32, mut f: impl FnMut(NaiveDate, usize)) {
    for (i, h) in holidays.iter().enumerate() {
        let date = match h.rule {
            HolidayRule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            HolidayRule::NthWeekday { month, weekday, nth } => nth_weekday(year, month, weekday, nth),
            // Easter is 80 to 115 days after 1 January (22 March to 25
            // April): with an offset in -80..=248 the date stays in its
            // Easter's year, and no other year's Easter lands in this one.
            HolidayRule::Easter(offset) if (-80..=248).contains(&offset) => {
                easter(year).and_then(|e| add_days(e, i64::from(offset)))
            }
            _ => {
                h.rule.dates_in(year).into_iter().for_each(|d| f(d, i));
                continue;
            }
        };
        if let Some(d) = date.filter(|d| d.year() == year) {
            f(d, i);
        }
    }
}

/// All holiday dates that fall in `year`, sorted, each with the index of its rule.
pub fn dates_in(holidays: &[Holiday], year: i32) -> Vec<(NaiveDate, usize)> {
    let mut v: Vec<(NaiveDate, usize)> =
        holidays.iter().enumerate().flat_map(|(i, h)| h.rule.dates_in(year).into_iter().map(move |d| (d, i))).collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Western Easter Sundays 2000–2040, from the published tables
    /// (e.g. the US Census Bureau / Astronomical Society of South Australia list).
    #[test]
    fn easter_matches_published_table_2000_2040() {
        let table = [
            (2000, 4, 23),
            (2001, 4, 15),
            (2002, 3, 31),
            (2003, 4, 20),
            (2004, 4, 11),
            (2005, 3, 27),
            (2006, 4, 16),
            (2007, 4, 8),
            (2008, 3, 23),
            (2009, 4, 12),
            (2010, 4, 4),
            (2011, 4, 24),
            (2012, 4, 8),
            (2013, 3, 31),
            (2014, 4, 20),
            (2015, 4, 5),
            (2016, 3, 27),
            (2017, 4, 16),
            (2018, 4, 1),
            (2019, 4, 21),
            (2020, 4, 12),
            (2021, 4, 4),
            (2022, 4, 17),
            (2023, 4, 9),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2029, 4, 1),
            (2030, 4, 21),
            (2031, 4, 13),
            (2032, 3, 28),
            (2033, 4, 17),
            (2034, 4, 9),
            (2035, 3, 25),
            (2036, 4, 13),
            (2037, 4, 5),
            (2038, 4, 25),
            (2039, 4, 10),
            (2040, 4, 1),
        ];
        for (y, m, day) in table {
            assert_eq!(easter(y), Some(d(y, m, day)), "Easter {y}");
        }
    }

    #[test]
    fn easter_extremes_and_range() {
        assert_eq!(easter(1583), Some(d(1583, 4, 10)));
        assert_eq!(easter(1818), Some(d(1818, 3, 22))); // earliest possible
        assert_eq!(easter(1943), Some(d(1943, 4, 25))); // latest possible
        assert_eq!(easter(9999), Some(d(9999, 3, 28)));
        assert_eq!(easter(1582), None);
        for y in YEARS {
            let e = easter(y).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= d(y, 3, 22) && e <= d(y, 4, 25), "{y}");
        }
    }

    #[test]
    fn rules_give_the_french_2027_holidays() {
        assert_eq!(HolidayRule::Easter(1).date_in(2027), Some(d(2027, 3, 29)));
        assert_eq!(HolidayRule::Easter(39).date_in(2027), Some(d(2027, 5, 6)));
        assert_eq!(HolidayRule::Easter(50).date_in(2027), Some(d(2027, 5, 17)));
        assert_eq!(HolidayRule::Fixed { month: 2, day: 29 }.date_in(2027), None);
        assert_eq!(HolidayRule::Fixed { month: 2, day: 29 }.date_in(2028), Some(d(2028, 2, 29)));
    }

    #[test]
    fn easter_offsets_across_a_year_boundary_land_in_the_right_year() {
        // Easter 2026 is 5 April, Easter 2027 is 28 March, Easter 2025 is 20 April.
        let minus_100 = HolidayRule::Easter(-100);
        // 28 March 2027 - 100 days = 18 December 2026; 5 April 2026 - 100 = 26 December 2025.
        assert_eq!(minus_100.dates_in(2026), vec![d(2026, 12, 18)]);
        assert_eq!(minus_100.dates_in(2025), vec![d(2025, 1, 10), d(2025, 12, 26)]); // 20 April 2025 - 100 = 10 January
        assert_eq!(minus_100.dates_in(2027), vec![]); // Easter 2028 (16 April) - 100 = 7 January 2028
        // 5 April 2026 + 300 days = 30 January 2027; 20 April 2025 + 300 = 14 February 2026.
        assert_eq!(HolidayRule::Easter(300).dates_in(2026), vec![d(2026, 2, 14)]);
        assert_eq!(HolidayRule::Easter(300).dates_in(2027), vec![d(2027, 1, 30)]);
        // -90: 5 April 2026 - 90 = 5 January 2026; 28 March 2027 - 90 = 28 December 2026.
        assert_eq!(HolidayRule::Easter(-90).dates_in(2026), vec![d(2026, 1, 5), d(2026, 12, 28)]);
        // Years away: Easter 2023 (9 April) + 1000 days = 3 January 2026, and
        // Easter 2024 (31 March) + 1000 days = 26 December 2026.
        assert_eq!(HolidayRule::Easter(1000).dates_in(2026), vec![d(2026, 1, 3), d(2026, 12, 26)]);
        // Millennia away, each date found from its own Easter.
        for offset in [-2_000_000, -700_000, 700_000, 2_000_000] {
            let rule = HolidayRule::Easter(offset);
            for e in [4000, 5000, 6000] {
                let Some(date) = rule.date_in(e) else { continue };
                assert!(rule.dates_in(date.year()).contains(&date), "{offset} from {e}: {date}");
            }
        }
        // Small offsets are unchanged; the ends of the supported range hold.
        assert_eq!(HolidayRule::Easter(1).dates_in(2027), vec![d(2027, 3, 29)]);
        assert_eq!(HolidayRule::Easter(-100).dates_in(1583), vec![d(1583, 12, 23)]); // Easter 1584: 1 April
        assert_eq!(HolidayRule::Easter(300).dates_in(9999), vec![d(9999, 1, 30)]); // Easter 9998: 5 April
        assert_eq!(HolidayRule::Easter(i32::MIN).dates_in(2026), vec![]);
        // dates_in over a set: each date of the year once, sorted, with its rule.
        let set = [
            Holiday { name: "a".into(), rule: HolidayRule::Easter(-90) },
            Holiday { name: "b".into(), rule: HolidayRule::Fixed { month: 6, day: 1 } },
        ];
        assert_eq!(dates_in(&set, 2026), vec![(d(2026, 1, 5), 0), (d(2026, 6, 1), 1), (d(2026, 12, 28), 0)]);
    }

    #[test]
    fn nth_and_last_weekday() {
        let thanksgiving = HolidayRule::NthWeekday { month: 11, weekday: Weekday::Thu, nth: 4 };
        assert_eq!(thanksgiving.date_in(2026), Some(d(2026, 11, 26)));
        let memorial = HolidayRule::NthWeekday { month: 5, weekday: Weekday::Mon, nth: -1 };
        assert_eq!(memorial.date_in(2026), Some(d(2026, 5, 25)));
        let dec_last_thu = HolidayRule::NthWeekday { month: 12, weekday: Weekday::Thu, nth: -1 };
        assert_eq!(dec_last_thu.date_in(2026), Some(d(2026, 12, 31)));
        let fifth_mon_feb = HolidayRule::NthWeekday { month: 2, weekday: Weekday::Mon, nth: 5 };
        assert_eq!(fifth_mon_feb.date_in(2026), None);
    }

    /// Orthodox Easter Sundays (Gregorian dates), from published tables.
    #[test]
    fn orthodox_easter_matches_published_dates() {
        for (y, m, day) in
            [(2000, 4, 30), (2010, 4, 4), (2020, 4, 19), (2024, 5, 5), (2025, 4, 20), (2026, 4, 12), (2027, 5, 2)]
        {
            assert_eq!(orthodox_easter(y), Some(d(y, m, day)), "{y}");
        }
        for y in YEARS {
            assert_eq!(orthodox_easter(y).unwrap().weekday(), Weekday::Sun, "{y}");
        }
        assert_eq!(orthodox_easter(1582), None);
        // Orthodox Easter 9999 is in late May/June: an offset of -200 still finds its dates.
        let rule = HolidayRule::OrthodoxEaster(-200);
        for y in [1583, 2026, 9998] {
            for date in rule.dates_from(y) {
                assert!(rule.dates_in(date.year()).contains(&date), "{y}: {date}");
            }
        }
    }

    fn us_like(how: Observance) -> Vec<Holiday> {
        let rules = vec![
            (HolidayRule::Fixed { month: 1, day: 1 }, Some(how)),
            (HolidayRule::Fixed { month: 12, day: 25 }, Some(how)),
            (HolidayRule::Fixed { month: 12, day: 26 }, Some(how)),
        ];
        let set = Arc::new(ObservedSet::new(rules.clone()));
        let mut v: Vec<Holiday> = rules.iter().map(|(r, _)| Holiday { name: "x".into(), rule: r.clone() }).collect();
        v.extend((0..3).map(|index| Holiday {
            name: "x (observed)".into(),
            rule: HolidayRule::Observed { set: Arc::clone(&set), index },
        }));
        v
    }

    #[test]
    fn observed_days_move_on_past_holidays_and_across_years() {
        let dates = |hs: &[Holiday], y| dates_in(hs, y).into_iter().map(|(d, _)| d).collect::<Vec<_>>();
        // England-like: 2021 Christmas Sat → Mon 27, Boxing Day Sun → Tue 28.
        let eng = us_like(Observance::NextMonday);
        assert_eq!(eng[3].rule.dates_from(2021), vec![]);
        assert_eq!(eng[4].rule.dates_from(2021), vec![d(2021, 12, 27)]);
        assert_eq!(eng[5].rule.dates_from(2021), vec![d(2021, 12, 28)]);
        // 2022: Christmas Sun → Mon 26 is Boxing Day → Tue 27; Boxing Day (Mon) stays.
        assert_eq!(eng[4].rule.dates_from(2022), vec![d(2022, 12, 27)]);
        assert_eq!(eng[5].rule.dates_from(2022), vec![]);
        // New Year 2022 on a Saturday: Monday 3 January.
        assert_eq!(eng[3].rule.dates_from(2022), vec![d(2022, 1, 3)]);
        // Nearest weekday: Saturday 1 January 2022 → Friday 31 December 2021,
        // a date of 2021 (and not of 2022).
        let us = us_like(Observance::NearestWeekday);
        assert_eq!(us[3].rule.dates_from(2022), vec![d(2021, 12, 31)]);
        assert!(dates(&us, 2021).contains(&d(2021, 12, 31)));
        assert!(!dates(&us, 2022).contains(&d(2021, 12, 31)));
        // 2021: Christmas Sat → Fri 24; Boxing Day Sun → Mon 27.
        assert_eq!(us[4].rule.dates_from(2021), vec![d(2021, 12, 24)]);
        assert_eq!(us[5].rule.dates_from(2021), vec![d(2021, 12, 27)]);
        // 2027: Christmas Sat → Fri 24, Boxing Sun → Mon 27; 2028-01-01 Sat → Fri 31 Dec 2027.
        assert_eq!(
            dates(&us, 2027).into_iter().filter(|x| x.month() == 12).collect::<Vec<_>>(),
            vec![d(2027, 12, 24), d(2027, 12, 25), d(2027, 12, 26), d(2027, 12, 27), d(2027, 12, 31)]
        );
    }

    #[test]
    fn offsets_and_years_and_lists() {
        let after_thanksgiving = HolidayRule::Offset {
            rule: Box::new(HolidayRule::NthWeekday { month: 11, weekday: Weekday::Thu, nth: 4 }),
            days: 1,
        };
        assert_eq!(after_thanksgiving.dates_in(2024), vec![d(2024, 11, 29)]);
        assert_eq!(after_thanksgiving.dates_in(2030), vec![d(2030, 11, 29)]);
        assert_eq!(after_thanksgiving.offset_leaves_year(1), None);
        let nye = HolidayRule::Fixed { month: 12, day: 31 };
        assert_eq!(nye.offset_leaves_year(1), Some((d(2000, 12, 31), d(2001, 1, 1))));
        // An offset the validator would refuse still lands in the right year.
        let moved = HolidayRule::Offset { rule: Box::new(nye), days: 1 };
        assert_eq!(moved.dates_in(2027), vec![d(2027, 1, 1)]);
        let limited =
            HolidayRule::Years { rule: Box::new(HolidayRule::Fixed { month: 6, day: 19 }), since: 2021, until: 2022 };
        assert_eq!(limited.dates_in(2020), vec![]);
        assert_eq!(limited.dates_in(2022), vec![d(2022, 6, 19)]);
        assert_eq!(limited.dates_in(2023), vec![]);
        let list = HolidayRule::Dates(vec![d(2033, 1, 2), d(2033, 12, 22), d(2034, 12, 11)].into());
        assert_eq!(list.dates_in(2033), vec![d(2033, 1, 2), d(2033, 12, 22)]);
        assert_eq!(list.date_in(2034), Some(d(2034, 12, 11)));
        // Weekends: an n-th Monday never, Easter + 6 always, a fixed day sometimes.
        assert!(!HolidayRule::NthWeekday { month: 5, weekday: Weekday::Mon, nth: -1 }.can_fall_on_weekend());
        assert!(!HolidayRule::Easter(1).can_fall_on_weekend());
        assert!(HolidayRule::Easter(6).can_fall_on_weekend());
        assert!(HolidayRule::Fixed { month: 7, day: 4 }.can_fall_on_weekend());
        assert!(!after_thanksgiving.can_fall_on_weekend());
        assert_eq!(after_thanksgiving.to_string(), "4. Thu of month 11 +1 days");
        assert_eq!(limited.to_string(), "every 06-19, 2021–2022");
    }

    #[test]
    fn each_date_in_gives_the_pairs_of_dates_in() {
        let mut rules: Vec<Holiday> = (-100..300)
            .step_by(7)
            .chain([-81, -80, 248, 249])
            .map(|n| Holiday { name: "e".into(), rule: HolidayRule::Easter(n) })
            .collect();
        rules.push(Holiday { name: "f".into(), rule: HolidayRule::Fixed { month: 2, day: 29 } });
        rules.push(Holiday {
            name: "n".into(),
            rule: HolidayRule::NthWeekday { month: 5, weekday: Weekday::Mon, nth: -1 },
        });
        rules.push(Holiday {
            name: "n5".into(),
            rule: HolidayRule::NthWeekday { month: 2, weekday: Weekday::Sun, nth: 5 },
        });
        for year in [1583, 1584, 1600, 1700, 2000, 2024, 2027, 2099, 2100, 2285, 9998, 9999] {
            let mut pairs = Vec::new();
            each_date_in(&rules, year, |d, i| pairs.push((d, i)));
            pairs.sort();
            assert_eq!(pairs, dates_in(&rules, year), "{year}");
        }
    }

    #[test]
    fn dates_in_finds_every_date_each_rule_year_gives() {
        let rules = [
            HolidayRule::Easter(-100),
            HolidayRule::OrthodoxEaster(150),
            HolidayRule::Offset { rule: Box::new(HolidayRule::Fixed { month: 12, day: 20 }), days: 20 },
            HolidayRule::Offset { rule: Box::new(HolidayRule::Easter(-90)), days: -10 },
        ];
        for rule in &rules {
            for y in 2000..2040 {
                for date in rule.dates_from(y) {
                    assert!(rule.dates_in(date.year()).contains(&date), "{rule}: {y} gives {date}");
                }
                for date in rule.dates_in(y) {
                    assert!((y - 2..=y + 2).any(|r| rule.dates_from(r).contains(&date)), "{rule}: {date}");
                }
            }
        }
    }
}
