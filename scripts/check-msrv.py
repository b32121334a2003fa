#!/usr/bin/env python3
"""Checks that Cargo.toml's rust-version is true: no locked dependency
(dev-dependencies included) asks for a newer Rust than it promises.

This machine has one toolchain, so CI cannot build with the oldest Rust the
crate promises; it checks the promise against what every locked crate
declares instead (`cargo metadata`, the same numbers cargo's own resolver
reads). Run by .ci/run.
"""
import json
import subprocess
import sys


def version(v):
    return tuple(int(x) for x in (v.split(".") + ["0", "0"])[:3])


meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"]))
root = next(p for p in meta["packages"] if p["id"] == meta["resolve"]["root"])
promised = root.get("rust_version")
if not promised:
    sys.exit("Cargo.toml has no rust-version")
newer = [
    (p["name"], p["version"], p["rust_version"])
    for p in meta["packages"]
    if p["id"] != root["id"] and p.get("rust_version") and version(p["rust_version"]) > version(promised)
]
if newer:
    for name, ver, rv in sorted(newer):
        print(f"{name} {ver} needs Rust {rv}, but Cargo.toml promises rust-version = \"{promised}\"")
    sys.exit(1)
print(f"rust-version {promised}: no locked dependency needs a newer Rust")
