#!/usr/bin/env python3
"""The customer's journey benchmark: the real window driven from "Abrir um chamado" to the ticket
number (benches/journey.mjs, WebDriver, against a real chamado-central), against the minimal Tauri
window, in one run.

For each run, alternating: the time of each step change, measured in the page from the click to
the frame after the next step's heading is drawn (target: each <= 100 ms); the first check result
from the click that opens the checks step (target: <= 300 ms); the largest PSS of
chamado's process tree (the app and its WebKit processes) sampled every 100 ms through the whole
journey, against the minimal window's PSS (target: <= minimal + 40 MB). Release builds; pass
--no-build to reuse the last ones. Needs tauri-driver and WebKitWebDriver (tools/lib.sh installs
them) and tests/e2e's node modules.

Usage: benches/journey.py [--runs N] [--no-build]
"""
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import ROOT, TARGET, args_and_build
from startup import pss_mb, run_minimal

STEP_TARGET_MS = 100.0
FIRST_RESULT_TARGET_MS = 300.0
PSS_TARGET_MB = 40.0


def app_pids(exe):
    """The running chamado windows (their executable is `exe`)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink(f"/proc/{entry}/exe") == str(exe):
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def run_journey(env):
    """Step times (ms, by name), the first check result (ms) and the peak PSS (MB) of chamado's
    process tree."""
    exe = TARGET / "release/chamado"
    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            total = sum(pss_mb(pid)[0] for pid in app_pids(exe))
            peak[0] = max(peak[0], total)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        out = subprocess.run(
            # tools/lib.sh puts tauri-driver on PATH.
            ["bash", "-c", f"source '{ROOT}/tools/lib.sh' && exec dbus-run-session -- node '{ROOT}/benches/journey.mjs'"],
            env={**env, "CHAMADO_BIN": str(exe), "CHAMADO_CENTRAL_BIN": str(TARGET / "release/chamado-central")},
            cwd=ROOT / "tests/e2e", capture_output=True, text=True, timeout=600)
    finally:
        done.set()
        sampler.join()
    if out.returncode != 0:
        raise RuntimeError(f"the journey failed:\n{out.stdout}\n{out.stderr}")
    line = json.loads([l for l in out.stdout.splitlines() if l.startswith('{"steps"')][-1])
    return line["steps"], line["firstResult"], peak[0]


def main():
    args = args_and_build(__doc__.splitlines()[0],
                          ["chamado", "chamado-central", "chamado-bench-minimal"])
    display = ":78"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x800x24", "-nolisten", "tcp"],
                            stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    env["DISPLAY"] = display
    steps, firsts, peaks, minimal = {}, [], [], []
    try:
        run_minimal(env)  # warm the page cache and fontconfig; not counted
        for i in range(args.runs):
            order = ["minimal", "journey"] if i % 2 == 0 else ["journey", "minimal"]
            for what in order:
                if what == "minimal":
                    minimal.append(run_minimal(env)[1])
                else:
                    times, first, peak = run_journey(env)
                    peaks.append(peak)
                    firsts.append(first)
                    for name, ms in times.items():
                        steps.setdefault(name, []).append(ms)
    finally:
        xvfb.terminate()
        xvfb.wait()

    print(f"runs: {args.runs}, alternating with the minimal window; medians (min-max)")
    worst = 0.0
    for name, ms in steps.items():
        med = statistics.median(ms)
        worst = max(worst, med)
        flag = "ok" if med <= STEP_TARGET_MS else "OVER TARGET"
        print(f"  {name:34} {med:6.1f} ms ({min(ms):.0f}-{max(ms):.0f}) {flag}")
    first = statistics.median(firsts)
    first_ok = first <= FIRST_RESULT_TARGET_MS
    print(f"first check result: {first:.1f} ms ({min(firsts):.0f}-{max(firsts):.0f}) "
          f"(target <= {FIRST_RESULT_TARGET_MS:.0f} ms) {'ok' if first_ok else 'OVER TARGET'}")
    peak, base = statistics.median(peaks), statistics.median(minimal)
    delta = peak - base
    print(f"slowest step change: {worst:.1f} ms (target <= {STEP_TARGET_MS:.0f} ms)")
    print(f"PSS through the journey: peak {peak:.1f} MB vs minimal window {base:.1f} MB: "
          f"{delta:+.1f} MB (target <= +{PSS_TARGET_MB:.0f} MB) "
          f"{'ok' if delta <= PSS_TARGET_MB else 'OVER TARGET'}")
    return 0 if worst <= STEP_TARGET_MS and first_ok and delta <= PSS_TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
