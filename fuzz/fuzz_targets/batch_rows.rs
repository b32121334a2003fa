//! `batch` on arbitrary bytes, with the shipped plans: it must not panic, and
//! must write exactly one output row per input record.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use slacalc::PlanSet;
use slacalc::internal::batch::{self, BatchOptions};
use slacalc::internal::io::RowFormat as Format;

fn plans() -> &'static PlanSet {
    static P: OnceLock<PlanSet> = OnceLock::new();
    P.get_or_init(|| PlanSet::load(&[]).expect("shipped plans load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, input)) = data.split_first() else { return };
    let format = if flags & 1 == 0 { Format::Csv } else { Format::JsonLines };
    let opts = BatchOptions {
        mapping: slacalc::internal::mapping::Mapping::new(),
        now: 1_795_710_600,
        input_zone: (flags & 2 != 0).then_some(chrono_tz::America::New_York),
        display: None,
        format,
        strict: false,
        metric: if flags & 4 == 0 {
            slacalc::internal::plan::lifecycle::Metric::FirstResponse
        } else {
            slacalc::internal::plan::lifecycle::Metric::Resolution
        },
        from_day: None,
        to_day: None,
    };
    let mut out = Vec::new();
    let Ok(summary) = batch::run(plans(), input, &mut out, &opts, |_| {}) else { return };
    // Input records, counted without UTF-8 validation, as batch reads them.
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(input);
    let mut rec = csv::ByteRecord::new();
    let mut n = 0u64;
    while rdr.read_byte_record(&mut rec).unwrap_or(false) {
        n += 1;
    }
    // Rows opened after now are left out (SPEC §9): counted apart.
    assert_eq!(summary.rows + summary.after_now + summary.out_of_range, n, "rows read");
    let written = match format {
        Format::JsonLines => out.iter().filter(|&&b| b == b'\n').count() as u64,
        Format::Csv => {
            let mut w = csv::ReaderBuilder::new().has_headers(true).from_reader(&out[..]);
            w.records().map(|r| r.expect("our own CSV reads back")).count() as u64
        }
    };
    assert_eq!(written, n, "one output row per input row");
});
