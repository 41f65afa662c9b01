#!/usr/bin/env python3
"""Idle sender benchmark: the long-running sender (`chamado outbox send --wait`) with a ticket
queued and chamado-central down, for SECONDS; its CPU time, peak RSS and wake-ups (voluntary
context switches) read from /proc. The yardstick in the same run: `sleep`, a process that does
nothing, for the same time. Target: negligible CPU, no busy polling (wake-ups only for retries).

Usage: benches/idle.py [--seconds N] [--no-build] [--bin-dir DIR]
  --bin-dir: where chamado and chamado-central are (default: the release build, built first)
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import TARGET, args_and_build

TICK = os.sysconf("SC_CLK_TCK")


def proc_cost(pid):
    """(CPU seconds, peak RSS KiB, voluntary context switches) of a live process."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    hwm = int(status["VmHWM"].split()[0])
    switches = 0  # every thread's
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                switches += int(line.split()[1])
    return cpu, hwm, switches


def watch(cmd, seconds, env=None):
    """Runs `cmd` for `seconds` and returns its cost, read just before it is stopped."""
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    if p.poll() is not None:
        sys.exit(f"{cmd[0]} ended early (exit {p.returncode}): it should still be waiting")
    cost = proc_cost(p.pid)
    p.terminate()
    p.wait()
    return cost


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    def more(ap):
        ap.add_argument("--seconds", type=float, default=45)
        ap.add_argument("--bin-dir", type=Path)
    args = args_and_build(__doc__.splitlines()[0], ["chamado", "chamado-central"], more)
    bins = args.bin_dir or TARGET / "release"
    chamado, central = bins / "chamado", bins / "chamado-central"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "CHAMADO_HOME": str(work / "app")}
        # Enrolled with a central that then goes away: the ticket waits, the sender retries.
        server = subprocess.Popen([str(central), "serve", "--data", str(work / "central"), "--listen", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            for _ in range(20):  # the server may still be setting up its database
                made = subprocess.run([str(central), "admin", "enrol-code", "--company", "Bench", "--data",
                                       str(work / "central")], capture_output=True, text=True)
                if made.returncode == 0:
                    break
                time.sleep(0.5)
            else:
                sys.exit(f"no enrolment code: {made.stderr}")
            code = made.stdout.strip()
            subprocess.run([str(chamado), "enrol", code, "--central", url], env=env, check=True, capture_output=True)
        finally:
            server.terminate()
            server.wait()
        out = subprocess.run([str(chamado), "send", "--topic", "erro", "--summary", "idle", "--description", "medindo",
                              "--contact-email", "ana@cliente.com.br", "--contact-name", "Ana"],
                             env=env, capture_output=True, text=True)
        if out.returncode != 3:
            sys.exit(f"expected the ticket queued (exit 3): {out.stdout}{out.stderr}")

        ours = watch([str(chamado), "outbox", "send", "--wait"], args.seconds, env)
        peer = watch(["sleep", str(args.seconds * 10)], args.seconds)
        (cpu, rss, sw), (pcpu, prss, psw) = ours, peer
        attempts = subprocess.run([str(chamado), "outbox", "list"], env=env, capture_output=True, text=True).stdout
        print(f"idle sender over {args.seconds:.0f} s (central down, 1 ticket queued, {chamado}):")
        print(f"  chamado outbox send --wait: CPU {cpu * 1000:.0f} ms ({cpu / args.seconds * 100:.3f} %), "
              f"peak RSS {rss / 1024:.1f} MiB, {sw} wake-ups")
        print(f"  sleep (does nothing):       CPU {pcpu * 1000:.0f} ms, peak RSS {prss / 1024:.1f} MiB, {psw} wake-ups")
        print(f"  ratios: RSS {rss / prss:.1f}x sleep; wake-ups {sw} vs {psw}")
        print(f"  queue after: {attempts.strip()}")
        verdict = cpu / args.seconds < 0.005 and sw < 50 * (1 + args.seconds / 30)
        print(f"  target negligible CPU, no busy polling: {'ok' if verdict else 'MISSED'}")


if __name__ == "__main__":
    main()
