//! `slacalc credit`: what does the vendor owe for downtime?

use anyhow::{Context as _, Result, bail};
use slacalc::decimal::Cents;
use slacalc::engine::format_duration;
use slacalc::instant::{format_instant, parse_date};
use slacalc::plan::CreditRule;
use slacalc::sla::credit::{self, BelowCredit, CreditAnswer, CreditInput, UptimeAnswer, tier_text};
use slacalc::sla::{Money, period::PeriodSpan};

use super::stream::read_csv;
use crate::cli::args::CreditArgs;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::Format;
use crate::cli::render;
use crate::cli::view::{CreditView, NoCreditView, OutageView, Outages, TierView};

/// Runs `credit`.
pub(crate) fn run(ctx: &Ctx, a: &CreditArgs, format: Format) -> Result<Output> {
    let plans = ctx.plans()?;
    let plan = plans.get(&a.plan)?;
    let zone = match &plan.credit {
        Some(CreditRule::Uptime(c)) => c.zone,
        _ => plan.calendar.calendar.tz(),
    };
    let now = ctx.now(zone)?;
    let period_start = a.period_start.as_deref().map(parse_date).transpose().context("invalid --period-start")?;
    let subscription = a.subscription.as_deref().map(|s| Money::parse(s, "--subscription")).transpose()?;
    let mut outages = Vec::new();
    for o in &a.outage {
        let Some((from, to)) = o.split_once('/') else {
            bail!(slacalc::Error::invalid(
                "--outage",
                o.as_str(),
                "START/END, e.g. \"2026-03-01 08:00/2026-03-02 09:30\""
            ));
        };
        let from = ctx.instant("--outage start", from, zone)?;
        let to = ctx.instant("--outage end", to, zone)?;
        outages.push(credit::outage(from, to, &format!("invalid --outage \"{o}\""))?);
    }
    if let Some(path) = &a.outages {
        let delimiter = a.delimiter.as_deref().map(slacalc::mapping::parse_delimiter).transpose()?.unwrap_or(b',');
        outages = read_csv(path, "--outages", |input, name| {
            credit::parse_outages_with(input, name, ctx.input_zone(zone), now, delimiter)
        })?;
    }
    let input = CreditInput { now, period_start, subscription, outages };
    let ans = credit::credit(plan, &input)?;
    let disp = ctx.display(zone);
    let t = |s: i64| format_instant(s, disp);

    let code = u8::from(a.check && ans.credit_due());
    let text = match &ans {
        CreditAnswer::NoCommitment { note, assumed, assumptions } => {
            let view = NoCreditView {
                plan: &plan.id,
                period_start: None,
                period_end: None,
                downtime_seconds: None,
                uptime_percent: None,
                threshold_percent: None,
                below_threshold: false,
                outages: Vec::new(),
                outage_credit_total: None,
                currency: None,
                notes: [note],
                commitment: "none",
                credit_due: false,
                assumed: *assumed,
                assumptions,
            };
            render::record_of(format, &view, &["outages"])
        }
        CreditAnswer::Uptime(u) => {
            let unit = match &plan.credit {
                Some(CreditRule::Uptime(c)) => c.outage.as_ref().map(|o| format_duration(o.unit)),
                _ => None,
            };
            // CSV shows each outage as one line of its cell.
            let outages = if format == Format::Csv {
                Outages::Lines(u.outages.iter().map(|o| outage_line(o, &t)).collect())
            } else {
                Outages::Full(u.outages.iter().map(|o| outage_view(o, &t)).collect())
            };
            let view = uptime_view(&plan.id, u, outages, unit, &t);
            match format {
                Format::Json | Format::Csv => render::record_of(format, &view, &[]),
                Format::Table => {
                    let mut text = render::record_of(format, &view, &["outages"]);
                    if !u.outages.is_empty() {
                        text.push_str(&outage_table(u, disp, &t));
                    }
                    text
                }
            }
        }
    };
    Ok(Output { text, code })
}

/// The outages of an uptime answer as a table: local "YYYY-MM-DD HH:MM:SS"
/// with the zone named once in the header (full RFC 3339 in five columns
/// does not fit 80 columns).
fn outage_table(u: &UptimeAnswer, disp: slacalc::instant::Display, t: &dyn Fn(i64) -> String) -> String {
    let zone_name = match disp {
        slacalc::instant::Display::Utc => "UTC",
        slacalc::instant::Display::Zone(z) => z.name(),
    };
    let short = |s: i64| t(s).get(..19).map_or_else(|| t(s), |x| x.replacen('T', " ", 1));
    let mut table = render::table();
    table.set_header(vec![
        format!("start ({zone_name})"),
        format!("end ({zone_name})"),
        "duration".into(),
        "days_credited".into(),
        "credit".into(),
    ]);
    for o in &u.outages {
        table.add_row(vec![
            short(o.span.start),
            short(o.span.end),
            format_duration(o.span.duration()),
            o.units.map_or_else(String::new, |n| n.to_string()),
            o.credit.map_or_else(String::new, |c| c.to_string()),
        ]);
    }
    render::show(&mut table)
}

fn outage_line(o: &credit::OutageLine, t: &dyn Fn(i64) -> String) -> String {
    let credit = match (o.units, o.credit) {
        (Some(u), Some(c)) => format!(": {u} days credited, {c}"),
        _ => String::new(),
    };
    format!("{}/{} ({}){credit}", t(o.span.start), t(o.span.end), format_duration(o.span.duration()))
}

fn outage_view(o: &credit::OutageLine, t: &dyn Fn(i64) -> String) -> OutageView {
    OutageView {
        start: t(o.span.start),
        end: t(o.span.end),
        duration_seconds: o.span.duration(),
        duration: format_duration(o.span.duration()),
        days_credited: o.units,
        credit: o.credit.map(|c| c.to_string()),
    }
}

fn uptime_view<'a>(
    plan: &'a str,
    u: &'a UptimeAnswer,
    outages: Outages,
    unit: Option<String>,
    t: &dyn Fn(i64) -> String,
) -> CreditView<'a> {
    let span: &PeriodSpan = &u.span;
    let money = |c: Option<Cents>| c.map(|c| c.to_string());
    CreditView {
        plan,
        period_start: t(span.start),
        period_end: t(span.end),
        downtime_seconds: u.downtime,
        uptime_percent: u.uptime_micro,
        threshold_percent: u.threshold,
        below_threshold: u.below_threshold,
        outages,
        outage_credit_total: money(u.outage_credit_total),
        currency: &u.currency,
        notes: &u.notes,
        commitment: "uptime",
        period: u.period.as_str(),
        period_seconds: span.seconds(),
        downtime: format_duration(u.downtime),
        below_threshold_credit: u.below_threshold_credit.as_ref().map(|b| match b {
            BelowCredit::PerContract => "due, amount per contract".to_string(),
            BelowCredit::Amount(c) => c.to_string(),
        }),
        tier: u.tier.as_ref().map(|x| TierView {
            range: tier_text(x),
            at_least: x.at_least,
            below: x.below,
            below_inclusive: x.below_inclusive,
            credit_percent: x.credit_basis_points,
        }),
        tier_credit: money(u.tier_credit),
        period_fee: money(u.period_fee),
        credit_total: u.credit_total.to_string(),
        capped: u.capped,
        credit_due: u.credit_due,
        outages_ignored: u.ignored,
        outage_credit_unit: unit,
        subscription: money(u.subscription),
        zone: u.zone.name(),
        assumed: u.assumed,
        assumptions: &u.assumptions,
    }
}
