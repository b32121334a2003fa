//! `slacalc report`: batch or replay output summed up per group.

use std::io::Write as _;

use anyhow::{Context as _, Result, anyhow};
use comfy_table::Cell;
use slacalc::WorkSpan;
use slacalc::decimal::{BasisPoints, Syntax};
use slacalc::engine::duration::format_duration;
use slacalc::report::{self, Group, Key, Levels, Report, ReportOptions};

use super::stream;
use crate::cli::args::ReportArgs;
use crate::cli::ctx::{Ctx, Now, Output};
use crate::cli::format::ReportFormat;
use crate::cli::render::{self, Tone};

/// Runs `report`: reads the whole input, then prints the answer.
pub(crate) fn run(ctx: &Ctx, a: &ReportArgs, format: ReportFormat) -> Result<Output> {
    if let Now::Flag(_) = ctx.now {
        return Err(anyhow!(
            "report does not use --now: its rows are as of the now of the batch or replay run that wrote them (give --now to batch or replay)"
        ));
    }
    let by = report::parse_by(&a.by)?;
    let min = a.min_attainment.as_deref().map(parse_min).transpose()?;
    let delimiter = a.delimiter.as_deref().map(slacalc::mapping::parse_delimiter).transpose()?.unwrap_or(b',');
    // Priorities sort in their plan's order: only then are plans loaded.
    let levels = if by.contains(&Key::Priority) { Levels::from_plans(&*ctx.plans()?) } else { Levels::default() };
    let zone = if ctx.utc { Some(chrono_tz::UTC) } else { ctx.tz };
    let input_format = stream::input_format(a.input_format, &a.input);
    let input = stream::open_input(&a.input, "a batch or replay output file")?;
    let opts = ReportOptions { by, input_format, zone, delimiter, levels };
    let rep = report::run(input, &opts).map_err(|e| anyhow!(e).context(format!("--input {}", a.input.display())))?;
    for n in &rep.notes {
        let _ = writeln!(std::io::stderr(), "note: {}", slacalc::text::escape_all_controls(n));
    }
    let text = match format {
        ReportFormat::Json => {
            let mut s = serde_json::to_string(&rep).context("cannot write the report as JSON")?;
            s.push('\n');
            s
        }
        ReportFormat::Csv => rep.to_csv(),
        ReportFormat::Html => {
            let source =
                if a.input.as_os_str() == "-" { "standard input".into() } else { a.input.display().to_string() };
            report::html::render(&rep, &report::html::PageOptions { source, min_attainment: min })
        }
        ReportFormat::Openmetrics => report::openmetrics::render(&rep),
        ReportFormat::Table => table(&rep, min),
    };
    let mut code = 0;
    if let Some(m) = min {
        let below = rep.below(m);
        if !below.is_empty() {
            code = 1;
            let names: Vec<String> =
                below.iter().take(10).map(|g| format!("{} ({})", g.label(), pct(g.attainment_percent))).collect();
            let more = if below.len() > 10 { format!(" and {} more", below.len() - 10) } else { String::new() };
            let _ = writeln!(
                std::io::stderr(),
                "check: {} of {} groups below {m:.2} %: {}{more}",
                below.len(),
                rep.groups.len(),
                slacalc::text::escape_all_controls(&slacalc::text::cut(&names.join(", "), 400))
            );
        }
    }
    Ok(Output { text, code })
}

/// `--min-attainment`: a percent from 0 to 100, two decimals at most (`95`,
/// `99.5`, `99.5%`).
fn parse_min(s: &str) -> Result<BasisPoints> {
    let t = s.trim().trim_end_matches('%').trim_end();
    BasisPoints::parse(t, Syntax::PLAIN)
        .ok()
        .filter(|p| p.within(BasisPoints::ZERO, BasisPoints::from_int(100)))
        .ok_or_else(|| {
            anyhow!(
                "--min-attainment \"{}\" is not a percentage from 0 to 100 with at most two decimals (e.g. 95 or 99.5)",
                slacalc::text::cut(s, 40)
            )
        })
}

fn pct(a: Option<BasisPoints>) -> String {
    a.map_or_else(String::new, |a| format!("{a:.2}"))
}

fn secs(s: Option<i64>) -> String {
    s.map_or_else(String::new, format_duration)
}

/// Most groups the table shows. A table is for people, and comfy-table holds
/// a few KB per row until it is printed (200 000 groups took 1.2 GB, seven
/// times the JSON of the same report): past this, the first groups in order
/// are shown and a line under the table says how many were left out and
/// which formats have them all (SPEC §8: memory bounded by what is shown).
pub(crate) const MAX_TABLE_GROUPS: usize = 1000;

/// The figure columns of the table, each with the rank in which it is left
/// out when the table is wider than the terminal (1 first; 0 never):
/// the percentiles and the mean, then the open states, then missed and
/// breached (attainment sums them up), errors last but cycles and met.
/// The keys and attainment always stay.
const FIGURES: [(&str, u8); 14] = [
    ("cycles", 12),
    ("met", 13),
    ("missed", 9),
    ("breached", 10),
    ("running", 7),
    ("at risk", 6),
    ("paused", 4),
    ("no commit", 5),
    ("errors", 11),
    ("attain %", 0),
    ("p50", 8),
    ("p90", 2),
    ("p95", 1),
    ("mean", 3),
];

/// The table: the keys, the counts, attainment and the durations as `4h30m`
/// (the first [`MAX_TABLE_GROUPS`] groups), without the columns that do not
/// fit the width ([`FIGURES`]; a line under the table names them).
fn table(rep: &Report, min: Option<BasisPoints>) -> String {
    let shown = &rep.groups[..rep.groups.len().min(MAX_TABLE_GROUPS)];
    let keep = fitting(rep, shown, render::width());
    let mut t = render::table();
    let mut header: Vec<String> =
        rep.by.iter().map(|k| slacalc::text::escape_controls(k.name()).into_owned()).collect();
    header.extend(FIGURES.iter().zip(keep).filter(|(_, k)| *k).map(|((name, _), _)| name.to_string()));
    t.set_header(header);
    for g in shown {
        let mut cells = row(g, min);
        let n = g.keys.len();
        let mut i = 0;
        cells.retain(|_| {
            i += 1;
            i <= n || keep[i - n - 1]
        });
        t.add_row(cells);
    }
    let mut out = render::show(&mut t);
    drop(t);
    let left_out: Vec<&str> = FIGURES.iter().zip(keep).filter(|(_, k)| !*k).map(|((name, _), _)| *name).collect();
    if !left_out.is_empty() {
        out.push_str(&render::wrap(
            &format!(
                "Left out to fit {} columns: {}; a wider terminal (or COLUMNS) shows them, --format csv or json has them all.",
                render::width(),
                left_out.join(", ")
            ),
            0,
        ));
    }
    if rep.groups.len() > MAX_TABLE_GROUPS {
        out.push_str(&format!(
            "{} more groups are not shown in the table ({MAX_TABLE_GROUPS} of {} shown): use --format csv or --format json for all of them\n",
            rep.groups.len() - MAX_TABLE_GROUPS,
            rep.groups.len()
        ));
    }
    let total = &rep.total;
    out.push_str(&format!(
        "{}, {}: {}, {}; attainment {}\n",
        slacalc::text::count(rep.rows, "row", "rows"),
        slacalc::text::count(rep.groups.len() as u64, "group", "groups"),
        slacalc::text::count(total.counts.cycles, "cycle", "cycles"),
        slacalc::text::count(total.counts.errors, "error", "errors"),
        total.attainment_percent.map_or_else(|| "n/a".to_string(), |a| format!("{a:.2} %"))
    ));
    out
}

/// Which [`FIGURES`] columns the table keeps at `width` columns: all when
/// they fit, else without the columns of the lowest ranks until the rest
/// fits (as [`render::show`] lays it out: each column at least as wide as
/// its longest word, up to 24, plus padding and a border).
fn fitting(rep: &Report, shown: &[Group], width: usize) -> [bool; 14] {
    let word = |s: &str| s.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0).min(24);
    let mut keys: Vec<usize> = rep.by.iter().map(|k| word(&slacalc::text::escape_controls(k.name()))).collect();
    let mut figures: Vec<usize> = FIGURES.iter().map(|(name, _)| word(name)).collect();
    for g in shown {
        for (w, k) in keys.iter_mut().zip(&g.keys) {
            *w = (*w).max(word(&slacalc::text::escape_controls(k.as_deref().unwrap_or("—"))));
        }
        for (w, c) in figures.iter_mut().zip(row_texts(g)) {
            *w = (*w).max(word(&c));
        }
    }
    // Each column: its text, a space each side, the border on its left.
    let mut total = 1 + keys.iter().chain(&figures).map(|w| w + 3).sum::<usize>();
    let mut keep = [true; 14];
    for rank in 1..=13 {
        if total <= width {
            break;
        }
        if let Some(i) = FIGURES.iter().position(|f| f.1 == rank) {
            keep[i] = false;
            total -= figures[i] + 3;
        }
    }
    keep
}

/// The texts of a group's figure cells, in [`FIGURES`] order.
fn row_texts(g: &Group) -> Vec<String> {
    let c = &g.counts;
    let mut out: Vec<String> =
        [c.cycles, c.met, c.missed, c.breached, c.running, c.at_risk, c.paused, c.no_commitment, c.errors]
            .iter()
            .map(u64::to_string)
            .collect();
    out.push(pct(g.attainment_percent));
    out.extend([g.p50_seconds, g.p90_seconds, g.p95_seconds, g.mean_seconds].map(|s| secs(s.map(WorkSpan::secs))));
    out
}

fn row(g: &Group, min: Option<BasisPoints>) -> Vec<Cell> {
    let c = &g.counts;
    // Escaped before the layout (render::show escapes again, a no-op then),
    // so a control character in a name does not shift its row's columns.
    let mut cells: Vec<Cell> =
        g.keys.iter().map(|k| Cell::new(slacalc::text::escape_controls(k.as_deref().unwrap_or("—")))).collect();
    for n in [c.cycles, c.met, c.missed, c.breached, c.running, c.at_risk, c.paused, c.no_commitment, c.errors] {
        cells.push(Cell::new(n));
    }
    let tone = match (g.attainment_percent, min) {
        (Some(a), Some(m)) if a < m => Tone::Bad,
        (Some(_), Some(_)) => Tone::Good,
        _ => Tone::Plain,
    };
    cells.push(render::tinted(pct(g.attainment_percent), tone));
    for s in [g.p50_seconds, g.p90_seconds, g.p95_seconds, g.mean_seconds] {
        cells.push(Cell::new(secs(s.map(WorkSpan::secs))));
    }
    cells
}
