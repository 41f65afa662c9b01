#!/usr/bin/env python3
"""chamado-central under hostile clients: SLOW connections that trickle a request body (a byte a
second, reconnecting when cut) plus BIG connections that push a 100 MiB enrolment body as fast as
they can (reconnecting when refused), for SECONDS. Meanwhile another client asks /healthz every
20 ms on a new connection. Reported: /healthz latency (p50, p99, max, failures) and central's peak
RSS (VmHWM). Targets (issue 13): RSS <= 100 MB, /healthz p99 <= 50 ms with 500 slow + 25 big.

Usage: benches/hostile.py [--slow 500] [--big 25] [--seconds 30] [--bin PATH] [--no-build]
  --bin: chamado-central to run (default: the release build, built first unless --no-build)
"""
import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/chamado/target"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def peak_rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def slow_client(port, stop):
    """Trickles a body a byte a second; when central cuts it, starts again."""
    while not stop.is_set():
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(b"POST /v1/enrolments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                    b"content-length: 100000\r\n\r\n")
            await w.drain()
            while not stop.is_set() and not r.at_eof():
                w.write(b" ")
                await w.drain()
                try:
                    if await asyncio.wait_for(r.read(4096), 1.0) == b"":
                        break
                except asyncio.TimeoutError:
                    pass
            w.close()
        except OSError:
            await asyncio.sleep(0.5)


async def big_client(port, stop):
    """Pushes a 100 MiB enrolment body as fast as central takes it; reconnects when refused."""
    chunk = b"{" * (256 * 1024)
    while not stop.is_set():
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(b"POST /v1/enrolments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n" % (100 * 1024 * 1024))
            for _ in range(400):
                if stop.is_set():
                    break
                w.write(chunk)
                await asyncio.wait_for(w.drain(), 5)
            w.close()
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(0.05)


async def probe(port, stop, latencies, failures):
    while not stop.is_set():
        started = time.perf_counter()
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            await w.drain()
            answer = await asyncio.wait_for(r.read(), 5)
            w.close()
            if answer.startswith(b"HTTP/1.1 200"):
                latencies.append(time.perf_counter() - started)
            else:
                failures.append(answer[:40])
        except (OSError, asyncio.TimeoutError) as e:
            failures.append(repr(e))
        await asyncio.sleep(0.02)


async def attack(args, port, pid, probe_started):
    """The hostile clients, in this process; returns central's peak RSS."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(slow_client(port, stop)) for _ in range(args.slow)]
    tasks += [asyncio.create_task(big_client(port, stop)) for _ in range(args.big)]
    await asyncio.sleep(3)  # all connected
    probe_started.set()
    await asyncio.sleep(args.seconds)
    rss = peak_rss_kib(pid)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return rss


def probing(port, seconds, started, out):
    """The well-behaved client, in a process of its own (the attackers' loop is busy)."""
    async def go():
        stop = asyncio.Event()
        latencies, failures = [], []
        task = asyncio.create_task(probe(port, stop, latencies, failures))
        await asyncio.sleep(seconds)
        stop.set()
        await task
        return latencies, failures
    started.wait()
    out.put(asyncio.run(go()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slow", type=int, default=500)
    ap.add_argument("--big", type=int, default=25)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--bin", type=Path, default=TARGET / "release/chamado-central")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build and args.bin == TARGET / "release/chamado-central":
        subprocess.run(["cargo", "build", "--release", "-p", "chamado-central"], cwd=ROOT, check=True,
                       env={**os.environ, "CARGO_TARGET_DIR": str(TARGET)})
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        p = subprocess.Popen([str(args.bin), "serve", "--data", work, "--listen", f"127.0.0.1:{port}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), 0.1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            import multiprocessing as mp
            started, out = mp.Event(), mp.Queue()
            prober = mp.Process(target=probing, args=(port, args.seconds, started, out))
            prober.start()
            rss = asyncio.run(attack(args, port, p.pid, started))
            latencies, failures = out.get()
            prober.join()
        finally:
            p.terminate()
            p.wait()
    if not latencies:
        sys.exit(f"/healthz never answered: {failures[:3]}")
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"{args.slow} slow + {args.big} big connections, {args.seconds:.0f} s: "
          f"/healthz {len(latencies)} answers, p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms, {len(failures)} failed; central's peak RSS {rss / 1024:.1f} MiB")
    if failures:
        print("failures:", failures[:5])


if __name__ == "__main__":
    main()
