//! Calendars: weekly windows, overrides, dates, and the check that no year
//! is left without working time.

use super::*;

impl Cx<'_> {
    /// Validates calendar `id` (named by a plan in file `plan_fi`), recording
    /// every independent problem in `errs`; `None` if there was any.
    pub(super) fn calendar(
        &self,
        plan_fi: usize,
        id: &Spanned<String>,
        errs: &mut Vec<PlanError>,
    ) -> Option<CalendarInfo> {
        if id.get_ref() == "24x7" {
            let p = Provenance::Source("24x7: every instant".into());
            return Some(CalendarInfo {
                calendar: Arc::new(Calendar::always()),
                zone: p.clone(),
                hours: p.clone(),
                holidays: p,
                holiday_sets: vec![],
            });
        }
        let cal_id = cut(id.get_ref(), SHOWN_CHARS);
        let Some(&(fi, rc)) = self.cals.get(id.get_ref()) else {
            let hint = hint(id.get_ref(), self.cals.keys().map(String::as_str));
            errs.push(self.err(plan_fi, id.span(), format!("unknown calendar \"{cal_id}\"{hint}")));
            return None;
        };
        let before = errs.len();
        if !is_id(id.get_ref()) {
            // The id is a TOML key, which has no span of its own: point at its table.
            errs.push(self.err(
                fi,
                rc.span(),
                format!(
                    "invalid calendar id \"{}\" (use letters, digits, - and _)",
                    cut(&crate::text::escape_all_controls(id.get_ref()), SHOWN_CHARS)
                ),
            ));
        }
        let r = rc.get_ref();
        let table = (&r.source, &r.assumed);
        let zone_name = r.zone.get_ref();
        let tz: Option<Tz> = keep(
            errs,
            zone_name.parse().map_err(|_| {
                let hint = hint(zone_name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()));
                self.err(
                    fi,
                    r.zone.span(),
                    format!(
                        "unknown time zone \"{}\"{hint}: use an IANA name such as Europe/Paris",
                        cut(zone_name, SHOWN_CHARS)
                    ),
                )
            }),
        );
        let zone = keep(
            errs,
            prov((&r.zone_source, &r.zone_assumed), table)
                .ok_or_else(|| self.err(fi, r.zone.span(), format!("zone {NO_PROV} (or zone_source / zone_assumed)"))),
        );
        let hours = keep(
            errs,
            prov((&r.hours_source, &r.hours_assumed), table).ok_or_else(|| {
                self.err(fi, r.hours.span(), format!("hours {NO_PROV} (or hours_source / hours_assumed)"))
            }),
        );
        let holidays_p = keep(
            errs,
            prov((&r.holidays_source, &r.holidays_assumed), table).ok_or_else(|| {
                self.err(fi, rc.span(), format!("holidays {NO_PROV} (or holidays_source / holidays_assumed)"))
            }),
        );
        let mut week: [Vec<Window>; 7] = Default::default();
        let mut count = 0usize;
        for (key, list) in r.hours.get_ref() {
            let Some(days) = weekday_range(key.get_ref()) else {
                errs.push(self.err(
                    fi,
                    key.span(),
                    format!(
                        "unknown day \"{}\" (expected mon, tue, wed, thu, fri, sat, sun or a range like mon-fri)",
                        cut(key.get_ref(), SHOWN_CHARS)
                    ),
                ));
                continue;
            };
            let Some(windows) = keep(errs, self.windows(fi, list)) else { continue };
            count += windows.len() * days.len();
            for d in days {
                if !week[d].is_empty() {
                    errs.push(self.err(fi, key.span(), format!("{} is given hours twice", WEEKDAYS[d])));
                    break;
                }
                week[d] = windows.clone();
            }
        }
        let mut holidays = Vec::new();
        let mut horizon: Option<crate::engine::Horizon> = None;
        let mut data_from: Option<crate::engine::DataFrom> = None;
        for set_id in &r.holidays {
            let Some(&(sfi, set)) = self.sets.get(&set_id.get_ref().to_lowercase()) else {
                let known = self.sets.keys().map(String::as_str).chain(crate::world::all().map(|w| w.id));
                let hint = hint(set_id.get_ref(), known);
                errs.push(self.err(
                    fi,
                    set_id.span(),
                    format!("unknown holiday set \"{}\"{hint}", cut(set_id.get_ref(), SHOWN_CHARS)),
                ));
                continue;
            };
            holidays.extend(self.holiday_set(sfi, set, errs).unwrap_or_default());
            if let Some(year) = self.set_horizon(sfi, set)
                && horizon.as_ref().is_none_or(|h| year < h.year)
            {
                horizon = crate::engine::Horizon::new(set_id.get_ref().to_lowercase(), year);
            }
            if let Some(year) = self.set_data_from(sfi, set)
                && data_from.as_ref().is_none_or(|d| year > d.year)
            {
                data_from = crate::engine::DataFrom::new(set_id.get_ref().to_lowercase(), year);
            }
        }
        let mut overrides = BTreeMap::new();
        let mut recurring = Vec::new();
        for (date, list) in &r.overrides {
            // `MM-DD`: every year; else an exact `YYYY-MM-DD` date.
            let md_key = match md(date.get_ref()) {
                Some((m, d)) if NaiveDate::from_ymd_opt(2000, m, d).is_some() => Some((m, d)),
                Some((m, d)) => {
                    errs.push(self.err(
                        fi,
                        date.span(),
                        format!(
                            "no such day \"{}\" in any year (month {m} has no day {d})",
                            cut(date.get_ref(), SHOWN_CHARS)
                        ),
                    ));
                    continue;
                }
                None => None,
            };
            let exact = match md_key {
                Some(_) => None,
                None => match keep(errs, self.date(fi, date, "override date", "YYYY-MM-DD or MM-DD")) {
                    Some(d) => Some(d),
                    None => continue,
                },
            };
            let Some(windows) = keep(errs, self.windows(fi, list)) else { continue };
            // A closed day (`[]`) is an item too: one entry of the list.
            count += windows.len().max(1);
            // Keys are spelled one way per date (see `date`, `md`) and TOML
            // refuses a key given twice, so no date can be overridden twice here.
            match (exact, md_key) {
                (Some(d), _) => {
                    overrides.insert(d, windows);
                }
                (None, Some(key)) => recurring.push((key, windows)),
                (None, None) => {}
            }
        }
        count += holidays.len();
        if count > MAX_ITEMS {
            errs.push(self.err(
                fi,
                rc.span(),
                format!("calendar has {count} intervals, holidays and overrides; the limit is {MAX_ITEMS}"),
            ));
        }
        let business_day = match &r.business_day {
            Some(b) => keep(
                errs,
                parse_duration(b.get_ref())
                    .ok()
                    .filter(|&s| s > 0 && s <= 86_400)
                    .map(crate::WorkSpan::new)
                    .ok_or_else(|| {
                        self.err(
                            fi,
                            b.span(),
                            format!(
                                "invalid business_day \"{}\" (expected a duration from 1s to 24h, e.g. 8h)",
                                cut(b.get_ref(), SHOWN_CHARS)
                            ),
                        )
                    }),
            )
            .map(Some),
            None => Some(None),
        };
        let (Some(tz), Some(zone), Some(hours), Some(holidays_p), Some(business_day)) =
            (tz, zone, hours, holidays_p, business_day)
        else {
            return None;
        };
        if errs.len() > before {
            return None;
        }
        // Recurring overrides count in the years checked, as exact dates
        // would (an exact date beats a recurring one).
        let mut effective = overrides.clone();
        for year in CHECKED_YEARS {
            for ((m, d), w) in &recurring {
                if let Some(date) = NaiveDate::from_ymd_opt(year, *m, *d) {
                    effective.entry(date).or_insert_with(|| w.clone());
                }
            }
        }
        let closes_yearly = recurring.iter().filter(|(_, w)| w.is_empty()).count();
        let closed = if may_close_a_year(&week, &holidays, &overrides, closes_yearly) {
            closed_year(&week, &holidays, &effective)
        } else {
            None
        };
        let calendar = match Calendar::new(id.get_ref().clone(), tz, week, holidays, overrides, business_day)
            .and_then(|c| c.with_recurring(recurring))
            .map(|c| c.with_horizon(horizon).with_data_from(data_from))
        {
            Ok(c) => c,
            Err(e) => {
                errs.push(self.err(fi, r.hours.span(), format!("calendar {cal_id}: {e}")));
                return None;
            }
        };
        if let Some(year) = closed {
            errs.push(self.err(
                fi,
                rc.span(),
                format!(
                    "calendar {cal_id} has no working time in {year}: every working day of that year is a holiday \
                     or a closed override, so no deadline could fall in it"
                ),
            ));
            return None;
        }
        Some(CalendarInfo {
            calendar: Arc::new(calendar),
            zone,
            hours,
            holidays: holidays_p,
            holiday_sets: r.holidays.iter().map(|s| s.get_ref().clone()).collect(),
        })
    }

    pub(super) fn windows(&self, fi: usize, list: &[Spanned<String>]) -> R<Vec<Window>> {
        list.iter().map(|w| Window::parse(w.get_ref()).map_err(|m| self.err(fi, w.span(), m.to_string()))).collect()
    }

    /// A zero-padded `YYYY-MM-DD` date. chrono alone also takes `2026-3-2`,
    /// and two spellings of one date as override keys would let the one that
    /// sorts last win in silence.
    pub(super) fn date(&self, fi: usize, s: &Spanned<String>, what: &str, expected: &str) -> R<NaiveDate> {
        let t = s.get_ref();
        let shown = cut(t, SHOWN_CHARS);
        let Some((y, m, d)) = ymd(t) else {
            return Err(self.err(
                fi,
                s.span(),
                format!("invalid {what} \"{shown}\" (expected {expected}, zero-padded, e.g. 2026-03-02)"),
            ));
        };
        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
            self.err(fi, s.span(), format!("no such date \"{shown}\" (month {m} of {y} has no day {d})"))
        })
    }
}

/// Years checked for working time whatever a calendar's explicit dates are:
/// one solar cycle. Fixed (`MM-DD`) and n-th-weekday rules fall alike in
/// every year of one kind (leap or not, and the weekday of 1 January), and
/// these 28 years hold all 14 kinds, so a year those rules close is found
/// whenever it is. Kept short: every command loads every calendar.
pub(super) const CHECKED_YEARS: std::ops::RangeInclusive<i32> = 2001..=2028;

/// The first year in which the calendar has no working time at all: every
/// working day a holiday or a closed override, and no override opening
/// another day. Checked: every year holding an explicit date (a one-off
/// holiday or an override), where a year is most likely to be closed by hand,
/// and [`CHECKED_YEARS`], which catches for every year what fixed and n-th
/// weekday rules can close (unless an override opens a day in each year of
/// that kind there). Easter rules move through a cycle of millions of years:
/// they count in the years checked, but a year that only they close elsewhere
/// is not looked for; the engine gives up a walk after ten years without
/// working time.
pub(super) fn closed_year(
    week: &[Vec<Window>; 7],
    holidays: &[Holiday],
    overrides: &BTreeMap<NaiveDate, Vec<Window>>,
) -> Option<i32> {
    let explicit = holidays.iter().flat_map(|h| explicit_years(&h.rule));
    let years: std::collections::BTreeSet<i32> =
        explicit.chain(overrides.keys().map(Datelike::year)).chain(CHECKED_YEARS).collect();
    years.into_iter().find(|&y| year_closed(y, week, holidays, overrides))
}

/// False when no year can be closed whatever its dates: every year has at
/// least 52 of each weekday, a rule gives at most two dates in one calendar
/// year (its own, and an offset or observed one reaching over New Year; a
/// list gives its length), and each closed override or closing `MM-DD`
/// closes one day. With fewer such days than working weekdays in any year,
/// [`closed_year`] (a year walk per checked year, a third of a `deadline`
/// call's start-up) has nothing to find.
pub(super) fn may_close_a_year(
    week: &[Vec<Window>; 7],
    holidays: &[Holiday],
    overrides: &BTreeMap<NaiveDate, Vec<Window>>,
    closes_yearly: usize,
) -> bool {
    fn most_per_year(rule: &HolidayRule) -> usize {
        match rule {
            HolidayRule::Dates(ds) => ds.len(),
            HolidayRule::Offset { rule, .. } | HolidayRule::Years { rule, .. } => most_per_year(rule),
            _ => 2,
        }
    }
    let working_weekdays = week.iter().filter(|d| !d.is_empty()).count();
    let closing: usize = holidays.iter().map(|h| most_per_year(&h.rule)).sum::<usize>()
        + overrides.values().filter(|w| w.is_empty()).count()
        + closes_yearly;
    closing >= 52 * working_weekdays
}

/// The years of a rule's explicit dates (and the first and last years of a
/// limited rule, where what a set holds changes).
pub(super) fn explicit_years(rule: &HolidayRule) -> Vec<i32> {
    match rule {
        HolidayRule::Date(d) => vec![d.year()],
        HolidayRule::Dates(ds) => ds.iter().map(Datelike::year).collect(),
        HolidayRule::Offset { rule, .. } => explicit_years(rule),
        HolidayRule::Years { rule, since, until } => {
            let mut v = explicit_years(rule);
            v.extend([*since, *until]);
            v
        }
        _ => Vec::new(),
    }
}

/// A set's holidays, each rule followed by nothing, and the observed days
/// True when no day of `year` has working time.
pub(super) fn year_closed(
    year: i32,
    week: &[Vec<Window>; 7],
    holidays: &[Holiday],
    overrides: &BTreeMap<NaiveDate, Vec<Window>>,
) -> bool {
    let Some(mut day) = NaiveDate::from_ymd_opt(year, 1, 1) else { return false };
    // Sorted by date.
    let off = dates_in(holidays, year);
    while day.year() == year {
        let open = match overrides.get(&day) {
            Some(windows) => !windows.is_empty(),
            None => {
                !week[day.weekday().num_days_from_monday() as usize].is_empty()
                    && off.binary_search_by_key(&day, |&(d, _)| d).is_err()
            }
        };
        if open {
            return false;
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    true
}

/// `YYYY-MM-DD` with every field zero-padded, as numbers.
pub(super) fn ymd(t: &str) -> Option<(i32, u32, u32)> {
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !shape {
        return None;
    }
    Some((t[..4].parse().ok()?, t[5..7].parse().ok()?, t[8..].parse().ok()?))
}

/// `MM-DD` with both fields zero-padded, as numbers.
pub(super) fn md(t: &str) -> Option<(u32, u32)> {
    let b = t.as_bytes();
    let shape = b.len() == 5 && b.iter().enumerate().all(|(i, c)| if i == 2 { *c == b'-' } else { c.is_ascii_digit() });
    if !shape {
        return None;
    }
    Some((t[..2].parse().ok()?, t[3..].parse().ok()?))
}

/// Parses `mon`, `sun`, … into a weekday.
pub(crate) fn parse_weekday(s: &str) -> Option<Weekday> {
    WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(s.trim())).and_then(|i| Weekday::try_from(i as u8).ok())
}

/// `mon` → [0]; `mon-fri` → [0..=4]; `daily` → all.
pub(super) fn weekday_range(s: &str) -> Option<Vec<usize>> {
    let idx = |d: &str| WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(d.trim()));
    if s.eq_ignore_ascii_case("daily") {
        return Some((0..7).collect());
    }
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (idx(a)?, idx(b)?);
            (a <= b).then(|| (a..=b).collect())
        }
        None => Some(vec![idx(s)?]),
    }
}
