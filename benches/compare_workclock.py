#!/usr/bin/env python3
"""Cross-check slacalc against a Rust peer, workclock (crates.io: business
time on jiff), on the same tickets, and compare their speed. Not part of CI.

    cargo build --profile dist
    python3 benches/compare_workclock.py --rows 200000

It builds the harness in benches/peers/workclock (its own Cargo workspace,
into /tmp/slacalc-peer-target), takes the French public holidays of
2025-2029 from Python's `holidays` package (in a throwaway virtual
environment, default /tmp/slacalc-peer-venv), generates the same tickets as
compare_businesstimedelta.py (apizee: Paris 09-12 + 14-18; cirrus: Paris
09-18; both Mon-Fri with French holidays), runs them through `slacalc batch`
and through workclock's `Schedule::add`, and reports disagreements and the
speed of each: slacalc as a whole process (reading CSV, writing JSON Lines),
workclock as its deadline loop alone (tickets parsed beforehand), so the
ratio flatters the peer.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_businesstimedelta import generate, run_slacalc  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def french_holidays(venv):
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "holidays"], check=True)
    code = "import holidays; print(' '.join(sorted(str(d) for d in holidays.France(years=range(2025, 2030)))))"
    return subprocess.run([py, "-c", code], capture_output=True, check=True, text=True).stdout.split()


def build_peer(target_dir):
    manifest = os.path.join(HERE, "peers", "workclock", "Cargo.toml")
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--manifest-path", manifest, "--target-dir", target_dir],
        check=True,
    )
    return os.path.join(target_dir, "release", "slacalc-peer-workclock")


def run_peer(binary, holidays, tickets):
    lines = ["holidays " + " ".join(holidays)]
    for tid, plan, _prio, opened, hours in tickets:
        lines.append(f"{tid},{'split' if plan.startswith('apizee') else 'day'},{opened},{hours * 3600}")
    t0 = time.perf_counter()
    p = subprocess.run([binary], input="\n".join(lines) + "\n", capture_output=True, check=True, text=True)
    whole = time.perf_counter() - t0
    out = dict(line.split(",", 1) for line in p.stdout.splitlines())
    return out, float(p.stderr.strip()), whole


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--slacalc", default="target/dist/slacalc")
    ap.add_argument("--venv", default="/tmp/slacalc-peer-venv")
    ap.add_argument("--target-dir", default="/tmp/slacalc-peer-target")
    ap.add_argument("--show", type=int, default=5, help="disagreements to print")
    a = ap.parse_args()
    holidays = french_holidays(a.venv)
    peer = build_peer(a.target_dir)
    tickets = generate(a.rows, a.seed)
    ours, ours_s = run_slacalc(a.slacalc, tickets)
    theirs, loop_s, theirs_s = run_peer(peer, holidays, tickets)
    diff = [(t, ours[t[0]], theirs[t[0]]) for t in tickets if ours[t[0]] != theirs[t[0]]]
    print(f"rows: {len(tickets)}  agree: {len(tickets) - len(diff)}  disagree: {len(diff)}")
    for t, o, b in diff[: a.show]:
        print(f"  {t[1]} {t[2]} opened {t[3]} +{t[4]}h: slacalc {o}  workclock {b}")
    n = len(tickets)
    print(f"slacalc batch (whole process):   {ours_s:.3f} s = {n / ours_s:,.0f} rows/s")
    print(f"workclock (whole process):       {theirs_s:.3f} s = {n / theirs_s:,.0f} rows/s")
    print(f"workclock (deadline loop only):  {loop_s:.3f} s = {n / loop_s:,.0f} rows/s")
    print(f"speed ratio: slacalc/workclock whole process {theirs_s / ours_s:.2f}x, against its loop {loop_s / ours_s:.2f}x")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
