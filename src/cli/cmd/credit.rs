//! `slacalc credit`: what does the vendor owe for downtime?

use anyhow::{Context as _, Result, bail};
use serde_json::{Map, Value, json};
use slacalc::decimal::{Cents, MicroPercent};
use slacalc::engine::format_duration;
use slacalc::instant::{format_instant, parse_date};
use slacalc::plan::CreditRule;
use slacalc::sla::credit::{self, BelowCredit, CreditAnswer, CreditInput, UptimeAnswer, tier_text};
use slacalc::sla::{Money, period::PeriodSpan};

use super::quota::read_csv;
use crate::cli::args::{CreditArgs, Format};
use crate::cli::{Ctx, Output, render};

/// Runs `credit`.
pub fn run(ctx: &Ctx, a: &CreditArgs) -> Result<Output> {
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
        outages =
            read_csv(path, "--outages", |input, name| credit::parse_outages(input, name, ctx.input_zone(zone), now))?;
    }
    let input = CreditInput { now, period_start, subscription, outages };
    let ans = credit::credit(plan, &input)?;
    let disp = ctx.display(zone);
    let t = |s: i64| format_instant(s, disp);

    let mut m = Map::new();
    m.insert("plan".into(), json!(plan.id));
    match &ans {
        CreditAnswer::NoCommitment { note, assumed, assumptions } => {
            for k in ["period_start", "period_end", "downtime_seconds", "uptime_percent", "threshold_percent"] {
                m.insert(k.into(), Value::Null);
            }
            m.insert("below_threshold".into(), json!(false));
            m.insert("outages".into(), json!([]));
            m.insert("outage_credit_total".into(), Value::Null);
            m.insert("currency".into(), Value::Null);
            m.insert("notes".into(), json!([note]));
            m.insert("commitment".into(), json!("none"));
            m.insert("credit_due".into(), json!(false));
            m.insert("assumed".into(), json!(assumed));
            m.insert("assumptions".into(), json!(assumptions));
        }
        CreditAnswer::Uptime(u) => {
            let unit = match &plan.credit {
                Some(CreditRule::Uptime(c)) => c.outage.as_ref().map(|o| format_duration(o.unit)),
                _ => None,
            };
            uptime_fields(&mut m, u, unit, &t);
        }
    }
    let code = u8::from(a.check && ans.credit_due());
    let text = match (ctx.format, &ans) {
        (Format::Json, _) => render::record(ctx.format, &Value::Object(m), &[]),
        (Format::Csv, CreditAnswer::Uptime(u)) => {
            let lines: Vec<String> = u.outages.iter().map(|o| outage_line(o, &t)).collect();
            m.insert("outages".into(), json!(lines));
            render::record(ctx.format, &Value::Object(m), &[])
        }
        (Format::Table, CreditAnswer::Uptime(u)) if !u.outages.is_empty() => {
            // Local "YYYY-MM-DD HH:MM:SS" with the zone named once in the
            // header: full RFC 3339 in five columns does not fit 80 columns.
            let zone_name = match disp {
                slacalc::instant::Display::Utc => "UTC".to_string(),
                slacalc::instant::Display::Zone(z) => z.name().to_string(),
            };
            let short = |s: i64| t(s).get(..19).map_or_else(|| t(s), |x| x.replacen('T', " ", 1));
            let (start_h, end_h) = (format!("start ({zone_name})"), format!("end ({zone_name})"));
            let rows: Vec<Value> = u
                .outages
                .iter()
                .map(|o| {
                    let mut m = serde_json::Map::new();
                    m.insert(start_h.clone(), json!(short(o.span.start)));
                    m.insert(end_h.clone(), json!(short(o.span.end)));
                    m.insert("duration".into(), json!(format_duration(o.span.duration())));
                    m.insert("days_credited".into(), json!(o.units));
                    m.insert("credit".into(), json!(o.credit.map(|c| c.to_string())));
                    Value::Object(m)
                })
                .collect();
            let mut text = render::record(ctx.format, &Value::Object(m), &["outages"]);
            text.push_str(&render::rows(Format::Table, &rows));
            text
        }
        _ => render::record(ctx.format, &Value::Object(m), &["outages"]),
    };
    Ok(Output { text, code })
}

fn outage_line(o: &credit::OutageLine, t: &dyn Fn(i64) -> String) -> String {
    let credit = match (o.units, o.credit) {
        (Some(u), Some(c)) => format!(": {u} days credited, {c}"),
        _ => String::new(),
    };
    format!("{}/{} ({}){credit}", t(o.span.start), t(o.span.end), format_duration(o.span.duration()))
}

fn uptime_fields(m: &mut Map<String, Value>, u: &UptimeAnswer, unit: Option<String>, t: &dyn Fn(i64) -> String) {
    let span: &PeriodSpan = &u.span;
    let money = |c: Option<Cents>| json!(c.map(|c| c.to_string()));
    m.insert("period_start".into(), json!(t(span.start)));
    m.insert("period_end".into(), json!(t(span.end)));
    m.insert("downtime_seconds".into(), json!(u.downtime));
    m.insert("uptime_percent".into(), u.uptime_micro.to_json());
    m.insert("threshold_percent".into(), u.threshold.map_or(Value::Null, MicroPercent::to_json));
    m.insert("below_threshold".into(), json!(u.below_threshold));
    let outages: Vec<Value> = u
        .outages
        .iter()
        .map(|o| {
            json!({
                "start": t(o.span.start),
                "end": t(o.span.end),
                "duration_seconds": o.span.duration(),
                "duration": format_duration(o.span.duration()),
                "days_credited": o.units,
                "credit": o.credit.map(|c| c.to_string()),
            })
        })
        .collect();
    m.insert("outages".into(), Value::Array(outages));
    m.insert("outage_credit_total".into(), money(u.outage_credit_total));
    m.insert("currency".into(), json!(u.currency));
    m.insert("notes".into(), json!(u.notes));
    m.insert("commitment".into(), json!("uptime"));
    m.insert("period".into(), json!(u.period.as_str()));
    m.insert("period_seconds".into(), json!(span.seconds()));
    m.insert("downtime".into(), json!(format_duration(u.downtime)));
    m.insert(
        "below_threshold_credit".into(),
        match u.below_threshold_credit {
            None => Value::Null,
            Some(BelowCredit::PerContract) => json!("due, amount per contract"),
            Some(BelowCredit::Amount(c)) => json!(c.to_string()),
        },
    );
    m.insert(
        "tier".into(),
        u.tier.as_ref().map_or(Value::Null, |x| {
            json!({
                "range": tier_text(x),
                "at_least": x.at_least.to_json(),
                "below": x.below.to_json(),
                "below_inclusive": x.below_inclusive,
                "credit_percent": x.credit_basis_points.to_json(),
            })
        }),
    );
    m.insert("tier_credit".into(), money(u.tier_credit));
    m.insert("period_fee".into(), money(u.period_fee));
    m.insert("credit_total".into(), json!(u.credit_total.to_string()));
    m.insert("capped".into(), json!(u.capped));
    m.insert("credit_due".into(), json!(u.credit_due));
    m.insert("outages_ignored".into(), json!(u.ignored));
    m.insert("outage_credit_unit".into(), json!(unit));
    m.insert("subscription".into(), money(u.subscription));
    m.insert("zone".into(), json!(u.zone.name()));
    m.insert("assumed".into(), json!(u.assumed));
    m.insert("assumptions".into(), json!(u.assumptions));
}
