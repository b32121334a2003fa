//! Serde structs that mirror the plan-file TOML one to one. Nothing here is
//! checked beyond TOML types; [`crate::plan::validate`] turns these into the
//! model and points at `file:line:column` when something is wrong, using the
//! spans kept here.
//!
//! Provenance: a figure `x` may carry `x_source` / `x_assumed`; otherwise the
//! table's own `source` / `assumed` covers it. A figure with neither is an error.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A spanned string.
pub(crate) type SStr = Spanned<String>;

/// One plan file: any mix of holiday sets, calendars, features and plans.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    /// Holiday sets by id.
    #[serde(default)]
    pub holiday_sets: BTreeMap<String, Spanned<RawHolidaySet>>,
    /// Calendars by id.
    #[serde(default)]
    pub calendars: BTreeMap<String, Spanned<RawCalendar>>,
    /// Feature catalogue: id → one-line description.
    #[serde(default)]
    pub features: BTreeMap<String, String>,
    /// Plans.
    #[serde(default)]
    pub plans: Vec<Spanned<RawPlan>>,
}

/// `[holiday_sets.ID]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHolidaySet {
    /// Display name.
    pub name: Option<String>,
    /// Provenance quote.
    pub source: Option<String>,
    /// Why assumed.
    pub assumed: Option<String>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Spanned<RawHoliday>>,
    /// An iCalendar file of all-day events, relative to the plan file.
    pub ics: Option<SStr>,
    /// Another set whose rules come first (a subdivision extending its country).
    pub extends: Option<SStr>,
    /// The first year the set has data for: a walk before it is an error.
    pub data_from: Option<Spanned<i64>>,
    /// The last year the set has data for: a walk past it is an error.
    pub horizon: Option<Spanned<i64>>,
}

/// One holiday rule; exactly one of the `date`, `dates`, `easter`,
/// `orthodox_easter`, `nth` forms, and any of `offset`, `since`, `until`,
/// `observed`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHoliday {
    /// Display name.
    pub name: String,
    /// `MM-DD` (every year) or `YYYY-MM-DD` (once).
    pub date: Option<SStr>,
    /// A list of `YYYY-MM-DD` dates.
    pub dates: Option<Spanned<Vec<SStr>>>,
    /// Days after Easter Sunday.
    pub easter: Option<Spanned<i64>>,
    /// Days after Orthodox Easter Sunday.
    pub orthodox_easter: Option<Spanned<i64>>,
    /// Days added to the date the form gives (same year).
    pub offset: Option<Spanned<i64>>,
    /// First year the rule applies in.
    pub since: Option<Spanned<i64>>,
    /// Last year the rule applies in.
    pub until: Option<Spanned<i64>>,
    /// `nearest-weekday` or `next-monday`: the day observed when the holiday
    /// falls on a weekend.
    pub observed: Option<SStr>,
    /// n-th weekday: 1..=5 or -1 (last); with `weekday` and `month`.
    pub nth: Option<Spanned<i64>>,
    /// `mon`..`sun`.
    pub weekday: Option<SStr>,
    /// 1..=12.
    pub month: Option<Spanned<i64>>,
}

/// `[calendars.ID]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCalendar {
    /// IANA zone, e.g. `Europe/Paris`.
    pub zone: SStr,
    /// Weekday (`mon`) or range (`mon-fri`) → list of `HH:MM-HH:MM`.
    pub hours: Spanned<BTreeMap<SStr, Vec<SStr>>>,
    /// Holiday set ids.
    #[serde(default)]
    pub holidays: Vec<SStr>,
    /// Date (`YYYY-MM-DD`) → the hours of that date (empty: closed).
    #[serde(default)]
    pub overrides: BTreeMap<SStr, Vec<SStr>>,
    /// Length of a business day, required when working days differ.
    pub business_day: Option<SStr>,
    /// Provenance for every figure of the calendar.
    pub source: Option<String>,
    /// Why every figure is assumed.
    pub assumed: Option<String>,
    /// Provenance of `zone`.
    pub zone_source: Option<String>,
    /// Why `zone` is assumed.
    pub zone_assumed: Option<String>,
    /// Provenance of `hours`.
    pub hours_source: Option<String>,
    /// Why `hours` are assumed.
    pub hours_assumed: Option<String>,
    /// Provenance of `holidays`.
    pub holidays_source: Option<String>,
    /// Why `holidays` are assumed.
    pub holidays_assumed: Option<String>,
}

/// `[[plans]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlan {
    /// Unique id, e.g. `apizee-gold`.
    pub id: SStr,
    /// Display name.
    pub name: Option<String>,
    /// Vendor name.
    pub provider: String,
    /// Other names `--plan` accepts; unique across all plans.
    #[serde(default)]
    pub aliases: Vec<SStr>,
    /// Calendar id for `business` clocks.
    pub calendar: SStr,
    /// One-line description.
    pub description: Option<String>,
    /// Priority levels, most urgent first.
    #[serde(default)]
    pub priorities: Vec<Spanned<RawPriority>>,
    /// A plan with no priority levels states its single target here (`none`,
    /// `best-effort`, or a duration).
    pub target: Option<SStr>,
    /// Provenance of `target`.
    pub target_source: Option<String>,
    /// Why `target` is assumed.
    pub target_assumed: Option<String>,
    /// Support quota.
    pub quota: Option<Spanned<RawQuota>>,
    /// Uptime commitment and credits.
    pub credit: Option<Spanned<RawCredit>>,
    /// Feature id → entitlement.
    #[serde(default)]
    pub entitlements: BTreeMap<SStr, Spanned<RawEntitlement>>,
    /// Free-form notes shown by `plans show` (e.g. upgrade rules).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Status class (`open`, `waiting`, …) → status names the plan adds.
    #[serde(default)]
    pub statuses: BTreeMap<SStr, Vec<SStr>>,
    /// Metric name → its settings (`pause_on`).
    #[serde(default)]
    pub metrics: BTreeMap<SStr, Spanned<RawMetric>>,
    /// `retarget` (default) or `keep`.
    pub on_priority_change: Option<SStr>,
    /// Share of a target used from which a cycle is at risk (default 75).
    pub at_risk_percent: Option<Spanned<toml::Value>>,
}

/// `[plans.metrics.NAME]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMetric {
    /// Status classes during which the metric's clock stops.
    pub pause_on: Option<Vec<SStr>>,
    /// A calendar id the metric's clock runs on, whatever the priority
    /// (`24x7`: the built-in one).
    pub calendar: Option<SStr>,
    /// Provenance of `pause_on` (optional).
    #[expect(dead_code, reason = "accepted in plan files (unknown keys are refused), not read")]
    pub source: Option<String>,
    /// Why `pause_on` is assumed (optional).
    #[expect(dead_code, reason = "accepted in plan files (unknown keys are refused), not read")]
    pub assumed: Option<String>,
}

/// `[[plans.priorities]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPriority {
    /// Canonical name.
    pub name: SStr,
    /// Other accepted names (`p1`… are automatic).
    #[serde(default)]
    pub aliases: Vec<SStr>,
    /// `4h`, `1bd`, `best-effort`, `none` (required; optional here so that a
    /// missing one gets a message naming the priority).
    pub target: Option<SStr>,
    /// `business` (default: the plan's calendar) or `24x7`.
    pub clock: Option<SStr>,
    /// A calendar id of its own (instead of the plan's); `24x7` is the
    /// built-in one. Covered by `clock_source` / `clock_assumed`.
    pub calendar: Option<SStr>,
    /// One-line description.
    pub description: Option<String>,
    /// Provenance of the target (and the clock, unless it has its own).
    pub source: Option<String>,
    /// Why the target is assumed.
    pub assumed: Option<String>,
    /// Provenance of the clock.
    pub clock_source: Option<String>,
    /// Why the clock is assumed.
    pub clock_assumed: Option<String>,
    /// Next-response target (same values as `target`).
    pub next_response: Option<SStr>,
    /// Provenance of `next_response`.
    pub next_response_source: Option<String>,
    /// Why `next_response` is assumed.
    pub next_response_assumed: Option<String>,
    /// Resolution target (same values as `target`).
    pub resolution: Option<SStr>,
    /// Provenance of `resolution`.
    pub resolution_source: Option<String>,
    /// Why `resolution` is assumed.
    pub resolution_assumed: Option<String>,
}

/// `[plans.quota]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuota {
    /// `requests` or `hours`.
    pub unit: SStr,
    /// `day`, `week`, `month`, `quarter`, `year` or `subscription-year`.
    pub period: SStr,
    /// A number, `"unlimited"` or `"per-contract"`; absent when `rate` is given.
    pub allowance: Option<Spanned<toml::Value>>,
    /// Allowance proportional to the annual subscription.
    pub rate: Option<Spanned<RawRate>>,
    /// Warning threshold in percent of the allowance (default 80).
    pub warn_percent: Option<Spanned<toml::Value>>,
    /// Request kinds that do not count (`bug`, `global`).
    #[serde(default)]
    pub excluded_kinds: Vec<SStr>,
    /// Provenance of every figure.
    pub source: Option<String>,
    /// Why every figure is assumed.
    pub assumed: Option<String>,
    /// Provenance of `allowance` / `rate`.
    pub allowance_source: Option<String>,
    /// Why `allowance` / `rate` is assumed.
    pub allowance_assumed: Option<String>,
    /// Provenance of `period`.
    pub period_source: Option<String>,
    /// Why `period` is assumed.
    pub period_assumed: Option<String>,
    /// Provenance of `warn_percent`.
    pub warn_percent_source: Option<String>,
    /// Why `warn_percent` is assumed.
    pub warn_percent_assumed: Option<String>,
    /// Provenance of `excluded_kinds`.
    pub excluded_kinds_source: Option<String>,
    /// Why `excluded_kinds` is assumed.
    pub excluded_kinds_assumed: Option<String>,
}

/// `rate = { amount = 1, per = 1000, currency = "CHF" }`: `amount` units per
/// **full** `per` of annual subscription.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRate {
    /// Units granted per step.
    pub amount: Spanned<toml::Value>,
    /// Subscription amount per step.
    pub per: Spanned<toml::Value>,
    /// ISO currency code.
    pub currency: SStr,
}

/// `[plans.credit]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCredit {
    /// `uptime` or `none`.
    pub commitment: SStr,
    /// `month`, `quarter`, `year` or `subscription-year`.
    pub period: Option<SStr>,
    /// Zone the period is cut in (default: the plan calendar's).
    pub zone: Option<SStr>,
    /// ISO currency code.
    pub currency: Option<SStr>,
    /// Uptime below this percent owes a credit.
    pub threshold_percent: Option<Spanned<toml::Value>>,
    /// Amount owed below the threshold: a percent of the period's fee, or
    /// `"per-contract"` when not published.
    pub below_threshold: Option<Spanned<toml::Value>>,
    /// Tiered credits, as public cloud SLAs state them.
    #[serde(default)]
    pub tiers: Vec<Spanned<RawTier>>,
    /// The most credit for one period, in percent of its fee.
    pub cap_percent: Option<Spanned<toml::Value>>,
    /// Credit per long outage.
    pub outage: Option<Spanned<RawOutageCredit>>,
    /// Provenance of every figure.
    pub source: Option<String>,
    /// Why every figure is assumed.
    pub assumed: Option<String>,
    /// Provenance of `period`.
    pub period_source: Option<String>,
    /// Why `period` is assumed.
    pub period_assumed: Option<String>,
    /// Provenance of `threshold_percent`.
    pub threshold_source: Option<String>,
    /// Why `threshold_percent` is assumed.
    pub threshold_assumed: Option<String>,
}

/// `[[plans.credit.tiers]]`: `credit_percent` when `at_least <= uptime < below`
/// (bounds inclusive per `inclusive`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTier {
    /// Upper bound, exclusive unless `below_inclusive`.
    pub below: Spanned<toml::Value>,
    /// Lower bound, inclusive unless `at_least` is omitted (then 0).
    pub at_least: Option<Spanned<toml::Value>>,
    /// Percent of the period's fee credited.
    pub credit_percent: Spanned<toml::Value>,
    /// Treat `below` as `<=` (some vendors write "99.9 % or less").
    #[serde(default)]
    pub below_inclusive: bool,
}

/// `[plans.credit.outage]`: each outage longer than `longer_than` is credited
/// `ceil(duration / unit)` units of `rate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutageCredit {
    /// Minimum outage length that earns a credit (strictly longer).
    pub longer_than: SStr,
    /// Unit of credited time, e.g. `24h`.
    pub unit: SStr,
    /// `daily` (annual subscription / 365 per unit) or a percent of the annual fee per unit.
    pub rate: Spanned<toml::Value>,
    /// Provenance.
    pub source: Option<String>,
    /// Why assumed.
    pub assumed: Option<String>,
}

/// One entitlement: `{ included = true, detail = "3 months", source = "…" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntitlement {
    /// Whether the plan includes the feature.
    pub included: bool,
    /// Extent: `3 months`, `on quote`, `unlimited`, …
    pub detail: Option<String>,
    /// Provenance.
    pub source: Option<String>,
    /// Why assumed.
    pub assumed: Option<String>,
}
