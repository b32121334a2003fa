//! Raw TOML structs → the validated model, in the manner of biz's
//! `Configuration` + `Validation`: every rule is checked once here, and every
//! failure points at the offending value's `file:line:column`.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use toml::Spanned;

use super::model::*;
use super::raw::*;
use crate::engine::{Calendar, Holiday, HolidayRule, Target, Window, calendar::WEEKDAYS, parse_duration};
use crate::error::{PlanError, suggest};

/// One plan file's text and the name errors call it by.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path, or `embedded:NAME`.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

/// Everything loaded from a set of plan files.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Validated plans, in load order (an overridden plan keeps its place).
    pub plans: Vec<Plan>,
    /// Feature id → description.
    pub features: BTreeMap<String, String>,
}

/// Largest plan file slacalc reads.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// Most intervals, holidays or overrides in one calendar (and rules in one
/// holiday set).
pub const MAX_ITEMS: usize = 1000;
/// Largest quota figure (allowance, rate amount), in thousandths: 10^12 units.
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000_000_000_000;
/// Largest amount of money in a plan, in cents: 10^13 currency units.
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000_000_000_000;

type R<T> = Result<T, PlanError>;

/// Parses and validates plan files. Later files override earlier ones' ids.
///
/// # Errors
/// The first problem found, located in its file.
pub fn load(sources: &[Source]) -> R<Catalogue> {
    let mut files = Vec::with_capacity(sources.len());
    for src in sources {
        if src.text.len() > MAX_FILE_BYTES {
            return Err(PlanError::at(
                &src.name,
                "",
                0..0,
                format!("file is {} bytes; plan files are limited to {MAX_FILE_BYTES} bytes (1 MiB)", src.text.len()),
            ));
        }
        let raw: RawFile = toml::from_str(&src.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            PlanError::at(&src.name, &src.text, span, e.message().trim().to_string())
        })?;
        files.push(raw);
    }
    let mut cx = Cx { sources, ..Cx::default() };
    for (fi, raw) in files.iter().enumerate() {
        for (id, set) in &raw.holiday_sets {
            cx.sets.insert(id.clone(), (fi, set));
        }
        for (id, cal) in &raw.calendars {
            cx.cals.insert(id.clone(), (fi, cal));
        }
        for (id, d) in &raw.features {
            cx.features.insert(id.clone(), d.clone());
        }
    }
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, (usize, &Spanned<RawPlan>)> = HashMap::new();
    for (fi, raw) in files.iter().enumerate() {
        let mut seen: HashMap<String, ()> = HashMap::new();
        for plan in &raw.plans {
            let id = plan.get_ref().id.get_ref().to_lowercase();
            if seen.insert(id.clone(), ()).is_some() {
                return Err(cx.err(
                    fi,
                    plan.get_ref().id.span(),
                    format!("plan id \"{id}\" is defined twice in this file"),
                ));
            }
            if by_id.insert(id.clone(), (fi, plan)).is_none() {
                order.push(id);
            }
        }
    }
    let mut plans = Vec::with_capacity(order.len());
    let mut calendars: HashMap<String, CalendarInfo> = HashMap::new();
    for id in &order {
        let (fi, raw) = by_id[id];
        plans.push(cx.plan(fi, raw.get_ref(), &mut calendars)?);
    }
    // Calendars and holiday sets no plan uses are checked too: `check` on a
    // file of shared definitions must catch their mistakes.
    let mut unused: Vec<(&String, &(usize, &Spanned<RawCalendar>))> =
        cx.cals.iter().filter(|(id, _)| !calendars.contains_key(*id)).collect();
    unused.sort_by_key(|(id, _)| *id);
    for (id, &(fi, cal)) in unused {
        let span = Spanned::new(cal.span(), id.clone());
        cx.calendar(fi, &span)?;
    }
    let mut sets: Vec<_> = cx.sets.iter().collect();
    sets.sort_by_key(|(id, _)| *id);
    for (_, &(fi, set)) in sets {
        cx.holiday_set(fi, set)?;
    }
    // Aliases and ids are one namespace.
    let mut names: HashMap<String, String> = HashMap::new();
    for p in &plans {
        names.insert(p.id.to_lowercase(), p.id.clone());
    }
    for (p, id) in plans.iter().zip(&order) {
        let (fi, raw) = by_id[id];
        for a in &raw.get_ref().aliases {
            let key = a.get_ref().to_lowercase();
            if let Some(other) = names.get(&key) {
                if *other != p.id || key == p.id.to_lowercase() {
                    return Err(cx.err(
                        fi,
                        a.span(),
                        format!(
                            "alias \"{key}\" of plan {} is already used by plan {other} (aliases must be unique)",
                            p.id
                        ),
                    ));
                }
            }
            names.insert(key, p.id.clone());
        }
    }
    Ok(Catalogue { plans, features: cx.features })
}

#[derive(Default)]
struct Cx<'a> {
    sources: &'a [Source],
    sets: HashMap<String, (usize, &'a Spanned<RawHolidaySet>)>,
    cals: HashMap<String, (usize, &'a Spanned<RawCalendar>)>,
    features: BTreeMap<String, String>,
}

/// Picks a figure's provenance: its own, else the table's.
fn prov(own: (&Option<String>, &Option<String>), table: (&Option<String>, &Option<String>)) -> Option<Provenance> {
    let pick = |(s, a): (&Option<String>, &Option<String>)| match (s, a) {
        (Some(s), _) => Some(Provenance::Source(s.trim().to_string())),
        (None, Some(a)) => Some(Provenance::Assumed(a.trim().to_string())),
        (None, None) => None,
    };
    pick(own).or_else(|| pick(table))
}

const NO_PROV: &str = "has no provenance: add source = \"<quote of the vendor's terms>\" or assumed = \"<why>\"";

impl<'a> Cx<'a> {
    fn err(&self, fi: usize, span: Range<usize>, msg: impl Into<String>) -> PlanError {
        let s = &self.sources[fi];
        PlanError::at(&s.name, &s.text, span, msg)
    }

    fn plan(&self, fi: usize, raw: &RawPlan, calendars: &mut HashMap<String, CalendarInfo>) -> R<Plan> {
        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(self.err(
                fi,
                raw.id.span(),
                format!("invalid plan id \"{id}\" (use letters, digits, - and _)"),
            ));
        }
        let cal_id = raw.calendar.get_ref();
        let calendar = match calendars.get(cal_id) {
            Some(c) => c.clone(),
            None => {
                let c = self.calendar(fi, &raw.calendar)?;
                calendars.insert(cal_id.clone(), c.clone());
                c
            }
        };
        let mut priorities: Vec<Priority> = Vec::new();
        for rp in &raw.priorities {
            let p = self.priority(fi, rp)?;
            let names: Vec<String> = std::iter::once(p.name.to_lowercase()).chain(p.aliases.iter().cloned()).collect();
            for n in &names {
                let clash = priorities.iter().any(|q| q.name.to_lowercase() == *n || q.aliases.iter().any(|a| a == n));
                let is_pn = n.strip_prefix('p').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                if clash || is_pn {
                    return Err(self.err(
                        fi,
                        rp.get_ref().name.span(),
                        format!("priority name \"{n}\" in plan {id} is used twice or clashes with p1..pN"),
                    ));
                }
            }
            priorities.push(p);
        }
        let default_target = match (&raw.target, raw.priorities.is_empty()) {
            (Some(t), true) => {
                let target = Target::parse(t.get_ref()).map_err(|m| self.err(fi, t.span(), m))?;
                let p = prov((&raw.target_source, &raw.target_assumed), (&None, &None)).ok_or_else(|| {
                    self.err(fi, t.span(), format!("target of plan {id} {NO_PROV} (target_source / target_assumed)"))
                })?;
                Some((target, p))
            }
            (Some(t), false) => {
                return Err(self.err(
                    fi,
                    t.span(),
                    format!("plan {id} has priorities: give each its target, not a plan-level target"),
                ));
            }
            (None, true) => {
                return Err(self.err(
                    fi,
                    raw.id.span(),
                    format!("plan {id} has no priorities and no target: add [[plans.priorities]] or target = \"none\""),
                ));
            }
            (None, false) => None,
        };
        let quota = raw.quota.as_ref().map(|q| self.quota(fi, q)).transpose()?;
        let credit = raw.credit.as_ref().map(|c| self.credit(fi, c, &calendar)).transpose()?;
        let mut entitlements = Vec::new();
        for (feature, e) in &raw.entitlements {
            let f = feature.get_ref();
            if !self.features.is_empty() && !self.features.contains_key(f) {
                let hint = suggest(f, self.features.keys().map(String::as_str))
                    .map_or(String::new(), |s| format!(" (did you mean {s}?)"));
                return Err(self.err(
                    fi,
                    feature.span(),
                    format!("unknown feature \"{f}\"{hint}: declare it under [features] with a one-line description"),
                ));
            }
            let r = e.get_ref();
            let provenance = prov((&r.source, &r.assumed), (&None, &None))
                .ok_or_else(|| self.err(fi, e.span(), format!("entitlement {f} {NO_PROV}")))?;
            entitlements.push(Entitlement {
                feature: f.clone(),
                included: r.included,
                detail: r.detail.clone(),
                provenance,
            });
        }
        Ok(Plan {
            name: raw.name.clone().unwrap_or_else(|| id.clone()),
            id,
            provider: raw.provider.clone(),
            aliases: raw.aliases.iter().map(|a| a.get_ref().to_lowercase()).collect(),
            origin: self.sources[fi].name.clone(),
            description: raw.description.clone(),
            calendar,
            priorities,
            default_target,
            quota,
            credit,
            entitlements,
            notes: raw.notes.clone(),
        })
    }

    fn priority(&self, fi: usize, rp: &Spanned<RawPriority>) -> R<Priority> {
        let r = rp.get_ref();
        let name = r.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(self.err(fi, r.name.span(), "priority name is empty"));
        }
        let Some(target) = &r.target else {
            return Err(self.err(
                fi,
                rp.span(),
                format!("priority \"{name}\" has no target: add target = \"4h\" (or 30m, 2bd, best-effort, none)"),
            ));
        };
        let target = Target::parse(target.get_ref()).map_err(|m| self.err(fi, target.span(), m))?;
        let target_provenance = prov((&r.source, &r.assumed), (&None, &None))
            .ok_or_else(|| self.err(fi, rp.span(), format!("target of priority {name} {NO_PROV}")))?;
        let clock = match r.clock.as_ref().map(|c| (c, c.get_ref().as_str())) {
            None | Some((_, "business")) => Clock::Business,
            Some((_, "24x7")) => Clock::Always,
            Some((c, other)) => {
                return Err(self.err(fi, c.span(), format!("unknown clock \"{other}\" (expected business or 24x7)")));
            }
        };
        let clock_provenance = match clock {
            Clock::Business => None,
            Clock::Always => Some(
                prov((&r.clock_source, &r.clock_assumed), (&r.source, &r.assumed))
                    .ok_or_else(|| self.err(fi, rp.span(), format!("clock of priority {name} {NO_PROV}")))?,
            ),
        };
        Ok(Priority {
            name,
            aliases: r.aliases.iter().map(|a| a.get_ref().trim().to_lowercase()).collect(),
            target,
            clock,
            target_provenance,
            clock_provenance,
            description: r.description.clone(),
        })
    }

    fn calendar(&self, plan_fi: usize, id: &Spanned<String>) -> R<CalendarInfo> {
        if id.get_ref() == "24x7" {
            let p = Provenance::Source("24x7: every instant".into());
            return Ok(CalendarInfo {
                calendar: Arc::new(Calendar::always()),
                zone: p.clone(),
                hours: p.clone(),
                holidays: p,
                holiday_sets: vec![],
            });
        }
        let Some(&(fi, rc)) = self.cals.get(id.get_ref()) else {
            let hint = suggest(id.get_ref(), self.cals.keys().map(String::as_str))
                .map_or(String::new(), |s| format!(" (did you mean {s}?)"));
            return Err(self.err(plan_fi, id.span(), format!("unknown calendar \"{}\"{hint}", id.get_ref())));
        };
        let r = rc.get_ref();
        let table = (&r.source, &r.assumed);
        let zone_name = r.zone.get_ref();
        let tz: Tz = zone_name.parse().map_err(|_| {
            let hint = suggest(zone_name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()))
                .map_or(String::new(), |s| format!(" (did you mean {s}?)"));
            self.err(
                fi,
                r.zone.span(),
                format!("unknown time zone \"{zone_name}\"{hint}: use an IANA name such as Europe/Paris"),
            )
        })?;
        let zone = prov((&r.zone_source, &r.zone_assumed), table)
            .ok_or_else(|| self.err(fi, r.zone.span(), format!("zone {NO_PROV} (or zone_source / zone_assumed)")))?;
        let hours = prov((&r.hours_source, &r.hours_assumed), table).ok_or_else(|| {
            self.err(fi, r.hours.span(), format!("hours {NO_PROV} (or hours_source / hours_assumed)"))
        })?;
        let holidays_p = prov((&r.holidays_source, &r.holidays_assumed), table).ok_or_else(|| {
            self.err(fi, rc.span(), format!("holidays {NO_PROV} (or holidays_source / holidays_assumed)"))
        })?;
        let mut week: [Vec<Window>; 7] = Default::default();
        let mut count = 0usize;
        for (key, list) in r.hours.get_ref() {
            let days = weekday_range(key.get_ref()).ok_or_else(|| {
                self.err(
                    fi,
                    key.span(),
                    format!(
                        "unknown day \"{}\" (expected mon, tue, wed, thu, fri, sat, sun or a range like mon-fri)",
                        key.get_ref()
                    ),
                )
            })?;
            let windows = self.windows(fi, list)?;
            count += windows.len() * days.len();
            for d in days {
                if !week[d].is_empty() {
                    return Err(self.err(fi, key.span(), format!("{} is given hours twice", WEEKDAYS[d])));
                }
                week[d] = windows.clone();
            }
        }
        let mut holidays = Vec::new();
        for set_id in &r.holidays {
            let Some(&(sfi, set)) = self.sets.get(set_id.get_ref()) else {
                let hint = suggest(set_id.get_ref(), self.sets.keys().map(String::as_str))
                    .map_or(String::new(), |s| format!(" (did you mean {s}?)"));
                return Err(self.err(fi, set_id.span(), format!("unknown holiday set \"{}\"{hint}", set_id.get_ref())));
            };
            holidays.extend(self.holiday_set(sfi, set)?);
        }
        let mut overrides = BTreeMap::new();
        for (date, list) in &r.overrides {
            let d = NaiveDate::parse_from_str(date.get_ref(), "%Y-%m-%d").map_err(|_| {
                self.err(fi, date.span(), format!("invalid date \"{}\" (expected YYYY-MM-DD)", date.get_ref()))
            })?;
            let windows = self.windows(fi, list)?;
            count += windows.len();
            overrides.insert(d, windows);
        }
        count += holidays.len();
        if count > MAX_ITEMS {
            return Err(self.err(
                fi,
                rc.span(),
                format!("calendar has {count} intervals, holidays and overrides; the limit is {MAX_ITEMS}"),
            ));
        }
        let business_day = match &r.business_day {
            Some(b) => Some(parse_duration(b.get_ref()).ok().filter(|&s| s > 0 && s <= 86_400).ok_or_else(|| {
                self.err(
                    fi,
                    b.span(),
                    format!("invalid business_day \"{}\" (expected a duration from 1s to 24h, e.g. 8h)", b.get_ref()),
                )
            })?),
            None => None,
        };
        let calendar = Calendar::new(id.get_ref().clone(), tz, week, holidays, overrides, business_day)
            .map_err(|e| self.err(fi, r.hours.span(), format!("calendar {}: {e}", id.get_ref())))?;
        Ok(CalendarInfo {
            calendar: Arc::new(calendar),
            zone,
            hours,
            holidays: holidays_p,
            holiday_sets: r.holidays.iter().map(|s| s.get_ref().clone()).collect(),
        })
    }

    fn windows(&self, fi: usize, list: &[Spanned<String>]) -> R<Vec<Window>> {
        list.iter().map(|w| Window::parse(w.get_ref()).map_err(|m| self.err(fi, w.span(), m))).collect()
    }

    fn holiday_set(&self, fi: usize, set: &Spanned<RawHolidaySet>) -> R<Vec<Holiday>> {
        let s = set.get_ref();
        if s.source.is_none() && s.assumed.is_none() {
            return Err(self.err(fi, set.span(), format!("holiday set {NO_PROV}")));
        }
        if s.rules.len() > MAX_ITEMS {
            return Err(self.err(
                fi,
                set.span(),
                format!("holiday set has {} rules; the limit is {MAX_ITEMS}", s.rules.len()),
            ));
        }
        s.rules.iter().map(|h| self.holiday(fi, h)).collect()
    }

    fn holiday(&self, fi: usize, h: &Spanned<RawHoliday>) -> R<Holiday> {
        let r = h.get_ref();
        let forms = [r.date.is_some(), r.easter.is_some(), r.nth.is_some()].iter().filter(|b| **b).count();
        let bad_form = || {
            self.err(
                fi,
                h.span(),
                format!(
                    "holiday \"{}\" needs exactly one of: date = \"MM-DD\" or \"YYYY-MM-DD\", easter = N, or nth = N with weekday and month",
                    r.name
                ),
            )
        };
        if forms != 1 {
            return Err(bad_form());
        }
        let rule = if let Some(date) = &r.date {
            let t = date.get_ref();
            if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                HolidayRule::Date(d)
            } else {
                let parsed = t.split_once('-').and_then(|(m, d)| {
                    let ok = m.len() == 2 && d.len() == 2;
                    Some((m.parse::<u32>().ok().filter(|_| ok)?, d.parse::<u32>().ok()?))
                });
                let (month, day) = parsed.ok_or_else(|| {
                    self.err(fi, date.span(), format!("invalid holiday date \"{t}\" (expected MM-DD or YYYY-MM-DD)"))
                })?;
                // 2000 is a leap year, so 02-29 passes and 02-30 does not.
                if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
                    return Err(self.err(
                        fi,
                        date.span(),
                        format!("no such day \"{t}\" in any year (month {month} has no day {day})"),
                    ));
                }
                HolidayRule::Fixed { month, day }
            }
        } else if let Some(e) = &r.easter {
            let off = *e.get_ref();
            if !(-200..=200).contains(&off) {
                return Err(self.err(fi, e.span(), format!("easter offset {off} out of range (-200 to 200 days)")));
            }
            HolidayRule::Easter(off as i32)
        } else {
            let nth = r.nth.as_ref().ok_or_else(bad_form)?;
            let n = *nth.get_ref();
            if !(n == -1 || (1..=5).contains(&n)) {
                return Err(self.err(fi, nth.span(), format!("nth = {n} out of range (1 to 5, or -1 for the last)")));
            }
            let wd = r.weekday.as_ref().ok_or_else(bad_form)?;
            let weekday = parse_weekday(wd.get_ref()).ok_or_else(|| {
                self.err(fi, wd.span(), format!("unknown weekday \"{}\" (expected mon..sun)", wd.get_ref()))
            })?;
            let m = r.month.as_ref().ok_or_else(bad_form)?;
            let month = *m.get_ref();
            if !(1..=12).contains(&month) {
                return Err(self.err(fi, m.span(), format!("month {month} out of range (1 to 12)")));
            }
            HolidayRule::NthWeekday { month: month as u32, weekday, nth: n as i8 }
        };
        Ok(Holiday { name: r.name.clone(), rule })
    }

    fn quota(&self, fi: usize, q: &Spanned<RawQuota>) -> R<Quota> {
        let r = q.get_ref();
        let table = (&r.source, &r.assumed);
        let unit = match r.unit.get_ref().as_str() {
            "requests" => QuotaUnit::Requests,
            "hours" => QuotaUnit::Hours,
            other => {
                return Err(self.err(
                    fi,
                    r.unit.span(),
                    format!("unknown quota unit \"{other}\" (expected requests or hours)"),
                ));
            }
        };
        let period = Period::parse(r.period.get_ref()).ok_or_else(|| {
            self.err(
                fi,
                r.period.span(),
                format!(
                    "unknown period \"{}\" (expected day, week, month, quarter, year or subscription-year)",
                    r.period.get_ref()
                ),
            )
        })?;
        let allowance = match (&r.allowance, &r.rate) {
            (Some(a), None) => match a.get_ref() {
                toml::Value::String(s) if s == "unlimited" => Allowance::Unlimited,
                toml::Value::String(s) if s == "per-contract" => Allowance::PerContract,
                v => Allowance::Fixed(decimal(v, 3).filter(|n| (0..=MAX_QUANTITY_MILLI).contains(n)).ok_or_else(
                    || {
                        self.err(
                            fi,
                            a.span(),
                            "invalid allowance (expected a number from 0 to 10^12, \"unlimited\" or \"per-contract\")",
                        )
                    },
                )?),
            },
            (None, Some(rate)) => {
                let rr = rate.get_ref();
                let amount_milli =
                    decimal(rr.amount.get_ref(), 3).filter(|n| (1..=MAX_QUANTITY_MILLI).contains(n)).ok_or_else(
                        || self.err(fi, rr.amount.span(), "invalid rate amount (expected a number > 0, at most 10^12)"),
                    )?;
                let per_cents =
                    decimal(rr.per.get_ref(), 2).filter(|n| (1..=MAX_AMOUNT_CENTS).contains(n)).ok_or_else(|| {
                        self.err(fi, rr.per.span(), "invalid rate per (expected an amount > 0, at most 10^13)")
                    })?;
                Allowance::Rate { amount_milli, per_cents, currency: self.currency(fi, &rr.currency)? }
            }
            _ => {
                return Err(self.err(
                    fi,
                    q.span(),
                    "a quota needs exactly one of allowance = … or rate = { amount, per, currency }",
                ));
            }
        };
        let warn_basis_points = match &r.warn_percent {
            Some(w) => decimal(w.get_ref(), 2)
                .filter(|n| (0..=10_000).contains(n))
                .ok_or_else(|| self.err(fi, w.span(), "invalid warn_percent (expected a number from 0 to 100)"))?,
            None => 8000,
        };
        let need = |own: (&Option<String>, &Option<String>), what: &str| {
            prov(own, table).ok_or_else(|| self.err(fi, q.span(), format!("quota {what} {NO_PROV}")))
        };
        Ok(Quota {
            unit,
            period,
            allowance,
            warn_basis_points,
            excluded_kinds: r.excluded_kinds.iter().map(|k| k.get_ref().to_lowercase()).collect(),
            allowance_provenance: need((&r.allowance_source, &r.allowance_assumed), "allowance")?,
            period_provenance: need((&r.period_source, &r.period_assumed), "period")?,
            warn_provenance: if r.warn_percent.is_some() {
                Some(need((&r.warn_percent_source, &r.warn_percent_assumed), "warn_percent")?)
            } else {
                None
            },
            excluded_provenance: if r.excluded_kinds.is_empty() {
                None
            } else {
                Some(need((&r.excluded_kinds_source, &r.excluded_kinds_assumed), "excluded_kinds")?)
            },
        })
    }

    fn currency(&self, fi: usize, c: &Spanned<String>) -> R<String> {
        let s = c.get_ref();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(s.clone())
        } else {
            Err(self.err(
                fi,
                c.span(),
                format!("invalid currency \"{s}\" (expected a three-letter ISO code such as CHF or EUR)"),
            ))
        }
    }

    fn credit(&self, fi: usize, c: &Spanned<RawCredit>, cal: &CalendarInfo) -> R<CreditRule> {
        let r = c.get_ref();
        let table = (&r.source, &r.assumed);
        let provenance =
            prov(table, (&None, &None)).ok_or_else(|| self.err(fi, c.span(), format!("credit {NO_PROV}")))?;
        match r.commitment.get_ref().as_str() {
            "none" => return Ok(CreditRule::None(provenance)),
            "uptime" => {}
            other => {
                return Err(self.err(
                    fi,
                    r.commitment.span(),
                    format!("unknown commitment \"{other}\" (expected uptime or none)"),
                ));
            }
        }
        let missing = |what: &str| self.err(fi, c.span(), format!("an uptime commitment needs {what}"));
        let period_s = r
            .period
            .as_ref()
            .ok_or_else(|| missing("period = \"month\" | \"quarter\" | \"year\" | \"subscription-year\""))?;
        let period = Period::parse(period_s.get_ref())
            .filter(|p| !matches!(p, Period::Day | Period::Week))
            .ok_or_else(|| {
                self.err(
                    fi,
                    period_s.span(),
                    format!(
                        "unknown credit period \"{}\" (expected month, quarter, year or subscription-year)",
                        period_s.get_ref()
                    ),
                )
            })?;
        let zone = match &r.zone {
            Some(z) => z
                .get_ref()
                .parse()
                .map_err(|_| self.err(fi, z.span(), format!("unknown time zone \"{}\"", z.get_ref())))?,
            None => cal.calendar.tz(),
        };
        let currency = self.currency(fi, r.currency.as_ref().ok_or_else(|| missing("currency = \"XXX\""))?)?;
        let pct = |v: &Spanned<toml::Value>, digits: u32, what: &str| {
            decimal(v.get_ref(), digits)
                .filter(|n| *n >= 0 && *n <= 100 * 10i64.pow(digits))
                .ok_or_else(|| self.err(fi, v.span(), format!("invalid {what} (expected a percentage from 0 to 100)")))
        };
        let threshold = r.threshold_percent.as_ref().map(|t| pct(t, 6, "threshold_percent")).transpose()?;
        let below_threshold = match &r.below_threshold {
            None => None,
            Some(b) => Some(match b.get_ref() {
                toml::Value::String(s) if s == "per-contract" => BelowThreshold::PerContract,
                _ => BelowThreshold::Percent(pct(b, 2, "below_threshold")?),
            }),
        };
        let mut tiers = Vec::new();
        for t in &r.tiers {
            let tr = t.get_ref();
            let tier = Tier {
                below: pct(&tr.below, 6, "tier below")?,
                below_inclusive: tr.below_inclusive,
                at_least: tr.at_least.as_ref().map(|a| pct(a, 6, "tier at_least")).transpose()?.unwrap_or(0),
                credit_basis_points: pct(&tr.credit_percent, 2, "credit_percent")?,
            };
            if tier.at_least > tier.below {
                return Err(self.err(fi, t.span(), "tier at_least is above below"));
            }
            tiers.push(tier);
        }
        if threshold.is_none() && tiers.is_empty() && r.outage.is_none() {
            return Err(missing("threshold_percent, tiers or an outage rule"));
        }
        let outage = match &r.outage {
            None => None,
            Some(o) => {
                let or = o.get_ref();
                let dur = |s: &Spanned<String>| parse_duration(s.get_ref()).map_err(|m| self.err(fi, s.span(), m));
                let unit = dur(&or.unit)?;
                if unit == 0 {
                    return Err(self.err(fi, or.unit.span(), "outage unit must be longer than 0s"));
                }
                let rate = match or.rate.get_ref() {
                    toml::Value::String(s) if s == "daily" => OutageRate::Daily,
                    _ => OutageRate::Percent(pct(&or.rate, 2, "outage rate")?),
                };
                Some(OutageCredit {
                    longer_than: dur(&or.longer_than)?,
                    unit,
                    rate,
                    provenance: prov((&or.source, &or.assumed), table)
                        .ok_or_else(|| self.err(fi, o.span(), format!("outage rule {NO_PROV}")))?,
                })
            }
        };
        Ok(CreditRule::Uptime(Box::new(Credit {
            period,
            zone,
            currency,
            threshold,
            below_threshold,
            tiers,
            cap_basis_points: r.cap_percent.as_ref().map(|c| pct(c, 2, "cap_percent")).transpose()?,
            outage,
            period_provenance: prov((&r.period_source, &r.period_assumed), table).unwrap_or_else(|| provenance.clone()),
            threshold_provenance: prov((&r.threshold_source, &r.threshold_assumed), table)
                .unwrap_or_else(|| provenance.clone()),
            provenance,
        })))
    }
}

/// Parses `mon`, `sun`, … into a weekday.
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(s.trim())).and_then(|i| Weekday::try_from(i as u8).ok())
}

/// `mon` → [0]; `mon-fri` → [0..=4]; `daily` → all.
fn weekday_range(s: &str) -> Option<Vec<usize>> {
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

/// A TOML number (or numeric string) as an integer scaled by 10^`digits`,
/// exactly: `99.5` with 6 digits → 99_500_000. `None` if it has more digits
/// than that or is not a number.
pub fn decimal(v: &toml::Value, digits: u32) -> Option<i64> {
    let text = match v {
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) if f.is_finite() => format!("{f}"),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    parse_decimal(&text, digits)
}

/// Parses `12.5` as an integer scaled by 10^`digits`; rejects more fractional
/// digits than `digits`, signs other than a leading `-`, and exponents.
pub fn parse_decimal(text: &str, digits: u32) -> Option<i64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) || frac.len() > digits as usize || int.len() > 15 {
        return None;
    }
    let scale = 10i64.checked_pow(digits)?;
    let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: i64 = if frac.is_empty() { 0 } else { frac.parse::<i64>().ok()? * 10i64.pow(digits - frac.len() as u32) };
    let n = i.checked_mul(scale)?.checked_add(f)?;
    Some(if neg { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_decimal("99.5", 6), Some(99_500_000));
        assert_eq!(parse_decimal("12500", 2), Some(1_250_000));
        assert_eq!(parse_decimal("0.001", 2), None);
        assert_eq!(parse_decimal("-3", 0), Some(-3));
        assert_eq!(parse_decimal("1e5", 2), None);
        assert_eq!(decimal(&toml::Value::Float(99.95), 6), Some(99_950_000));
    }

    #[test]
    fn weekday_ranges() {
        assert_eq!(weekday_range("mon-fri"), Some(vec![0, 1, 2, 3, 4]));
        assert_eq!(weekday_range("sat"), Some(vec![5]));
        assert_eq!(weekday_range("fri-mon"), None);
        assert_eq!(weekday_range("monday"), None);
    }
}
