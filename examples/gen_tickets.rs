//! Generates a synthetic ticket export for `slacalc batch`, spread over all
//! eleven shipped plans: `id,plan,priority,opened,responded,customer`.
//! Deterministic (fixed seed), so benchmark runs are reproducible.
//!
//! ```sh
//! cargo run --release --example gen_tickets -- 1000000 > tickets.csv
//! slacalc batch --input tickets.csv --now 2026-12-31T00:00:00Z > out.csv
//! # most rows answered (batch's usual input):
//! cargo run --release --example gen_tickets -- 1000000 --responded-share 0.95 > answered.csv
//! # every ticket still open, opened up to six months before that --now:
//! cargo run --release --example gen_tickets -- 1000000 --responded-share 0 --open-months 6 > open.csv
//! ```
//!
//! Options:
//!
//! - `--responded-share P`: the share of rows with a `responded` time, a
//!   decimal (`0.95`) or a fraction (`2/3`, the default). The default draws
//!   exactly as before the option existed, so the default output is
//!   byte-identical to older versions (`scripts/compare-outputs.sh` caches
//!   it).
//! - `--open-months N`: a row without `responded` is opened in the N × 30
//!   days before 2026-12-31T00:00:00Z (the README's `--now`) instead of
//!   during 2026, so its clock has run up to N months at that now: the
//!   long walks of an export of tickets left open.

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

/// 2026-01-01T00:00:00Z.
const YEAR_START: i64 = 1_767_225_600;
/// 2026-12-31T00:00:00Z, the `--now` of the README's commands.
const NOW: i64 = 1_798_675_200;

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

/// What to generate.
struct Options {
    rows: u64,
    /// The share of rows with `responded`, as `num / den`: a row has one
    /// when `below(den) >= den - num` (for 2/3: `below(3) != 0`, the draw
    /// the generator always made).
    share: (u64, u64),
    /// Rows without `responded` are opened in this many 30-day months
    /// before [`NOW`]; `None`: during 2026, as the rest.
    open_months: Option<u64>,
}

fn usage(msg: &str) -> ! {
    eprintln!("gen_tickets: {msg}\nusage: gen_tickets [ROWS] [--responded-share P] [--open-months N]");
    std::process::exit(2)
}

/// `0.95`, `1`, `0` or `2/3` as (numerator, denominator), at most 1.
fn parse_share(s: &str) -> Option<(u64, u64)> {
    let (num, den) = if let Some((n, d)) = s.split_once('/') {
        (n.parse().ok()?, d.parse().ok()?)
    } else {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let den = 10u64.pow(frac.len() as u32);
        let frac = if frac.is_empty() { 0 } else { frac.parse::<u64>().ok()? };
        (int.parse::<u64>().ok()?.checked_mul(den)?.checked_add(frac)?, den)
    };
    (den > 0 && num <= den).then_some((num, den))
}

fn options() -> Options {
    let mut o = Options { rows: 1_000_000, share: (2, 3), open_months: None };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{a} needs a value")));
        match a.as_str() {
            "--responded-share" => {
                let v = value();
                o.share = parse_share(&v).unwrap_or_else(|| usage(&format!("bad share {v:?} (0..1, or 2/3)")));
            }
            "--open-months" => {
                let v = value();
                o.open_months =
                    Some(v.parse().ok().filter(|&n| n > 0).unwrap_or_else(|| usage(&format!("bad month count {v:?}"))));
            }
            _ => o.rows = a.parse().unwrap_or_else(|_| usage(&format!("unknown argument {a:?}"))),
        }
    }
    o
}

fn main() -> std::io::Result<()> {
    let o = options();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 16, out.lock());
    writeln!(w, "id,plan,priority,opened,responded,customer")?;
    let (num, den) = o.share;
    for id in 1..=o.rows {
        let (plan, prios) = PLANS[rng.below(PLANS.len() as u64) as usize];
        let prio = prios[rng.below(prios.len() as u64) as usize];
        // Opened by 27 December and answered within 4 days: every ticket is
        // in the past for the README's `--now 2026-12-31T00:00:00Z`.
        let mut opened = YEAR_START + rng.below(360 * 86_400) as i64;
        let responded = if rng.below(den) >= den - num {
            rfc3339(opened + rng.below(4 * 86_400) as i64)
        } else {
            if let Some(months) = o.open_months {
                // Still open at now: opened within the months before it
                // (a draw of its own, so the default output is unchanged).
                opened = NOW - 1 - rng.below(months * 30 * 86_400) as i64;
            }
            String::new()
        };
        writeln!(w, "T{id},{plan},{prio},{},{responded},customer-{}", rfc3339(opened), rng.below(500))?;
    }
    w.flush()
}

/// UTC seconds as `YYYY-MM-DDTHH:MM:SSZ`, printed by slacalc itself.
fn rfc3339(t: i64) -> String {
    slacalc::internal::instant::format_instant(t, slacalc::internal::instant::Display::Utc)
}
