//! Engine benchmarks: deadline and elapsed for 1 h, 3 bd and 10,000 bd on the
//! shipped apizee calendar (split day, French holidays, Paris DST). "warm"
//! reuses the calendar's year cache, as `batch` and repeated calls do; "cold"
//! starts from an empty cache, as a single CLI call does.
//!
//! Run: `cargo bench --bench engine` (figures: benches/README.md)

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use slacalc::PlanSet;
use slacalc::internal::engine::{deadline, elapsed};

fn bench(c: &mut Criterion) {
    let plans = PlanSet::load(&[]).expect("embedded plans load");
    let cal = plans.get("apizee-gold").expect("shipped plan").calendar.calendar.clone();
    let opened = 1_795_710_600; // 2026-11-20T17:30:00+01:00, a Friday evening
    let bd = cal.business_day().secs();
    for (name, work) in [("1h", 3600), ("3bd", 3 * bd), ("10000bd", 10_000 * bd)] {
        let due = deadline(&cal, opened, work, &[], false).expect("deadline").at;
        c.bench_function(&format!("deadline {name} warm"), |b| {
            b.iter(|| deadline(&cal, black_box(opened), black_box(work), &[], false))
        });
        c.bench_function(&format!("elapsed {name} warm"), |b| {
            b.iter(|| elapsed(&cal, black_box(opened), black_box(due), &[], false))
        });
        c.bench_function(&format!("deadline {name} cold"), |b| {
            b.iter_batched(
                || (*cal).clone(),
                |fresh| deadline(&fresh, black_box(opened), black_box(work), &[], false),
                criterion::BatchSize::SmallInput,
            )
        });
    }
    // Span: a target of 1,000,000 business days, and an elapsed over the
    // whole supported range of years (issue 14: under 100 µs cold, not yet).
    let huge = 1_000_000 * bd;
    c.bench_function("deadline 1000000bd cold", |b| {
        b.iter_batched(
            || (*cal).clone(),
            |fresh| deadline(&fresh, black_box(opened), black_box(huge), &[], false),
            criterion::BatchSize::SmallInput,
        )
    });
    let (from, to) = (-12_212_553_600, 253_402_214_400); // 1583-01-01, 9999-12-31T00:00Z
    c.bench_function("elapsed 1583-9999 cold", |b| {
        b.iter_batched(
            || (*cal).clone(),
            |fresh| elapsed(&fresh, black_box(from), black_box(to), &[], false),
            criterion::BatchSize::SmallInput,
        )
    });
    // What `deadline --plan gold` loads (lazily: the files gold needs), and
    // every embedded file (as `plans list` or a `--plans` run does).
    c.bench_function("load plans for gold", |b| {
        b.iter(|| PlanSet::load(&[]).and_then(|p| p.get("gold").map(|g| g.id.len())))
    });
    c.bench_function("load embedded plans", |b| {
        b.iter(|| PlanSet::from_sources(&slacalc::internal::loader::embedded_sources()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
