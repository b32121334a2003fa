//! `report --format html`: one self-contained page — no external asset, no
//! script — with the figures as cards, a bar chart of attainment per group,
//! for month/week/day groupings a line chart of attainment over time, and
//! the table. Charts are inline SVG that scale to the page's width; an
//! `@media print` block makes it print on white, one chart per page at most.
//! Every text that comes from the input (plan and priority names) is
//! escaped.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::decimal::BasisPoints;
use crate::engine::day::WorkSpan;
use crate::engine::duration::format_duration;
use crate::text::escape_controls;

use super::{Group, Report};

/// Most bars in the per-group chart; the table always has every group.
pub(crate) const MAX_BARS: usize = 60;

/// Most series drawn in the over-time chart besides the overall line.
pub(crate) const MAX_SERIES: usize = 8;

/// Most periods drawn in the over-time chart: the latest ones (a year of
/// days); a note says how many were left out.
pub(crate) const MAX_PERIODS: usize = 366;

/// Colours of the series lines (Okabe–Ito, readable by colour-blind eyes).
const PALETTE: [&str; MAX_SERIES] =
    ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7F6A00", "#5A5A9E"];

/// What the page says besides the report.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageOptions {
    /// The input's name, shown under the title.
    pub source: String,
    /// `--min-attainment`, drawn as a line and used to colour the bars.
    pub min_attainment: Option<BasisPoints>,
}

/// Escapes text for HTML content and attribute values (control characters
/// shown escaped first, as in every text output).
pub(crate) fn esc(s: &str) -> String {
    let s = escape_controls(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cuts a label to `max` characters, with `…`.
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

/// `66.67 %`, or `—`.
fn pct(a: Option<BasisPoints>) -> String {
    a.map_or_else(|| "—".to_string(), |a| format!("{a:.2} %"))
}

/// Attainment as a fraction of 1 for drawing.
fn frac(a: BasisPoints) -> f64 {
    a.to_f64() / 100.0
}

const STYLE: &str = r#"
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dde5; --bg: #f6f7f9; --good: #1a7f4b; --bad: #b42318; --bar: #3b6fb6; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 10px; }
.meta { color: var(--muted); margin: 0 0 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-bottom: 18px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .v { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
section.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 18px; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: var(--ink); }
svg .axis { fill: var(--muted); font-size: 12px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .min { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 6 4; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 13px; }
.legend i { display: inline-block; width: 14px; height: 3px; margin-right: 6px; vertical-align: middle; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 6px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { font-weight: 600; color: var(--muted); font-size: 12px; vertical-align: bottom; white-space: normal; }
th.key, td.key { text-align: left; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.below { color: var(--bad); font-weight: 650; }
.note { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
footer { color: var(--muted); font-size: 12px; margin-top: 8px; }
@media print {
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  section.panel, .card { border-color: #bbb; break-inside: avoid; }
  table { font-size: 10px; }
  th, td { padding: 3px 5px; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
"#;

/// The whole page.
pub(crate) fn render(report: &Report, opts: &PageOptions) -> String {
    let by: Vec<&str> = report.by.iter().map(|k| k.name()).collect();
    let mut out = String::with_capacity(16 << 10);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>SLA report by {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&by.join(", "))
    );
    let _ = writeln!(out, "<h1>SLA attainment report</h1>");
    let min = opts.min_attainment.map_or(String::new(), |m| format!(" · minimum attainment {m:.2} %"));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} · grouped by {} · {} rows, {} groups{}</p>",
        esc(&opts.source),
        esc(&by.join(", ")),
        report.rows,
        report.groups.len(),
        esc(&min)
    );
    cards(&mut out, report);
    bars(&mut out, report, opts);
    if report.by.iter().any(|k| k.is_time()) {
        timeline(&mut out, report, opts);
    }
    table(&mut out, report, opts);
    out.push_str("<footer>Attainment = met ÷ (met + missed + breached). Percentiles: nearest rank over the elapsed working time of stopped cycles (met and missed). Rows with an error count only in “errors”. Written by slacalc report.</footer>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn cards(out: &mut String, report: &Report) {
    let t = report.total();
    let overall = i64::try_from(t.met)
        .ok()
        .zip(i64::try_from(t.denominator()).ok())
        .and_then(|(m, d)| if d == 0 { None } else { BasisPoints::ratio(m, d) });
    out.push_str("<div class=\"cards\">\n");
    let mut card = |k: &str, v: String| {
        let _ = writeln!(out, "<div class=\"card\"><div class=\"k\">{k}</div><div class=\"v\">{}</div></div>", esc(&v));
    };
    card("Attainment", pct(overall));
    card("Cycles", t.cycles.to_string());
    card("Met", t.met.to_string());
    card("Missed", t.missed.to_string());
    card("Breached", t.breached.to_string());
    card("Open (running, at risk, paused)", (t.running + t.at_risk + t.paused).to_string());
    card("Errors", t.errors.to_string());
    out.push_str("</div>\n");
}

/// Horizontal bars: one per group (the first [`MAX_BARS`]).
fn bars(out: &mut String, report: &Report, opts: &PageOptions) {
    let groups: Vec<&Group> = report.groups.iter().take(MAX_BARS).collect();
    out.push_str("<section class=\"panel\">\n<h2>Attainment per group</h2>\n");
    if groups.is_empty() {
        out.push_str("<p class=\"note\">No rows.</p>\n</section>\n");
        return;
    }
    let (w, label_w, right) = (1000.0, 330.0, 150.0);
    let plot = w - label_w - right;
    let row = 24.0;
    let top = 24.0;
    let h = top + row * groups.len() as f64 + 8.0;
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Attainment per group, 0 to 100 percent\">"
    );
    for i in 0..=4 {
        let x = label_w + plot * f64::from(i) / 4.0;
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/><text class=\"axis\" x=\"{x:.1}\" y=\"14\" text-anchor=\"middle\">{}%</text>",
            top - 4.0,
            h - 4.0,
            i * 25
        );
    }
    for (i, g) in groups.iter().enumerate() {
        let y = top + row * i as f64;
        let label = g.label();
        let _ = write!(
            out,
            "<g><title>{}: {} ({} of {} measured cycles met)</title><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"13\">{}</text>",
            esc(&label),
            esc(&pct(g.attainment_percent)),
            g.counts.met,
            g.counts.denominator(),
            label_w - 10.0,
            y + 16.0,
            esc(&short(&label, 46))
        );
        match g.attainment_percent {
            Some(a) => {
                let below = opts.min_attainment.is_some_and(|m| a < m);
                let color = match opts.min_attainment {
                    Some(_) if below => "var(--bad)",
                    Some(_) => "var(--good)",
                    None => "var(--bar)",
                };
                let bw = (plot * frac(a)).max(1.0);
                let _ = write!(
                    out,
                    "<rect x=\"{label_w}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" rx=\"2\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{} <tspan class=\"axis\">n={}</tspan></text>",
                    y + 4.0,
                    row - 8.0,
                    label_w + plot + 8.0,
                    y + 16.0,
                    esc(&pct(Some(a))),
                    g.counts.denominator()
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\">no met, missed or breached cycle</text>",
                    label_w + 6.0,
                    y + 16.0
                );
            }
        }
        out.push_str("</g>\n");
    }
    if let Some(m) = opts.min_attainment {
        let x = label_w + plot * frac(m);
        let _ = writeln!(
            out,
            "<line class=\"min\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
            top - 4.0,
            h - 4.0
        );
    }
    out.push_str("</svg>\n");
    if report.groups.len() > MAX_BARS {
        let _ = writeln!(
            out,
            "<p class=\"note\">The first {MAX_BARS} of {} groups are drawn; the table below has them all.</p>",
            report.groups.len()
        );
    }
    if let Some(m) = opts.min_attainment {
        let _ =
            writeln!(out, "<p class=\"note\">Dashed line: minimum attainment {m:.2} %; groups below it in red.</p>");
    }
    out.push_str("</section>\n");
}

/// One line of the over-time chart: a label and met/denominator per period.
struct Series {
    label: String,
    points: Vec<(u64, u64)>,
}

/// Lines over the periods of the time keys: the overall attainment per
/// period, and one line per combination of the other keys (the
/// [`MAX_SERIES`] with the most measured cycles), over the last
/// [`MAX_PERIODS`] periods.
///
/// Memory is what is drawn (SPEC §8): the periods are sorted once, each
/// series' weight is summed in a map first, and points are built only for
/// the overall line and the kept series, found by a map — never a point per
/// period for every combination of keys.
fn timeline(out: &mut String, report: &Report, opts: &PageOptions) {
    let time: Vec<usize> = report.by.iter().enumerate().filter(|(_, k)| k.is_time()).map(|(i, _)| i).collect();
    let other: Vec<usize> = report.by.iter().enumerate().filter(|(_, k)| !k.is_time()).map(|(i, _)| i).collect();
    let pick = |g: &Group, idx: &[usize]| -> String {
        idx.iter().map(|&i| g.keys[i].as_deref().unwrap_or("—")).collect::<Vec<_>>().join(" · ")
    };
    // Error rows without a time have no period: left out of the chart.
    let dated = |g: &&Group| time.iter().all(|&i| g.keys[i].is_some());
    let mut periods: Vec<String> = report.groups.iter().filter(dated).map(|g| pick(g, &time)).collect();
    periods.sort();
    periods.dedup();
    let all_periods = periods.len();
    if all_periods > MAX_PERIODS {
        periods.drain(..all_periods - MAX_PERIODS);
    }
    let time_names: Vec<&str> = time.iter().map(|&i| report.by[i].name()).collect();
    let _ =
        writeln!(out, "<section class=\"panel\">\n<h2>Attainment over time (by {})</h2>", esc(&time_names.join(", ")));
    if periods.is_empty() {
        out.push_str("<p class=\"note\">No dated rows.</p>\n</section>\n");
        return;
    }
    // The drawn groups, each with its period's index.
    let at = |g: &Group| periods.binary_search_by(|x| x.as_str().cmp(&pick(g, &time))).ok();
    let drawn = || report.groups.iter().filter(dated).filter_map(|g| at(g).map(|i| (i, g)));
    // Weights first: one number per series label.
    let mut weights: BTreeMap<String, u64> = BTreeMap::new();
    if !other.is_empty() {
        for (_, g) in drawn() {
            *weights.entry(pick(g, &other)).or_default() += g.counts.denominator();
        }
    }
    let total_series = weights.len();
    let mut ranked: Vec<(String, u64)> = weights.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(MAX_SERIES);
    let mut series: Vec<Series> =
        ranked.into_iter().map(|(label, _)| Series { label, points: vec![(0, 0); periods.len()] }).collect();
    let index: HashMap<String, usize> = series.iter().enumerate().map(|(j, s)| (s.label.clone(), j)).collect();
    let mut overall = Series { label: "all groups".into(), points: vec![(0, 0); periods.len()] };
    for (i, g) in drawn() {
        let (met, den) = (g.counts.met, g.counts.denominator());
        overall.points[i].0 += met;
        overall.points[i].1 += den;
        if other.is_empty() {
            continue;
        }
        if let Some(&j) = index.get(&pick(g, &other)) {
            series[j].points[i].0 += met;
            series[j].points[i].1 += den;
        }
    }
    let (w, h) = (1000.0, 340.0);
    let (left, right, top, bottom) = (48.0, 16.0, 14.0, 40.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let n = periods.len();
    let x = |i: usize| if n == 1 { left + pw / 2.0 } else { left + pw * i as f64 / (n - 1) as f64 };
    let y = |f: f64| top + ph * (1.0 - f);
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Attainment over time, 0 to 100 percent\">"
    );
    for i in 0..=4 {
        let f = f64::from(i) / 4.0;
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/><text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}%</text>",
            y(f),
            w - right,
            y(f),
            left - 6.0,
            y(f) + 4.0,
            i * 25
        );
    }
    let step = n.div_ceil(12).max(1);
    for (i, p) in periods.iter().enumerate() {
        if i % step == 0 || i == n - 1 && n <= 12 {
            // The end labels lean inwards, so they are not cut at the edges.
            let anchor = match i {
                0 if n > 1 => "start",
                i if i == n - 1 && n > 1 => "end",
                _ => "middle",
            };
            let _ = writeln!(
                out,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
                x(i),
                h - bottom + 18.0,
                esc(&short(p, 14))
            );
        }
    }
    if let Some(m) = opts.min_attainment {
        let _ = writeln!(
            out,
            "<line class=\"min\" x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
            y(frac(m)),
            w - right,
            y(frac(m))
        );
    }
    let line = |out: &mut String, s: &Series, color: &str, width: f64| {
        let mut d = String::new();
        let mut pen = false;
        for (i, &(met, den)) in s.points.iter().enumerate() {
            if den == 0 {
                pen = false;
                continue;
            }
            let f = met as f64 / den as f64;
            let _ = write!(d, "{}{:.1},{:.1} ", if pen { "L" } else { "M" }, x(i), y(f));
            pen = true;
        }
        let _ = writeln!(
            out,
            "<g><title>{}</title><path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\" stroke-linejoin=\"round\"/>",
            esc(&s.label),
            d.trim_end()
        );
        if n <= 62 {
            for (i, &(met, den)) in s.points.iter().enumerate() {
                if den > 0 {
                    let _ = write!(
                        out,
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{color}\"><title>{} {}: {met} of {den} met</title></circle>",
                        x(i),
                        y(met as f64 / den as f64),
                        width + 1.0,
                        esc(&s.label),
                        esc(&periods[i])
                    );
                }
            }
        }
        out.push_str("</g>\n");
    };
    for (s, color) in series.iter().zip(PALETTE) {
        line(out, s, color, 2.0);
    }
    line(out, &overall, "#1d2433", 3.0);
    out.push_str("</svg>\n<ul class=\"legend\">\n<li><i style=\"background:#1d2433;height:4px\"></i>all groups</li>\n");
    for (s, color) in series.iter().zip(PALETTE) {
        let _ = writeln!(out, "<li><i style=\"background:{color}\"></i>{}</li>", esc(&short(&s.label, 60)));
    }
    out.push_str("</ul>\n");
    if total_series > MAX_SERIES {
        let _ = writeln!(
            out,
            "<p class=\"note\">{MAX_SERIES} of {total_series} series drawn (those with the most met, missed or breached cycles); “all groups” pools every one.</p>"
        );
    }
    if all_periods > MAX_PERIODS {
        let _ = writeln!(
            out,
            "<p class=\"note\">The last {MAX_PERIODS} of {all_periods} periods are drawn; the table below has them all.</p>"
        );
    }
    out.push_str("</section>\n");
}

fn table(out: &mut String, report: &Report, opts: &PageOptions) {
    out.push_str("<section class=\"panel\">\n<h2>Groups</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr>");
    for k in &report.by {
        let _ = write!(out, "<th class=\"key\">{}</th>", esc(k.name()));
    }
    for h in [
        "cycles",
        "met",
        "missed",
        "breached",
        "running",
        "at risk",
        "paused",
        "no commit-ment",
        "errors",
        "attain-ment",
        "p50",
        "p90",
        "p95",
        "mean",
    ] {
        let _ = write!(out, "<th>{}</th>", h.replace('-', "&shy;"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for g in &report.groups {
        out.push_str("<tr>");
        for k in &g.keys {
            let _ = write!(out, "<td class=\"key\">{}</td>", esc(k.as_deref().unwrap_or("—")));
        }
        let c = &g.counts;
        for n in [c.cycles, c.met, c.missed, c.breached, c.running, c.at_risk, c.paused, c.no_commitment, c.errors] {
            let _ = write!(out, "<td>{n}</td>");
        }
        let below = g.attainment_percent.zip(opts.min_attainment).is_some_and(|(a, m)| a < m);
        let _ =
            write!(out, "<td{}>{}</td>", if below { " class=\"below\"" } else { "" }, esc(&pct(g.attainment_percent)));
        for s in [g.p50_seconds, g.p90_seconds, g.p95_seconds, g.mean_seconds] {
            match s.map(WorkSpan::secs) {
                Some(s) => {
                    let _ = write!(out, "<td title=\"{s} s\">{}</td>", esc(&format_duration(s)));
                }
                None => out.push_str("<td>—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n<p class=\"note\">Durations are working time (p50/p90/p95 nearest rank, mean rounded down to the second).</p>\n");
    for n in &report.notes {
        let _ = writeln!(out, "<p class=\"note\">Note: {}</p>", esc(n));
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn keys_that_cut_time() {
        assert!(super::super::Key::Week.is_time() && !super::super::Key::Plan.is_time());
    }
}
