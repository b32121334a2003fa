//! Properties of the span engine: for any sequence of spans on mixed
//! clocks, the working time counted up to the computed deadline is the
//! target (and one second earlier it is not yet); and a ticket whose history
//! is one span answers as `status` does.

use std::sync::Arc;

use proptest::prelude::*;

use super::*;
use crate::PlanSet;
use crate::plan::Clock;

/// 2026-01-05T00:00:00Z (a Monday) and about two years after.
const T0: i64 = 1_767_571_200;
const SPREAD: i64 = 2 * 365 * 86_400;

fn plans() -> &'static PlanSet {
    static P: std::sync::OnceLock<PlanSet> = std::sync::OnceLock::new();
    P.get_or_init(|| PlanSet::load(&[]).expect("embedded plans load"))
}

/// Three clocks: apizee (split days, Paris, French holidays), otter
/// (Paris, one window) and 24x7.
fn calendars() -> Vec<Arc<Calendar>> {
    let p = plans();
    vec![
        p.get("apizee-gold").unwrap().calendar_for(Clock::Business),
        p.get("otter-premium").unwrap().calendar_for(Clock::Business),
        p.get("apizee-gold").unwrap().calendar_for(Clock::Always),
    ]
}

fn kind(i: u8) -> SpanKind {
    match i % 3 {
        0 => SpanKind::Counts,
        1 => SpanKind::Paused,
        _ => SpanKind::Excluded,
    }
}

/// Working time counted on the spans up to `until`, running on the tail after them.
fn counted(spans: &[Span], tail: &Calendar, end: i64, until: i64) -> i64 {
    let mut n = 0;
    for s in spans.iter().filter(|s| s.kind == SpanKind::Counts) {
        n += engine::elapsed(&s.calendar, s.start, s.end.min(until), &[], false).unwrap().seconds;
    }
    n + engine::elapsed(tail, end, until, &[], false).unwrap().seconds
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn elapsed_at_the_deadline_is_the_target(
        start in T0..T0 + SPREAD,
        pieces in prop::collection::vec((0i64..5 * 86_400, 0usize..3, any::<u8>()), 0..8),
        tail in 0usize..3,
        target in 0i64..200 * 3600,
    ) {
        let cals = calendars();
        let mut t = start;
        let spans: Vec<Span> = pieces
            .iter()
            .map(|&(len, c, k)| {
                let s = Span { start: t, end: t + len, calendar: Arc::clone(&cals[c]), kind: kind(k) };
                t += len;
                s
            })
            .collect();
        let secs = span_seconds(&spans).unwrap();
        let due = deadline_over(&spans, &secs, target, &cals[tail], t).unwrap();
        prop_assert_eq!(counted(&spans, &cals[tail], t, due), target);
        if target > 0 {
            prop_assert!(counted(&spans, &cals[tail], t, due - 1) < target);
        }
    }

    #[test]
    fn a_one_span_history_answers_as_status(
        created in T0..T0 + SPREAD,
        reply in prop::option::of(0i64..10 * 86_400),
        later in 0i64..20 * 86_400,
        level in 0usize..3,
    ) {
        let plan = plans().get("apizee-gold").unwrap();
        let mut events = vec![Event { at: created, line: 2, kind: EventKind::Created(Some(level)) }];
        if let Some(r) = reply {
            events.push(Event { at: created + r, line: 3, kind: EventKind::Reply(Author::Agent) });
        }
        let now = created + reply.unwrap_or(0) + later;
        let answer = replay(plan, &events, now).unwrap().unwrap();
        let row = &answer.rows[0];
        let r = crate::sla::resolve(plan, Some(&plan.priorities[level].name), Metric::FirstResponse, crate::sla::Untracked::Refused)
            .unwrap();
        let at = crate::Timestamp::from_secs;
        let s = crate::sla::status(&r, at(created), reply.map(|r| at(created + r)), at(now), &[], false).unwrap();
        prop_assert_eq!(row.metric, Metric::FirstResponse);
        prop_assert_eq!(row.deadline, s.deadline.deadline.map(crate::Timestamp::secs));
        prop_assert_eq!(row.elapsed, s.elapsed.secs());
        prop_assert_eq!(row.remaining, s.remaining.map(crate::WorkSpan::secs));
        prop_assert_eq!(row.state, s.state);
        prop_assert_eq!(row.paused, 0);
    }
}

#[test]
fn raising_the_priority_after_the_target_passed_breaches_at_the_old_instant() {
    // otter-premium: critical 2 h on 24x7, high 4 h on 24x7? Use the plan's
    // own figures: whatever they are, the deadline is where the new target
    // was used up, before the change.
    let plan = plans().get("otter-premium").unwrap();
    let low = plan.priorities.len() - 1;
    let created = T0 + 9 * 3600; // Monday 10:00 Paris
    let events = [
        Event { at: created, line: 2, kind: EventKind::Created(Some(low)) },
        Event { at: created + 5 * 86_400, line: 3, kind: EventKind::Priority(Some(0)) },
    ];
    let now = created + 5 * 86_400 + 60;
    let a = replay(plan, &events, now).unwrap().unwrap();
    let fr = &a.rows[0];
    assert_eq!(a.priority, Some(0));
    assert_eq!(fr.state, ClockState::Breached);
    let due = fr.deadline.unwrap();
    assert!(due < created + 5 * 86_400, "{due}");
}

#[test]
fn events_out_of_order_name_their_lines() {
    let plan = plans().get("apizee-gold").unwrap();
    let e = |at, line, kind| Event { at, line, kind };
    let back = [e(T0 + 100, 2, EventKind::Created(Some(0))), e(T0 + 50, 3, EventKind::Reply(Author::Agent))];
    let err = replay(plan, &back, T0 + 1000).unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.message.contains("back in time") && err.message.contains("line 2"), "{err}");
    let before = [e(T0, 2, EventKind::Reply(Author::Agent)), e(T0, 3, EventKind::Created(Some(0)))];
    assert_eq!(replay(plan, &before, T0 + 10).unwrap_err().line, 2);
    let closed = [
        e(T0, 2, EventKind::Created(Some(0))),
        e(T0 + 1, 3, EventKind::Status(StatusClass::Closed)),
        e(T0 + 2, 4, EventKind::Reply(Author::Customer)),
    ];
    let err = replay(plan, &closed, T0 + 10).unwrap_err();
    assert!(err.line == 4 && err.message.contains("closed is final"), "{err}");
    // Created after now: no row.
    assert_eq!(replay(plan, &before[1..], T0 - 1).unwrap(), None);
}
