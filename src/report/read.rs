//! Reading `batch` and `replay` output, CSV or JSON Lines, into the groups.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{BufRead, Read};

use serde::Deserialize;

use super::acc::{Fields, Groups};
use super::{Key, resolve_columns};
use crate::error::{Error, Result};
use crate::io::{CsvInput, JsonLines, MAX_RECORD_BYTES, Problem, Row};
use crate::text::{cut, escape_controls};

pub(super) const BATCH_SHAPE: &str =
    "id,plan,priority,opened,deadline,responded,state,elapsed_seconds,remaining_seconds,error";
pub(super) const REPLAY_SHAPE: &str = "id,plan,priority,metric,cycle,start,stop,…,state,error";

/// The columns a report reads from batch output, and from replay output.
pub(super) const BATCH_NEEDS: [&str; 6] = ["plan", "priority", "opened", "state", "elapsed_seconds", "error"];
pub(super) const REPLAY_NEEDS: [&str; 7] = ["plan", "priority", "metric", "start", "state", "elapsed_seconds", "error"];

/// `no "state" column`, `no "state", "error" columns`.
pub(super) fn no_columns(missing: &[&str]) -> String {
    let names: Vec<String> = missing.iter().map(|m| format!("\"{m}\"")).collect();
    format!("no {} column{}", names.join(", "), if missing.len() == 1 { "" } else { "s" })
}

pub(super) fn read_csv(reader: impl Read, delimiter: u8, groups: &mut Groups<'_>) -> Result<()> {
    // An over-long row is fatal here: fail at the limit, never wait for the
    // end of a record that may not come.
    let mut input = CsvInput::report_with(reader, delimiter);
    let header = input.header()?;
    if header.is_empty() {
        return Err(Error::Input(format!(
            "report input is empty (expected batch output ({BATCH_SHAPE}) or replay output ({REPLAY_SHAPE}))"
        )));
    }
    let got = || cut(&escape_controls(&header.iter().collect::<Vec<_>>().join(",")), 200).into_owned();
    let hint = crate::io::delimiter_hint(&header, delimiter);
    let has = |n: &str| crate::io::column(&header, n);
    // The shape is told by the column of the cycle's start: `opened` in
    // batch output, `start` in replay output.
    let (needs, shape, batch): (&[&str], _, _) = if has("opened").is_some() {
        (&BATCH_NEEDS, format!("batch output (it has an \"opened\" column: expected {BATCH_SHAPE})"), true)
    } else if has("start").is_some() {
        (&REPLAY_NEEDS, format!("replay output (it has a \"start\" column: expected {REPLAY_SHAPE})"), false)
    } else {
        return Err(Error::Input(format!(
            "report input is neither batch nor replay output: it has no \"opened\" column (batch output: {BATCH_SHAPE}) and no \"start\" column (replay output: {REPLAY_SHAPE}); got: {}{hint}",
            got()
        )));
    };
    let missing: Vec<&str> = needs.iter().copied().filter(|n| has(n).is_none()).collect();
    if !missing.is_empty() {
        return Err(Error::Input(format!(
            "report input has {} for {shape}; got: {}{hint}",
            no_columns(&missing),
            got()
        )));
    }
    let col = |n: &str| has(n).unwrap_or(usize::MAX);
    let time = if batch { col("opened") } else { col("start") };
    // Batch output has a metric column since it measures resolution too;
    // older batch output has none (its rows are first_response).
    let metric = if batch { has("metric") } else { Some(col("metric")) };
    let cols = [col("plan"), col("priority"), col("state"), col("elapsed_seconds"), col("error")];
    let names: Vec<&str> = header.iter().collect();
    let extra = resolve_columns(&mut groups.by, &names, "the input's columns")?;
    let mut rec = csv::StringRecord::new();
    while let Some(Row { line, problem }) = input.read(&mut rec)? {
        match problem {
            Some(Problem::TooLong) => {
                return Err(Error::TooLong { what: "row".into(), limit: MAX_RECORD_BYTES }.at_line(None, line));
            }
            Some(Problem::NotUtf8) => return Err(Error::NotUtf8 { what: "row".into() }.at_line(None, line)),
            None => {}
        }
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let get = |i: usize| rec.get(i).unwrap_or("");
        let f = Fields {
            plan: get(cols[0]),
            priority: get(cols[1]),
            metric: metric.map(get),
            time: get(time),
            state: get(cols[2]),
            elapsed: get(cols[3]),
            error: get(cols[4]),
            columns: extra.iter().map(|&i| get(i)).collect(),
        };
        groups.add(line, &f)?;
    }
    Ok(())
}

/// A JSON field that was there (maybe `null`) or not.
#[derive(Debug, Default)]
pub(super) struct Present<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Present<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        T::deserialize(d).map(|v| Present(Some(v)))
    }
}

/// The fields of a batch or replay JSON Lines row that a report reads.
#[derive(Debug, Deserialize)]
pub(super) struct JsonRow<'a> {
    #[serde(borrow, default)]
    pub(super) plan: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) priority: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) metric: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) opened: Present<Option<Cow<'a, str>>>,
    #[serde(borrow, default)]
    pub(super) start: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) state: Option<Cow<'a, str>>,
    #[serde(default)]
    pub(super) elapsed_seconds: Option<i64>,
    #[serde(borrow, default)]
    pub(super) error: Option<Cow<'a, str>>,
}

pub(super) fn read_jsonl(reader: impl BufRead, groups: &mut Groups<'_>) -> Result<()> {
    let mut lines = JsonLines::new(reader, "input");
    let mut elapsed = String::new();
    let want_columns = groups.by.iter().any(|k| matches!(k, Key::Column(_)));
    let mut resolved = false;
    let mut values: Vec<String> = Vec::new();
    while let Some(l) = lines.read()? {
        let line = l.line;
        if l.too_long {
            return Err(Error::TooLong { what: "row".into(), limit: MAX_RECORD_BYTES }.at_line(None, line));
        }
        let buf = lines.bytes();
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let not_a_row = |e: serde_json::Error| {
            Error::Input(format!(
                "not a batch or replay JSON row ({e}); expected one object per line, as `--format json` prints"
            ))
            .at_line(None, line)
        };
        let row: JsonRow<'_> = serde_json::from_slice(buf).map_err(not_a_row)?;
        if want_columns {
            let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(buf).map_err(not_a_row)?;
            if !resolved {
                // The first row's fields are the input's columns.
                let names: Vec<&str> = object.keys().map(String::as_str).collect();
                resolve_columns(&mut groups.by, &names, &format!("the fields of line {line}"))?;
                resolved = true;
            }
            values.clear();
            for k in &groups.by {
                if let Key::Column(c) = k {
                    values.push(match object.get(c.as_str()) {
                        None | Some(serde_json::Value::Null) => String::new(),
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(v) => v.to_string(),
                    });
                }
            }
        }
        elapsed.clear();
        if let Some(e) = row.elapsed_seconds {
            let _ = write!(elapsed, "{e}");
        }
        let batch = row.opened.0.is_some();
        let opened = row.opened.0.as_ref().and_then(|o| o.as_deref());
        let f = Fields {
            plan: text(&row.plan),
            priority: text(&row.priority),
            // A batch row's metric, when it has one (older output has none).
            metric: if batch { row.metric.as_deref() } else { Some(text(&row.metric)) },
            time: if batch { opened.unwrap_or("") } else { text(&row.start) },
            state: text(&row.state),
            elapsed: &elapsed,
            error: text(&row.error),
            columns: values.iter().map(String::as_str).collect(),
        };
        groups.add(line, &f)?;
    }
    Ok(())
}

/// A string field's text, `""` for a missing or null one.
pub(super) fn text<'a>(v: &'a Option<Cow<'_, str>>) -> &'a str {
    v.as_deref().unwrap_or("")
}
