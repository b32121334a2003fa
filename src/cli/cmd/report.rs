//! `slacalc report`: batch or replay output summed up per group.

use std::io::Write as _;

use anyhow::{Context as _, Result, anyhow};
use comfy_table::Cell;
use slacalc::Error;
use slacalc::decimal::{BasisPoints, Syntax};
use slacalc::engine::duration::format_duration;
use slacalc::report::{self, Group, Options, Report};

use super::stream;
use crate::cli::args::{FormatArg, ReportArgs};
use crate::cli::render::{self, Tone};
use crate::cli::{Ctx, Output};

/// Runs `report`: reads the whole input, then prints the answer.
pub fn run(ctx: &Ctx, a: &ReportArgs) -> Result<Output> {
    let by = report::parse_by(&a.by)?;
    let min = a.min_attainment.as_deref().map(parse_min).transpose()?;
    let input_format = stream::input_format(a.input_format, &a.input);
    let input = stream::open_input(&a.input, "a batch or replay output file")?;
    let rep = report::run(input, &Options { by, input_format })
        .map_err(|e| anyhow!(e).context(format!("--input {}", a.input.display())))?;
    for n in &rep.notes {
        let _ = writeln!(std::io::stderr(), "note: {}", slacalc::text::escape_all_controls(n));
    }
    let text = match ctx.format_arg.unwrap_or(FormatArg::Table) {
        FormatArg::Json => {
            let mut s = serde_json::to_string(&rep).context("cannot write the report as JSON")?;
            s.push('\n');
            s
        }
        FormatArg::Csv => rep.to_csv(),
        FormatArg::Html => {
            let source =
                if a.input.as_os_str() == "-" { "standard input".into() } else { a.input.display().to_string() };
            report::html::render(&rep, &report::html::Options { source, min_attainment: min })
        }
        FormatArg::Openmetrics => report::openmetrics::render(&rep),
        // Refused in `cli::run` before the command runs.
        FormatArg::Table | FormatArg::Ics => table(&rep, min),
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
            anyhow!(Error::Input(format!(
                "--min-attainment \"{}\" is not a percentage from 0 to 100 with at most two decimals (e.g. 95 or 99.5)",
                slacalc::text::cut(s, 40)
            )))
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
pub const MAX_TABLE_GROUPS: usize = 1000;

/// The table: the keys, the counts, attainment and the durations as `4h30m`
/// (the first [`MAX_TABLE_GROUPS`] groups).
fn table(rep: &Report, min: Option<BasisPoints>) -> String {
    let mut t = render::table();
    let mut header: Vec<String> = rep.by.iter().map(|k| k.name().to_string()).collect();
    header.extend(
        [
            "cycles",
            "met",
            "missed",
            "breached",
            "running",
            "at risk",
            "paused",
            "no commit",
            "errors",
            "attain %",
            "p50",
            "p90",
            "p95",
            "mean",
        ]
        .map(String::from),
    );
    t.set_header(header);
    for g in rep.groups.iter().take(MAX_TABLE_GROUPS) {
        t.add_row(row(g, min));
    }
    let mut out = render::show(&mut t);
    drop(t);
    if rep.groups.len() > MAX_TABLE_GROUPS {
        out.push_str(&format!(
            "{} more groups are not shown in the table ({MAX_TABLE_GROUPS} of {} shown): use --format csv or --format json for all of them\n",
            rep.groups.len() - MAX_TABLE_GROUPS,
            rep.groups.len()
        ));
    }
    let total = rep.total();
    let overall = i64::try_from(total.met)
        .ok()
        .zip(i64::try_from(total.denominator()).ok())
        .and_then(|(m, d)| if d == 0 { None } else { BasisPoints::ratio(m, d) });
    out.push_str(&format!(
        "{} rows, {} groups: {} cycles, {} errors; attainment {}\n",
        rep.rows,
        rep.groups.len(),
        total.cycles,
        total.errors,
        overall.map_or_else(|| "n/a".to_string(), |a| format!("{a:.2} %"))
    ));
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
        cells.push(Cell::new(secs(s)));
    }
    cells
}
