//! Reads `holidays YYYY-MM-DD ...` then `id,calendar,opened,seconds` lines on
//! stdin and prints `id,deadline` (UTC, RFC 3339), then the loop's time in
//! seconds on stderr. `calendar` is `split` (Paris 09-12 + 14-18, Mon-Fri) or
//! `day` (Paris 09-18, Mon-Fri); both skip the given holidays.

use std::io::{BufRead, Write};
use std::time::Instant;

use jiff::civil::{Date, time};
use jiff::{SignedDuration, Timestamp};
use workclock::{Break, Holidays, Schedule, Weekdays, WorkDay};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let header = lines.next().ok_or("no holidays line")??;
    let holidays: Vec<Date> = header.split_whitespace().skip(1).map(str::parse).collect::<Result<_, _>>()?;
    let day = WorkDay::new(time(9, 0, 0, 0), time(18, 0, 0, 0), Weekdays::MON_TO_FRI);
    let split = Schedule::builder()
        .time_zone("Europe/Paris")
        .rule(day.clone())
        .rule(Break::new(time(12, 0, 0, 0), time(14, 0, 0, 0), Weekdays::MON_TO_FRI))
        .rule(Holidays::new(holidays.clone()))
        .build()?;
    let whole = Schedule::builder().time_zone("Europe/Paris").rule(day).rule(Holidays::new(holidays)).build()?;
    let tickets: Vec<(String, bool, Timestamp, i64)> = lines
        .map(|l| -> Result<_, Box<dyn std::error::Error>> {
            let l = l?;
            let f: Vec<&str> = l.split(',').collect();
            Ok((f[0].to_string(), f[1] == "split", f[2].parse()?, f[3].parse()?))
        })
        .collect::<Result<_, _>>()?;
    let t0 = Instant::now();
    let mut out = Vec::with_capacity(tickets.len());
    for (id, is_split, opened, secs) in &tickets {
        let cal = if *is_split { &split } else { &whole };
        out.push((id, cal.add(*opened, SignedDuration::from_secs(*secs))?));
    }
    let loop_secs = t0.elapsed().as_secs_f64();
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    for (id, due) in out {
        writeln!(w, "{id},{}", due.strftime("%Y-%m-%dT%H:%M:%SZ"))?;
    }
    w.flush()?;
    eprintln!("{loop_secs}");
    Ok(())
}
