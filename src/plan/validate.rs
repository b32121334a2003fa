//! Raw TOML structs → the validated model, in the manner of biz's
//! `Configuration` + `Validation`: every rule is checked once here, and every
//! failure points at the offending value's `file:line:column`.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;
use toml::Spanned;

use super::model::*;
use super::raw::*;
use crate::decimal::{BasisPoints, Cents, Fixed, Milli, Syntax, Unit};
use crate::engine::holiday::{Observance, ObservedSet, dates_in};
use crate::engine::{Calendar, Holiday, HolidayRule, Target, Window, calendar::WEEKDAYS, parse_duration};
use crate::error::{PlanError, did_you_mean, suggest};
use crate::text::cut;

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
/// Largest quota figure (allowance, rate amount): 10^12 units.
pub const MAX_QUANTITY: Milli = Milli::from_int(1_000_000_000_000);
/// Largest amount of money in a plan: 10^13 currency units.
pub const MAX_AMOUNT: Cents = Cents::from_int(10_000_000_000_000);

type R<T> = Result<T, PlanError>;

/// Longest value a message echoes, in characters (a value can be megabytes).
pub const SHOWN_CHARS: usize = 80;
/// Longest source line shown under an error, in characters.
const LINE_CHARS: usize = 160;

/// Parses and validates plan files. Later files override earlier ones' ids.
///
/// # Errors
/// The first problem found (in file order, then position), located in its file.
pub fn load(sources: &[Source]) -> R<Catalogue> {
    let (catalogue, errors) = load_all(sources);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(catalogue),
    }
}

/// Parses and validates plan files, going on after each problem so that
/// `check` can report them all: returns the plans that are valid and every
/// error found, each once, in file order then position. A file whose TOML
/// does not parse gives that one error; otherwise each plan, priority,
/// calendar entry, holiday rule, entitlement and alias is checked on its own.
pub fn load_all(sources: &[Source]) -> (Catalogue, Vec<PlanError>) {
    let mut errs = Vec::new();
    // One entry per source, so that a file index is the same in both.
    let files: Vec<RawFile> = sources
        .iter()
        .map(|src| {
            parse(src).unwrap_or_else(|e| {
                errs.push(e);
                RawFile::default()
            })
        })
        .collect();
    let mut cx = Cx { sources, ..Cx::default() };
    for (fi, raw) in files.iter().enumerate() {
        // Holiday set ids are case-insensitive (`US` is `us`).
        for (id, set) in &raw.holiday_sets {
            cx.sets.insert(id.to_lowercase(), (fi, set));
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
                errs.push(cx.err(
                    fi,
                    plan.get_ref().id.span(),
                    format!("plan id \"{}\" is defined twice in this file", cut(&id, SHOWN_CHARS)),
                ));
                continue;
            }
            if by_id.insert(id.clone(), (fi, plan)).is_none() {
                order.push(id);
            }
        }
    }
    let mut plans = Vec::with_capacity(order.len());
    let mut raws = Vec::with_capacity(order.len());
    let mut calendars: HashMap<String, Option<CalendarInfo>> = HashMap::new();
    for id in &order {
        let (fi, raw) = by_id[id];
        if let Some(p) = cx.plan(fi, raw.get_ref(), &mut calendars, &mut errs) {
            plans.push(p);
            raws.push((fi, raw.get_ref()));
        }
    }
    // Calendars and holiday sets no plan uses are checked too: `check` on a
    // file of shared definitions must catch their mistakes.
    let mut unused: Vec<(&String, &(usize, &Spanned<RawCalendar>))> =
        cx.cals.iter().filter(|(id, _)| !calendars.contains_key(*id)).collect();
    unused.sort_by_key(|(id, _)| *id);
    for (id, &(fi, cal)) in unused {
        let span = Spanned::new(cal.span(), id.clone());
        cx.calendar(fi, &span, &mut errs);
    }
    let mut sets: Vec<_> = cx.sets.iter().collect();
    sets.sort_by_key(|(id, _)| *id);
    for (_, &(fi, set)) in sets {
        cx.holiday_set(fi, set, &mut errs);
    }
    cx.names(&plans, &raws, &mut errs);
    // A holiday set is checked with each calendar that uses it and on its
    // own: report each problem once, in the order of the files.
    let rank = |e: &PlanError| sources.iter().position(|s| s.name == e.file).unwrap_or(usize::MAX);
    errs.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.line.cmp(&b.line)).then(a.column.cmp(&b.column)));
    let mut seen = std::collections::HashSet::new();
    errs.retain(|e| seen.insert((e.file.clone(), e.line, e.column, e.message.clone())));
    (Catalogue { plans, features: cx.features }, errs)
}

/// Parses one file's TOML.
fn parse(src: &Source) -> R<RawFile> {
    if src.text.len() > MAX_FILE_BYTES {
        return Err(PlanError::at(
            &src.name,
            "",
            0..0,
            format!("file is {} bytes; plan files are limited to {MAX_FILE_BYTES} bytes (1 MiB)", src.text.len()),
        ));
    }
    toml::from_str(&src.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        // serde's messages quote the value they refused, whatever its length.
        located(src, span, e.message().trim())
    })
}

/// [`PlanError::at`], with the source line cut to a readable length (a plan
/// file may be a single line of a megabyte). The caret row only lines up
/// under the line shown, so a column beyond the cut shows no line at all.
fn located(src: &Source, span: Range<usize>, msg: impl Into<String>) -> PlanError {
    let mut e = PlanError::at(&src.name, &src.text, span, cut_quoted(&msg.into()));
    if e.line_text.chars().count() > LINE_CHARS {
        e.line_text = if e.column < LINE_CHARS { cut(&e.line_text, LINE_CHARS).into_owned() } else { String::new() };
    }
    e
}

/// `msg` with each quoted value (`"…"` or `` `…` ``, as serde quotes them)
/// cut to [`SHOWN_CHARS`], and the whole cut to a few lines' length.
fn cut_quoted(msg: &str) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find(['"', '`']) {
        let quote = &rest[i..=i];
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let Some(j) = rest.find(quote) else { break };
        out.push_str(&cut(&rest[..j], SHOWN_CHARS));
        out.push_str(quote);
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    cut(&out, 8 * SHOWN_CHARS).into_owned()
}

/// ` (did you mean "x"?)` for the candidates closest to `given`, or "". A
/// value far longer than any name is no typo of one, and scoring it against
/// every candidate would cost its length times theirs.
fn hint<'c>(given: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    if given.len() > 2 * SHOWN_CHARS {
        return String::new();
    }
    did_you_mean(&suggest(given, candidates)).to_string()
}

/// Keeps `r`'s value, or records its error and gives `None`: validation goes
/// on after a problem so that `check` can report every one.
fn keep<T>(errs: &mut Vec<PlanError>, r: R<T>) -> Option<T> {
    r.map_err(|e| errs.push(e)).ok()
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
        located(&self.sources[fi], span, msg)
    }

    /// Ids and aliases are one namespace. A name given twice is blamed on the
    /// later of the two, in load order: a user's file comes after the shipped
    /// ones and is the one to fix. The message names the plan that has it.
    fn names(&self, plans: &[Plan], raws: &[(usize, &RawPlan)], errs: &mut Vec<PlanError>) {
        /// One id or alias: its file, span, lowercase text, plan index, and whether it is the id.
        type Name = (usize, Range<usize>, String, usize, bool);
        let mut all: Vec<Name> = Vec::new();
        for (pi, (fi, raw)) in raws.iter().enumerate() {
            all.push((*fi, raw.id.span(), plans[pi].id.to_lowercase(), pi, true));
            for a in &raw.aliases {
                all.push((*fi, a.span(), a.get_ref().to_lowercase(), pi, false));
            }
        }
        all.sort_by_key(|(fi, span, ..)| (*fi, span.start));
        let mut first: HashMap<&str, &Name> = HashMap::new();
        for name in &all {
            let (fi, span, key, pi, is_id) = name;
            let Some((ofi, ospan, _, other, other_is_id)) = first.get(key.as_str()).copied() else {
                first.insert(key, name);
                continue;
            };
            let shown = cut(key, SHOWN_CHARS);
            let p = &plans[*pi].id;
            if *other == *pi {
                // The same alias twice in one plan is harmless; an alias equal
                // to the plan's own id is a mistake, shown at the alias.
                if *is_id || *other_is_id {
                    let (afi, aspan) = if *is_id { (*ofi, ospan.clone()) } else { (*fi, span.clone()) };
                    errs.push(self.err(afi, aspan, format!("alias \"{shown}\" of plan {p} is its own id")));
                }
                continue;
            }
            let what = if *is_id { format!("plan id \"{shown}\"") } else { format!("alias \"{shown}\" of plan {p}") };
            let o = &plans[*other];
            errs.push(self.err(
                *fi,
                span.clone(),
                format!("{what} is already used by plan {} ({}); ids and aliases must be unique", o.id, o.origin),
            ));
        }
    }

    /// Validates one plan, recording every independent problem in `errs`;
    /// `None` if there was any. `calendars` caches each defined calendar's
    /// outcome, so that a bad one is reported once, not once per plan.
    fn plan(
        &self,
        fi: usize,
        raw: &RawPlan,
        calendars: &mut HashMap<String, Option<CalendarInfo>>,
        errs: &mut Vec<PlanError>,
    ) -> Option<Plan> {
        let before = errs.len();
        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            errs.push(self.err(
                fi,
                raw.id.span(),
                format!("invalid plan id \"{}\" (use letters, digits, - and _)", cut(&id, SHOWN_CHARS)),
            ));
        }
        let id_shown = cut(&id, SHOWN_CHARS);
        let calendar = self.cached_calendar(fi, &raw.calendar, calendars, errs);
        // Calendars named by priorities and metrics: the plan's own one is
        // `Clock::Business`, `24x7` is `Clock::Always`, any other is added
        // to the plan's list once.
        let mut others: Vec<CalendarInfo> = Vec::new();
        let mut clock_of = |id: &Spanned<String>, errs: &mut Vec<PlanError>| -> Option<Clock> {
            let name = id.get_ref().trim();
            if name == "24x7" {
                return Some(Clock::Always);
            }
            if name == raw.calendar.get_ref() {
                return Some(Clock::Business);
            }
            if let Some(i) = others.iter().position(|c| c.calendar.id() == name) {
                return Some(Clock::Named(i));
            }
            let info = self.cached_calendar(fi, id, calendars, errs)?;
            others.push(info);
            Some(Clock::Named(others.len() - 1))
        };
        let mut priorities: Vec<Priority> = Vec::new();
        'levels: for rp in &raw.priorities {
            let Some(mut p) = keep(errs, self.priority(fi, rp)) else { continue };
            if let Some(id) = &rp.get_ref().calendar {
                match clock_of(id, errs) {
                    Some(c) => p.clock = c,
                    None => continue,
                }
            }
            let names: Vec<String> = std::iter::once(p.name.to_lowercase()).chain(p.aliases.iter().cloned()).collect();
            for n in &names {
                let clash = priorities.iter().any(|q| q.name.to_lowercase() == *n || q.aliases.iter().any(|a| a == n));
                let is_pn = n.strip_prefix('p').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                if clash || is_pn {
                    errs.push(self.err(
                        fi,
                        rp.get_ref().name.span(),
                        format!(
                            "priority name \"{}\" in plan {id_shown} is used twice or clashes with p1..pN",
                            cut(n, SHOWN_CHARS)
                        ),
                    ));
                    continue 'levels;
                }
            }
            priorities.push(p);
        }
        let default_target = match (&raw.target, raw.priorities.is_empty()) {
            (Some(t), true) => keep(
                errs,
                Target::parse(t.get_ref()).map_err(|m| self.err(fi, t.span(), m.to_string())).and_then(|target| {
                    let p = prov((&raw.target_source, &raw.target_assumed), (&None, &None)).ok_or_else(|| {
                        self.err(
                            fi,
                            t.span(),
                            format!("target of plan {id_shown} {NO_PROV} (target_source / target_assumed)"),
                        )
                    })?;
                    Ok((target, p))
                }),
            ),
            (Some(t), false) => {
                errs.push(self.err(
                    fi,
                    t.span(),
                    format!("plan {id_shown} has priorities: give each its target, not a plan-level target"),
                ));
                None
            }
            (None, true) => {
                errs.push(self.err(
                    fi,
                    raw.id.span(),
                    format!(
                        "plan {id_shown} has no priorities and no target: add [[plans.priorities]] or target = \"none\""
                    ),
                ));
                None
            }
            (None, false) => None,
        };
        let quota = raw.quota.as_ref().and_then(|q| keep(errs, self.quota(fi, q)));
        // The credit's default zone is the calendar's: with a bad calendar
        // there is nothing to check it against.
        let credit = match (&raw.credit, &calendar) {
            (Some(c), Some(cal)) => keep(errs, self.credit(fi, c, cal)),
            _ => None,
        };
        let mut entitlements = Vec::new();
        for (feature, e) in &raw.entitlements {
            let f = feature.get_ref();
            if !self.features.is_empty() && !self.features.contains_key(f) {
                let hint = hint(f, self.features.keys().map(String::as_str));
                errs.push(self.err(
                    fi,
                    feature.span(),
                    format!(
                        "unknown feature \"{}\"{hint}: declare it under [features] with a one-line description",
                        cut(f, SHOWN_CHARS)
                    ),
                ));
                continue;
            }
            let r = e.get_ref();
            let Some(provenance) = keep(
                errs,
                prov((&r.source, &r.assumed), (&None, &None))
                    .ok_or_else(|| self.err(fi, e.span(), format!("entitlement {} {NO_PROV}", cut(f, SHOWN_CHARS)))),
            ) else {
                continue;
            };
            entitlements.push(Entitlement {
                feature: f.clone(),
                included: r.included,
                detail: r.detail.clone(),
                provenance,
            });
        }
        let mut lifecycle = super::lifecycle::lifecycle(raw, &|span, m| self.err(fi, span, m), errs);
        for (metric, m) in &raw.metrics {
            if let (Some(mt), Some(id)) = (super::lifecycle::Metric::parse(metric.get_ref()), &m.get_ref().calendar) {
                lifecycle.clocks[mt as usize] = clock_of(id, errs);
            }
        }
        let calendar = calendar?;
        if errs.len() > before {
            return None;
        }
        Some(Plan {
            name: raw.name.clone().unwrap_or_else(|| id.clone()),
            id,
            provider: raw.provider.clone(),
            aliases: raw.aliases.iter().map(|a| a.get_ref().to_lowercase()).collect(),
            origin: self.sources[fi].name.clone(),
            description: raw.description.clone(),
            calendar,
            calendars: others,
            priorities,
            default_target,
            quota,
            credit,
            entitlements,
            notes: raw.notes.clone(),
            lifecycle,
        })
    }

    /// Calendar `id` as [`Self::calendar`] validates it, once per id.
    fn cached_calendar(
        &self,
        fi: usize,
        id: &Spanned<String>,
        calendars: &mut HashMap<String, Option<CalendarInfo>>,
        errs: &mut Vec<PlanError>,
    ) -> Option<CalendarInfo> {
        let cal_id = id.get_ref();
        match calendars.get(cal_id) {
            Some(c) => c.clone(),
            None => {
                let c = self.calendar(fi, id, errs);
                // An unknown calendar is blamed on every plan that names it.
                if cal_id == "24x7" || self.cals.contains_key(cal_id) {
                    calendars.insert(cal_id.clone(), c.clone());
                }
                c
            }
        }
    }

    fn priority(&self, fi: usize, rp: &Spanned<RawPriority>) -> R<Priority> {
        let r = rp.get_ref();
        let name = r.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(self.err(fi, r.name.span(), "priority name is empty"));
        }
        let shown = cut(&name, SHOWN_CHARS);
        let Some(target) = &r.target else {
            return Err(self.err(
                fi,
                rp.span(),
                format!("priority \"{shown}\" has no target: add target = \"4h\" (or 30m, 2bd, best-effort, none)"),
            ));
        };
        let target = Target::parse(target.get_ref()).map_err(|m| self.err(fi, target.span(), m.to_string()))?;
        let target_provenance = prov((&r.source, &r.assumed), (&None, &None))
            .ok_or_else(|| self.err(fi, rp.span(), format!("target of priority {shown} {NO_PROV}")))?;
        let clock = match r.clock.as_ref().map(|c| (c, c.get_ref().as_str())) {
            None | Some((_, "business")) => Clock::Business,
            Some((_, "24x7")) => Clock::Always,
            Some((c, other)) => {
                return Err(self.err(
                    fi,
                    c.span(),
                    format!("unknown clock \"{}\" (expected business or 24x7)", cut(other, SHOWN_CHARS)),
                ));
            }
        };
        if let (Some(_), Some(k)) = (&r.clock, &r.calendar) {
            return Err(self.err(
                fi,
                k.span(),
                format!(
                    "priority {shown} gives both clock and calendar: keep one (clock = \"24x7\" is calendar = \"24x7\")"
                ),
            ));
        }
        // Its own calendar (set by the caller) is a figure like a 24x7 clock.
        let own_calendar = r.calendar.as_ref().is_some_and(|k| k.get_ref().trim() != "24x7");
        let clock =
            if r.calendar.as_ref().is_some_and(|k| k.get_ref().trim() == "24x7") { Clock::Always } else { clock };
        let clock_provenance = match clock {
            Clock::Business | Clock::Named(_) if !own_calendar => None,
            _ => Some(
                prov((&r.clock_source, &r.clock_assumed), (&r.source, &r.assumed))
                    .ok_or_else(|| self.err(fi, rp.span(), format!("clock of priority {shown} {NO_PROV}")))?,
            ),
        };
        let err = |span, m| self.err(fi, span, m);
        let table = (&r.source, &r.assumed);
        let own_nr = (&r.next_response_source, &r.next_response_assumed);
        let own_res = (&r.resolution_source, &r.resolution_assumed);
        let metric = super::lifecycle::metric_target;
        Ok(Priority {
            name,
            aliases: r.aliases.iter().map(|a| a.get_ref().trim().to_lowercase()).collect(),
            target,
            clock,
            target_provenance,
            clock_provenance,
            description: r.description.clone(),
            next_response: metric(r.next_response.as_ref(), own_nr, table, "next_response", &err)?,
            resolution: metric(r.resolution.as_ref(), own_res, table, "resolution", &err)?,
        })
    }

    /// Validates calendar `id` (named by a plan in file `plan_fi`), recording
    /// every independent problem in `errs`; `None` if there was any.
    fn calendar(&self, plan_fi: usize, id: &Spanned<String>, errs: &mut Vec<PlanError>) -> Option<CalendarInfo> {
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
        for set_id in &r.holidays {
            let Some(&(sfi, set)) = self.sets.get(&set_id.get_ref().to_lowercase()) else {
                let hint = hint(set_id.get_ref(), self.sets.keys().map(String::as_str));
                errs.push(self.err(
                    fi,
                    set_id.span(),
                    format!("unknown holiday set \"{}\"{hint}", cut(set_id.get_ref(), SHOWN_CHARS)),
                ));
                continue;
            };
            holidays.extend(self.holiday_set(sfi, set, errs).unwrap_or_default());
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
                parse_duration(b.get_ref()).ok().filter(|&s| s > 0 && s <= 86_400).ok_or_else(|| {
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
        let closed = closed_year(&week, &holidays, &effective);
        let calendar = match Calendar::new(id.get_ref().clone(), tz, week, holidays, overrides, business_day)
            .and_then(|c| c.with_recurring(recurring))
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

    fn windows(&self, fi: usize, list: &[Spanned<String>]) -> R<Vec<Window>> {
        list.iter().map(|w| Window::parse(w.get_ref()).map_err(|m| self.err(fi, w.span(), m.to_string()))).collect()
    }

    /// A zero-padded `YYYY-MM-DD` date. chrono alone also takes `2026-3-2`,
    /// and two spellings of one date as override keys would let the one that
    /// sorts last win in silence.
    fn date(&self, fi: usize, s: &Spanned<String>, what: &str, expected: &str) -> R<NaiveDate> {
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

    /// Validates a holiday set, recording each bad rule in `errs`; `None` if
    /// there was any problem.
    fn holiday_set(&self, fi: usize, set: &Spanned<RawHolidaySet>, errs: &mut Vec<PlanError>) -> Option<Vec<Holiday>> {
        let s = set.get_ref();
        let before = errs.len();
        if s.source.is_none() && s.assumed.is_none() {
            errs.push(self.err(fi, set.span(), format!("holiday set {NO_PROV}")));
        }
        if s.rules.len() > MAX_ITEMS {
            errs.push(self.err(
                fi,
                set.span(),
                format!("holiday set has {} rules; the limit is {MAX_ITEMS}", s.rules.len()),
            ));
            return None;
        }
        let rules: Vec<(Holiday, Option<Observance>)> =
            s.rules.iter().filter_map(|h| keep(errs, self.holiday(fi, h))).collect();
        if errs.len() != before {
            return None;
        }
        Some(with_observed(rules))
    }

    /// One rule, and its observance if it has one.
    fn holiday(&self, fi: usize, h: &Spanned<RawHoliday>) -> R<(Holiday, Option<Observance>)> {
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
        if let (Some(s), Some(u), Some(at)) = (since, until, &r.since) {
            if s > u {
                return Err(self.err(
                    fi,
                    at.span(),
                    format!("holiday \"{name}\": since = {s} is after until = {u}, so the rule would never apply"),
                ));
            }
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
                            "unknown observed rule \"{}\" (expected nearest-weekday or next-monday)",
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
                v => Allowance::Fixed(decimal(v).filter(|n| n.within(Milli::ZERO, MAX_QUANTITY)).ok_or_else(|| {
                    self.err(
                        fi,
                        a.span(),
                        "invalid allowance (expected a number from 0 to 10^12, \"unlimited\" or \"per-contract\")",
                    )
                })?),
            },
            (None, Some(rate)) => {
                let rr = rate.get_ref();
                let amount =
                    decimal(rr.amount.get_ref()).filter(|n| n.within(Milli::from_raw(1), MAX_QUANTITY)).ok_or_else(
                        || self.err(fi, rr.amount.span(), "invalid rate amount (expected a number > 0, at most 10^12)"),
                    )?;
                let per = decimal(rr.per.get_ref()).filter(|n| n.within(Cents::from_raw(1), MAX_AMOUNT)).ok_or_else(
                    || self.err(fi, rr.per.span(), "invalid rate per (expected an amount > 0, at most 10^13)"),
                )?;
                Allowance::Rate { amount, per, currency: self.currency(fi, &rr.currency)? }
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
            Some(w) => decimal(w.get_ref())
                .filter(|n| n.within(BasisPoints::ZERO, BasisPoints::from_int(100)))
                .ok_or_else(|| self.err(fi, w.span(), "invalid warn_percent (expected a number from 0 to 100)"))?,
            None => BasisPoints::from_int(80),
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

    /// A percentage from 0 to 100 in the unit asked for (`U` says how many
    /// decimals the plan may write).
    fn percent<U: Unit>(&self, fi: usize, v: &Spanned<toml::Value>, what: &str) -> R<Fixed<U>> {
        decimal(v.get_ref())
            .filter(|n| n.within(Fixed::ZERO, Fixed::from_int(100)))
            .ok_or_else(|| self.err(fi, v.span(), format!("invalid {what} (expected a percentage from 0 to 100)")))
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
        let threshold = r.threshold_percent.as_ref().map(|t| self.percent(fi, t, "threshold_percent")).transpose()?;
        let below_threshold = match &r.below_threshold {
            None => None,
            Some(b) => Some(match b.get_ref() {
                toml::Value::String(s) if s == "per-contract" => BelowThreshold::PerContract,
                _ => BelowThreshold::Percent(self.percent(fi, b, "below_threshold")?),
            }),
        };
        let mut tiers = Vec::new();
        for t in &r.tiers {
            let tr = t.get_ref();
            let tier = Tier {
                below: self.percent(fi, &tr.below, "tier below")?,
                below_inclusive: tr.below_inclusive,
                at_least: tr
                    .at_least
                    .as_ref()
                    .map(|a| self.percent(fi, a, "tier at_least"))
                    .transpose()?
                    .unwrap_or_default(),
                credit_basis_points: self.percent(fi, &tr.credit_percent, "credit_percent")?,
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
                let dur = |s: &Spanned<String>| {
                    parse_duration(s.get_ref()).map_err(|m| self.err(fi, s.span(), m.to_string()))
                };
                let unit = dur(&or.unit)?;
                if unit == 0 {
                    return Err(self.err(fi, or.unit.span(), "outage unit must be longer than 0s"));
                }
                let rate = match or.rate.get_ref() {
                    toml::Value::String(s) if s == "daily" => OutageRate::Daily,
                    _ => OutageRate::Percent(self.percent(fi, &or.rate, "outage rate")?),
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
            cap_basis_points: r.cap_percent.as_ref().map(|c| self.percent(fi, c, "cap_percent")).transpose()?,
            outage,
            period_provenance: prov((&r.period_source, &r.period_assumed), table).unwrap_or_else(|| provenance.clone()),
            threshold_provenance: prov((&r.threshold_source, &r.threshold_assumed), table)
                .unwrap_or_else(|| provenance.clone()),
            provenance,
        })))
    }
}

/// Years checked for working time whatever a calendar's explicit dates are:
/// one solar cycle. Fixed (`MM-DD`) and n-th-weekday rules fall alike in
/// every year of one kind (leap or not, and the weekday of 1 January), and
/// these 28 years hold all 14 kinds, so a year those rules close is found
/// whenever it is. Kept short: every command loads every calendar.
const CHECKED_YEARS: std::ops::RangeInclusive<i32> = 2001..=2028;

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
fn closed_year(
    week: &[Vec<Window>; 7],
    holidays: &[Holiday],
    overrides: &BTreeMap<NaiveDate, Vec<Window>>,
) -> Option<i32> {
    let explicit = holidays.iter().flat_map(|h| explicit_years(&h.rule));
    let years: std::collections::BTreeSet<i32> =
        explicit.chain(overrides.keys().map(Datelike::year)).chain(CHECKED_YEARS).collect();
    years.into_iter().find(|&y| year_closed(y, week, holidays, overrides))
}

/// The years of a rule's explicit dates (and the first and last years of a
/// limited rule, where what a set holds changes).
fn explicit_years(rule: &HolidayRule) -> Vec<i32> {
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
/// after them all: one [`HolidayRule::Observed`] rule named "NAME (observed)"
/// for each rule with an observance, sharing the set's rules.
fn with_observed(rules: Vec<(Holiday, Option<Observance>)>) -> Vec<Holiday> {
    let set = Arc::new(ObservedSet { rules: rules.iter().map(|(h, o)| (h.rule.clone(), *o)).collect() });
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

/// True when no day of `year` has working time.
fn year_closed(
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
fn ymd(t: &str) -> Option<(i32, u32, u32)> {
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !shape {
        return None;
    }
    Some((t[..4].parse().ok()?, t[5..7].parse().ok()?, t[8..].parse().ok()?))
}

/// `MM-DD` with both fields zero-padded, as numbers.
fn md(t: &str) -> Option<(u32, u32)> {
    let b = t.as_bytes();
    let shape = b.len() == 5 && b.iter().enumerate().all(|(i, c)| if i == 2 { *c == b'-' } else { c.is_ascii_digit() });
    if !shape {
        return None;
    }
    Some((t[..2].parse().ok()?, t[3..].parse().ok()?))
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

/// How plans write numbers: an optional `-`, `.5` and `5.` allowed, at most
/// 15 digits before the point, at most as many decimals as the unit holds.
const PLAN_NUMBER: Syntax = Syntax { negative: true, grouped: false, bare_int: true, bare_frac: true, max_digits: 15 };

/// A TOML number (or numeric string) as a decimal of unit `U`, exactly:
/// `99.5` → 99.5 %. `None` if it has more decimals than `U` holds or is not a
/// number. A TOML float is read from its shortest printed form (`99.95`),
/// which is the literal the plan wrote.
pub(crate) fn decimal<U: Unit>(v: &toml::Value) -> Option<Fixed<U>> {
    let text = match v {
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) if f.is_finite() => format!("{f}"),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    Fixed::parse(&text, PLAN_NUMBER).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::{Cent, MicroPercent};

    #[test]
    fn decimals_are_exact() {
        let s = |t: &str| toml::Value::String(t.into());
        assert_eq!(decimal(&s("99.5")), Some(MicroPercent::from_raw(99_500_000)));
        assert_eq!(decimal(&s("12500")), Some(Cents::from_raw(1_250_000)));
        assert_eq!(decimal::<Cent>(&s("0.001")), None);
        assert_eq!(decimal(&toml::Value::Integer(-3)), Some(Milli::from_raw(-3_000)));
        assert_eq!(decimal::<Cent>(&s("1e5")), None);
        assert_eq!(decimal(&toml::Value::Float(99.95)), Some(MicroPercent::from_raw(99_950_000)));
    }

    #[test]
    fn dates_are_zero_padded() {
        assert_eq!(ymd("2026-03-02"), Some((2026, 3, 2)));
        assert_eq!(ymd("2026-02-30"), Some((2026, 2, 30))); // the shape only
        for bad in ["2026-3-2", "2026-03-2", "+2026-03-02", "2026/03/02", "02026-03-02", "2026-03-02 "] {
            assert_eq!(ymd(bad), None, "{bad}");
        }
        assert_eq!(md("12-25"), Some((12, 25)));
        for bad in ["12-5", "+1-05", "1225", "12-25x"] {
            assert_eq!(md(bad), None, "{bad}");
        }
    }

    #[test]
    fn quoted_values_are_cut_in_messages() {
        let long = "x".repeat(1000);
        let msg = cut_quoted(&format!("invalid type: string \"{long}\", expected `{long}`"));
        assert!(msg.len() < 300, "{msg}");
        assert!(msg.starts_with("invalid type: string \"xxx") && msg.contains("more bytes)\", expected `"), "{msg}");
        assert_eq!(cut_quoted("unknown day \"mo\" (expected mon)"), "unknown day \"mo\" (expected mon)");
        assert_eq!(cut_quoted("one \" open"), "one \" open");
    }

    #[test]
    fn a_year_is_closed_only_when_no_day_works() {
        let nine_to_five = || vec![Window::parse("09:00-17:00").unwrap()];
        let week: [Vec<Window>; 7] = [nine_to_five(), vec![], vec![], vec![], vec![], vec![], vec![]];
        let mondays_2027: Vec<NaiveDate> = (0..366)
            .filter_map(|i| NaiveDate::from_ymd_opt(2027, 1, 1)?.checked_add_days(chrono::Days::new(i)))
            .filter(|d| d.year() == 2027 && d.weekday() == Weekday::Mon)
            .collect();
        let holidays: Vec<Holiday> =
            mondays_2027.iter().map(|d| Holiday { name: "h".into(), rule: HolidayRule::Date(*d) }).collect();
        assert_eq!(closed_year(&week, &holidays, &BTreeMap::new()), Some(2027));
        // One worked Sunday opens the year.
        let sunday = NaiveDate::from_ymd_opt(2027, 3, 7).unwrap();
        let open = BTreeMap::from([(sunday, nine_to_five())]);
        assert_eq!(closed_year(&week, &holidays, &open), None);
        // Closed overrides close days as holidays do.
        let closed: BTreeMap<NaiveDate, Vec<Window>> = mondays_2027.iter().map(|d| (*d, vec![])).collect();
        assert_eq!(closed_year(&week, &[], &closed), Some(2027));
        assert_eq!(closed_year(&week, &holidays[1..], &BTreeMap::new()), None);
        // Every first..last Monday of every month: every year is closed.
        let every: Vec<Holiday> = (1..=12)
            .flat_map(|month| {
                [1, 2, 3, 4, -1].map(|nth| Holiday {
                    name: "h".into(),
                    rule: HolidayRule::NthWeekday { month, weekday: Weekday::Mon, nth },
                })
            })
            .collect();
        assert_eq!(closed_year(&week, &every, &BTreeMap::new()), Some(2001));
    }

    #[test]
    fn weekday_ranges() {
        assert_eq!(weekday_range("mon-fri"), Some(vec![0, 1, 2, 3, 4]));
        assert_eq!(weekday_range("sat"), Some(vec![5]));
        assert_eq!(weekday_range("fri-mon"), None);
        assert_eq!(weekday_range("monday"), None);
    }
}
