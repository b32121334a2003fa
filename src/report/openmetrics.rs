//! `report --format openmetrics`: the groups as gauges in the OpenMetrics
//! text format, for a metrics scraper's text-file collector.
//!
//! Two families and a third for errors, each with `# TYPE` and `# HELP`,
//! labelled by the group's keys; `# EOF` ends the exposition:
//!
//! - `slacalc_attainment_ratio` (gauge, 0..1): met / (met + missed +
//!   breached), the report's attainment (rounded to 0.0001) over 100; a group
//!   without a denominator has no sample.
//! - `slacalc_cycles` (gauge, `state` label): cycles per state.
//! - `slacalc_error_rows` (gauge): rows with an error.
//!
//! A `--by` column of the input is a label named by [`label_names`].
//!
//! They are gauges, not counters: a report counts what is in one input, and
//! the next run over another window may count fewer (a counter must never
//! go down, and would need a `_total` sample name that a Prometheus 0.0.4
//! text-file reader takes for another family).

use std::fmt::Write as _;

use super::{Group, Key, Report};
use crate::text::escape_all_controls;

/// Escapes a label value: `\` → `\\`, `"` → `\"`, a line feed → `\n`
/// (the OpenMetrics ABNF's escapes). Any other control character (and the
/// bidirectional overrides) is shown escaped as every text output shows it
/// ([`escape_all_controls`]: ESC as `\x1b`, a CR as `\r`), that text's
/// backslash escaped in turn: a scraper reads the label value `p\x1b`, a
/// terminal that shows the file gets no control character.
pub(crate) fn escape_label(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut buf = [0; 4];
    for c in v.chars() {
        if c == '\n' {
            out.push_str("\\n");
            continue;
        }
        for d in escape_all_controls(c.encode_utf8(&mut buf)).chars() {
            match d {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                d => out.push(d),
            }
        }
    }
    out
}

/// A label name for a `--by` key: the known keys as they are; a column of
/// the input with each character outside `[A-Za-z0-9_]` made `_`, `col_`
/// put before a name that would start with a digit or with `__` (reserved
/// for the scraper's own labels) or be empty. A name already taken (by an
/// earlier key, or `state`, the label of `slacalc_cycles`) gets `_2`, `_3`,
/// … after it.
pub(crate) fn label_names(by: &[Key]) -> Vec<String> {
    let mut taken: Vec<String> = vec!["state".to_string()];
    let mut out = Vec::with_capacity(by.len());
    for k in by {
        let base = match k {
            Key::Column(c) => {
                let mut n: String =
                    c.chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '_' { ch } else { '_' }).collect();
                if n.is_empty() || n.starts_with(|ch: char| ch.is_ascii_digit()) || n.starts_with("__") {
                    n.insert_str(0, "col_");
                }
                n
            }
            k => k.name().to_string(),
        };
        let mut name = base.clone();
        let mut i = 2;
        while taken.contains(&name) {
            name = format!("{base}_{i}");
            i += 1;
        }
        taken.push(name.clone());
        out.push(name);
    }
    out
}

/// `{plan="…",priority="…"` (no closing brace, so a caller may add labels).
fn labels(names: &[String], g: &Group) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in names.iter().zip(&g.keys).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{k}=\"{}\"", escape_label(v.as_deref().unwrap_or("")));
    }
    out
}

/// Basis points of a percent as a ratio, exactly: 6667 → `0.6667`,
/// 10000 → `1`, 0 → `0`.
fn ratio(raw: i64) -> String {
    let (int, frac) = (raw.div_euclid(10_000), raw.rem_euclid(10_000));
    if frac == 0 { int.to_string() } else { format!("{int}.{}", format!("{frac:04}").trim_end_matches('0')) }
}

/// The whole exposition, ending with `# EOF`.
pub(crate) fn render(report: &Report) -> String {
    let names = label_names(&report.by);
    let mut out = String::new();
    let sep = |l: &str| if l.len() > 1 { "," } else { "" };
    out.push_str("# TYPE slacalc_attainment_ratio gauge\n");
    out.push_str("# HELP slacalc_attainment_ratio Cycles met over cycles met, missed or breached (0..1), per group.\n");
    for g in &report.groups {
        if let Some(a) = g.attainment_percent {
            let value = ratio(a.raw());
            let _ = writeln!(out, "slacalc_attainment_ratio{}}} {value}", labels(&names, g));
        }
    }
    out.push_str("# TYPE slacalc_cycles gauge\n");
    out.push_str("# HELP slacalc_cycles Cycles (rows without an error) per group and state.\n");
    for g in &report.groups {
        let l = labels(&names, g);
        for (state, n) in g.counts.states() {
            let _ = writeln!(out, "slacalc_cycles{l}{}state=\"{state}\"}} {n}", sep(&l));
        }
    }
    out.push_str("# TYPE slacalc_error_rows gauge\n");
    out.push_str("# HELP slacalc_error_rows Input rows with an error, per group.\n");
    for g in &report.groups {
        let _ = writeln!(out, "slacalc_error_rows{}}} {}", labels(&names, g), g.counts.errors);
    }
    out.push_str("# EOF\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_label_values() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(escape_label("p\x1b]0\x07\rq\u{9b}"), "p\\\\x1b]0\\\\x07\\\\rq\\\\u{9b}");
        assert_eq!(
            (ratio(6667), ratio(10_000), ratio(0), ratio(500)),
            ("0.6667".into(), "1".into(), "0".into(), "0.05".into())
        );
    }

    #[test]
    fn label_names_are_valid_and_distinct() {
        let col = |c: &str| Key::Column(c.to_string());
        let by = [
            Key::Plan,
            col("Company Name"),
            col("Müller"),
            col("1st"),
            col("__x"),
            col("state"),
            col("plan"),
            col("a-b"),
            col("a b"),
        ];
        assert_eq!(
            label_names(&by),
            ["plan", "Company_Name", "M_ller", "col_1st", "col___x", "state_2", "plan_2", "a_b", "a_b_2"]
        );
        for n in label_names(&by) {
            assert!(n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'), "{n}");
            assert!(n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !n.starts_with("__"), "{n}");
        }
    }
}
