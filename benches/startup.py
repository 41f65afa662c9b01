#!/usr/bin/env python3
"""Start-up benchmark: chamado against a minimal Tauri window built the same way, in one run.

For each app, alternating, RUNS times on one Xvfb display:
  - time from launch to "first screen shown" (chamado: the topic list drawn, as its log says;
    the minimal window: its one line drawn, as its stdout says), both measured from spawn by
    this script;
  - memory of the whole process tree (the app and its WebKit processes) as PSS, 1.5 s later.
Prints the medians and the ratios against the targets (time <= 1.3x minimal, PSS <= minimal +
40 MB). Release builds; pass --no-build to reuse the last ones.

Usage: benches/startup.py [--runs N] [--no-build]
"""
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import TARGET, args_and_build

READY = re.compile(r"first screen shown")
TIME_TARGET = 1.3
PSS_TARGET_MB = 40.0


def children_of(pid):
    """pid and all its descendants, from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(parents.get(p, []))
    return tree


def pss_mb(pid):
    """PSS of the process tree in MB, in all and by process name (app, WebKitWebProcess, ...)."""
    by_name = {}
    for p in children_of(pid):
        try:
            name = "app" if p == pid else Path(f"/proc/{p}/comm").read_text().strip()
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    by_name[name] = by_name.get(name, 0) + int(line.split()[1]) / 1024
        except OSError:
            pass
    return sum(by_name.values()), by_name


def stop(proc):
    for p in reversed(children_of(proc.pid)):
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_ready(read_output, proc, timeout=30.0):
    """Polls read_output() until the ready line appears; returns seconds since `start`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if READY.search(read_output()):
            return True
        if proc.poll() is not None:
            raise RuntimeError(f"exited early with {proc.returncode}")
        time.sleep(0.002)
    raise RuntimeError("no first screen within the time limit")


def run_minimal(env):
    out = tempfile.NamedTemporaryFile("w+", delete=False)
    start = time.monotonic()
    proc = subprocess.Popen([str(TARGET / "release/chamado-bench-minimal")], env=env, stdout=out,
                            stderr=subprocess.DEVNULL)
    try:
        wait_ready(lambda: Path(out.name).read_text(), proc)
        elapsed = time.monotonic() - start
        time.sleep(1.5)
        return (elapsed * 1000, *pss_mb(proc.pid))
    finally:
        stop(proc)
        os.unlink(out.name)


def run_chamado(env):
    home = tempfile.mkdtemp(prefix="chamado-bench-")
    logs = Path(home) / "logs"

    def log_text():
        try:
            return "".join(f.read_text() for f in logs.iterdir())
        except OSError:
            return ""

    start = time.monotonic()
    proc = subprocess.Popen([str(TARGET / "release/chamado")], env={**env, "CHAMADO_HOME": home},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(log_text, proc)
        elapsed = time.monotonic() - start
        time.sleep(1.5)
        return (elapsed * 1000, *pss_mb(proc.pid))
    finally:
        stop(proc)
        shutil.rmtree(home, ignore_errors=True)


def main():
    args = args_and_build(__doc__.splitlines()[0], ["chamado", "chamado-bench-minimal"])

    display = ":77"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    env["DISPLAY"] = display
    results = {"minimal": [], "chamado": []}
    try:
        run_minimal(env)  # warm the page cache and fontconfig for both; not counted
        run_chamado(env)
        for i in range(args.runs):
            order = [("minimal", run_minimal), ("chamado", run_chamado)]
            if i % 2:
                order.reverse()
            for name, fn in order:
                results[name].append(fn(env))
    finally:
        xvfb.terminate()
        xvfb.wait()

    med = {n: (statistics.median(t for t, _, _ in r), statistics.median(m for _, m, _ in r))
           for n, r in results.items()}
    print(f"runs: {args.runs} each, alternating; medians (min-max)")
    for name, r in results.items():
        ts = [t for t, _, _ in r]
        ms = [m for _, m, _ in r]
        print(f"  {name:8} first screen {med[name][0]:7.1f} ms ({min(ts):.0f}-{max(ts):.0f})"
              f"   PSS {med[name][1]:6.1f} MB ({min(ms):.0f}-{max(ms):.0f})")
        procs = sorted({k for _, _, b in r for k in b})
        print("           " + ", ".join(
            f"{k} {statistics.median(b.get(k, 0) for _, _, b in r):.1f}" for k in procs))
    ratio = med["chamado"][0] / med["minimal"][0]
    delta = med["chamado"][1] - med["minimal"][1]
    ok_t = "ok" if ratio <= TIME_TARGET else "OVER TARGET"
    ok_m = "ok" if delta <= PSS_TARGET_MB else "OVER TARGET"
    print(f"time ratio chamado/minimal: {ratio:.2f}x (target <= {TIME_TARGET}x) {ok_t}")
    print(f"PSS chamado - minimal: {delta:+.1f} MB (target <= +{PSS_TARGET_MB:.0f} MB) {ok_m}")
    return 0 if ratio <= TIME_TARGET and delta <= PSS_TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
