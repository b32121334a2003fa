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
pub(crate) const MAX_FILE_BYTES: usize = 1 << 20;
/// Most intervals, holidays or overrides in one calendar (and rules in one
/// holiday set).
pub(crate) const MAX_ITEMS: usize = 1000;
/// Largest quota figure (allowance, rate amount): 10^12 units.
pub(crate) const MAX_QUANTITY: Milli = Milli::from_int(1_000_000_000_000);
/// Largest amount of money in a plan: 10^13 currency units.
pub(crate) const MAX_AMOUNT: Cents = Cents::from_int(10_000_000_000_000);

type R<T> = Result<T, PlanError>;

/// Longest value a message echoes, in characters (a value can be megabytes).
pub(crate) const SHOWN_CHARS: usize = 80;
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
pub(crate) fn load_all(sources: &[Source]) -> (Catalogue, Vec<PlanError>) {
    let mut errs = Vec::new();
    let files = parse_all(sources, &mut errs);
    load_parsed(sources, files, errs)
}

/// [`load`] of sources whose TOML was parsed at build time (`trees[i]` is
/// `sources[i]`'s text, parsed; `None`: parsed here). The embedded plans'
/// lazy load uses it: lexing and parsing their text was half a `deadline`
/// call. The result is the same as [`load`]'s: toml reads the same tree
/// into the same raw structs (`loader::tests::the_index_matches_the_full_load`).
///
/// # Errors
/// As [`load`].
pub(crate) fn load_trees(sources: &[Source], trees: Vec<Option<Spanned<toml::de::DeTable<'static>>>>) -> R<Catalogue> {
    let mut errs = Vec::new();
    let files = sources
        .iter()
        .zip(trees)
        .map(|(src, tree)| {
            let raw = match tree {
                Some(tree) => from_tree(src, tree),
                None => parse(src),
            };
            raw.unwrap_or_else(|e| {
                errs.push(e);
                RawFile::default()
            })
        })
        .collect();
    let (catalogue, errors) = load_parsed(sources, files, errs);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(catalogue),
    }
}

/// `src`'s raw structs from its text parsed at build time (see [`load_trees`]).
///
/// # Errors
/// What toml's deserializer refuses, located in `src`.
pub(crate) fn from_tree(src: &Source, tree: Spanned<toml::de::DeTable<'static>>) -> R<RawFile> {
    serde::Deserialize::deserialize(toml::de::Deserializer::from(tree))
        .map_err(|e: toml::de::Error| located(src, e.span().unwrap_or(0..0), e.message().trim()))
}

/// [`load`] of sources already parsed (`files[i]` is `sources[i]`'s), for
/// the loader, which reads a `--plans` file's ids before it validates it.
///
/// # Errors
/// As [`load`].
pub(crate) fn load_files(sources: &[Source], files: Vec<RawFile>) -> R<Catalogue> {
    let (catalogue, errors) = load_parsed(sources, files, Vec::new());
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(catalogue),
    }
}

/// Each source parsed, or an empty file and its error: one entry per
/// source, so that a file index is the same in both.
fn parse_all(sources: &[Source], errs: &mut Vec<PlanError>) -> Vec<RawFile> {
    sources
        .iter()
        .map(|src| {
            parse(src).unwrap_or_else(|e| {
                errs.push(e);
                RawFile::default()
            })
        })
        .collect()
}

/// [`load_all`] once the sources are parsed (`files[i]` from `sources[i]`,
/// `errs` the parse errors).
fn load_parsed(sources: &[Source], mut files: Vec<RawFile>, mut errs: Vec<PlanError>) -> (Catalogue, Vec<PlanError>) {
    // The generated sets the files name and do not define, read from the
    // world tier after them (so that their own and the shipped sets win).
    let extra = world_sources(&files);
    let first_world = sources.len();
    let owned: Vec<Source>;
    let sources: &[Source] = if extra.is_empty() {
        sources
    } else {
        files.extend(parse_all(&extra, &mut errs));
        owned = sources.iter().cloned().chain(extra).collect();
        &owned
    };
    let mut cx = Cx { sources, ..Cx::default() };
    for (fi, raw) in files.iter().enumerate() {
        // Holiday set ids are case-insensitive (`US` is `us`).
        for (id, set) in &raw.holiday_sets {
            if fi >= first_world {
                cx.world.insert(id.to_lowercase(), (fi, set));
                cx.sets.entry(id.to_lowercase()).or_insert((fi, set));
            } else {
                cx.sets.insert(id.to_lowercase(), (fi, set));
            }
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

/// The sources of the generated holiday sets `files` name (in calendars and
/// `extends`) without defining them.
fn world_sources(files: &[RawFile]) -> Vec<Source> {
    let defined = |id: &str| files.iter().any(|f| f.holiday_sets.keys().any(|k| k.eq_ignore_ascii_case(id.trim())));
    let in_calendars =
        files.iter().flat_map(|f| f.calendars.values()).flat_map(|c| c.get_ref().holidays.iter().map(|s| s.get_ref()));
    let extended = files
        .iter()
        .flat_map(|f| f.holiday_sets.values())
        .filter_map(|s| s.get_ref().extends.as_ref().map(|e| e.get_ref()));
    // No allocation when every set named is defined (every shipped plan).
    let wanted: Vec<&String> = in_calendars.chain(extended).filter(|id| !defined(id)).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    crate::world::sources_for(wanted.into_iter().map(String::as_str))
}

/// A holiday set validated alone, for `holidays show`: its rules (observed
/// days included), name, first year, horizon, and whether it is a generated one.
#[derive(Debug, Clone)]
pub struct SetInfo {
    /// The id as defined.
    pub id: String,
    /// Display name, if any.
    pub name: Option<String>,
    /// Its rules, observed days included.
    pub holidays: Vec<Holiday>,
    /// The first year it has data for, if any (none: from 1583 on).
    pub data_from: Option<i32>,
    /// The last year it has data for, if any.
    pub horizon: Option<i32>,
    /// The source it was read from.
    pub file: String,
}

/// The holiday set `id` (case-insensitive) of `sources`, or else of the
/// generated tier, validated; `Ok(None)` when no set has that id.
///
/// # Errors
/// The first problem of the set (or of a file it needs).
pub fn holiday_set(sources: &[Source], id: &str) -> R<Option<SetInfo>> {
    let key = id.trim().to_lowercase();
    let mut errs = Vec::new();
    let mut files: Vec<RawFile> = Vec::with_capacity(sources.len());
    for src in sources {
        files.push(parse(src)?);
    }
    let defined =
        |files: &[RawFile], k: &str| files.iter().any(|f| f.holiday_sets.keys().any(|x| x.to_lowercase() == k));
    let parent = files
        .iter()
        .rev()
        .find_map(|f| f.holiday_sets.iter().find(|(k, _)| k.to_lowercase() == key))
        .and_then(|(_, s)| s.get_ref().extends.as_ref())
        .map(|p| p.get_ref().trim().to_lowercase());
    let wanted: Vec<String> = if defined(&files, &key) {
        parent.into_iter().filter(|p| !defined(&files, p)).collect()
    } else {
        vec![key.clone()]
    };
    let extra = crate::world::sources_for(wanted.iter().map(String::as_str));
    let first_world = sources.len();
    for src in &extra {
        files.push(parse(src)?);
    }
    let all: Vec<Source> = sources.iter().cloned().chain(extra).collect();
    let mut cx = Cx { sources: &all, ..Cx::default() };
    for (fi, raw) in files.iter().enumerate() {
        for (k, set) in &raw.holiday_sets {
            if fi >= first_world {
                cx.world.insert(k.to_lowercase(), (fi, set));
                cx.sets.entry(k.to_lowercase()).or_insert((fi, set));
            } else {
                cx.sets.insert(k.to_lowercase(), (fi, set));
            }
        }
    }
    let Some(&(fi, set)) = cx.sets.get(&key) else { return Ok(None) };
    let holidays = cx.holiday_set(fi, set, &mut errs);
    if let Some(e) = errs.into_iter().next() {
        return Err(e);
    }
    let id =
        files[fi].holiday_sets.iter().find(|(k, _)| k.to_lowercase() == key).map_or(key.clone(), |(k, _)| k.clone());
    Ok(Some(SetInfo {
        id,
        name: set.get_ref().name.clone(),
        holidays: holidays.unwrap_or_default(),
        data_from: cx.set_data_from(fi, set),
        horizon: cx.set_horizon(fi, set),
        file: all[fi].name.clone(),
    }))
}

/// The ids a plan file defines, as (kind, id): `plan`, `calendar` and
/// `holiday set`, case-folded where ids are case-insensitive; none when its
/// TOML does not parse (that error is reported by [`load_all`]). For `check`,
/// which notes when one user file overrides another's id.
pub(crate) fn defined_ids(src: &Source) -> Vec<(&'static str, String)> {
    let Ok(raw) = parse(src) else { return Vec::new() };
    let sets = raw.holiday_sets.keys().map(|id| ("holiday set", id.to_lowercase()));
    let cals = raw.calendars.keys().map(|id| ("calendar", id.clone()));
    let plans = raw.plans.iter().map(|p| ("plan", p.get_ref().id.get_ref().to_lowercase()));
    sets.chain(cals).chain(plans).collect()
}

/// Parses one file's TOML.
///
/// # Errors
/// Its first syntax or shape error, located in it; a file over [`MAX_FILE_BYTES`].
pub(crate) fn parse(src: &Source) -> R<RawFile> {
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

/// Whether `s` is an id: letters, digits, `-` and `_` (plan and calendar
/// ids; they reach file names, URLs and iCalendar properties).
fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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
    /// The generated sets read (see [`crate::world`]): a generated set
    /// `extends` the generated one, even where a checked set has its id.
    world: HashMap<String, (usize, &'a Spanned<RawHolidaySet>)>,
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
        if !is_id(&id) {
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
        let mut lifecycle = lifecycle::lifecycle(raw, &|span, m| self.err(fi, span, m), errs);
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
        let metric = lifecycle::metric_target;
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
}

mod calendar;
mod holiday;
mod ics_import;
mod lifecycle;
mod money;

pub(crate) use calendar::parse_weekday;
use calendar::*;
pub(crate) use money::decimal;

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
        // The bound that lets the loader skip the year walks: never false
        // where a year is closed, false for an ordinary set.
        assert!(may_close_a_year(&week, &every, &BTreeMap::new(), 0));
        assert!(may_close_a_year(&week, &holidays, &BTreeMap::new(), 0));
        assert!(may_close_a_year(&week, &[], &closed, 0));
        assert!(may_close_a_year(&week, &every[..26], &BTreeMap::new(), 0));
        assert!(!may_close_a_year(&week, &every[..25], &BTreeMap::new(), 1));
        assert!(may_close_a_year(&week, &every[..25], &BTreeMap::new(), 2));
        let weekdays: [Vec<Window>; 7] = std::array::from_fn(|i| if i < 5 { nine_to_five() } else { vec![] });
        assert!(!may_close_a_year(&weekdays, &every, &BTreeMap::new(), 0));
    }

    #[test]
    fn weekday_ranges() {
        assert_eq!(weekday_range("mon-fri"), Some(vec![0, 1, 2, 3, 4]));
        assert_eq!(weekday_range("sat"), Some(vec![5]));
        assert_eq!(weekday_range("fri-mon"), None);
        assert_eq!(weekday_range("monday"), None);
    }
}
