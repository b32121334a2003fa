//! What does the vendor owe for downtime?
//!
//! Downtime is measured on a 24x7 clock: the outages are clipped to the
//! measurement period, then the overlapping or touching ones merged
//! ([`normalize`]); uptime = (period − downtime) / period. Every comparison
//! is exact integer arithmetic on seconds (percentages are [`MicroPercent`]
//! and [`BasisPoints`], money [`Cents`]: [`crate::decimal`]), so "below 99.5 %"
//! is decided without rounding. Money is rounded once, half up, to the cent.

use std::io::Read;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::money::Money;
use super::period::{self, PeriodSpan, fee_fraction};
use crate::decimal::{self, BasisPoints, Cents, MicroPercent};
use crate::engine::segment::normalize;
use crate::engine::{Calendar, Segment, format_duration};
use crate::error::{Error, Result};
use crate::io::{CsvInput, Row, column};
use crate::plan::{BelowThreshold, Credit, CreditRule, OutageRate, Period, Plan, Tier};

/// 100 %.
const HUNDRED_PERCENT: MicroPercent = MicroPercent::from_int(100);

/// A credit question.
#[derive(Debug, Clone)]
pub struct CreditInput {
    /// "Now": the default period is the one holding it.
    pub now: i64,
    /// `--period-start`: the period starts at local midnight of this date.
    pub period_start: Option<NaiveDate>,
    /// `--subscription`: the annual subscription.
    pub subscription: Option<Money>,
    /// The outages, as given (each checked: end not before start).
    pub outages: Vec<Segment>,
}

/// One merged outage inside the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutageLine {
    /// The merged, clipped span.
    pub span: Segment,
    /// Credited units (`ceil(duration / unit)` when longer than the minimum,
    /// else 0); `None` when the plan has no per-outage rule.
    pub units: Option<i64>,
    /// Credit; `None` when the plan has no per-outage rule.
    pub credit: Option<Cents>,
}

/// What is owed below the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BelowCredit {
    /// Due, but the amount is not published.
    PerContract,
    /// This amount.
    Amount(Cents),
}

/// The answer for a plan with an uptime commitment.
#[derive(Debug, Clone)]
pub struct UptimeAnswer {
    /// Measurement period kind.
    pub period: Period,
    /// The period.
    pub span: PeriodSpan,
    /// Zone the period is cut in.
    pub zone: Tz,
    /// ISO currency.
    pub currency: String,
    /// Annual subscription, when given.
    pub subscription: Option<Cents>,
    /// The fee of one period (subscription × period share), when known.
    pub period_fee: Option<Cents>,
    /// Seconds of downtime in the period (merged, clipped).
    pub downtime: i64,
    /// Uptime, truncated to millionths of a percent (never rounds up to a threshold).
    pub uptime_micro: MicroPercent,
    /// Threshold.
    pub threshold: Option<MicroPercent>,
    /// Uptime strictly below the threshold (or, without one, inside a credit tier).
    pub below_threshold: bool,
    /// What is owed for being below the threshold.
    pub below_threshold_credit: Option<BelowCredit>,
    /// The tier the uptime falls in.
    pub tier: Option<Tier>,
    /// The tier's credit.
    pub tier_credit: Option<Cents>,
    /// The merged outages in the period.
    pub outages: Vec<OutageLine>,
    /// Sum of the per-outage credits (`None` without a per-outage rule).
    pub outage_credit_total: Option<Cents>,
    /// Every computed credit, after the cap.
    pub credit_total: Cents,
    /// True when the cap cut the total.
    pub capped: bool,
    /// True when any credit is due (`--check` fails).
    pub credit_due: bool,
    /// Outages wholly outside the period.
    pub ignored: usize,
    /// How the answer was reached.
    pub notes: Vec<String>,
    /// True when the commitment or its threshold is assumed.
    pub assumed: bool,
    /// Every assumed figure the answer rests on.
    pub assumptions: Vec<String>,
}

/// A credit answer.
#[derive(Debug, Clone)]
pub enum CreditAnswer {
    /// The plan commits to no uptime.
    NoCommitment {
        /// Why, for `notes`.
        note: String,
        /// True when "no commitment" is itself assumed.
        assumed: bool,
        /// The assumption, if any.
        assumptions: Vec<String>,
    },
    /// The plan commits to an uptime.
    Uptime(Box<UptimeAnswer>),
}

impl CreditAnswer {
    /// True when `--check` fails: a credit is due.
    pub fn credit_due(&self) -> bool {
        matches!(self, CreditAnswer::Uptime(u) if u.credit_due)
    }
}

/// Checks one outage, `what` naming it in the error.
///
/// # Errors
/// [`Error::Input`] when it ends before it starts.
pub(crate) fn outage(start: i64, end: i64, what: &str) -> Result<Segment> {
    if end < start {
        return Err(Error::Input(format!(
            "{what}: the outage ends before it starts (expected START/END with END >= START)"
        )));
    }
    Ok(Segment::new(start, end))
}

/// Reads outages from CSV with a header row naming `start` and `end` (other
/// columns ignored). Local times are read in `zone`; `now` is what `now`
/// means. The file is read through [`CsvInput::log`] (at most
/// [`crate::io::MAX_LOG_BYTES`], bounded records), `name` naming it in
/// messages.
///
/// # Errors
/// [`Error::Input`] naming the line and the bad value (or the unclosed
/// quote, the over-long row, the size limit); [`Error::Io`] when it cannot
/// be read.
#[cfg(test)]
pub(crate) fn parse_outages(input: impl Read, name: &str, zone: Tz, now: i64) -> Result<Vec<Segment>> {
    parse_outages_with(input, name, zone, now, b',')
}

/// [`parse_outages`] of a file whose fields are separated by `delimiter`
/// (`;`, tab) instead of `,`.
///
/// # Errors
/// As [`parse_outages`]; a header without `start` or `end` that holds
/// another separator gets a hint naming `--delimiter`.
pub(crate) fn parse_outages_with(
    input: impl Read,
    name: &str,
    zone: Tz,
    now: i64,
    delimiter: u8,
) -> Result<Vec<Segment>> {
    let mut rdr = CsvInput::log_with(input, name, "outage files", delimiter);
    let headers = rdr.header()?;
    let col = |n: &str| {
        column(&headers, n).ok_or_else(|| {
            Error::Input(format!(
                "{name}: the header row has no \"{n}\" column (expected start,end; found: {}){}",
                crate::io::shown_header(&headers),
                crate::io::delimiter_hint(&headers, delimiter)
            ))
        })
    };
    let (sc, ec) = (col("start")?, col("end")?);
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    while let Some(Row { line, .. }) = rdr.read(&mut rec)? {
        let at = |c: usize, what: &str| {
            let v = rec.get(c).unwrap_or("");
            crate::instant::parse_instant(v, zone, now)
                .map_err(|e| e.of(what.to_string()).at_line(Some(name.to_string()), line))
        };
        let (s, e) = (at(sc, "start")?, at(ec, "end")?);
        out.push(outage(s, e, &format!("{name} line {line}"))?);
    }
    Ok(out)
}

/// Answers a credit question for `plan`.
///
/// # Errors
/// [`Error::Input`] when the plan's credits need `--subscription` and it is
/// missing, its currency differs from the plan's, or the period leaves the
/// supported years.
pub fn credit(plan: &Plan, input: &CreditInput) -> Result<CreditAnswer> {
    let c = match &plan.credit {
        None => {
            return Ok(CreditAnswer::NoCommitment {
                note: format!("plan {} publishes no uptime commitment: no credit is owed for downtime", plan.id),
                assumed: false,
                assumptions: vec![],
            });
        }
        Some(CreditRule::None(p)) => {
            return Ok(CreditAnswer::NoCommitment {
                note: format!("plan {} has no uptime commitment: {}", plan.id, p.text()),
                assumed: p.is_assumed(),
                assumptions: if p.is_assumed() { vec![format!("no uptime commitment: {}", p.text())] } else { vec![] },
            });
        }
        Some(CreditRule::Uptime(c)) => c,
    };
    uptime(plan, c, input).map(|u| CreditAnswer::Uptime(Box::new(u)))
}

fn uptime(plan: &Plan, c: &Credit, input: &CreditInput) -> Result<UptimeAnswer> {
    let mut notes = Vec::new();
    let cal: Calendar = period::zone_calendar(c.zone)?;
    let span = match input.period_start {
        Some(d) => period::starting(&cal, c.period, d)?,
        None => {
            let s = period::containing(&cal, c.period, None, input.now)?;
            notes.push(format!(
                "the period is the {} starting {} that holds now (default; pass --period-start DATE for another)",
                c.period.as_str(),
                s.first
            ));
            s
        }
    };
    let subscription = subscription(plan, c, input)?;

    // Clip to the period, then merge.
    let whole = Segment::new(span.start, span.end);
    let (mut clipped, mut ignored, mut cut, mut empty) = (Vec::new(), 0usize, 0usize, 0usize);
    for o in &input.outages {
        if o.is_empty() {
            empty += 1;
            continue;
        }
        match o.intersect(&whole) {
            Some(part) => {
                cut += usize::from(part != *o);
                clipped.push(part);
            }
            None => ignored += 1,
        }
    }
    let merged = normalize(clipped.clone());
    let downtime: i64 = merged.iter().map(Segment::duration).sum();
    let period_secs = span.seconds();
    if ignored > 0 {
        notes.push(format!("{} wholly outside the period {} ignored", plural(ignored, "outage"), were(ignored)));
    }
    if cut > 0 {
        notes.push(format!("{} {} clipped to the period", plural(cut, "outage"), were(cut)));
    }
    if merged.len() < clipped.len() {
        notes.push(format!("overlapping or touching outages were merged: {} → {}", clipped.len(), merged.len()));
    }
    if empty > 0 {
        notes.push(format!("{} of zero length {} ignored", plural(empty, "outage"), were(empty)));
    }

    let up = i128::from(period_secs - downtime) * i128::from(HUNDRED_PERCENT.raw());
    let scaled = |pct: MicroPercent| i128::from(pct.raw()) * i128::from(period_secs);
    let uptime_micro = MicroPercent::from_raw(i64::try_from(up / i128::from(period_secs.max(1))).unwrap_or(0));
    let shown = format!("{uptime_micro} %");

    // The tier the uptime falls in (the largest credit if tiers overlap).
    let tier = c
        .tiers
        .iter()
        .filter(|t| scaled(t.at_least) <= up && (up < scaled(t.below) || (t.below_inclusive && up == scaled(t.below))))
        .max_by_key(|t| t.credit_basis_points)
        .cloned();
    let (num, den) = fee_fraction(c.period);
    // Every amount is exact or an error: a plan's absurd rate must not print
    // a saturated i64 as if it were owed.
    let too_large = || {
        Error::Input(format!(
            "plan {}'s credit is too large to compute in cents: check the plan's credit rates and --subscription",
            plan.id
        ))
    };
    let share = |bp: BasisPoints| -> Result<Option<Cents>> {
        subscription
            .map(|s| num.checked_mul(bp.raw()).and_then(|n| s.mul_div_round(n, den * 10_000)).ok_or_else(too_large))
            .transpose()
    };
    let period_fee = subscription.map(|s| s.mul_div_round(num, den).ok_or_else(too_large)).transpose()?;

    let below_threshold = match c.threshold {
        Some(t) => up < scaled(t),
        None => tier.as_ref().is_some_and(|t| t.credit_basis_points > BasisPoints::ZERO),
    };
    let below_threshold_credit = match (below_threshold && c.threshold.is_some(), &c.below_threshold) {
        (false, _) => None,
        (true, Some(BelowThreshold::Percent(bp))) => share(*bp)?.map(BelowCredit::Amount),
        (true, Some(BelowThreshold::PerContract)) => Some(BelowCredit::PerContract),
        (true, None) if c.tiers.is_empty() => Some(BelowCredit::PerContract),
        (true, None) => None,
    };
    if let Some(t) = c.threshold {
        let what = if below_threshold { "is below" } else { "is not below" };
        let then = match below_threshold_credit {
            _ if !below_threshold => "no uptime credit".to_string(),
            Some(BelowCredit::PerContract) => "a credit is due, amount per contract (not published)".to_string(),
            Some(BelowCredit::Amount(a)) => format!("a credit of {} {a} is due", c.currency),
            None => "the tiers say what is owed".to_string(),
        };
        notes.push(format!("uptime {shown} {what} the {t} % threshold: {then}"));
    }
    let tier_credit = match &tier {
        Some(t) => share(t.credit_basis_points)?,
        None => None,
    };
    if let (Some(t), Some(amount)) = (&tier, tier_credit) {
        notes.push(format!(
            "uptime {shown} is in the tier {}: {} % of the period's fee = {} {amount}",
            tier_text(t),
            t.credit_basis_points,
            c.currency
        ));
    } else if !c.tiers.is_empty() {
        notes.push(format!("uptime {shown} is in no credit tier"));
    }

    // Per-outage credits.
    let outages: Vec<OutageLine> = merged
        .iter()
        .map(|&m| match (&c.outage, subscription) {
            (Some(rule), Some(sub)) => {
                let d = m.duration();
                let units = if d > rule.longer_than { (d + rule.unit - 1) / rule.unit } else { 0 };
                let credit = match rule.rate {
                    OutageRate::Daily => sub.mul_div_round(units, 365),
                    // units × (subscription × rate) / 10,000: rounded once, at the end.
                    OutageRate::Percent(bp) => sub
                        .raw()
                        .checked_mul(bp.raw())
                        .and_then(|n| decimal::mul_div_round(units, n, 10_000))
                        .map(Cents::from_raw),
                };
                Ok(OutageLine { span: m, units: Some(units), credit: Some(credit.ok_or_else(too_large)?) })
            }
            _ => Ok(OutageLine { span: m, units: None, credit: None }),
        })
        .collect::<Result<_>>()?;
    let outage_credit_total = match (&c.outage, subscription) {
        (Some(_), Some(_)) => Some(
            outages.iter().filter_map(|o| o.credit).try_fold(Cents::ZERO, Cents::checked_add).ok_or_else(too_large)?,
        ),
        _ => None,
    };
    if let Some(rule) = &c.outage {
        let rate = match rule.rate {
            OutageRate::Daily => {
                format!("annual subscription / 365 ({} {} a day)", c.currency, fmt_opt(share_daily(subscription)))
            }
            OutageRate::Percent(bp) => format!("{bp} % of the annual subscription"),
        };
        notes.push(format!(
            "each outage longer than {} is credited ceil(duration / {}) × {rate}",
            format_duration(rule.longer_than),
            format_duration(rule.unit)
        ));
    }

    let mut credit_total =
        outage_credit_total.unwrap_or_default().checked_add(tier_credit.unwrap_or_default()).ok_or_else(too_large)?;
    if let Some(BelowCredit::Amount(a)) = below_threshold_credit {
        credit_total = credit_total.checked_add(a).ok_or_else(too_large)?;
    }
    let mut capped = false;
    if let (Some(cap), Some(_)) = (c.cap_basis_points, subscription) {
        let limit = share(cap)?.unwrap_or_default();
        if credit_total > limit {
            notes.push(format!(
                "the credits ({} {credit_total}) are capped at {cap} % of the period's fee: {} {limit}",
                c.currency, c.currency
            ));
            credit_total = limit;
            capped = true;
        }
    }
    let credit_due = below_threshold || credit_total > Cents::ZERO;

    let mut assumptions = Vec::new();
    for (what, p) in [
        ("uptime commitment", Some(&c.provenance)),
        ("measurement period", Some(&c.period_provenance)),
        ("threshold", c.threshold.map(|_| &c.threshold_provenance)),
        ("per-outage credit", c.outage.as_ref().map(|o| &o.provenance)),
    ] {
        if let Some(p) = p.filter(|p| p.is_assumed()) {
            let line = format!("{what}: {}", p.text());
            if !assumptions.contains(&line) {
                assumptions.push(line);
            }
        }
    }
    Ok(UptimeAnswer {
        period: c.period,
        span,
        zone: c.zone,
        currency: c.currency.clone(),
        subscription,
        period_fee,
        downtime,
        uptime_micro,
        threshold: c.threshold,
        below_threshold,
        below_threshold_credit,
        tier,
        tier_credit,
        outages,
        outage_credit_total,
        credit_total,
        capped,
        credit_due,
        ignored,
        notes,
        assumed: c.provenance.is_assumed() || (c.threshold.is_some() && c.threshold_provenance.is_assumed()),
        assumptions,
    })
}

/// The annual subscription in cents, required when any credit is money.
fn subscription(plan: &Plan, c: &Credit, input: &CreditInput) -> Result<Option<Cents>> {
    let needs =
        !c.tiers.is_empty() || c.outage.is_some() || matches!(c.below_threshold, Some(BelowThreshold::Percent(_)));
    match &input.subscription {
        Some(m) => m.cents_in(&c.currency, "--subscription", &format!("plan {}'s credit", plan.id)).map(Some),
        None if needs => Err(Error::Input(format!(
            "plan {}'s credits are computed from the annual subscription: pass --subscription AMOUNT (e.g. --subscription \"{} 12500\")",
            plan.id, c.currency
        ))),
        None => Ok(None),
    }
}

fn share_daily(sub: Option<Cents>) -> Option<Cents> {
    sub.and_then(|s| s.mul_div_round(1, 365))
}

fn fmt_opt(cents: Option<Cents>) -> String {
    cents.map_or_else(|| "?".into(), |c| c.to_string())
}

/// `[99 %, 99.9 %)`, with a `]` when the upper bound is inclusive.
pub(crate) fn tier_text(t: &Tier) -> String {
    let close = if t.below_inclusive { ']' } else { ')' };
    format!("[{} %, {} %{close}", t.at_least, t.below)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn were(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outage_order_is_checked() {
        assert!(outage(10, 5, "--outage").is_err());
        assert_eq!(outage(5, 10, "--outage").unwrap(), Segment::new(5, 10));
    }

    #[test]
    fn outage_csv() {
        let text = "start,end\n2026-03-01T00:00:00Z,2026-03-02T00:00:01Z\n2026-03-05 10:00,2026-03-05 11:00\n";
        let v = parse_outages(text.as_bytes(), "o.csv", chrono_tz::UTC, 0).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].duration(), 86_401);
        let e =
            parse_outages(&b"start,end\n2026-03-02T00:00:00Z,2026-03-01T00:00:00Z\n"[..], "o.csv", chrono_tz::UTC, 0)
                .unwrap_err()
                .to_string();
        assert!(e.contains("o.csv line 2") && e.contains("ends before it starts"), "{e}");
        assert!(parse_outages(&b"from,to\n"[..], "o.csv", chrono_tz::UTC, 0).is_err());
    }

    /// A made-up plan with the yearly 99.5 % rule and the per-outage daily credit.
    const YEARLY: &str = r#"
[calendars.test]
zone = "Europe/Zurich"
hours = { mon-fri = ["08:00-17:00"] }
source = "test"

[[plans]]
id = "yearly"
provider = "Test"
calendar = "test"
target = "none"
target_assumed = "test"

[plans.credit]
commitment = "uptime"
period = "subscription-year"
currency = "CHF"
threshold_percent = 99.5
below_threshold = "per-contract"
source = "test"

[plans.credit.outage]
longer_than = "24h"
unit = "24h"
rate = "daily"
"#;

    fn yearly(outages: &[(&str, &str)], subscription: &str) -> UptimeAnswer {
        let src = crate::plan::Source { name: "test.toml".into(), text: YEARLY.into() };
        let set = crate::PlanSet::from_sources(&[src]).unwrap();
        let plan = set.get("yearly").unwrap();
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        let input = CreditInput {
            now: t("2026-06-01T00:00:00Z"),
            period_start: None,
            subscription: Some(Money::parse(subscription, "--subscription").unwrap()),
            outages: outages.iter().map(|(a, b)| Segment::new(t(a), t(b))).collect(),
        };
        match credit(plan, &input).unwrap() {
            CreditAnswer::Uptime(u) => *u,
            CreditAnswer::NoCommitment { .. } => panic!("the test plan commits to uptime"),
        }
    }

    #[test]
    fn exactly_24h_earns_nothing_and_one_second_more_two_days() {
        let u = yearly(&[("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z")], "CHF 12500");
        assert_eq!((u.outages[0].units, u.outages[0].credit), (Some(0), Some(Cents::from_raw(0))));
        assert!(!u.credit_due);
        let u = yearly(&[("2026-03-01T00:00:00Z", "2026-03-02T00:00:01Z")], "CHF 12500");
        // 2 × 12,500 / 365 = 68.493… → 68.49
        assert_eq!((u.outages[0].units, u.outages[0].credit), (Some(2), Some(Cents::from_raw(6_849))));
        assert_eq!(u.outage_credit_total, Some(Cents::from_raw(6_849)));
        assert!(u.credit_due && !u.below_threshold);
    }

    #[test]
    fn half_a_percent_of_the_year_is_not_below() {
        // 0.5 % of 365 days = 157,680 s = 43h48m.
        let u = yearly(&[("2026-03-01T00:00:00Z", "2026-03-02T19:48:00Z")], "12500");
        assert_eq!(u.downtime, 157_680);
        assert_eq!(u.uptime_micro.raw(), 99_500_000);
        assert!(!u.below_threshold);
        let u = yearly(&[("2026-03-01T00:00:00Z", "2026-03-02T19:48:01Z")], "12500");
        assert!(u.below_threshold && u.uptime_micro.raw() < 99_500_000);
        assert_eq!(u.below_threshold_credit, Some(BelowCredit::PerContract));
    }

    #[test]
    fn overlapping_merged_and_straddling_clipped() {
        let u = yearly(
            &[
                ("2026-03-01T00:00:00Z", "2026-03-01T20:00:00Z"),
                ("2026-03-01T10:00:00Z", "2026-03-02T06:00:00Z"),
                ("2025-12-31T20:00:00Z", "2026-01-01T01:00:00Z"), // 21:00 → 02:00 Zurich
                ("2025-06-01T00:00:00Z", "2025-06-02T00:00:00Z"),
            ],
            "12500",
        );
        assert_eq!(u.outages.len(), 2);
        assert_eq!(u.outages[0].span.duration(), 2 * 3600); // from midnight Zurich (23:00Z) to 01:00Z
        assert_eq!(u.outages[1].span.duration(), 30 * 3600);
        assert_eq!(u.outages[1].units, Some(2));
        assert_eq!(u.ignored, 1);
        assert_eq!(u.downtime, 32 * 3600);
    }

    #[test]
    fn tier_text_shows_bounds() {
        let t = Tier {
            below: MicroPercent::from_raw(99_900_000),
            below_inclusive: false,
            at_least: MicroPercent::from_raw(99_000_000),
            credit_basis_points: BasisPoints::from_raw(1000),
        };
        assert_eq!(tier_text(&t), "[99 %, 99.9 %)");
    }
}
