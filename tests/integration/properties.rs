//! Property tests (issue 5), beyond the engine's own:
//!
//! - every instant format parses to the instant it was written from, and what
//!   slacalc prints parses back to the same second;
//! - durations, amounts and quantities print and parse back;
//! - `batch` answers each row exactly as `status` answers it alone.
//!
//! Plan files have no serializer (the model is read-only), so there is no
//! load → print → load round trip to test.

use chrono::{DateTime, FixedOffset, LocalResult, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use slacalc::internal::engine::zone::{self, Local};
use slacalc::internal::engine::{format_duration, parse_duration};
use slacalc::internal::instant::{Display, format_instant, parse_instant};
use slacalc::internal::sla::money::{Money, format_cents};

use crate::util::slacalc;

/// 1583-01-02 .. 9999-12-30: the supported range, one day in from each end so
/// that no zone's local date leaves years 1583..=9999 (the very last instant
/// is a regression test of its own).
const T_MIN: i64 = -12_212_467_200;
const T_MAX: i64 = 253_402_128_000;

/// Any IANA zone: local mean time (offsets with seconds), half and quarter
/// hours, DST north and south, 30-minute DST, ±14 h.
fn zone() -> impl Strategy<Value = Tz> {
    (0..chrono_tz::TZ_VARIANTS.len()).prop_map(|i| chrono_tz::TZ_VARIANTS[i])
}

fn cases() -> u32 {
    std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
}

/// The forms a user may type for the instant `t` seen in `tz`, and the
/// instant each must parse to (local forms without seconds drop them).
fn written_forms(t: i64, tz: Tz, nanos: u32) -> Vec<(String, i64)> {
    let utc = DateTime::<Utc>::from_timestamp(t, 0).unwrap();
    // The zone's offset as slacalc computes it (chrono-tz's own, up to 2099;
    // the zone's rule after it: see `engine::zone`).
    let off = FixedOffset::east_opt(i32::try_from(zone::offset_at(tz, t)).unwrap()).unwrap();
    let local = utc.with_timezone(&off);
    let fixed = local.fixed_offset();
    // RFC 3339 offsets are whole minutes: forms with an offset only where it is one.
    let whole_minutes = fixed.offset().local_minus_utc() % 60 == 0;
    let frac = format!("{:09}", nanos);
    let mut v = vec![
        (utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(), t),
        (utc.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(), t),
        (utc.format(&format!("%Y-%m-%dT%H:%M:%S.{frac}Z")).to_string(), t),
        (format!("  {}  ", utc.format("%Y-%m-%dT%H:%M:%SZ")), t),
    ];
    if whole_minutes {
        v.push((fixed.format("%Y-%m-%dT%H:%M:%S%:z").to_string(), t));
        v.push((fixed.format("%Y-%m-%d %H:%M:%S%:z").to_string(), t));
        v.push((fixed.format(&format!("%Y-%m-%dT%H:%M:%S.{}%:z", &frac[..3])).to_string(), t));
    }
    // Local forms exist only when the wall-clock time is unambiguous.
    let naive = local.naive_local();
    if let Local::Single(_) = zone::from_local(tz, naive.and_utc().timestamp()) {
        v.push((naive.format("%Y-%m-%dT%H:%M:%S").to_string(), t));
        v.push((naive.format("%Y-%m-%d %H:%M:%S").to_string(), t));
        v.push((naive.format(&format!("%Y-%m-%dT%H:%M:%S.{frac}")).to_string(), t));
        v.push((naive.format(&format!("%Y-%m-%d %H:%M:%S.{}", &frac[..1])).to_string(), t));
        // Without seconds: the local minute (not the UTC one: offsets may have seconds).
        let m = naive.with_second(0).unwrap();
        if let Local::Single(at) = zone::from_local(tz, m.and_utc().timestamp()) {
            v.push((m.format("%Y-%m-%dT%H:%M").to_string(), at));
            v.push((m.format("%Y-%m-%d %H:%M").to_string(), at));
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn every_instant_format_parses_to_its_instant_and_prints_back(
        t in T_MIN..T_MAX,
        tz in zone(),
        nanos in 0u32..1_000_000_000,
    ) {
        for (s, want) in written_forms(t, tz, nanos) {
            let got = parse_instant(&s, tz, 0);
            prop_assert_eq!(got.as_ref().ok(), Some(&want), "{:?} in {}: {:?}", s, tz, got);
            // Read in another zone, a form with an offset means the same instant.
            if s.trim_end().ends_with('Z') || s.contains('+') || s.matches('-').count() > 2 {
                prop_assert_eq!(parse_instant(&s, chrono_tz::Asia::Tokyo, 0).ok(), Some(want), "{:?}", s);
            }
        }
        for d in [Display::Zone(tz), Display::Utc] {
            let printed = format_instant(t, d);
            prop_assert_eq!(parse_instant(&printed, chrono_tz::UTC, 0).ok(), Some(t), "printed {:?}", printed);
        }
        prop_assert_eq!(parse_instant("now", tz, t).ok(), Some(t));
    }

    #[test]
    fn a_local_time_in_a_gap_or_fold_is_refused_naming_both_offsets(t in T_MIN..T_MAX, tz in zone()) {
        let naive = DateTime::<Utc>::from_timestamp(t, 0).unwrap().naive_utc();
        // Up to 2099 chrono-tz is the reference; after it, `engine::zone`.
        let fixed = |o: i64| FixedOffset::east_opt(i32::try_from(o).unwrap()).unwrap();
        let read = if t < zone::TABLE_END {
            match tz.from_local_datetime(&naive) {
                LocalResult::Single(dt) => Local::Single(dt.timestamp()),
                LocalResult::Ambiguous(a, b) => Local::Ambiguous(a.timestamp(), b.timestamp()),
                LocalResult::None => Local::Gap { before: 0, after: 0 },
            }
        } else {
            zone::from_local(tz, t)
        };
        match read {
            Local::Single(dt) => prop_assert_eq!(
                parse_instant(&naive.format("%Y-%m-%d %H:%M:%S").to_string(), tz, 0).ok(),
                Some(dt)
            ),
            Local::Ambiguous(a, b) => {
                let e = parse_instant(&naive.format("%Y-%m-%d %H:%M:%S").to_string(), tz, 0).unwrap_err().to_string();
                for off in [fixed(t - a).to_string(), fixed(t - b).to_string()] {
                    prop_assert!(e.contains(&off), "{} should name {}", e, off);
                }
            }
            Local::Gap { .. } => {
                let e = parse_instant(&naive.format("%Y-%m-%d %H:%M:%S").to_string(), tz, 0).unwrap_err().to_string();
                prop_assert!(e.contains("does not exist"), "{}", e);
            }
        }
    }

    #[test]
    fn durations_print_and_parse_back(secs in 0i64..(10_000 * 366 * 86_400)) {
        prop_assert_eq!(parse_duration(&format_duration(secs)), Ok(secs));
    }

    #[test]
    fn amounts_print_and_parse_back(cents in 0i64..1_000_000_000_000_000) {
        let m = Money::parse(&format_cents(cents), "--subscription").map(|m| m.cents);
        prop_assert_eq!(m.ok(), Some(cents));
    }
}

// ------------------------------------------------------------------ batch = status

/// The shipped plans and the priorities each accepts ("" = none given).
const PLANS: [(&str, &[&str]); 8] = [
    ("gold", &["major", "moderate", "minor", "p2"]),
    ("silver", &["major", "minor"]),
    ("basic", &["critical", "low"]),
    ("extended", &["critical", "high"]),
    ("premium", &["critical", "medium"]),
    ("paying", &["", "critical", "majeure"]),
    ("cloud", &["down", "serious", "moderate", "limited"]),
    ("onprem", &["down", "limited", "nope"]),
];

const NOW: &str = "2026-06-15T12:00:00+02:00";

/// One generated ticket: plan, priority, opened, responded (local times in the
/// plan's zone, so some fall in DST gaps and folds).
fn ticket() -> impl Strategy<Value = (usize, usize, String, Option<String>)> {
    let local = (2026i32..2027, 1u32..13, 1u32..29, 0u32..24, prop::sample::select(vec![0u32, 30, 59]));
    (0usize..PLANS.len(), 0usize..4, local.clone(), prop::option::of(local)).prop_map(|(p, q, o, r)| {
        let fmt = |(y, m, d, h, mi): (i32, u32, u32, u32, u32)| format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}");
        (p, q % PLANS[p].1.len(), fmt(o), r.map(fmt))
    })
}

proptest! {
    // Each case runs 1 + n processes: keep it to a handful.
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn batch_answers_each_row_as_status_does(rows in prop::collection::vec(ticket(), 6)) {
        let mut csv = String::from("id,plan,priority,opened,responded\n");
        for (i, (p, q, opened, responded)) in rows.iter().enumerate() {
            let (plan, prios) = PLANS[*p];
            csv.push_str(&format!("{i},{plan},{},{opened},{}\n", prios[*q], responded.as_deref().unwrap_or("")));
        }
        let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--format", "json"]).stdin(csv).run();
        let out = r.ok();
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        // As of now (SPEC §9): a row opened after now is left out, a
        // response after now has not happened yet.
        let by_id: std::collections::HashMap<String, &serde_json::Value> =
            lines.iter().map(|b| (b["id"].as_str().unwrap_or("").to_string(), b)).collect();
        prop_assert_eq!(by_id.len(), lines.len());
        for (i, (p, q, opened, responded)) in rows.iter().enumerate() {
            let (plan, prios) = PLANS[*p];
            let mut base = vec!["status", "--plan", plan, "--opened", opened, "--now", NOW, "--format", "json"];
            if !prios[*q].is_empty() {
                base.extend(["--priority", prios[*q]]);
            }
            let Some(b) = by_id.get(&i.to_string()) else {
                let s = slacalc(&base).run();
                prop_assert!(s.code == 2 && s.stderr.contains("is after now"), "batch left out row {} but: {}", i, s.stderr);
                continue;
            };
            let mut args = base.clone();
            if let Some(resp) = responded {
                args.extend(["--responded", resp]);
            }
            let mut s = slacalc(&args).run();
            if s.code == 2 && s.stderr.contains("--responded") && s.stderr.contains("is after now") {
                s = slacalc(&base).run();
            }
            if s.code == 2 {
                prop_assert!(!b["error"].is_null(), "status failed ({}) but batch did not: {}", s.stderr, b);
                continue;
            }
            prop_assert_eq!(s.code, 0, "{}", s.stderr);
            let s = s.json();
            prop_assert!(b["error"].is_null(), "batch failed but status did not: {}", b);
            for k in ["plan", "priority", "opened", "deadline", "responded", "state", "elapsed_seconds"] {
                prop_assert_eq!(&b[k], &s[k], "{} for {} / {}", k, b, s);
            }
            // Batch leaves remaining empty when there is no commitment.
            if s["state"] != "no-commitment" {
                prop_assert_eq!(&b["remaining_seconds"], &s["remaining_seconds"], "{} / {}", b, s);
            }
        }
    }
}
