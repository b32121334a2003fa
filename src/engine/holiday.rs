//! Holiday rules as data: a fixed month-day, an offset from Easter, an explicit
//! date, or the n-th (or last) weekday of a month, for any year from 1583 (the
//! first full Gregorian year) to 9999. Each rule gives one date per year at
//! most, counted from that year; an Easter offset beyond the year's end (or
//! before its start) lands in the next (or previous) one.

use chrono::{Datelike, NaiveDate, Weekday};

/// First and last years the engine computes holidays for.
pub const YEARS: std::ops::RangeInclusive<i32> = 1583..=9999;

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
}

/// A named holiday rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Shown in `--explain` and `calendar`.
    pub name: String,
    /// When it falls.
    pub rule: HolidayRule,
}

impl HolidayRule {
    /// The date this rule gives for `year`, if any. For an Easter offset it
    /// is counted from that year's Easter, so a large offset may land in
    /// another year (`easter = -100` of 2027 is 2026-12-18): to ask which
    /// dates fall *in* a year, use [`HolidayRule::dates_in`].
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        match *self {
            HolidayRule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            HolidayRule::Easter(offset) => {
                easter(year).and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(offset))))
            }
            HolidayRule::Date(d) => (d.year() == year).then_some(d),
            HolidayRule::NthWeekday { month, weekday, nth } => {
                if nth > 0 {
                    NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth as u8)
                } else {
                    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                    let last = NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()?;
                    let back = (last.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
                    last.checked_sub_signed(chrono::Duration::days(i64::from(back)))
                }
            }
        }
    }
}

impl HolidayRule {
    /// The dates of this rule that fall in `year`, in order: at most one,
    /// except for an Easter offset, which may be counted from the Easter of
    /// an earlier or later year. `easter = -90` gives both 2026-01-05 (from
    /// Easter 2026, 5 April) and 2026-12-28 (from Easter 2027, 28 March).
    pub fn dates_in(&self, year: i32) -> Vec<NaiveDate> {
        let HolidayRule::Easter(offset) = *self else {
            return self.date_in(year).into_iter().collect();
        };
        // Easter falls 80 to 115 days after 1 January (22 March to 25
        // April), so the date lies about (80 + offset) / 365.2425 years after
        // its Easter's year, give or take one: try the four Easter years
        // around that.
        let reach = ((80 + i64::from(offset)) * 400).div_euclid(146_097);
        let first = i64::from(year) - reach - 2;
        (first..=first + 3)
            .filter_map(|e| i32::try_from(e).ok())
            .filter_map(|e| easter(e)?.checked_add_signed(chrono::Duration::days(i64::from(offset))))
            .filter(|d| d.year() == year)
            .collect()
    }
}

/// Gregorian (Western) Easter Sunday of `year`, by the anonymous
/// Meeus/Jones/Butcher algorithm. `None` outside 1583..=9999.
pub fn easter(year: i32) -> Option<NaiveDate> {
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
}
