//! `slacalc batch`: a ticket export through the shared deadline/status code.

use std::io::Write as _;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use slacalc::batch::{self, BatchOptions};
use slacalc::plan::lifecycle::Metric;

use super::stream;
use crate::cli::args::BatchArgs;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::RowsFormat;

/// Runs `batch`, streaming to stdout; prints the summary on stderr.
pub(crate) fn run(ctx: &Ctx, a: &BatchArgs, format: RowsFormat) -> Result<Output> {
    let format = format.rows();
    let mut mapping =
        stream::mapping(&a.export, a.plan.as_deref(), a.priority.as_deref(), &batch::FIELDS, &batch::VALUED)?;
    let input_zone = stream::input_zone(a.input_tz.as_deref(), &mapping)?;
    let plans = ctx.plans()?;
    // [values.priority.PLAN] names a plan by id or alias: match rows by id.
    mapping.resolve_plans(|k| plans.get(k).map(|p| p.id.clone())).context("invalid --profile")?;
    if let Some(p) = &mapping.plan {
        // A default plan that does not exist fails every row: say it once.
        plans.get(p)?;
    }
    let now = ctx.now_for_rows()?;
    let metric = match a.metric.as_deref() {
        Some("resolution") => Metric::Resolution,
        _ => Metric::FirstResponse,
    };
    let day = |flag: &str, d: &Option<String>| -> Result<Option<i64>> {
        d.as_deref()
            .map(|d| {
                let date = slacalc::instant::parse_date(d).with_context(|| format!("invalid {flag}"))?;
                Ok(date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp().div_euclid(86_400))
            })
            .transpose()
    };
    let (from_day, to_day) = (day("--from", &a.from)?, day("--to", &a.to)?);
    if let (Some(f), Some(t)) = (from_day, to_day)
        && f > t
    {
        bail!(
            "--from {} is after --to {} (expected --from DATE on or before --to DATE)",
            a.from.as_deref().unwrap_or_default(),
            a.to.as_deref().unwrap_or_default()
        );
    }
    let opts = BatchOptions {
        mapping,
        now,
        input_zone,
        display: stream::display(ctx),
        format,
        strict: a.strict,
        metric,
        from_day,
        to_day,
    };
    let input = stream::open_input(&a.input, "a CSV file")?;
    let jobs = match a.jobs {
        0 => std::thread::available_parallelism().map_or(1, usize::from).min(batch::MAX_JOBS),
        n => n,
    };
    let started = Instant::now();
    let Some(summary) = stream::run(&a.input, input, a.strict, "rows", |input, out, progress| {
        // Said before the first row: why every state below is as of now.
        batch::run_noted(&plans, input, out, &opts, jobs, progress, |n| {
            let _ = writeln!(std::io::stderr(), "note: {}", slacalc::text::escape_all_controls(n));
        })
    })?
    else {
        return Ok(Output::quiet());
    };
    // Not eprintln!, which panics when stderr is closed.
    if !summary.replaced_columns.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "note: input columns {} are computed by batch: printed once, with the fresh values",
            slacalc::text::escape_all_controls(&slacalc::text::cut(&summary.replaced_columns.join(", "), 200))
        );
    }
    if !summary.renamed_columns.is_empty() {
        // Say why when a name is that of a field read from another column.
        let why = |name: &str| {
            let field = name.to_lowercase();
            let field = field.trim();
            match batch::FIELDS.iter().find(|f| **f == field) {
                Some(f) if opts.mapping.is_mapped(f) => {
                    format!(" ({f} is read from \"{}\")", slacalc::text::cut(opts.mapping.column(f), 80))
                }
                _ => String::new(),
            }
        };
        let list: Vec<String> =
            summary.renamed_columns.iter().map(|(from, to)| format!("\"{from}\" as \"{to}\"{}", why(from))).collect();
        let _ = writeln!(
            std::io::stderr(),
            "note: input columns whose name is taken in the output are passed through renamed: {}",
            slacalc::text::escape_all_controls(&slacalc::text::cut(&list.join(", "), 300))
        );
    }
    let rows = |n: u64| if n == 1 { "1 row".to_string() } else { format!("{n} rows") };
    if summary.after_now > 0 {
        let _ = writeln!(std::io::stderr(), "note: {} opened after now left out", rows(summary.after_now));
    }
    if summary.out_of_range > 0 {
        let range = match (&a.from, &a.to) {
            (Some(f), Some(t)) => format!("{f} to {t}"),
            (Some(f), None) => format!("--from {f}"),
            (None, Some(t)) => format!("--to {t}"),
            (None, None) => String::new(),
        };
        let _ = writeln!(std::io::stderr(), "note: {} opened outside {range} left out", rows(summary.out_of_range));
    }
    let left = summary.after_now + summary.out_of_range;
    // Rows out == rows in minus those left out: said when some were.
    let written = if left > 0 {
        format!("{} written of {} read ({left} left out)", rows(summary.rows), summary.rows + left)
    } else {
        rows(summary.rows)
    };
    let _ = writeln!(
        std::io::stderr(),
        "{}: {} breached, {} at risk, {} missed, {} ({:.2} s)",
        written,
        summary.breached,
        summary.at_risk,
        summary.missed,
        slacalc::text::count(summary.errors, "error", "errors"),
        started.elapsed().as_secs_f64()
    );
    let code = stream::max_errors(a.max_errors, summary.errors, "rows");
    Ok(Output { text: String::new(), code })
}
