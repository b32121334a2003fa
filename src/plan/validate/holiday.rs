//! Holiday sets and their rules (fixed, Easter, n-th weekday, offsets,
//! date lists, observed days).

use super::*;

impl Cx<'_> {
    /// Validates a holiday set, recording each bad rule in `errs`; `None` if
    /// there was any problem.
    pub(super) fn holiday_set(
        &self,
        fi: usize,
        set: &Spanned<RawHolidaySet>,
        errs: &mut Vec<PlanError>,
    ) -> Option<Vec<Holiday>> {
        let before = errs.len();
        let mut rules = Vec::new();
        if let Some(ext) = &set.get_ref().extends {
            match self.parent(fi, ext) {
                Ok((pfi, parent)) => rules = self.set_rules(pfi, parent, errs),
                Err(e) => errs.push(e),
            }
        }
        rules.extend(self.set_rules(fi, set, errs));
        if rules.len() > MAX_ITEMS {
            errs.push(self.err(
                fi,
                set.span(),
                format!("holiday set has {} rules with those it extends; the limit is {MAX_ITEMS}", rules.len()),
            ));
        }
        // `data_from` and `horizon`: years, the first not after the last.
        let year = |key: &str, y: Option<&Spanned<i64>>, errs: &mut Vec<PlanError>| {
            let y = y?;
            let (v, range) = (*y.get_ref(), crate::engine::holiday::YEARS);
            let ok = i32::try_from(v).ok().filter(|v| range.contains(v));
            if ok.is_none() {
                let msg = format!("{key} = {v} out of range (a year from {} to {})", range.start(), range.end());
                errs.push(self.err(fi, y.span(), msg));
            }
            ok
        };
        let from = year("data_from", set.get_ref().data_from.as_ref(), errs);
        let to = year("horizon", set.get_ref().horizon.as_ref(), errs);
        if let (Some(f), Some(t), Some(at)) = (from, to, &set.get_ref().data_from)
            && f > t
        {
            let msg = format!("data_from = {f} is after horizon = {t}: the set would hold in no year");
            errs.push(self.err(fi, at.span(), msg));
        }
        if errs.len() != before {
            return None;
        }
        Some(with_observed(rules))
    }

    /// The set `ext` names as the one a set of file `fi` extends: a
    /// generated set's country is the generated one, even where a checked
    /// set has its id; any other set's is looked up as a calendar's is.
    fn parent(&self, fi: usize, ext: &SStr) -> R<(usize, &Spanned<RawHolidaySet>)> {
        let key = ext.get_ref().trim().to_lowercase();
        let world = crate::world::is_world_source(&self.sources[fi].name);
        let found = if world { self.world.get(&key) } else { self.sets.get(&key) };
        let Some(&(pfi, parent)) = found else {
            let hint = hint(ext.get_ref(), self.sets.keys().map(String::as_str));
            return Err(self.err(
                fi,
                ext.span(),
                format!("extends = \"{}\": unknown holiday set{hint}", cut(ext.get_ref(), SHOWN_CHARS)),
            ));
        };
        if parent.get_ref().extends.is_some() {
            return Err(self.err(
                fi,
                ext.span(),
                format!(
                    "extends = \"{}\": that set extends another one itself; extend the set it extends instead \
                     (one level only)",
                    cut(ext.get_ref(), SHOWN_CHARS)
                ),
            ));
        }
        Ok((pfi, parent))
    }

    /// The last year set `set` of file `fi` has data for: its own
    /// `horizon` or its parent's, the earlier (none when neither has one).
    pub(super) fn set_horizon(&self, fi: usize, set: &Spanned<RawHolidaySet>) -> Option<i32> {
        let own = set.get_ref().horizon.as_ref().and_then(|h| i32::try_from(*h.get_ref()).ok());
        let parent = set
            .get_ref()
            .extends
            .as_ref()
            .and_then(|e| self.parent(fi, e).ok())
            .and_then(|(_, p)| p.get_ref().horizon.as_ref())
            .and_then(|h| i32::try_from(*h.get_ref()).ok());
        match (own, parent) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The first year set `set` of file `fi` has data for: its own
    /// `data_from` or its parent's, the later (none when neither has one:
    /// its rules hold from 1583 on).
    pub(super) fn set_data_from(&self, fi: usize, set: &Spanned<RawHolidaySet>) -> Option<i32> {
        let own = set.get_ref().data_from.as_ref().and_then(|y| i32::try_from(*y.get_ref()).ok());
        let parent = set
            .get_ref()
            .extends
            .as_ref()
            .and_then(|e| self.parent(fi, e).ok())
            .and_then(|(_, p)| p.get_ref().data_from.as_ref())
            .and_then(|y| i32::try_from(*y.get_ref()).ok());
        own.max(parent)
    }

    /// One set's own rules (its `.ics` file's included), each with its
    /// observance, recording each bad rule in `errs`.
    fn set_rules(
        &self,
        fi: usize,
        set: &Spanned<RawHolidaySet>,
        errs: &mut Vec<PlanError>,
    ) -> Vec<(Holiday, Option<Observance>)> {
        let s = set.get_ref();
        if s.source.is_none() && s.assumed.is_none() {
            errs.push(self.err(fi, set.span(), format!("holiday set {NO_PROV}")));
        }
        if s.rules.len() > MAX_ITEMS {
            errs.push(self.err(
                fi,
                set.span(),
                format!("holiday set has {} rules; the limit is {MAX_ITEMS}", s.rules.len()),
            ));
            return Vec::new();
        }
        let mut rules: Vec<(Holiday, Option<Observance>)> =
            s.rules.iter().filter_map(|h| keep(errs, self.holiday(fi, h))).collect();
        if let Some(ics) = &s.ics {
            let imported = keep(errs, self.ics_rules(fi, ics)).unwrap_or_default();
            if s.rules.len() + imported.len() > MAX_ITEMS {
                errs.push(self.err(
                    fi,
                    ics.span(),
                    format!(
                        "holiday set has {} rules with its .ics file's; the limit is {MAX_ITEMS}",
                        s.rules.len() + imported.len()
                    ),
                ));
            }
            rules.extend(imported.into_iter().map(|h| (h, None)));
        }
        rules
    }

    /// One rule, and its observance if it has one.
    pub(super) fn holiday(&self, fi: usize, h: &Spanned<RawHoliday>) -> R<(Holiday, Option<Observance>)> {
        let r = h.get_ref();
        let name = cut(&r.name, SHOWN_CHARS);
        let forms =
            [r.date.is_some(), r.dates.is_some(), r.easter.is_some(), r.orthodox_easter.is_some(), r.nth.is_some()]
                .iter()
                .filter(|b| **b)
                .count();
        let bad_form = || {
            self.err(
                fi,
                h.span(),
                format!(
                    "holiday \"{name}\" needs exactly one of: date = \"MM-DD\" or \"YYYY-MM-DD\", dates = [\"YYYY-MM-DD\", …], \
                     easter = N, orthodox_easter = N, or nth = N with weekday and month"
                ),
            )
        };
        if forms != 1 {
            return Err(bad_form());
        }
        let easter_days = |e: &Spanned<i64>, what: &str| {
            let off = *e.get_ref();
            if (-200..=200).contains(&off) {
                Ok(off as i32)
            } else {
                Err(self.err(fi, e.span(), format!("{what} offset {off} out of range (-200 to 200 days)")))
            }
        };
        let mut rule = if let Some(date) = &r.date {
            let t = date.get_ref();
            if let Some((month, day)) = md(t) {
                // 2000 is a leap year, so 02-29 passes and 02-30 does not.
                if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
                    return Err(self.err(
                        fi,
                        date.span(),
                        format!("no such day \"{t}\" in any year (month {month} has no day {day})"),
                    ));
                }
                HolidayRule::Fixed { month, day }
            } else {
                HolidayRule::Date(self.date(fi, date, "holiday date", "MM-DD or YYYY-MM-DD")?)
            }
        } else if let Some(list) = &r.dates {
            if list.get_ref().is_empty() {
                return Err(self.err(fi, list.span(), format!("holiday \"{name}\": dates = [] lists no date")));
            }
            if list.get_ref().len() > MAX_ITEMS {
                return Err(self.err(
                    fi,
                    list.span(),
                    format!("holiday \"{name}\" lists {} dates; the limit is {MAX_ITEMS}", list.get_ref().len()),
                ));
            }
            let mut ds = Vec::with_capacity(list.get_ref().len());
            for d in list.get_ref() {
                ds.push(self.date(fi, d, "holiday date", "YYYY-MM-DD")?);
            }
            let mut sorted = ds.clone();
            sorted.sort_unstable();
            if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
                let at = list.get_ref().iter().rposition(|d| self.date(fi, d, "", "").ok() == Some(w[0]));
                let span = at.map_or(list.span(), |i| list.get_ref()[i].span());
                return Err(self.err(fi, span, format!("holiday \"{name}\" lists {} twice", w[0])));
            }
            HolidayRule::Dates(sorted.into())
        } else if let Some(e) = &r.easter {
            HolidayRule::Easter(easter_days(e, "easter")?)
        } else if let Some(e) = &r.orthodox_easter {
            HolidayRule::OrthodoxEaster(easter_days(e, "orthodox_easter")?)
        } else {
            let nth = r.nth.as_ref().ok_or_else(bad_form)?;
            let n = *nth.get_ref();
            if !(n == -1 || (1..=5).contains(&n)) {
                return Err(self.err(fi, nth.span(), format!("nth = {n} out of range (1 to 5, or -1 for the last)")));
            }
            let wd = r.weekday.as_ref().ok_or_else(bad_form)?;
            let weekday = parse_weekday(wd.get_ref()).ok_or_else(|| {
                self.err(
                    fi,
                    wd.span(),
                    format!("unknown weekday \"{}\" (expected mon..sun)", cut(wd.get_ref(), SHOWN_CHARS)),
                )
            })?;
            let m = r.month.as_ref().ok_or_else(bad_form)?;
            let month = *m.get_ref();
            if !(1..=12).contains(&month) {
                return Err(self.err(fi, m.span(), format!("month {month} out of range (1 to 12)")));
            }
            HolidayRule::NthWeekday { month: month as u32, weekday, nth: n as i8 }
        };
        if r.nth.is_none() && (r.weekday.is_some() || r.month.is_some()) {
            let span = r.weekday.as_ref().map(|w| w.span()).or(r.month.as_ref().map(|m| m.span())).unwrap_or(h.span());
            return Err(self.err(fi, span, format!("holiday \"{name}\": weekday and month go with nth = N only")));
        }
        let year = |y: &Option<Spanned<i64>>, key: &str| -> R<Option<i32>> {
            let Some(y) = y else { return Ok(None) };
            let v = *y.get_ref();
            let range = crate::engine::holiday::YEARS;
            match i32::try_from(v) {
                Ok(v) if range.contains(&v) => Ok(Some(v)),
                _ => Err(self.err(
                    fi,
                    y.span(),
                    format!("{key} = {v} out of range ({} to {})", range.start(), range.end()),
                )),
            }
        };
        let (since, until) = (year(&r.since, "since")?, year(&r.until, "until")?);
        if let (Some(s), Some(u), Some(at)) = (since, until, &r.since)
            && s > u
        {
            return Err(self.err(
                fi,
                at.span(),
                format!("holiday \"{name}\": since = {s} is after until = {u}, so the rule would never apply"),
            ));
        }
        if let Some(o) = &r.offset {
            let days = *o.get_ref();
            if !(-366..=366).contains(&days) {
                return Err(self.err(fi, o.span(), format!("offset {days} out of range (-366 to 366 days)")));
            }
            let days = days as i32;
            let limited = match (since, until) {
                (None, None) => rule.clone(),
                (s, u) => HolidayRule::Years {
                    rule: Box::new(rule.clone()),
                    since: s.unwrap_or(*crate::engine::holiday::YEARS.start()),
                    until: u.unwrap_or(*crate::engine::holiday::YEARS.end()),
                },
            };
            if let Some((from, to)) = limited.offset_leaves_year(days) {
                return Err(self.err(
                    fi,
                    o.span(),
                    format!(
                        "holiday \"{name}\": offset = {days} moves the date into another year ({rule} gives {from}, \
                         and {} day{} {} is {to}); an offset must keep the date in the year of the date it moves",
                        days.abs(),
                        if days.abs() == 1 { "" } else { "s" },
                        if days < 0 { "earlier" } else { "later" }
                    ),
                ));
            }
            rule = HolidayRule::Offset { rule: Box::new(rule), days };
        }
        if since.is_some() || until.is_some() {
            rule = HolidayRule::Years {
                rule: Box::new(rule),
                since: since.unwrap_or(*crate::engine::holiday::YEARS.start()),
                until: until.unwrap_or(*crate::engine::holiday::YEARS.end()),
            };
        }
        let observed = match &r.observed {
            None => None,
            Some(o) => {
                let how = Observance::parse(o.get_ref()).ok_or_else(|| {
                    self.err(
                        fi,
                        o.span(),
                        format!(
                            "unknown observed rule \"{}\" (expected nearest-weekday, next-monday or sunday-next-monday)",
                            cut(o.get_ref(), SHOWN_CHARS)
                        ),
                    )
                })?;
                if !rule.can_fall_on_weekend() {
                    return Err(self.err(
                        fi,
                        o.span(),
                        format!(
                            "holiday \"{name}\": observed = \"{}\" would never apply: {rule} never falls on a \
                             Saturday or a Sunday",
                            how.as_str()
                        ),
                    ));
                }
                Some(how)
            }
        };
        Ok((Holiday { name: r.name.clone(), rule }, observed))
    }
}

/// after them all: one [`HolidayRule::Observed`] rule named "NAME (observed)"
/// for each rule with an observance, sharing the set's rules.
pub(super) fn with_observed(rules: Vec<(Holiday, Option<Observance>)>) -> Vec<Holiday> {
    let set = Arc::new(ObservedSet::new(rules.iter().map(|(h, o)| (h.rule.clone(), *o)).collect()));
    let observed: Vec<Holiday> = rules
        .iter()
        .enumerate()
        .filter(|(_, (_, o))| o.is_some())
        .map(|(index, (h, _))| Holiday {
            name: format!("{} (observed)", h.name),
            rule: HolidayRule::Observed { set: Arc::clone(&set), index },
        })
        .collect();
    rules.into_iter().map(|(h, _)| h).chain(observed).collect()
}
