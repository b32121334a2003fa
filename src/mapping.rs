//! Reading helpdesk exports as they come: which column holds which field,
//! how the export names plans, priorities and statuses, how it writes times
//! and what separates its fields. Given with `--columns`, `--profile FILE` and
//! the `--plan`, `--priority`, `--time-format`, `--delimiter` defaults; shared
//! by `batch` and `replay`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

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
    /// slacalc field → (export value, lowercased → slacalc value).
    values: HashMap<String, HashMap<String, String>>,
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

/// A profile file: the same mapping as the options, plus value maps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    /// Which export it was written for (shown in no answer; for people).
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
    columns: toml::Table,
    #[serde(default)]
    values: HashMap<String, toml::Table>,
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
        let raw: RawProfile = toml::from_str(&text).map_err(|e| {
            let at = e.span().map_or(String::new(), |s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{col}")
            });
            Error::Input(format!("{shown}{at}: {}", e.message()))
        })?;
        let mut m = Mapping::new();
        for (field, col) in &raw.columns {
            let Some(col) = col.as_str() else {
                return Err(Error::Input(format!("profile {shown}: columns.{field} must be a column name (a string)")));
            };
            m.set_column(field, col, fields).map_err(|e| Error::Input(format!("profile {shown}: {e}")))?;
        }
        for (field, table) in &raw.values {
            known_field(field, valued).map_err(|e| Error::Input(format!("profile {shown}: values: {e}")))?;
            let map = m.values.entry(field.clone()).or_default();
            for (from, to) in table {
                let Some(to) = to.as_str() else {
                    return Err(Error::Input(format!(
                        "profile {shown}: values.{field}.\"{}\" must map to a string",
                        cut(from, 80)
                    )));
                };
                map.insert(from.trim().to_lowercase(), to.to_string());
            }
        }
        if let Some(d) = &raw.delimiter {
            m.delimiter = parse_delimiter(d).map_err(|e| Error::Input(format!("profile {shown}: {e}")))?;
        }
        if let Some(f) = &raw.time_format {
            m.time_format =
                TimeFormat::parse_named(f, "time_format").map_err(|e| Error::Input(format!("profile {shown}: {e}")))?;
        }
        if let Some(u) = &raw.duration_unit {
            m.duration_unit = DurationUnit::parse(u).map_err(|e| Error::Input(format!("profile {shown}: {e}")))?;
        }
        if let Some(a) = &raw.ambiguous {
            m.ambiguous = Ambiguous::parse(a).map_err(|e| Error::Input(format!("profile {shown}: {e}")))?;
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

    /// `value` of `field` as slacalc names it: through the value map
    /// (case-insensitive), else unchanged.
    pub fn value<'a>(&'a self, field: &str, value: &'a str) -> &'a str {
        self.mapped(field, value).unwrap_or(value)
    }

    /// What `field`'s value map maps `value` to (case-insensitive); `None`
    /// when there is no map or it does not name `value`.
    pub fn mapped<'a>(&'a self, field: &str, value: &str) -> Option<&'a str> {
        match self.values.get(field) {
            Some(map) if !map.is_empty() => map.get(&value.trim().to_lowercase()).map(String::as_str),
            _ => None,
        }
    }

    /// True when `field` has a value map.
    pub fn maps_values(&self, field: &str) -> bool {
        self.values.get(field).is_some_and(|m| !m.is_empty())
    }
}

fn known_field<'a>(field: &'a str, fields: &[&str]) -> Result<&'a str> {
    let f = field.trim();
    if fields.contains(&f) {
        Ok(f)
    } else {
        Err(Error::Input(format!("unknown field \"{}\" (expected one of: {})", cut(f, 80), fields.join(", "))))
    }
}

/// `id="Ticket ID",opened="Created at"` → pairs. Names may be quoted (then
/// they may hold commas and `=`) or bare.
///
/// # Errors
/// [`Error::Input`] naming the part that is not `field=Column`.
pub fn parse_columns(spec: &str) -> Result<Vec<(String, String)>> {
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
pub fn parse_delimiter(s: &str) -> Result<u8> {
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
    fn delimiters() {
        assert_eq!(parse_delimiter(";").unwrap(), b';');
        assert_eq!(parse_delimiter("tab").unwrap(), b'\t');
        assert!(parse_delimiter(";;").is_err());
        assert!(parse_delimiter("\"").is_err());
    }
}
