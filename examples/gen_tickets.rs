//! Generates a synthetic ticket export for `slacalc batch`, spread over all
//! eleven shipped plans: `id,plan,priority,opened,responded,customer`.
//! Deterministic (fixed seed), so benchmark runs are reproducible.
//!
//! ```sh
//! cargo run --release --example gen_tickets -- 1000000 > tickets.csv
//! slacalc batch --input tickets.csv --now 2026-12-31T00:00:00Z > out.csv
//! ```

use std::io::{BufWriter, Write};

/// (plan, priorities accepted for it); an empty name means "no priority".
const PLANS: [(&str, &[&str]); 11] = [
    ("apizee-bronze", &["major", "moderate", "minor"]),
    ("silver", &["major", "moderate", "minor", "p1"]),
    ("gold", &["major", "moderate", "minor", "p3"]),
    ("otter-basic", &["critical", "high", "medium", "low"]),
    ("extended", &["critical", "high", "medium", "low"]),
    ("premium", &["critical", "high", "medium", "low"]),
    ("cirrus-free", &[""]),
    ("paying", &["", "critical", "majeure", "minor"]),
    ("cirrus-premium", &["critical", "major", "minor"]),
    ("cloud", &["down", "serious", "moderate", "limited"]),
    ("onprem", &["down", "serious", "moderate", "limited"]),
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
    let rows: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 16, out.lock());
    writeln!(w, "id,plan,priority,opened,responded,customer")?;
    // 2026-01-01T00:00:00Z
    let year_start: i64 = 1_767_225_600;
    for id in 1..=rows {
        let (plan, prios) = PLANS[rng.below(PLANS.len() as u64) as usize];
        let prio = prios[rng.below(prios.len() as u64) as usize];
        // Opened by 27 December and answered within 4 days: every ticket is
        // in the past for the README's `--now 2026-12-31T00:00:00Z`.
        let opened = year_start + rng.below(360 * 86_400) as i64;
        let responded = match rng.below(3) {
            0 => String::new(),
            _ => rfc3339(opened + rng.below(4 * 86_400) as i64),
        };
        writeln!(w, "T{id},{plan},{prio},{},{responded},customer-{}", rfc3339(opened), rng.below(500))?;
    }
    w.flush()
}

/// UTC seconds as `YYYY-MM-DDTHH:MM:SSZ`, printed by slacalc itself.
fn rfc3339(t: i64) -> String {
    slacalc::internal::instant::format_instant(t, slacalc::internal::instant::Display::Utc)
}
