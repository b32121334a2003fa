//! The answers as data: one `#[derive(Serialize)]` view per answer, whose
//! field order is the JSON contract (`docs/json.md`). [`super::render`]
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
