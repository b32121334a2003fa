//! `slacalc quota`: how much of the support quota is left in the period?

use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::{Map, Value, json};
use slacalc::decimal::Permille;
use slacalc::instant::{format_instant, parse_date};
use slacalc::plan::QuotaUnit;
use slacalc::sla::quota::{self, QuotaAnswer, QuotaInput, QuotaState, Usage, to_milli};
use slacalc::sla::{Money, period::PeriodSpan};

use crate::cli::args::{Format, QuotaArgs};
use crate::cli::{Ctx, Output, render};

/// Reads the CSV file named by `flag` (`-` reads stdin) with `parse`, which
/// streams it through the bounded reader ([`slacalc::input`]); an error
/// opening or reading the file names the flag.
pub fn read_csv<T>(
    path: &Path,
    flag: &str,
    parse: impl FnOnce(Box<dyn std::io::Read>, &str) -> slacalc::Result<T>,
) -> Result<T> {
    let (input, name) = slacalc::input::open(path).with_context(|| format!("invalid {flag}"))?;
    parse(input, &name).map_err(|e| match e {
        e @ slacalc::Error::Io { .. } => anyhow::Error::from(e).context(format!("invalid {flag}")),
        e => e.into(),
    })
}

/// A quantity of `unit` in ticks as a JSON number (hours to three decimals).
fn qty(ticks: i64, unit: QuotaUnit) -> Value {
    to_milli(ticks, unit).to_json()
}

fn qty_text(ticks: i64, unit: QuotaUnit) -> String {
    to_milli(ticks, unit).to_string()
}

/// Runs `quota`.
pub fn run(ctx: &Ctx, a: &QuotaArgs) -> Result<Output> {
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
    let usage = match (&a.used, &a.log) {
        (Some(u), _) => Usage::Used(quota::parse_quantity(u, unit, "--used")?),
        (None, Some(path)) => {
            Usage::Log(read_csv(path, "--log", |input, name| quota::parse_log(input, name, ctx.input_zone(zone), now))?)
        }
        (None, None) => Usage::None,
    };
    let input = QuotaInput { at, period_start, subscription, allowance, usage };
    let ans = quota::quota(plan, &input)?;
    let disp = ctx.display(zone);

    let mut m = Map::new();
    let span = |f: fn(&PeriodSpan) -> i64| json!(ans.span.as_ref().map(|s| format_instant(f(s), disp)));
    m.insert("plan".into(), json!(plan.id));
    m.insert("unit".into(), json!(ans.unit.as_str()));
    m.insert("period_start".into(), span(|s| s.start));
    m.insert("period_end".into(), span(|s| s.end));
    m.insert("allowance".into(), ans.allowance.map_or(Value::Null, |t| qty(t, unit)));
    m.insert("used".into(), qty(ans.used, unit));
    m.insert("remaining".into(), ans.remaining.map_or(Value::Null, |t| qty(t, unit)));
    m.insert("state".into(), json!(ans.state.as_str()));
    m.insert("used_percent".into(), ans.used_permille.map_or(Value::Null, Permille::to_json));
    m.insert("period".into(), json!(ans.period.map(|p| p.as_str())));
    m.insert("warn_percent".into(), ans.warn_basis_points.to_json());
    m.insert("excluded_kinds".into(), json!(ans.excluded_kinds));
    if let Some(c) = ans.log {
        m.insert("log_rows".into(), json!(c.rows));
        m.insert("counted".into(), json!(c.counted));
        m.insert("excluded".into(), json!(c.excluded));
        m.insert("outside_period".into(), json!(c.outside));
    }
    if unit == QuotaUnit::Hours {
        let secs = |t: i64| t.saturating_add(if t < 0 { -500 } else { 500 }) / 1_000;
        m.insert("allowance_seconds".into(), json!(ans.allowance.map(secs)));
        m.insert("used_seconds".into(), json!(secs(ans.used)));
        m.insert("remaining_seconds".into(), json!(ans.remaining.map(secs)));
    }
    m.insert("notes".into(), json!(ans.notes));
    m.insert("assumed".into(), json!(ans.assumed));
    m.insert("assumptions".into(), json!(ans.assumptions));

    let text = if ctx.format == Format::Table {
        let mut t = Map::new();
        for (k, v) in m {
            let after_state = k == "state";
            t.insert(k, v);
            if after_state {
                t.insert("usage".into(), json!(bar(&ans)));
            }
        }
        render::record(ctx.format, &Value::Object(t), &[])
    } else {
        render::record(ctx.format, &Value::Object(m), &[])
    };
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
