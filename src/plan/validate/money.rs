//! Quotas, credits and the numbers they are written in.

use super::*;

impl Cx<'_> {
    pub(super) fn quota(&self, fi: usize, q: &Spanned<RawQuota>) -> R<Quota> {
        let r = q.get_ref();
        let table = (&r.source, &r.assumed);
        let unit = match r.unit.get_ref().as_str() {
            "requests" => QuotaUnit::Requests,
            "hours" => QuotaUnit::Hours,
            other => {
                return Err(self.err(
                    fi,
                    r.unit.span(),
                    format!("unknown quota unit \"{other}\" (expected requests or hours)"),
                ));
            }
        };
        let period = Period::parse(r.period.get_ref()).ok_or_else(|| {
            self.err(
                fi,
                r.period.span(),
                format!(
                    "unknown period \"{}\" (expected day, week, month, quarter, year or subscription-year)",
                    r.period.get_ref()
                ),
            )
        })?;
        let allowance = match (&r.allowance, &r.rate) {
            (Some(a), None) => match a.get_ref() {
                toml::Value::String(s) if s == "unlimited" => Allowance::Unlimited,
                toml::Value::String(s) if s == "per-contract" => Allowance::PerContract,
                v => Allowance::Fixed(decimal(v).filter(|n| n.within(Milli::ZERO, MAX_QUANTITY)).ok_or_else(|| {
                    self.err(
                        fi,
                        a.span(),
                        "invalid allowance (expected a number from 0 to 10^12, \"unlimited\" or \"per-contract\")",
                    )
                })?),
            },
            (None, Some(rate)) => {
                let rr = rate.get_ref();
                let amount =
                    decimal(rr.amount.get_ref()).filter(|n| n.within(Milli::from_raw(1), MAX_QUANTITY)).ok_or_else(
                        || self.err(fi, rr.amount.span(), "invalid rate amount (expected a number > 0, at most 10^12)"),
                    )?;
                let per = decimal(rr.per.get_ref()).filter(|n| n.within(Cents::from_raw(1), MAX_AMOUNT)).ok_or_else(
                    || self.err(fi, rr.per.span(), "invalid rate per (expected an amount > 0, at most 10^13)"),
                )?;
                Allowance::Rate { amount, per, currency: self.currency(fi, &rr.currency)? }
            }
            _ => {
                return Err(self.err(
                    fi,
                    q.span(),
                    "a quota needs exactly one of allowance = … or rate = { amount, per, currency }",
                ));
            }
        };
        let warn_basis_points = match &r.warn_percent {
            Some(w) => decimal(w.get_ref())
                .filter(|n| n.within(BasisPoints::ZERO, BasisPoints::from_int(100)))
                .ok_or_else(|| self.err(fi, w.span(), "invalid warn_percent (expected a number from 0 to 100)"))?,
            None => BasisPoints::from_int(80),
        };
        let need = |own: (&Option<String>, &Option<String>), what: &str| {
            prov(own, table).ok_or_else(|| self.err(fi, q.span(), format!("quota {what} {NO_PROV}")))
        };
        Ok(Quota {
            unit,
            period,
            allowance,
            warn_basis_points,
            excluded_kinds: r.excluded_kinds.iter().map(|k| k.get_ref().to_lowercase()).collect(),
            allowance_provenance: need((&r.allowance_source, &r.allowance_assumed), "allowance")?,
            period_provenance: need((&r.period_source, &r.period_assumed), "period")?,
            warn_provenance: if r.warn_percent.is_some() {
                Some(need((&r.warn_percent_source, &r.warn_percent_assumed), "warn_percent")?)
            } else {
                None
            },
            excluded_provenance: if r.excluded_kinds.is_empty() {
                None
            } else {
                Some(need((&r.excluded_kinds_source, &r.excluded_kinds_assumed), "excluded_kinds")?)
            },
        })
    }

    /// A percentage from 0 to 100 in the unit asked for (`U` says how many
    /// decimals the plan may write).
    pub(super) fn percent<U: Unit>(&self, fi: usize, v: &Spanned<toml::Value>, what: &str) -> R<Fixed<U>> {
        decimal(v.get_ref())
            .filter(|n| n.within(Fixed::ZERO, Fixed::from_int(100)))
            .ok_or_else(|| self.err(fi, v.span(), format!("invalid {what} (expected a percentage from 0 to 100)")))
    }

    pub(super) fn currency(&self, fi: usize, c: &Spanned<String>) -> R<String> {
        let s = c.get_ref();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(s.clone())
        } else {
            Err(self.err(
                fi,
                c.span(),
                format!("invalid currency \"{s}\" (expected a three-letter ISO code such as CHF or EUR)"),
            ))
        }
    }

    pub(super) fn credit(&self, fi: usize, c: &Spanned<RawCredit>, cal: &CalendarInfo) -> R<CreditRule> {
        let r = c.get_ref();
        let table = (&r.source, &r.assumed);
        let provenance =
            prov(table, (&None, &None)).ok_or_else(|| self.err(fi, c.span(), format!("credit {NO_PROV}")))?;
        match r.commitment.get_ref().as_str() {
            "none" => return Ok(CreditRule::None(provenance)),
            "uptime" => {}
            other => {
                return Err(self.err(
                    fi,
                    r.commitment.span(),
                    format!("unknown commitment \"{other}\" (expected uptime or none)"),
                ));
            }
        }
        let missing = |what: &str| self.err(fi, c.span(), format!("an uptime commitment needs {what}"));
        let period_s = r
            .period
            .as_ref()
            .ok_or_else(|| missing("period = \"month\" | \"quarter\" | \"year\" | \"subscription-year\""))?;
        let period = Period::parse(period_s.get_ref())
            .filter(|p| !matches!(p, Period::Day | Period::Week))
            .ok_or_else(|| {
                self.err(
                    fi,
                    period_s.span(),
                    format!(
                        "unknown credit period \"{}\" (expected month, quarter, year or subscription-year)",
                        period_s.get_ref()
                    ),
                )
            })?;
        let zone = match &r.zone {
            Some(z) => z
                .get_ref()
                .parse()
                .map_err(|_| self.err(fi, z.span(), format!("unknown time zone \"{}\"", z.get_ref())))?,
            None => cal.calendar.tz(),
        };
        let currency = self.currency(fi, r.currency.as_ref().ok_or_else(|| missing("currency = \"XXX\""))?)?;
        let threshold = r.threshold_percent.as_ref().map(|t| self.percent(fi, t, "threshold_percent")).transpose()?;
        let below_threshold = match &r.below_threshold {
            None => None,
            Some(b) => Some(match b.get_ref() {
                toml::Value::String(s) if s == "per-contract" => BelowThreshold::PerContract,
                _ => BelowThreshold::Percent(self.percent(fi, b, "below_threshold")?),
            }),
        };
        let mut tiers = Vec::new();
        for t in &r.tiers {
            let tr = t.get_ref();
            let tier = Tier {
                below: self.percent(fi, &tr.below, "tier below")?,
                below_inclusive: tr.below_inclusive,
                at_least: tr
                    .at_least
                    .as_ref()
                    .map(|a| self.percent(fi, a, "tier at_least"))
                    .transpose()?
                    .unwrap_or_default(),
                credit_basis_points: self.percent(fi, &tr.credit_percent, "credit_percent")?,
            };
            if tier.at_least > tier.below {
                return Err(self.err(fi, t.span(), "tier at_least is above below"));
            }
            tiers.push(tier);
        }
        if threshold.is_none() && tiers.is_empty() && r.outage.is_none() {
            return Err(missing("threshold_percent, tiers or an outage rule"));
        }
        let outage = match &r.outage {
            None => None,
            Some(o) => {
                let or = o.get_ref();
                let dur = |s: &Spanned<String>| {
                    parse_duration(s.get_ref()).map_err(|m| self.err(fi, s.span(), m.to_string()))
                };
                let unit = dur(&or.unit)?;
                if unit == 0 {
                    return Err(self.err(fi, or.unit.span(), "outage unit must be longer than 0s"));
                }
                let rate = match or.rate.get_ref() {
                    toml::Value::String(s) if s == "daily" => OutageRate::Daily,
                    _ => OutageRate::Percent(self.percent(fi, &or.rate, "outage rate")?),
                };
                Some(OutageCredit {
                    longer_than: dur(&or.longer_than)?,
                    unit,
                    rate,
                    provenance: prov((&or.source, &or.assumed), table)
                        .ok_or_else(|| self.err(fi, o.span(), format!("outage rule {NO_PROV}")))?,
                })
            }
        };
        Ok(CreditRule::Uptime(Box::new(Credit {
            period,
            zone,
            currency,
            threshold,
            below_threshold,
            tiers,
            cap_basis_points: r.cap_percent.as_ref().map(|c| self.percent(fi, c, "cap_percent")).transpose()?,
            outage,
            period_provenance: prov((&r.period_source, &r.period_assumed), table).unwrap_or_else(|| provenance.clone()),
            threshold_provenance: prov((&r.threshold_source, &r.threshold_assumed), table)
                .unwrap_or_else(|| provenance.clone()),
            provenance,
        })))
    }
}

/// How plans write numbers: an optional `-`, `.5` and `5.` allowed, at most
/// 15 digits before the point, at most as many decimals as the unit holds.
pub(super) const PLAN_NUMBER: Syntax =
    Syntax { negative: true, grouped: false, bare_int: true, bare_frac: true, max_digits: 15 };

/// A TOML number (or numeric string) as a decimal of unit `U`, exactly:
/// `99.5` → 99.5 %. `None` if it has more decimals than `U` holds or is not a
/// number. A TOML float is read from its shortest printed form (`99.95`),
/// which is the literal the plan wrote.
pub(crate) fn decimal<U: Unit>(v: &toml::Value) -> Option<Fixed<U>> {
    let text = match v {
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) if f.is_finite() => format!("{f}"),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    Fixed::parse(&text, PLAN_NUMBER).ok()
}
