//! Plan-file loading: arbitrary text through the TOML parser and the
//! validator. Whatever loads must also answer: every plan's deadline at a fixed
//! instant (and `elapsed` must give the target back), its quota and its credit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slacalc::internal::engine;
use slacalc::internal::plan::Source;
use slacalc::internal::sla::{CreditInput, Money, QuotaInput, Usage, credit, entitlements, quota};
use slacalc::{Timestamp, sla};

/// Friday 2026-11-20 16:30 UTC.
const OPENED: i64 = 1_795_710_600;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let src = Source { name: "fuzz.toml".into(), text: text.to_string() };
    let Ok(set) = slacalc::PlanSet::from_sources(&[src]) else { return };
    for plan in set.plans().iter().take(4) {
        let _ = set.get(&plan.id);
        let mut names: Vec<Option<String>> = plan.priority_names().into_iter().take(6).map(Some).collect();
        names.push(None);
        for name in names {
            let first = slacalc::internal::plan::lifecycle::Metric::FirstResponse;
            let Ok(r) = sla::resolve(plan, name.as_deref(), first, sla::Untracked::Refused) else { continue };
            if let Ok(d) = sla::deadline(&r, Timestamp::from_secs(OPENED), &[], true) {
                if let (Some(at), Some(secs)) = (d.deadline, r.target_seconds) {
                    let e = engine::elapsed(&r.calendar, OPENED, at.secs(), &[], false).expect("elapsed after a deadline");
                    assert_eq!(e.seconds, secs.secs(), "elapsed(opened, deadline(opened, d)) != d");
                }
            }
            let at = Timestamp::from_secs;
            let _ = sla::status(&r, at(OPENED), None, at(OPENED + 86_400 * 3), &[], true);
        }
        let sub = Money::parse("CHF 12500", "--subscription").ok();
        let q = QuotaInput {
            at: OPENED,
            period_start: None,
            subscription: sub.clone(),
            allowance: None,
            usage: Usage::Used(5_000),
        };
        let _ = quota(plan, &q);
        let c = CreditInput {
            now: OPENED,
            period_start: None,
            subscription: sub,
            outages: vec![engine::Segment::new(OPENED - 200_000, OPENED)],
        };
        let _ = credit(plan, &c);
        let _ = entitlements(plan, set.features());
    }
});
