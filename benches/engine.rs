//! Engine benchmarks: deadline and elapsed for 1 h, 3 bd and 10,000 bd on the
//! shipped apizee calendar (split day, French holidays, Paris DST). "warm"
//! reuses the calendar's year cache, as `batch` and repeated calls do; "cold"
//! starts from an empty cache, as a single CLI call does.
//!
//! Run: `cargo bench --bench engine`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use slacalc::PlanSet;
use slacalc::engine::{deadline, elapsed};

fn bench(c: &mut Criterion) {
    let plans = PlanSet::load(&[]).expect("embedded plans load");
    let cal = plans.get("apizee-gold").expect("shipped plan").calendar.calendar.clone();
    let opened = 1_795_710_600; // 2026-11-20T17:30:00+01:00, a Friday evening
    let bd = cal.business_day();
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
    c.bench_function("load embedded plans", |b| b.iter(|| PlanSet::load(&[])));
}

criterion_group!(benches, bench);
criterion_main!(benches);
