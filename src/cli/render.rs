//! One renderer per `--format`. Commands build a `serde_json::Value` object
//! (field order = the JSON contract) and these turn it into text.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::Value;

use super::args::Format;

/// A table with the house style: fits the terminal, condensed borders.
pub fn table() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if std::env::var_os("COLUMNS").is_none() && !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        t.set_width(100);
    }
    t
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
                t.add_row(vec![k.clone(), cell(val)]);
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
                    t.add_row(cells(r, cell));
                }
                format!("{t}\n")
            }
        }
    }
}
