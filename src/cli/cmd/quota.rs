//! `slacalc quota`: how much of the support quota is left in the period?

use anyhow::{Context as _, Result};
use slacalc::decimal::Permille;
use slacalc::instant::{format_instant, parse_date};
use slacalc::plan::QuotaUnit;
use slacalc::sla::quota::{self, QuotaAnswer, QuotaInput, QuotaState, Usage, to_milli};
use slacalc::sla::{Money, period::PeriodSpan};

use super::stream::read_csv;
use crate::cli::args::QuotaArgs;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::Format;
use crate::cli::render;
use crate::cli::view::{LogView, QuotaSeconds, QuotaView};

fn qty_text(ticks: i64, unit: QuotaUnit) -> String {
    to_milli(ticks, unit).to_string()
}

/// Runs `quota`.
pub(crate) fn run(ctx: &Ctx, a: &QuotaArgs, format: Format) -> Result<Output> {
    let plans = ctx.plans()?;
    let plan = plans.get(&a.plan)?;
    let zone = plan.calendar.calendar.tz();
    // A date stands for its first instant, as --period-start's does.
    let at = match a.at.trim() {
        d if d.len() == 10 && d.as_bytes().get(4) == Some(&b'-') => {
            let date = parse_date(d).context("invalid --at")?;
            plan.calendar.calendar.midnight(date)
        }
        t => ctx.instant("--at", t, zone)?,
    };
    let now = ctx.now(zone)?;
    let unit = quota::unit_of(plan);
    let period_start = a.period_start.as_deref().map(parse_date).transpose().context("invalid --period-start")?;
    let subscription = a.subscription.as_deref().map(|s| Money::parse(s, "--subscription")).transpose()?;
    let allowance = a.allowance.as_deref().map(|s| quota::parse_quantity(s, unit, "--allowance")).transpose()?;
    // clap's `requires` gives way to `--used`, which conflicts with --log.
    if a.delimiter.is_some() && a.log.is_none() {
        return Err(anyhow::anyhow!("--delimiter is the field separator of the --log file: give --log FILE with it"));
    }
    let usage = match (&a.used, &a.log) {
        (Some(u), _) => Usage::Used(quota::parse_quantity(u, unit, "--used")?),
        (None, Some(path)) => {
            let delimiter = a.delimiter.as_deref().map(slacalc::mapping::parse_delimiter).transpose()?.unwrap_or(b',');
            Usage::Log(read_csv(path, "--log", |input, name| {
                quota::parse_log_with(input, name, ctx.input_zone(zone), now, delimiter)
            })?)
        }
        (None, None) => Usage::None,
    };
    let input = QuotaInput { at, period_start, subscription, allowance, usage };
    let ans = quota::quota(plan, &input)?;
    let disp = ctx.display(zone);

    let span = |f: fn(&PeriodSpan) -> i64| ans.span.as_ref().map(|s| format_instant(f(s), disp));
    let milli = |t: i64| to_milli(t, unit);
    let secs = |t: i64| t.saturating_add(if t < 0 { -500 } else { 500 }) / 1_000;
    let view = QuotaView {
        plan: &plan.id,
        unit: ans.unit.as_str(),
        period_start: span(|s| s.start),
        period_end: span(|s| s.end),
        allowance: ans.allowance.map(milli),
        used: milli(ans.used),
        remaining: ans.remaining.map(milli),
        state: ans.state.as_str(),
        usage: (format == Format::Table).then(|| bar(&ans)),
        used_percent: ans.used_permille,
        period: ans.period.map(|p| p.as_str()),
        warn_percent: ans.warn_basis_points,
        excluded_kinds: &ans.excluded_kinds,
        log: ans.log.as_ref().map(|c| LogView {
            log_rows: c.rows,
            counted: c.counted,
            excluded: c.excluded,
            outside_period: c.outside,
        }),
        seconds: (unit == QuotaUnit::Hours).then(|| QuotaSeconds {
            allowance_seconds: ans.allowance.map(secs),
            used_seconds: secs(ans.used),
            remaining_seconds: ans.remaining.map(secs),
        }),
        notes: &ans.notes,
        assumed: ans.assumed,
        assumptions: &ans.assumptions,
    };
    let text = render::record_of(format, &view, &[]);
    Ok(Output { text, code: u8::from(a.check && ans.check_fails) })
}

/// `8 / 12 hours [#############-------] 67 %`.
fn bar(ans: &QuotaAnswer) -> String {
    const WIDTH: i64 = 20;
    let unit = ans.unit;
    let Some(allowance) = ans.allowance else {
        return format!("{} {} used, unlimited", qty_text(ans.used, unit), unit.as_str());
    };
    let permille = ans.used_permille.map_or(1_000, Permille::raw);
    let filled = usize::try_from(permille.clamp(0, 1_000) * WIDTH / 1_000).unwrap_or(0);
    let mut pct = permille.saturating_add(5) / 10;
    if ans.state != QuotaState::Exhausted {
        pct = pct.min(99);
    }
    let shown = if ans.used_permille.is_none() { "exhausted".to_string() } else { format!("{pct} %") };
    format!(
        "{} / {} {} [{}{}] {shown}",
        qty_text(ans.used, unit),
        qty_text(allowance, unit),
        unit.as_str(),
        "#".repeat(filled),
        "-".repeat(WIDTH as usize - filled)
    )
}
