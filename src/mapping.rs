//! Reading helpdesk exports as they come: which column holds which field,
//! how the export names plans, priorities and statuses, how it writes times
//! and what separates its fields. Given with `--columns`, `--profile FILE` and
//! the `--plan`, `--priority`, `--time-format`, `--delimiter` defaults; shared
//! by `batch` and `replay`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::instant::{Ambiguous, TimeFormat};
use crate::text::cut;

/// Largest profile file read.
const MAX_PROFILE_BYTES: u64 = 1 << 20;

/// How an export maps onto slacalc's fields.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// slacalc field → the export's column name, as given.
    columns: Vec<(String, String)>,
    /// slacalc field → its value map (`[values.FIELD]`).
    values: HashMap<String, ValueMap>,
    /// `[values.priority.PLAN]`: priority maps for one plan each.
    plan_priorities: Vec<PlanPriorities>,
    /// The profile's name in messages: its file name, or the built-in
    /// profile's name (`None` without a profile).
    pub profile: Option<String>,
    /// How times are written.
    pub time_format: TimeFormat,
    /// The field separator.
    pub delimiter: u8,
    /// Plan for rows without one.
    pub plan: Option<String>,
    /// Priority for rows without one.
    pub priority: Option<String>,
    /// Zone for the file's local times, if the profile names one.
    pub input_tz: Option<String>,
    /// What a plain number in a duration column (`responded_after`,
    /// `resolved_after`) counts.
    pub duration_unit: DurationUnit,
    /// What a local time in a DST fold stands for (`--ambiguous`, or the
    /// profile's `ambiguous`; default: an error).
    pub ambiguous: Ambiguous,
}

/// The key of a value map's catch-all entry: used for a value the map does
/// not name. As a target, `"*"` keeps the value as it is.
pub(crate) const ANY: &str = "*";

/// What `[values.event]` maps an event to when replay should skip it.
pub(crate) const IGNORE: &str = "ignore";

/// One value map: the export's values (lowercased) → slacalc's, and the
/// catch-all.
#[derive(Debug, Clone, Default)]
struct ValueMap {
    entries: HashMap<String, String>,
    /// The `"*"` entry's target.
    any: Option<String>,
}

impl ValueMap {
    fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.any.is_none()
    }

    fn insert(&mut self, from: &str, to: &str) {
        if from.trim() == ANY {
            self.any = Some(to.to_string());
        } else {
            self.entries.insert(from.trim().to_lowercase(), to.to_string());
        }
    }

    /// What the map says for `value` (case-insensitive): its entry, else
    /// the catch-all (`"*"` as a target keeps the value); `None` when neither.
    fn get<'a>(&'a self, value: &'a str) -> Option<&'a str> {
        match self.entries.get(&value.trim().to_lowercase()) {
            Some(to) => Some(to.as_str()),
            None => match self.any.as_deref() {
                Some(ANY) => Some(value),
                other => other,
            },
        }
    }
}

/// `[values.priority.PLAN]`.
#[derive(Debug, Clone)]
struct PlanPriorities {
    /// The plan as the profile names it (an id or an alias).
    key: String,
    /// Its plan id, once [`Mapping::resolve_plans`] has looked it up.
    plan_id: Option<String>,
    map: ValueMap,
}

/// The unit of a plain number in a duration column: helpdesks export
/// "First reply time in minutes", others seconds or hours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DurationUnit {
    /// Seconds.
    Seconds,
    /// Minutes (the default: Zendesk's and Freshdesk's exports).
    #[default]
    Minutes,
    /// Hours.
    Hours,
}

impl DurationUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> i64 {
        match self {
            DurationUnit::Seconds => 1,
            DurationUnit::Minutes => 60,
            DurationUnit::Hours => 3600,
        }
    }

    /// `seconds`, `minutes` or `hours`.
    ///
    /// # Errors
    /// [`Error::Input`] naming the value.
    pub fn parse(s: &str) -> Result<DurationUnit> {
        match s.trim().to_ascii_lowercase().as_str() {
            "seconds" | "second" | "s" => Ok(DurationUnit::Seconds),
            "minutes" | "minute" | "min" | "m" => Ok(DurationUnit::Minutes),
            "hours" | "hour" | "h" => Ok(DurationUnit::Hours),
            _ => Err(Error::Input(format!(
                "invalid duration_unit \"{}\" (expected seconds, minutes or hours)",
                cut(s, 20)
            ))),
        }
    }
}

/// The keys a profile file may have at its top level.
pub(crate) const PROFILE_KEYS: [&str; 10] = [
    "name",
    "source",
    "delimiter",
    "time_format",
    "input_tz",
    "duration_unit",
    "plan",
    "priority",
    "columns",
    "values",
];

/// A value map table: export value → slacalc value (or, under
/// `[values.priority]`, a plan's own map), each with its place in the file.
type RawTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// A profile file: the same mapping as the options, plus value maps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    /// Which export it was written for (shown by `profiles list`).
    #[allow(dead_code)]
    name: Option<String>,
    /// Where its field names come from.
    #[allow(dead_code)]
    source: Option<String>,
    delimiter: Option<String>,
    time_format: Option<String>,
    input_tz: Option<String>,
    duration_unit: Option<String>,
    ambiguous: Option<String>,
    plan: Option<String>,
    priority: Option<String>,
    #[serde(default)]
    columns: RawTable,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, Spanned<RawTable>>,
}

/// `line:column` (both from 1) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The name and source a profile's text gives (for `profiles list`): its
/// `name` and `source` keys, empty when absent or unreadable.
pub(crate) fn describe(text: &str) -> (String, String) {
    #[derive(Deserialize)]
    struct About {
        name: Option<String>,
        source: Option<String>,
    }
    match toml::from_str::<About>(text) {
        Ok(a) => (a.name.unwrap_or_default(), a.source.unwrap_or_default()),
        Err(_) => (String::new(), String::new()),
    }
}

impl Mapping {
    /// The identity mapping: column names are the field names, commas.
    pub fn new() -> Mapping {
        Mapping { delimiter: b',', ..Mapping::default() }
    }

    /// Reads a profile file; `fields` are the columns the command knows
    /// (`columns` keys), `valued` the fields it maps values of (`values`
    /// keys).
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read; [`Error::Input`] naming the
    /// file, line and column of a bad key or value.
    pub fn from_profile(path: &Path, fields: &[&str], valued: &[&str]) -> Result<Mapping> {
        use std::io::Read as _;
        let shown = path.display().to_string();
        let io = |e: std::io::Error| Error::Io { path: shown.clone(), error: e };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut text = String::new();
        file.take(MAX_PROFILE_BYTES + 1).read_to_string(&mut text).map_err(io)?;
        if text.len() as u64 > MAX_PROFILE_BYTES {
            return Err(Error::Input(format!("profile {shown} is larger than 1 MiB")));
        }
        let name = path.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        Mapping::from_text(&text, &shown, &name, fields, valued)
    }

    /// The built-in profile `name` ([`crate::profiles`]).
    ///
    /// # Errors
    /// An unknown name (listing the built-in ones), or a field the command
    /// does not know.
    pub fn from_builtin(name: &str, fields: &[&str], valued: &[&str]) -> Result<Mapping> {
        let b = crate::profiles::get(name)?;
        Mapping::from_text(b.text, &format!("built-in profile {}", b.name), b.name, fields, valued)
    }

    /// Reads a profile from its text: `shown` is where it came from in
    /// messages (`file:line:column`), `name` how value-map errors name it
    /// (a file name, or a built-in profile's name).
    ///
    /// # Errors
    /// [`Error::Input`] naming `shown`, the line and column of a bad key or
    /// value, with "did you mean" for a misspelt key.
    pub fn from_text(text: &str, shown: &str, name: &str, fields: &[&str], valued: &[&str]) -> Result<Mapping> {
        let at = |offset: usize| {
            let (line, col) = line_col(text, offset);
            format!("{shown}:{line}:{col}")
        };
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            let place = e.span().map_or_else(|| shown.to_string(), |s| at(s.start));
            let message = e.message().trim_end();
            // serde's "unknown field `x`, expected one of …": say it our way.
            let unknown = message.strip_prefix("unknown field `").and_then(|r| r.split_once('`')).map(|(k, _)| k);
            match unknown {
                Some(key) => unknown_key(key, "", &PROFILE_KEYS).of(place),
                None => Error::Input(format!("{place}: {message}")),
            }
        })?;
        let mut m = Mapping::new();
        m.profile = Some(name.to_string());
        for (field, col) in &raw.columns {
            let Some(c) = col.get_ref().as_str() else {
                return Err(Error::Input(format!(
                    "{}: columns.{} must be a column name (a string)",
                    at(col.span().start),
                    cut(field.get_ref(), 80)
                )));
            };
            if !fields.contains(&field.get_ref().trim()) {
                return Err(unknown_key(field.get_ref(), " in [columns]", fields).of(at(field.span().start)));
            }
            m.set_column(field.get_ref(), c, fields)?;
        }
        for (field, table) in &raw.values {
            let f = field.get_ref().trim();
            if !valued.contains(&f) {
                return Err(
                    unknown_key(f, " in [values] (a field whose values are mapped)", valued).of(at(field.span().start))
                );
            }
            let mut map = ValueMap::default();
            for (from, to) in table.get_ref() {
                match to.get_ref() {
                    toml::Value::String(t) => map.insert(from.get_ref(), t),
                    toml::Value::Table(plan_map) if f == "priority" => {
                        let mut pm = ValueMap::default();
                        for (k, v) in plan_map {
                            let Some(v) = v.as_str() else {
                                return Err(Error::Input(format!(
                                    "{}: values.priority.\"{}\".\"{}\" must map to a priority name (a string)",
                                    at(to.span().start),
                                    cut(from.get_ref(), 80),
                                    cut(k, 80)
                                )));
                            };
                            pm.insert(k, v);
                        }
                        m.plan_priorities.push(PlanPriorities {
                            key: from.get_ref().trim().to_string(),
                            plan_id: None,
                            map: pm,
                        });
                    }
                    _ => {
                        let per_plan = if f == "priority" { " or, for one plan, a table" } else { "" };
                        return Err(Error::Input(format!(
                            "{}: values.{f}.\"{}\" must map to a string{per_plan}",
                            at(to.span().start),
                            cut(from.get_ref(), 80)
                        )));
                    }
                }
            }
            m.values.insert(f.to_string(), map);
        }
        let bad = |e: Error| e.of(format!("profile {shown}"));
        if let Some(d) = &raw.delimiter {
            m.delimiter = parse_delimiter(d).map_err(bad)?;
        }
        if let Some(f) = &raw.time_format {
            m.time_format = TimeFormat::parse_named(f, "time_format").map_err(bad)?;
        }
        if let Some(u) = &raw.duration_unit {
            m.duration_unit = DurationUnit::parse(u).map_err(bad)?;
        }
        if let Some(a) = &raw.ambiguous {
            m.ambiguous = Ambiguous::parse(a).map_err(|e| e.of(format!("profile {shown}")))?;
        }
        m.plan = raw.plan;
        m.priority = raw.priority;
        m.input_tz = raw.input_tz;
        Ok(m)
    }

    /// Adds `--columns field="Column",…` over what the profile said.
    ///
    /// # Errors
    /// [`Error::Input`] naming a bad pair or an unknown field.
    pub fn add_columns(&mut self, spec: &str, fields: &[&str]) -> Result<()> {
        for (field, col) in parse_columns(spec)? {
            self.set_column(&field, &col, fields)?;
        }
        Ok(())
    }

    fn set_column(&mut self, field: &str, col: &str, fields: &[&str]) -> Result<()> {
        let field = known_field(field, fields)?;
        self.columns.retain(|(f, _)| f != field);
        self.columns.push((field.to_string(), col.trim().to_string()));
        Ok(())
    }

    /// The export's name for `field`'s column (the field's own name when
    /// not mapped).
    pub fn column<'a>(&'a self, field: &'a str) -> &'a str {
        self.columns.iter().find(|(f, _)| f == field).map_or(field, |(_, c)| c.as_str())
    }

    /// True when `field`'s column was named by the user.
    pub fn is_mapped(&self, field: &str) -> bool {
        self.columns.iter().any(|(f, _)| f == field)
    }

    /// `value` of `field` as slacalc names it, for display: through the
    /// value map (case-insensitive), else unchanged.
    pub fn value<'a>(&'a self, field: &str, value: &'a str) -> &'a str {
        self.mapped(field, value).unwrap_or(value)
    }

    /// What `field`'s value map maps `value` to (case-insensitive, the
    /// `"*"` entry for a value it does not name); `None` when there is no
    /// map or it does not name `value`.
    pub fn mapped<'a>(&'a self, field: &str, value: &'a str) -> Option<&'a str> {
        match self.values.get(field) {
            Some(map) if !map.is_empty() => map.get(value),
            _ => None,
        }
    }

    /// `value` of `field`, read from the export's column `column`, through
    /// `field`'s value map: unchanged when there is no map.
    ///
    /// # Errors
    /// A value the map does not name, with no `"*"` entry: the message
    /// names the column, the value, the map and the profile
    /// (`Organization "Wayne" is not in [values.plan] of orgs.toml`).
    pub fn map_value<'a>(&'a self, field: &str, column: &str, value: &'a str) -> std::result::Result<&'a str, String> {
        match self.values.get(field) {
            Some(map) if !map.is_empty() => {
                map.get(value).ok_or_else(|| self.not_in_map(column, value, &format!("[values.{field}]")))
            }
            _ => Ok(value),
        }
    }

    /// A priority `value` of a row of plan `plan_id`, read from the
    /// export's column `column`: through `[values.priority.PLAN]` when the
    /// profile has one for that plan, else (or when it does not name the
    /// value and has no `"*"`) the global `[values.priority]`; unchanged when
    /// the profile maps no priorities.
    ///
    /// # Errors
    /// A value no map applying to the plan names: the message names the
    /// map(s) that would fix it.
    pub fn map_priority<'a>(
        &'a self,
        plan_id: &str,
        column: &str,
        value: &'a str,
    ) -> std::result::Result<&'a str, String> {
        let global = self.values.get("priority").filter(|m| !m.is_empty());
        let own = self
            .plan_priorities
            .iter()
            .find(|p| p.plan_id.as_deref().map_or_else(|| p.key.eq_ignore_ascii_case(plan_id), |id| id == plan_id));
        match (own, global) {
            (None, None) if self.plan_priorities.is_empty() => Ok(value),
            (None, None) => Err(format!(
                "{} (the profile maps priorities for other plans only)",
                self.not_in_map(column, value, &format!("[values.priority.{}]", cut(plan_id, 80)))
            )),
            (None, Some(g)) => g.get(value).ok_or_else(|| self.not_in_map(column, value, "[values.priority]")),
            (Some(p), g) => p.map.get(value).or_else(|| g.and_then(|g| g.get(value))).ok_or_else(|| {
                let names = match g {
                    Some(_) => format!("[values.priority.{}] or [values.priority]", p.key),
                    None => format!("[values.priority.{}]", p.key),
                };
                self.not_in_map(column, value, &names)
            }),
        }
    }

    fn not_in_map(&self, column: &str, value: &str, map: &str) -> String {
        let profile = self.profile.as_deref().unwrap_or("the profile");
        format!(
            "{} \"{}\" is not in {map} of {} (add it there, or a \"*\" entry for every other value)",
            cut(column, 80),
            cut(value, 80),
            cut(profile, 80)
        )
    }

    /// True when `field` has a value map (for `priority`, also a plan's
    /// own).
    pub fn maps_values(&self, field: &str) -> bool {
        self.values.get(field).is_some_and(|m| !m.is_empty())
            || (field == "priority" && !self.plan_priorities.is_empty())
    }

    /// True when the profile has `[values.priority.PLAN]` maps.
    pub fn has_plan_priorities(&self) -> bool {
        !self.plan_priorities.is_empty()
    }

    /// Looks up the plan each `[values.priority.PLAN]` names (an id or an
    /// alias) with `resolve`, which gives its id, so that a row matches the
    /// map whichever name of the plan it gives.
    ///
    /// # Errors
    /// An unknown plan, naming the map and the profile.
    pub fn resolve_plans(&mut self, resolve: impl Fn(&str) -> Result<String>) -> Result<()> {
        let profile = self.profile.clone().unwrap_or_else(|| "the profile".into());
        for p in &mut self.plan_priorities {
            let id =
                resolve(&p.key).map_err(|e| e.of(format!("[values.priority.{}] of {profile}", cut(&p.key, 80))))?;
            p.plan_id = Some(id);
        }
        Ok(())
    }
}

/// `unknown field "opend" in [columns] (expected one of: …; did you mean "opened"?)`.
fn unknown_key(key: &str, place: &'static str, known: &[&str]) -> Error {
    Error::Unknown {
        what: "field",
        given: cut(key, 80).into_owned(),
        place,
        expected: known.iter().map(|k| (*k).to_string()).collect(),
        suggestions: crate::error::suggest(key, known.iter().copied()),
    }
}

fn known_field<'a>(field: &'a str, fields: &[&str]) -> Result<&'a str> {
    let f = field.trim();
    if fields.contains(&f) { Ok(f) } else { Err(unknown_key(f, "", fields)) }
}

/// `id="Ticket ID",opened="Created at"` → pairs. Names may be quoted (then
/// they may hold commas and `=`) or bare.
///
/// # Errors
/// [`Error::Input`] naming the part that is not `field=Column`.
pub(crate) fn parse_columns(spec: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = spec.trim();
    let bad = |part: &str| {
        Error::Input(format!(
            "invalid --columns \"{}\" (expected field=\"Column name\" pairs joined with commas, e.g. id=\"Ticket ID\",opened=\"Created at\")",
            cut(part, 80)
        ))
    };
    while !rest.is_empty() {
        let Some((field, after)) = rest.split_once('=') else { return Err(bad(rest)) };
        let after = after.trim_start();
        let (col, tail) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').ok_or_else(|| bad(rest))?;
            (&q[..end], q[end + 1..].trim_start())
        } else {
            match after.split_once(',') {
                Some((c, t)) => (c, t),
                None => (after, ""),
            }
        };
        let tail = tail.strip_prefix(',').unwrap_or(tail).trim_start();
        if field.trim().is_empty() || col.trim().is_empty() {
            return Err(bad(rest));
        }
        out.push((field.trim().to_string(), col.to_string()));
        rest = tail;
    }
    Ok(out)
}

/// `--delimiter`: one ASCII character, or `tab`.
///
/// # Errors
/// [`Error::Input`] naming the value.
pub(crate) fn parse_delimiter(s: &str) -> Result<u8> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        d if d.len() == 1 && d.is_ascii() && !matches!(d, "\"" | "\n" | "\r") => Ok(d.as_bytes()[0]),
        _ => Err(Error::Input(format!(
            "invalid --delimiter \"{}\" (expected one character such as ; or |, or tab)",
            cut(s, 20)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[&str] = &["id", "plan", "priority", "opened", "responded", "pauses"];

    #[test]
    fn columns_quoted_and_bare() {
        let p = parse_columns(r#"id="Ticket ID",opened="Created at, UTC", priority=Prio"#).unwrap();
        assert_eq!(
            p,
            [
                ("id".into(), "Ticket ID".into()),
                ("opened".into(), "Created at, UTC".into()),
                ("priority".into(), "Prio".into())
            ]
        );
        assert!(parse_columns("id").is_err());
        assert!(parse_columns(r#"id="Ticket"#).is_err());
        let mut m = Mapping::new();
        assert!(m.add_columns("colour=Red", FIELDS).unwrap_err().to_string().contains("unknown field \"colour\""));
        m.add_columns(r#"opened="Created at""#, FIELDS).unwrap();
        assert_eq!((m.column("opened"), m.column("id")), ("Created at", "id"));
    }

    #[test]
    fn profile_maps_catch_all_and_per_plan_priorities() {
        let text = "[columns]\nplan = \"Org\"\n[values.plan]\nAcme = \"gold\"\n\"*\" = \"silver\"\n[values.priority]\nlow = \"p3\"\n[values.priority.cloud]\nlow = \"p4\"\n\"*\" = \"*\"\n";
        let mut m = Mapping::from_text(text, "p.toml", "p.toml", FIELDS, &["plan", "priority"]).unwrap();
        assert_eq!(m.map_value("plan", "Org", "ACME "), Ok("gold"));
        assert_eq!(m.map_value("plan", "Org", "Wayne"), Ok("silver"));
        assert_eq!(m.map_priority("apizee-gold", "Prio", "Low"), Ok("p3"));
        // Before the plans are looked up, the key matches as written.
        assert_eq!(m.map_priority("cloud", "Prio", "Low"), Ok("p4"));
        m.resolve_plans(|k| Ok(if k == "cloud" { "biings-cloud".into() } else { k.into() })).unwrap();
        assert_eq!(m.map_priority("biings-cloud", "Prio", "Low"), Ok("p4"));
        assert_eq!(m.map_priority("biings-cloud", "Prio", "Down"), Ok("Down"));
        assert_eq!(
            m.map_priority("apizee-gold", "Prio", "High").unwrap_err(),
            "Prio \"High\" is not in [values.priority] of p.toml (add it there, or a \"*\" entry for every other value)"
        );
    }

    #[test]
    fn profile_errors_name_line_column_and_the_closest_key() {
        let e = Mapping::from_text("[columns]\nid = \"Id\"\nopend = \"Created\"\n", "p.toml", "p.toml", FIELDS, &[])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml:3:1: unknown field \"opend\" in [columns]"), "{e}");
        assert!(e.contains("did you mean \"opened\"?"), "{e}");
        let e = Mapping::from_text("name = \"x\"\ntime_fromat = \"%d\"\n", "p.toml", "p.toml", FIELDS, &[])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml:2:1: unknown field \"time_fromat\""), "{e}");
        assert!(e.contains("did you mean \"time_format\"?"), "{e}");
        let e = Mapping::from_text("[values.plan]\nA = { b = \"c\" }\n", "p.toml", "p.toml", FIELDS, &["plan"])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml:2:5: values.plan.\"A\" must map to a string"), "{e}");
    }

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter(";").unwrap(), b';');
        assert_eq!(parse_delimiter("tab").unwrap(), b'\t');
        assert!(parse_delimiter(";;").is_err());
        assert!(parse_delimiter("\"").is_err());
    }
}
