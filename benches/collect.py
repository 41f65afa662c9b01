#!/usr/bin/env python3
"""Collection benchmark, in one run (release build):

1. Local probes (`chamado collect --skip-checks`: everything but waiting on the network) against
   FusionInventory's local inventory (`fusioninventory-inventory`, Debian package
   fusioninventory-agent) on the same machine, alternating, RUNS times each: median wall time and
   peak memory (largest RSS in the process tree, from wait4). Targets: <= 0.5x both.
2. A full collection whose slowest check times out (a silent loopback port, 1000 ms timeout)
   next to two quick ones: wall time against the target "slowest timeout + 100 ms".

Usage: benches/collect.py [--runs N] [--no-build]
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import TARGET, args_and_build

CHAMADO = TARGET / "release/chamado"
TIMEOUT_MS = 1000


def measure(cmd, env=None):
    """Wall seconds and peak RSS (MB) of the largest process in the command's tree."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd[0]} failed with {status}")
    return wall, usage.ru_maxrss / 1024


def silent_port():
    """A loopback port that never answers: a listener whose accept queue is full."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    addr = listener.getsockname()
    fillers = []
    for _ in range(2):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(addr)
        except BlockingIOError:
            pass
        fillers.append(s)
    time.sleep(0.2)
    return addr, [listener, *fillers]


def main():
    args = args_and_build(__doc__.splitlines()[0], ["chamado"])
    if not Path("/usr/bin/fusioninventory-inventory").exists():
        if os.geteuid() != 0:
            sys.exit("fusioninventory-inventory is missing: apt-get install fusioninventory-agent")
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "fusioninventory-agent"],
                       check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})

    work = Path(tempfile.mkdtemp(prefix="chamado-bench-collect-"))
    env = {**os.environ, "CHAMADO_HOME": str(work / "home")}
    chamado = [str(CHAMADO), "collect", "--skip-checks", "--out", str(work / "report")]
    fusion = ["fusioninventory-inventory"]
    measure(chamado, env)  # warm caches for both; not counted
    measure(fusion)
    results = {"chamado": [], "fusioninventory": []}
    for i in range(args.runs):
        order = [("chamado", chamado, env), ("fusioninventory", fusion, None)]
        if i % 2:
            order.reverse()
        for name, cmd, e in order:
            results[name].append(measure(cmd, e))

    med = {n: (statistics.median(w for w, _ in r), statistics.median(m for _, m in r)) for n, r in results.items()}
    print(f"local probes, {args.runs} runs each, alternating; medians (min-max)")
    for name, r in results.items():
        ws = [w * 1000 for w, _ in r]
        ms = [m for _, m in r]
        print(f"  {name:16} wall {med[name][0] * 1000:7.1f} ms ({min(ws):.0f}-{max(ws):.0f})"
              f"   peak RSS {med[name][1]:6.1f} MB ({min(ms):.0f}-{max(ms):.0f})")
    wall_ratio = med["chamado"][0] / med["fusioninventory"][0]
    mem_ratio = med["chamado"][1] / med["fusioninventory"][1]
    print(f"wall ratio chamado/fusioninventory: {wall_ratio:.2f}x (target <= 0.5x) {'ok' if wall_ratio <= 0.5 else 'OVER TARGET'}")
    print(f"memory ratio chamado/fusioninventory: {mem_ratio:.2f}x (target <= 0.5x) {'ok' if mem_ratio <= 0.5 else 'OVER TARGET'}")

    (silent, _keep), closed = silent_port(), None
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed = s.getsockname()
    s.close()
    profile = subprocess.run([str(CHAMADO), "profile", "default"], capture_output=True, text=True, check=True).stdout
    profile = (profile
               .replace('tcp = "servidor:3050"\ntimeout_ms = 3000', f'tcp = "127.0.0.1:{silent[1]}"\ntimeout_ms = {TIMEOUT_MS}')
               .replace('dns = "suporte.exemplo.com.br"', 'dns = "localhost"')
               .replace('http = "https://suporte.exemplo.com.br/"', f'http = "http://127.0.0.1:{closed[1]}/"')
               .replace('http = "http://www.msftconnecttest.com/connecttest.txt"',
                        f'http = "http://127.0.0.1:{closed[1]}/connecttest.txt"'))
    (work / "p.toml").write_text(profile)
    full = [str(CHAMADO), "collect", "--profile", str(work / "p.toml"), "--out", str(work / "full")]
    walls = [measure(full, env)[0] * 1000 for _ in range(max(3, args.runs // 2))]
    w = statistics.median(walls)
    print(f"full collection, slowest check {TIMEOUT_MS} ms timeout: wall {w:.0f} ms "
          f"({min(walls):.0f}-{max(walls):.0f}); target <= {TIMEOUT_MS + 100} ms "
          f"{'ok' if w <= TIMEOUT_MS + 100 else 'OVER TARGET'}")
    ok = wall_ratio <= 0.5 and mem_ratio <= 0.5 and w <= TIMEOUT_MS + 100
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
