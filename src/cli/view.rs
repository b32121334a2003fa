//! The answers as data: one `#[derive(Serialize)]` view per answer, whose
//! field order is the JSON contract (`docs/json.md`). `super::render`
//! turns the same view into a table, CSV or JSON.
//!
//! Instants are already formatted in the display zone; decimals that JSON
//! shows as integers when whole (`80`, not `80.0`) go through [`number`].

use serde::{Serialize, Serializer};
use slacalc::decimal::{BasisPoints, Fixed, Unit};

/// A decimal as JSON shows it: an integer when whole, else the nearest `f64`.
pub fn number<U: Unit, S: Serializer>(v: &Fixed<U>, s: S) -> Result<S::Ok, S::Error> {
    v.to_json().serialize(s)
}

/// [`number`], or `null`.
pub fn opt_number<U: Unit, S: Serializer>(v: &Option<Fixed<U>>, s: S) -> Result<S::Ok, S::Error> {
    v.map(Fixed::to_json).serialize(s)
}

/// An answer with its `--explain` steps and rules, present only when asked.
#[derive(Serialize)]
pub struct Explained<T> {
    /// The answer.
    #[serde(flatten)]
    pub answer: T,
    /// What the clock ran through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<StepView>>,
    /// The rules applied, as sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<String>>,
}

/// The fields left out of a table or CSV record: `--explain` is shown below it.
pub const EXPLAIN_FIELDS: [&str; 2] = ["explain", "rules"];

/// `deadline`, and the first fields of `status`.
#[derive(Serialize)]
pub struct DeadlineView<'a> {
    pub plan: &'a str,
    pub provider: &'a str,
    pub priority: Option<&'a str>,
    pub opened: String,
    pub clock_start: String,
    pub target: String,
    pub target_seconds: Option<i64>,
    pub clock: &'static str,
    pub deadline: Option<String>,
    pub commitment: &'static str,
    pub assumed: bool,
    pub assumptions: &'a [String],
}

/// `status`.
#[derive(Serialize)]
pub struct StatusView<'a> {
    #[serde(flatten)]
    pub deadline: DeadlineView<'a>,
    /// Present when `--metric` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<&'static str>,
    /// Present for the response metric (null when not responded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responded: Option<Option<String>>,
    /// Present for the resolution metric (null when not resolved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Option<String>>,
    pub now: String,
    pub elapsed_seconds: i64,
    pub elapsed: String,
    pub remaining_seconds: Option<i64>,
    pub remaining: Option<String>,
    pub used_percent: Option<BasisPoints>,
    pub state: &'static str,
}

/// One `--explain` step.
#[derive(Serialize)]
#[serde(tag = "step", rename_all = "lowercase")]
pub enum StepView {
    /// Working time counted.
    Worked { date: String, calendar_date: String, from: String, to: String, seconds: i64, total_seconds: i64 },
    /// Whole weeks counted at once.
    Weeks { from_date: String, to_date: String, seconds: i64, total_seconds: i64 },
    /// A holiday skipped.
    Holiday { date: String, name: String },
    /// A pause skipped.
    Paused { from: String, to: String, seconds: i64 },
}

/// `quota`.
#[derive(Serialize)]
pub struct QuotaView<'a> {
    pub plan: &'a str,
    pub unit: &'static str,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    #[serde(serialize_with = "opt_number")]
    pub allowance: Option<slacalc::decimal::Milli>,
    #[serde(serialize_with = "number")]
    pub used: slacalc::decimal::Milli,
    #[serde(serialize_with = "opt_number")]
    pub remaining: Option<slacalc::decimal::Milli>,
    pub state: &'static str,
    /// The usage bar, in tables only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    #[serde(serialize_with = "opt_number")]
    pub used_percent: Option<slacalc::decimal::Permille>,
    pub period: Option<&'static str>,
    #[serde(serialize_with = "number")]
    pub warn_percent: BasisPoints,
    pub excluded_kinds: &'a [String],
    /// With `--log`.
    #[serde(flatten)]
    pub log: Option<LogView>,
    /// For quotas in hours.
    #[serde(flatten)]
    pub seconds: Option<QuotaSeconds>,
    pub notes: &'a [String],
    pub assumed: bool,
    pub assumptions: &'a [String],
}

/// What `quota --log` read.
#[derive(Serialize)]
pub struct LogView {
    pub log_rows: usize,
    pub counted: usize,
    pub excluded: usize,
    pub outside_period: usize,
}

/// An hours quota in whole seconds.
#[derive(Serialize)]
pub struct QuotaSeconds {
    pub allowance_seconds: Option<i64>,
    pub used_seconds: i64,
    pub remaining_seconds: Option<i64>,
}

/// `credit` on a plan without an uptime commitment.
#[derive(Serialize)]
pub struct NoCreditView<'a> {
    pub plan: &'a str,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub downtime_seconds: Option<i64>,
    pub uptime_percent: Option<f64>,
    pub threshold_percent: Option<f64>,
    pub below_threshold: bool,
    pub outages: Vec<OutageView>,
    pub outage_credit_total: Option<String>,
    pub currency: Option<String>,
    pub notes: [&'a str; 1],
    pub commitment: &'static str,
    pub credit_due: bool,
    pub assumed: bool,
    pub assumptions: &'a [String],
}

/// `credit` on an uptime commitment.
#[derive(Serialize)]
pub struct CreditView<'a> {
    pub plan: &'a str,
    pub period_start: String,
    pub period_end: String,
    pub downtime_seconds: i64,
    #[serde(serialize_with = "number")]
    pub uptime_percent: slacalc::decimal::MicroPercent,
    #[serde(serialize_with = "opt_number")]
    pub threshold_percent: Option<slacalc::decimal::MicroPercent>,
    pub below_threshold: bool,
    pub outages: Outages,
    pub outage_credit_total: Option<String>,
    pub currency: &'a str,
    pub notes: &'a [String],
    pub commitment: &'static str,
    pub period: &'static str,
    pub period_seconds: i64,
    pub downtime: String,
    pub below_threshold_credit: Option<String>,
    pub tier: Option<TierView>,
    pub tier_credit: Option<String>,
    pub period_fee: Option<String>,
    pub credit_total: String,
    pub capped: bool,
    pub credit_due: bool,
    pub outages_ignored: usize,
    pub outage_credit_unit: Option<String>,
    pub subscription: Option<String>,
    pub zone: &'static str,
    pub assumed: bool,
    pub assumptions: &'a [String],
}

/// The outages of a credit answer: objects in JSON, one line each in CSV.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Outages {
    /// As objects.
    Full(Vec<OutageView>),
    /// As one line each.
    Lines(Vec<String>),
}

/// One outage of a credit answer.
#[derive(Serialize)]
pub struct OutageView {
    pub start: String,
    pub end: String,
    pub duration_seconds: i64,
    pub duration: String,
    pub days_credited: Option<i64>,
    pub credit: Option<String>,
}

/// The credit tier the uptime falls in.
#[derive(Serialize)]
pub struct TierView {
    pub range: String,
    #[serde(serialize_with = "number")]
    pub at_least: slacalc::decimal::MicroPercent,
    #[serde(serialize_with = "number")]
    pub below: slacalc::decimal::MicroPercent,
    pub below_inclusive: bool,
    #[serde(serialize_with = "number")]
    pub credit_percent: BasisPoints,
}

/// One line of `entitlements` (and `entitlements --check`).
#[derive(Serialize)]
pub struct EntitlementView<'a> {
    pub plan: &'a str,
    pub feature: &'a str,
    pub included: bool,
    pub detail: Option<&'a str>,
    pub description: Option<&'a str>,
    pub assumed: bool,
    pub source: &'a str,
}

/// `entitlements` in JSON.
#[derive(Serialize)]
pub struct EntitlementsView<'a> {
    pub plan: &'a str,
    pub provider: &'a str,
    pub entitlements: Vec<EntitlementView<'a>>,
    pub notes: &'a [String],
    pub assumed: bool,
    pub assumptions: Vec<String>,
}

/// `calendar` in JSON.
#[derive(Serialize)]
pub struct CalendarView<'a> {
    pub plan: &'a str,
    pub provider: &'a str,
    pub calendar: &'a str,
    pub zone: &'static str,
    pub display_zone: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    pub working_seconds: i64,
    pub assumptions: Vec<String>,
    pub days: Vec<DayView>,
}

/// One day of `calendar` (a JSON `days` entry, a CSV row).
#[derive(Serialize)]
pub struct DayView {
    pub date: String,
    pub weekday: &'static str,
    pub windows: Windows,
    pub holiday: Option<String>,
    #[serde(rename = "override")]
    pub overridden: bool,
    pub working_seconds: i64,
    pub dst_change: Option<String>,
}

/// A day's working windows: objects in JSON, one `from/to; from/to` field in CSV.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Windows {
    /// As objects.
    Spans(Vec<WindowView>),
    /// As one field.
    Flat(String),
}

/// One working window of a day.
#[derive(Serialize)]
pub struct WindowView {
    pub from: String,
    pub to: String,
}

/// One row of `plans list`.
#[derive(Serialize)]
pub struct PlanRow<'a> {
    pub id: &'a str,
    pub provider: &'a str,
    pub name: &'a str,
    pub aliases: &'a [String],
    pub calendar: &'a str,
    pub priorities: Vec<&'a str>,
    pub origin: &'a str,
}

/// Where a figure of a plan comes from.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceView<'a> {
    /// Quoted from the vendor.
    Source(&'a str),
    /// Assumed, and why.
    Assumed(&'a str),
}

/// `plans show` in JSON and CSV.
#[derive(Serialize)]
pub struct PlanView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub provider: &'a str,
    pub aliases: &'a [String],
    pub origin: &'a str,
    pub description: &'a Option<String>,
    pub calendar: PlanCalendarView<'a>,
    pub target: Option<String>,
    pub priorities: Vec<PriorityView<'a>>,
    pub quota: Option<String>,
    pub credit: String,
    pub entitlements: Vec<PlanEntitlementView<'a>>,
    pub notes: &'a [String],
    /// The ticket-lifecycle settings, `null` for a plan that sets none.
    pub lifecycle: Option<LifecycleView<'a>>,
}

/// The calendar of `plans show`.
#[derive(Serialize)]
pub struct PlanCalendarView<'a> {
    pub id: &'a str,
    pub zone: &'static str,
    pub hours: String,
    pub business_day_seconds: i64,
    pub holidays: Vec<HolidayView<'a>>,
    pub zone_provenance: ProvenanceView<'a>,
    pub hours_provenance: ProvenanceView<'a>,
    pub holidays_provenance: ProvenanceView<'a>,
}

/// A holiday of `plans show`.
#[derive(Serialize)]
pub struct HolidayView<'a> {
    pub name: &'a str,
    pub rule: String,
}

/// A priority of `plans show`.
#[derive(Serialize)]
pub struct PriorityView<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    pub target: String,
    pub target_seconds: Option<i64>,
    pub clock: &'static str,
    pub assumed: bool,
    pub provenance: ProvenanceView<'a>,
    pub clock_provenance: Option<ProvenanceView<'a>>,
    pub description: &'a Option<String>,
}

/// An entitlement of `plans show`.
#[derive(Serialize)]
pub struct PlanEntitlementView<'a> {
    pub feature: &'a str,
    pub included: bool,
    pub detail: &'a Option<String>,
    pub assumed: bool,
    pub provenance: ProvenanceView<'a>,
}

/// One file of `check`.
#[derive(Serialize)]
pub struct CheckRow {
    pub file: String,
    pub status: &'static str,
    pub plans: usize,
}

/// What `plans show` prints of a plan's lifecycle keys (SPEC §5): the
/// settings, the pauses per metric, the plan's own status names and the
/// next-response and resolution targets per priority.
#[derive(Serialize)]
pub struct LifecycleView<'a> {
    /// The at-risk threshold, in percent.
    pub at_risk_percent: f64,
    /// `retarget` or `keep`.
    pub on_priority_change: &'static str,
    /// Each class with names of the plan's own, in class order.
    #[serde(serialize_with = "pairs")]
    pub statuses: Vec<(&'static str, Vec<&'a str>)>,
    /// Each metric and the classes it pauses on.
    #[serde(serialize_with = "pairs")]
    pub pause_on: Vec<(&'static str, Vec<&'static str>)>,
    /// Each priority's next-response and resolution targets.
    pub priorities: Vec<LifecyclePriorityView<'a>>,
}

/// A priority's lifecycle targets in [`LifecycleView`].
#[derive(Serialize)]
pub struct LifecyclePriorityView<'a> {
    pub name: &'a str,
    pub next_response: Option<MetricTargetView<'a>>,
    pub resolution: Option<MetricTargetView<'a>>,
}

/// One per-metric target of a priority.
#[derive(Serialize)]
pub struct MetricTargetView<'a> {
    pub target: String,
    pub target_seconds: Option<i64>,
    pub assumed: bool,
    pub provenance: ProvenanceView<'a>,
}

/// A list of (key, values) pairs as a JSON object, in list order.
fn pairs<V: Serialize, S: Serializer>(v: &[(&'static str, V)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, x) in v {
        m.serialize_entry(k, x)?;
    }
    m.end()
}

impl<'a> LifecycleView<'a> {
    /// The view of `plan`'s lifecycle; `None` for a plan that sets none of
    /// its keys (it runs on the defaults, first response only).
    pub fn of(plan: &'a slacalc::plan::Plan) -> Option<LifecycleView<'a>> {
        use slacalc::plan::lifecycle::{Lifecycle, Metric, MetricTarget, OnPriorityChange, StatusClass};
        use slacalc::plan::{Priority, Provenance};
        let l = &plan.lifecycle;
        let has_targets = plan.priorities.iter().any(|x| x.next_response.is_some() || x.resolution.is_some());
        if !has_targets && *l == Lifecycle::default() {
            return None;
        }
        let target = |x: &Priority, t: Option<&'a MetricTarget>| {
            t.map(|t| MetricTargetView {
                target: t.target.to_string(),
                target_seconds: t
                    .target
                    .seconds(plan.calendar_for(x.clock).business_day())
                    .map(slacalc::WorkSpan::secs),
                assumed: t.provenance.is_assumed(),
                provenance: match &t.provenance {
                    Provenance::Source(s) => ProvenanceView::Source(s),
                    Provenance::Assumed(a) => ProvenanceView::Assumed(a),
                },
            })
        };
        let priorities = plan
            .priorities
            .iter()
            .map(|x| LifecyclePriorityView {
                name: &x.name,
                next_response: target(x, x.next_response.as_ref()),
                resolution: target(x, x.resolution.as_ref()),
            })
            .collect();
        let statuses = StatusClass::ALL
            .into_iter()
            .map(|c| (c.as_str(), l.statuses.iter().filter(|(_, k)| *k == c).map(|(n, _)| n.as_str()).collect()))
            .filter(|(_, names): &(_, Vec<&str>)| !names.is_empty())
            .collect();
        let pause_on =
            Metric::ALL.into_iter().map(|m| (m.as_str(), l.pause_on(m).iter().map(|c| c.as_str()).collect())).collect();
        Some(LifecycleView {
            at_risk_percent: l.at_risk_basis_points as f64 / 100.0,
            on_priority_change: match l.on_priority_change {
                OnPriorityChange::Retarget => "retarget",
                OnPriorityChange::Keep => "keep",
            },
            statuses,
            pause_on,
            priorities,
        })
    }

    /// The view as (label, text) lines for a table: one per setting, per
    /// metric's pauses, per class with names of the plan's own, and per
    /// priority with a next-response or resolution target (`(assumed)`
    /// marked).
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        out.push(("at risk from".to_string(), format!("{} %", self.at_risk_percent)));
        let change = match self.on_priority_change {
            "retarget" => "retarget (the priority in force when a cycle is evaluated)",
            _ => "keep (the creation priority's targets)",
        };
        out.push(("on priority change".to_string(), change.to_string()));
        for (m, p) in &self.pause_on {
            out.push((format!("{m} pauses on"), if p.is_empty() { "nothing".into() } else { p.join(", ") }));
        }
        for (c, names) in &self.statuses {
            out.push((format!("{c} statuses"), format!("{} (besides the defaults)", names.join(", "))));
        }
        for x in &self.priorities {
            let one = |name: &str, t: Option<&MetricTargetView<'_>>| {
                t.map(|t| {
                    let mark = if t.assumed { " (assumed)" } else { "" };
                    format!("{name} {}{mark}", t.target)
                })
            };
            let parts: Vec<String> =
                [one("next response", x.next_response.as_ref()), one("resolution", x.resolution.as_ref())]
                    .into_iter()
                    .flatten()
                    .collect();
            if !parts.is_empty() {
                out.push((format!("{} targets", x.name), parts.join("; ")));
            }
        }
        out
    }
}
