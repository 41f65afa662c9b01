#!/usr/bin/env python3
"""Bundle benchmark, in one run (release build):

1. Two dense 1920x1080 screenshots (drawn by chamado-capture's webp_bench: an ERP window full of
   antialiased text with an error dialog), encoded as the app does (lossless WebP); their size
   and the encoding time that example reports.
2. The bundle: a full diagnostics report collected here, 1 MiB of logs (four 256 KiB tails), the
   two screenshots; composed (redaction included) and written RUNS times. Targets: <= 300 KiB,
   built in <= 200 ms (median).
3. Peak memory (largest RSS, from wait4) of the same build with no attachment and with a 200 MB
   attachment: it must not grow with the attachment (streamed).

Usage: benches/bundle.py [--runs N] [--no-build]
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, TARGET, args_and_build


def peak_rss_mb(cmd, show_stderr=False):
    """Runs `cmd`, returns (stdout, peak RSS in MB)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None if show_stderr else subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed")
    return out.decode(), usage.ru_maxrss / 1024


def main():
    args = args_and_build(__doc__.splitlines()[0], [])
    env = {**os.environ, "CARGO_TARGET_DIR": str(TARGET)}
    if not args.no_build:
        for p, ex in (("chamado-capture", "webp_bench"), ("chamado-bundle", "bundle_bench")):
            subprocess.run(["cargo", "build", "--release", "-p", p, "--example", ex], cwd=ROOT, check=True, env=env)
    examples = TARGET / "release/examples"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        shots_dir = work / "shots"
        shots_dir.mkdir()
        print("== screenshots (chamado-capture webp_bench)")
        out = subprocess.run([str(examples / "webp_bench"), str(shots_dir)], capture_output=True, text=True, check=True)
        print(out.stdout.strip())
        shots = sorted(str(p) for p in shots_dir.glob("*.webp"))[:2]
        if len(shots) != 2:
            sys.exit(f"expected two screenshots in {shots_dir}: {shots}")

        print("\n== bundle: full report + 1 MiB of logs + 2 screenshots")
        out, _ = peak_rss_mb([str(examples / "bundle_bench"), str(work / "b"), str(args.runs), *shots], True)
        r = json.loads(out)
        kib = r["bundle_bytes"] / 1024
        print(f"bundle {kib:.1f} KiB (target <= 300 KiB: {'ok' if kib <= 300 else 'MISSED'}); "
              f"screenshots {r['screenshot_bytes'] / 1024:.1f} KiB of it")
        print(f"built in {r['median_ms']:.1f} ms median, {r['best_ms']:.1f} ms best of {r['runs']} "
              f"(target <= 200 ms: {'ok' if r['median_ms'] <= 200 else 'MISSED'})")
        print(f"redacted: {json.dumps(r['redacted'])}")

        print("\n== peak memory: no attachment vs a 200 MB attachment (streamed)")
        _, small = peak_rss_mb([str(examples / "bundle_bench"), str(work / "m0"), "1", *shots])
        out, big = peak_rss_mb([str(examples / "bundle_bench"), str(work / "m1"), "1", *shots, "--attachment-mb", "200"])
        print(f"peak RSS {small:.1f} MB without, {big:.1f} MB with 200 MB attached: "
              f"+{big - small:.1f} MB ({big / small:.2f}x)")


if __name__ == "__main__":
    main()
