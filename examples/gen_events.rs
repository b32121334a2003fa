//! Generates a synthetic ticket event export for `slacalc replay` on
//! examples/lifecycle-vendor.toml: `id,at,event,value,plan,priority`, N
//! events in tickets of 1 to 16 events (created, replies both ways, waiting
//! and on-hold spells, priority changes, solves, reopens, closes), each
//! ticket's events contiguous and in time order. Deterministic (fixed seed),
//! so benchmark runs are reproducible.
//!
//! ```sh
//! cargo run --release --example gen_events -- 1000000 > events.csv
//! slacalc --plans examples/lifecycle-vendor.toml replay --input events.csv \
//!     --now 2026-12-31T00:00:00Z > cycles.csv
//! ```

use std::io::{BufWriter, Write};

const PLANS: [&str; 2] = ["nimbus-pro", "nimbus-fixed"];
const PRIORITIES: [&[&str]; 2] = [&["urgent", "high", "normal", "low"], &["urgent", "normal"]];
/// Status names per plan: nimbus-pro's own names and the default ones.
const STATUSES: [[&str; 6]; 2] = [
    ["pending", "open", "with-vendor", "awaiting-customer", "open", "solved"],
    ["pending", "open", "hold", "waiting", "open", "resolved"],
];

/// xorshift64*: small, fast, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() -> std::io::Result<()> {
    let events: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 16, out.lock());
    writeln!(w, "id,at,event,value,plan,priority")?;
    // 2026-01-01T00:00:00Z
    let year_start: i64 = 1_767_225_600;
    let mut written = 0u64;
    let mut id = 0u64;
    while written < events {
        id += 1;
        let p = rng.below(PLANS.len() as u64) as usize;
        let prios = PRIORITIES[p];
        let mut t = year_start + rng.below(360 * 86_400) as i64;
        let n = (1 + rng.below(16)).min(events - written);
        let prio = prios[rng.below(prios.len() as u64) as usize];
        writeln!(w, "T{id},{},created,,{},{prio}", rfc3339(t), PLANS[p])?;
        for i in 1..n {
            t += rng.below(6 * 3600) as i64;
            let at = rfc3339(t);
            if i + 1 == n && rng.below(2) == 0 {
                writeln!(w, "T{id},{at},status,closed")?;
                continue;
            }
            match rng.below(10) {
                0..=2 => writeln!(w, "T{id},{at},reply,agent")?,
                3..=5 => writeln!(w, "T{id},{at},reply,customer")?,
                6..=8 => writeln!(w, "T{id},{at},status,{}", STATUSES[p][rng.below(6) as usize])?,
                _ => writeln!(w, "T{id},{at},priority,{}", prios[rng.below(prios.len() as u64) as usize])?,
            }
        }
        written += n;
    }
    w.flush()
}

/// UTC seconds as `YYYY-MM-DDTHH:MM:SSZ`, printed by slacalc itself.
fn rfc3339(t: i64) -> String {
    slacalc::internal::instant::format_instant(t, slacalc::internal::instant::Display::Utc)
}
