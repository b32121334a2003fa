//! One renderer per `--format`. Commands build a view (a `Serialize` struct
//! of [`super::view`], field order = the JSON contract) and these turn it
//! into text: JSON as is, a table or CSV from the same fields.

use std::io::IsTerminal as _;

use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets::UTF8_FULL_CONDENSED,
};
use serde::Serialize;
use serde_json::Value;
use slacalc::engine::Calendar;
use slacalc::text::escape_controls;

use super::format::Format;

/// Width of tables written to a pipe or file (no terminal to measure): an
/// 80-column terminal shows them unwrapped.
pub(super) const PIPE_WIDTH: u16 = 80;

/// A table with the house style: condensed borders, columns wrapped to fit the
/// terminal (or `COLUMNS`, or 80 columns when stdout is not a terminal).
pub(super) fn table() -> Table {
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

/// Renders a finished table: no column is narrower than its longest word (up
/// to 24 characters), so words are wrapped whole rather than broken
/// (`configur|ation`); and control characters from plan or input files are
/// shown escaped, never passed to the terminal (the only escapes kept are
/// the color codes of [`tinted`] cells).
pub(super) fn show(t: &mut Table) -> String {
    let mut longest: Vec<usize> = Vec::new();
    let rows = t.header().into_iter().chain(t.row_iter());
    for row in rows {
        for (i, c) in row.cell_iter().enumerate() {
            let w = c.content().split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0).min(24);
            if longest.len() <= i {
                longest.resize(i + 1, 0);
            }
            longest[i] = longest[i].max(w);
        }
    }
    for (col, w) in t.column_iter_mut().zip(longest) {
        if col.constraint().is_none() {
            // The bound counts the cell's padding, one space each side.
            let w = u16::try_from(w + 2).unwrap_or(26);
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
        }
    }
    let text = t.to_string();
    let mut out = if color() { escape_keeping_colors(&text) } else { escape_controls(&text).into_owned() };
    out.push('\n');
    out
}

/// Escapes control characters but SGR color sequences (`ESC [ … m`).
fn escape_keeping_colors(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&escape_controls(&rest[..i]));
        let tail = &rest[i + 1..];
        let params = tail.strip_prefix('[').map(|p| p.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count());
        match params {
            Some(n) if tail.as_bytes().get(n + 1) == Some(&b'm') => {
                out.push_str(&rest[i..i + n + 3]);
                rest = &rest[i + n + 3..];
            }
            _ => {
                out.push_str("\\x1b");
                rest = tail;
            }
        }
    }
    out.push_str(&escape_controls(rest));
    out
}

/// The width tables are fitted to: `COLUMNS`, else the terminal's, else
/// [`PIPE_WIDTH`].
pub(super) fn width() -> usize {
    table().width().map_or(usize::from(PIPE_WIDTH), usize::from)
}

/// Word-wraps `text` to [`width`]; continuation lines start with `indent`
/// spaces. Words longer than a line are kept whole.
pub(super) fn wrap(text: &str, indent: usize) -> String {
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
    escape_controls(&out).into_owned()
}

/// True when output may be colored: stdout is a terminal and `NO_COLOR` is
/// unset or empty (<https://no-color.org>).
pub(super) fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// What a cell says, for its color.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
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
pub(super) fn tinted(text: impl Into<String>, tone: Tone) -> Cell {
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
pub(super) fn state_tone(state: &str) -> Tone {
    match state {
        "met" | "ok" | "running" => Tone::Good,
        "at-risk" | "warning" => Tone::Warn,
        "breached" | "missed" | "exhausted" => Tone::Bad,
        _ => Tone::Plain,
    }
}

/// A scalar as a cell: strings bare, null empty, lists one per line.
pub(super) fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join("\n"),
        Value::Object(_) => v.to_string(),
        other => other.to_string(),
    }
}

/// A CSV field: like [`cell`] but lists joined with "; ", control
/// characters escaped.
fn csv_field(v: &Value) -> String {
    match v {
        Value::Array(a) => a.iter().map(csv_field).collect::<Vec<_>>().join("; "),
        other => escape_controls(&cell(other)).into_owned(),
    }
}

/// The JSON value of a view: an object whose keys keep the fields' order.
pub(super) fn value_of<T: Serialize + ?Sized>(view: &T) -> Value {
    // A view holds strings, numbers, lists and nested views: nothing that
    // can fail to serialize (no map with non-string keys).
    serde_json::to_value(view).unwrap_or(Value::Null)
}

/// Renders one answer view: [`record`] of its fields.
pub(super) fn record_of<T: Serialize + ?Sized>(format: Format, view: &T, skip: &[&str]) -> String {
    match format {
        // Straight to text: the same bytes as through a `Value`.
        Format::Json => {
            let mut out = serde_json::to_string(view).unwrap_or_default();
            out.push('\n');
            out
        }
        _ => record(format, &value_of(view), skip),
    }
}

/// Renders rows of views of one type: [`rows`] of their fields.
pub(super) fn rows_of<T: Serialize>(format: Format, views: &[T]) -> String {
    match format {
        Format::Json => {
            let mut out = serde_json::to_string(views).unwrap_or_default();
            out.push('\n');
            out
        }
        _ => rows(format, &views.iter().map(value_of).collect::<Vec<_>>()),
    }
}

/// Renders one answer object. `skip` names fields left out of table and CSV
/// (shown separately, like `explain`).
pub(super) fn record(format: Format, v: &Value, skip: &[&str]) -> String {
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
            show(&mut t)
        }
    }
}

/// Renders rows of objects sharing the same keys.
pub(super) fn rows(format: Format, rows: &[Value]) -> String {
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
                show(&mut t)
            }
        }
    }
}

/// `Mon–Fri 09:00-12:00, 14:00-18:00; Sat 10:00-12:00`: equal consecutive days folded.
pub(super) fn hours_summary(cal: &Calendar) -> String {
    if cal.is_always() {
        return "24x7".into();
    }
    let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let week = cal.week();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < 7 {
        let mut j = i;
        while j + 1 < 7 && week[j + 1] == week[i] {
            j += 1;
        }
        if !week[i].is_empty() {
            let days = if i == j { names[i].to_string() } else { format!("{}–{}", names[i], names[j]) };
            let w: Vec<String> = week[i].iter().map(ToString::to_string).collect();
            parts.push(format!("{days} {}", w.join(", ")));
        }
        i = j + 1;
    }
    parts.join("; ")
}
