//! The validated plan model: what the commands work with. Built only by
//! [`crate::plan::validate`], so every value here has already been checked.

use std::sync::Arc;

use crate::decimal::{BasisPoints, Cents, MicroPercent, Milli};
use crate::engine::{Calendar, Target};

pub(crate) use super::provenance::Provenance;

/// Which clock a target runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The plan calendar's working hours.
    Business,
    /// Every instant.
    Always,
    /// The working hours of another calendar the plan names for a priority
    /// or a metric: an index into [`Plan::calendars`].
    Named(usize),
}

impl Clock {
    /// `business` or `24x7`, as in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Business | Clock::Named(_) => "business",
            Clock::Always => "24x7",
        }
    }
}

/// A calendar with the provenance of its figures.
#[derive(Debug, Clone)]
pub struct CalendarInfo {
    /// The engine calendar.
    pub calendar: Arc<Calendar>,
    /// Where the zone comes from.
    pub zone: Provenance,
    /// Where the hours come from.
    pub hours: Provenance,
    /// Where the holiday list comes from.
    pub holidays: Provenance,
    /// Holiday set ids in use.
    pub holiday_sets: Vec<String>,
}

impl CalendarInfo {
    /// Every assumed figure of the calendar, as lines for `assumptions`.
    pub fn assumptions(&self) -> Vec<String> {
        let id = self.calendar.id();
        [("time zone", &self.zone), ("working hours", &self.hours), ("holidays", &self.holidays)]
            .into_iter()
            .filter(|(_, p)| p.is_assumed())
            .map(|(what, p)| format!("calendar {id} {what}: {}", p.text()))
            .collect()
    }
}

/// A priority level and its first-response target.
#[derive(Debug, Clone)]
pub struct Priority {
    /// Canonical name.
    pub name: String,
    /// Other accepted names (lowercase), `p1`… excluded.
    pub aliases: Vec<String>,
    /// The target.
    pub target: Target,
    /// Its clock.
    pub clock: Clock,
    /// Where the target comes from.
    pub target_provenance: Provenance,
    /// Where the clock comes from (for `24x7`).
    pub clock_provenance: Option<Provenance>,
    /// What the level means, from the source.
    pub description: Option<String>,
    /// Next-response target, if the plan gives one.
    pub next_response: Option<super::lifecycle::MetricTarget>,
    /// Resolution target, if the plan gives one.
    pub resolution: Option<super::lifecycle::MetricTarget>,
}

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaUnit {
    /// Support requests.
    Requests,
    /// Support hours.
    Hours,
}

impl QuotaUnit {
    /// `requests` or `hours`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaUnit::Requests => "requests",
            QuotaUnit::Hours => "hours",
        }
    }
}

/// The stretch of time a quota or an uptime figure is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A calendar day.
    Day,
    /// A week from Monday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
    /// A year from the subscription's start date.
    SubscriptionYear,
}

impl Period {
    /// Parses the plan-file spelling.
    pub fn parse(s: &str) -> Option<Period> {
        Some(match s {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            "subscription-year" => Period::SubscriptionYear,
            _ => return None,
        })
    }

    /// The plan-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::SubscriptionYear => "subscription-year",
        }
    }
}

/// How big a quota is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Allowance {
    /// No limit.
    Unlimited,
    /// Included but the amount is not published: `--allowance` must say it.
    PerContract,
    /// A fixed amount of the unit (hours or requests).
    Fixed(Milli),
    /// `amount` of the unit per **full** `per` of annual subscription.
    Rate {
        /// The unit granted per step.
        amount: Milli,
        /// Subscription per step.
        per: Cents,
        /// ISO code.
        currency: String,
    },
}

/// A support quota.
#[derive(Debug, Clone)]
pub struct Quota {
    /// What it counts.
    pub unit: QuotaUnit,
    /// The period it resets on.
    pub period: Period,
    /// How much.
    pub allowance: Allowance,
    /// Warn at this share used (80 % by default).
    pub warn_basis_points: BasisPoints,
    /// Request kinds that do not count.
    pub excluded_kinds: Vec<String>,
    /// Where the allowance comes from.
    pub allowance_provenance: Provenance,
    /// Where the period comes from.
    pub period_provenance: Provenance,
    /// Where the warning threshold comes from (None = default 80 %).
    pub warn_provenance: Option<Provenance>,
    /// Where the exclusions come from.
    pub excluded_provenance: Option<Provenance>,
}

/// A credit tier: `credit_basis_points` of the period fee when the uptime is
/// in the tier's range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    /// Upper bound (uptime must be below it, or at most it if inclusive).
    pub below: MicroPercent,
    /// Whether `below` itself is in the tier.
    pub below_inclusive: bool,
    /// Lower bound, inclusive.
    pub at_least: MicroPercent,
    /// Credit, percent of the period fee.
    pub credit_basis_points: BasisPoints,
}

/// What is owed below the uptime threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BelowThreshold {
    /// Amount not published: "due, amount per contract".
    PerContract,
    /// Percent of the period's fee.
    Percent(BasisPoints),
}

/// How each long outage is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutageRate {
    /// Annual subscription / 365 per unit.
    Daily,
    /// Percent of the annual subscription per unit.
    Percent(BasisPoints),
}

/// Credit per long outage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutageCredit {
    /// Outages strictly longer than this (seconds) earn credit.
    pub longer_than: i64,
    /// Credited units are `ceil(duration / unit)`.
    pub unit: i64,
    /// Value of one unit.
    pub rate: OutageRate,
    /// Where the rule comes from.
    pub provenance: Provenance,
}

/// An uptime commitment.
#[derive(Debug, Clone)]
pub struct Credit {
    /// Measurement period.
    pub period: Period,
    /// Zone the period is cut in.
    pub zone: chrono_tz::Tz,
    /// ISO currency code.
    pub currency: String,
    /// Below this uptime a credit is due.
    pub threshold: Option<MicroPercent>,
    /// What is owed below the threshold.
    pub below_threshold: Option<BelowThreshold>,
    /// Tiers, as cloud SLAs write them.
    pub tiers: Vec<Tier>,
    /// Cap, percent of the period fee.
    pub cap_basis_points: Option<BasisPoints>,
    /// Credit per long outage.
    pub outage: Option<OutageCredit>,
    /// Where the commitment comes from.
    pub provenance: Provenance,
    /// Where the period comes from.
    pub period_provenance: Provenance,
    /// Where the threshold comes from.
    pub threshold_provenance: Provenance,
}

/// What a plan commits to about uptime.
#[derive(Debug, Clone)]
pub enum CreditRule {
    /// A committed uptime with credits.
    Uptime(Box<Credit>),
    /// Explicitly no uptime commitment.
    None(Provenance),
}

/// One feature a plan does or does not include.
#[derive(Debug, Clone)]
pub struct Entitlement {
    /// Feature id.
    pub feature: String,
    /// Included or not.
    pub included: bool,
    /// Extent, e.g. `3 months`.
    pub detail: Option<String>,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// A validated support plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Vendor.
    pub provider: String,
    /// Other names, lowercase.
    pub aliases: Vec<String>,
    /// Where it was loaded from: `embedded:apizee.toml` or a path.
    pub origin: String,
    /// One-line description.
    pub description: Option<String>,
    /// Business calendar.
    pub calendar: CalendarInfo,
    /// Other calendars named by priorities or metrics (`calendar = "id"`),
    /// in order of first use; `Clock::Named` indexes them.
    pub calendars: Vec<CalendarInfo>,
    /// Priority levels, most urgent first (may be empty).
    pub priorities: Vec<Priority>,
    /// The target when there are no priority levels.
    pub default_target: Option<(Target, Provenance)>,
    /// Support quota (None: unlimited, no published quota).
    pub quota: Option<Quota>,
    /// Uptime commitment (None: none published).
    pub credit: Option<CreditRule>,
    /// Entitlements, sorted by feature id.
    pub entitlements: Vec<Entitlement>,
    /// Free-form notes.
    pub notes: Vec<String>,
    /// Ticket-lifecycle settings (statuses, pauses, priority changes, at risk).
    pub lifecycle: super::lifecycle::Lifecycle,
}

impl Plan {
    /// True when `--priority` may be omitted: no levels, or every level has the
    /// same target on the same clock.
    pub fn priority_optional(&self) -> bool {
        match self.priorities.split_first() {
            None => true,
            Some((first, rest)) => rest.iter().all(|p| {
                p.target == first.target && self.calendar_for(p.clock).id() == self.calendar_for(first.clock).id()
            }),
        }
    }

    /// Finds a priority by name, alias or `pN`, case-insensitively.
    pub fn priority(&self, name: &str) -> Option<&Priority> {
        let n = name.trim().to_lowercase();
        if let Some(i) = n.strip_prefix('p').and_then(|d| d.parse::<usize>().ok()) {
            return i.checked_sub(1).and_then(|i| self.priorities.get(i));
        }
        self.priorities.iter().find(|p| p.name.to_lowercase() == n || p.aliases.contains(&n))
    }

    /// Every name `--priority` accepts, canonical names first.
    pub fn priority_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.priorities.iter().map(|p| p.name.clone()).collect();
        v.extend(self.priorities.iter().flat_map(|p| p.aliases.iter().cloned()));
        v.extend((1..=self.priorities.len()).map(|i| format!("p{i}")));
        v
    }

    /// The calendar (with its provenance) a working-hours clock runs on;
    /// `None` for 24x7.
    pub fn calendar_info_for(&self, clock: Clock) -> Option<&CalendarInfo> {
        match clock {
            Clock::Business => Some(&self.calendar),
            Clock::Named(i) => Some(self.calendars.get(i).unwrap_or(&self.calendar)),
            Clock::Always => None,
        }
    }

    /// The calendar a clock runs on.
    pub fn calendar_for(&self, clock: Clock) -> Arc<Calendar> {
        match clock {
            Clock::Business => Arc::clone(&self.calendar.calendar),
            Clock::Named(i) => Arc::clone(&self.calendars.get(i).unwrap_or(&self.calendar).calendar),
            Clock::Always => {
                static ALWAYS: std::sync::OnceLock<Arc<Calendar>> = std::sync::OnceLock::new();
                Arc::clone(ALWAYS.get_or_init(|| Arc::new(Calendar::always())))
            }
        }
    }
}
