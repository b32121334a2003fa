//! One renderer per `--format`. Commands build a `serde_json::Value` object
//! (field order = the JSON contract) and these turn it into text.

use std::io::IsTerminal as _;

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::Value;

use super::args::Format;

/// Width of tables written to a pipe or file (no terminal to measure): an
/// 80-column terminal shows them unwrapped.
pub const PIPE_WIDTH: u16 = 80;

/// A table with the house style: condensed borders, columns wrapped to fit the
/// terminal (or `COLUMNS`, or 80 columns when stdout is not a terminal).
pub fn table() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|&c| c >= 20);
    match columns {
        Some(c) => {
            t.set_width(c);
        }
        None if !std::io::stdout().is_terminal() => {
            t.set_width(PIPE_WIDTH);
        }
        None => {
            // A terminal that reports no usable size (a bare pty) gets the pipe width.
            if t.width().is_none_or(|w| w < 20) {
                t.set_width(PIPE_WIDTH);
            }
        }
    }
    t
}

/// The width tables are fitted to: `COLUMNS`, else the terminal's, else
/// [`PIPE_WIDTH`].
pub fn width() -> usize {
    table().width().map_or(usize::from(PIPE_WIDTH), usize::from)
}

/// Word-wraps `text` to [`width`]; continuation lines start with `indent`
/// spaces. Words longer than a line are kept whole.
pub fn wrap(text: &str, indent: usize) -> String {
    let max = width().max(indent + 20);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > indent && len + 1 + word.chars().count() > max {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(indent);
        } else if len > 0 && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// True when output may be colored: stdout is a terminal and `NO_COLOR` is
/// unset or empty (<https://no-color.org>).
pub fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// What a cell says, for its color.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Nothing special.
    Plain,
    /// All is well (met, ok, open).
    Good,
    /// Needs attention (at-risk, warning, an override).
    Warn,
    /// A "no" (breached, missed, exhausted, a holiday).
    Bad,
    /// Background information (closed days, DST notes).
    Dim,
    /// Worth noticing but neither good nor bad (a DST change).
    Note,
}

/// A cell colored by `tone` when [`color`] allows it, plain otherwise.
pub fn tinted(text: impl Into<String>, tone: Tone) -> Cell {
    let cell = Cell::new(text.into());
    if !color() {
        return cell;
    }
    match tone {
        Tone::Plain => cell,
        Tone::Good => cell.fg(Color::Green),
        Tone::Warn => cell.fg(Color::Yellow),
        Tone::Bad => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        Tone::Dim => cell.add_attribute(Attribute::Dim),
        Tone::Note => cell.fg(Color::Cyan),
    }
}

/// The tone of a `state` value of any command.
pub fn state_tone(state: &str) -> Tone {
    match state {
        "met" | "ok" | "running" => Tone::Good,
        "at-risk" | "warning" => Tone::Warn,
        "breached" | "missed" | "exhausted" => Tone::Bad,
        _ => Tone::Plain,
    }
}

/// A scalar as a cell: strings bare, null empty, lists one per line.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join("\n"),
        Value::Object(_) => v.to_string(),
        other => other.to_string(),
    }
}

/// A CSV field: like [`cell`] but lists joined with "; ".
fn csv_field(v: &Value) -> String {
    match v {
        Value::Array(a) => a.iter().map(csv_field).collect::<Vec<_>>().join("; "),
        other => cell(other),
    }
}

/// Renders one answer object. `skip` names fields left out of table and CSV
/// (shown separately, like `explain`).
pub fn record(format: Format, v: &Value, skip: &[&str]) -> String {
    let Value::Object(map) = v else { return v.to_string() };
    match format {
        Format::Json => format!("{v}\n"),
        Format::Csv => {
            let keys: Vec<&String> = map.keys().filter(|k| !skip.contains(&k.as_str())).collect();
            let mut w = csv::Writer::from_writer(vec![]);
            let _ = w.write_record(keys.iter().map(|k| k.as_str()));
            let _ = w.write_record(keys.iter().map(|k| csv_field(&map[k.as_str()])));
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Format::Table => {
            let mut t = table();
            for (k, val) in map.iter().filter(|(k, _)| !skip.contains(&k.as_str())) {
                let text = cell(val);
                let tone = if k == "state" { state_tone(&text) } else { Tone::Plain };
                t.add_row(vec![Cell::new(k), tinted(text, tone)]);
            }
            format!("{t}\n")
        }
    }
}

/// Renders rows of objects sharing the same keys.
pub fn rows(format: Format, rows: &[Value]) -> String {
    match format {
        Format::Json => {
            let mut out = serde_json::to_string(rows).unwrap_or_default();
            out.push('\n');
            out
        }
        Format::Csv | Format::Table => {
            let keys: Vec<String> = match rows.first() {
                Some(Value::Object(m)) => m.keys().cloned().collect(),
                _ => vec![],
            };
            let cells = |r: &Value, f: fn(&Value) -> String| -> Vec<String> {
                keys.iter().map(|k| r.get(k).map(f).unwrap_or_default()).collect()
            };
            if format == Format::Csv {
                let mut w = csv::Writer::from_writer(vec![]);
                let _ = w.write_record(&keys);
                for r in rows {
                    let _ = w.write_record(cells(r, csv_field));
                }
                String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
            } else {
                let mut t = table();
                t.set_header(keys.clone());
                for r in rows {
                    t.add_row(keys.iter().zip(cells(r, cell)).map(|(k, text)| {
                        let tone = if k == "state" { state_tone(&text) } else { Tone::Plain };
                        tinted(text, tone)
                    }));
                }
                format!("{t}\n")
            }
        }
    }
}
