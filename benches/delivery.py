#!/usr/bin/env python3
"""Delivery benchmark (release build), on loopback with chamado-central standalone (SQLite):
from `chamado send --bundle` (300 KiB) started to the ticket number printed, RUNS times; and, as
the yardstick in the same run, curl posting the same ticket and bundle to the same endpoint
(what the network and central cost without Chamado's outbox). Target: <= 100 ms (median).

Usage: benches/delivery.py [--runs N] [--no-build]
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import TARGET, args_and_build


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    args = args_and_build(__doc__.splitlines()[0], ["chamado", "chamado-central"])
    chamado, central = TARGET / "release/chamado", TARGET / "release/chamado-central"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(central), "serve", "--data", str(work / "central"), "--listen", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            env = {**os.environ, "CHAMADO_HOME": str(work / "app")}
            code = subprocess.run([str(central), "admin", "enrol-code", "--company", "Bench", "--data", str(work / "central")],
                                  capture_output=True, text=True, check=True).stdout.strip()
            subprocess.run([str(chamado), "enrol", code, "--central", url], env=env, check=True, capture_output=True)
            # On Linux the token store is a file of its own (token-<host>), the user's alone.
            token = next((work / "app").glob("token-*")).read_text().strip()
            bundle = work / "pacote.zip"
            bundle.write_bytes(b"PK\x03\x04" + os.urandom(300 * 1024))
            ticket = {"topic": "erro", "summary": "bench", "description": "medindo",
                      "contact": {"name": "Ana", "email": "ana@cliente.com.br", "phone": None},
                      "module": None, "fields": {}}
            (work / "ticket.json").write_text(json.dumps(ticket))
            ours, curls = [], []
            for i in range(args.runs):
                start = time.monotonic()
                out = subprocess.run([str(chamado), "send", "--topic", "erro", "--summary", f"bench {i}",
                                      "--description", "medindo", "--contact-email", "ana@cliente.com.br",
                                      "--contact-name", "Ana", "--bundle", str(bundle)],
                                     env=env, capture_output=True, text=True)
                ours.append((time.monotonic() - start) * 1000)
                if out.returncode != 0 or "Chamado" not in out.stdout:
                    sys.exit(f"send failed: {out.stdout}{out.stderr}")
                start = time.monotonic()
                subprocess.run(["curl", "-fsS", "-o", "/dev/null", "-H", f"Authorization: Bearer {token}",
                                "-H", f"Idempotency-Key: curl-{i}-{os.getpid()}",
                                "-F", f"ticket=<{work / 'ticket.json'};type=application/json",
                                "-F", f"bundle=@{bundle};type=application/zip", f"{url}/v1/tickets"], check=True)
                curls.append((time.monotonic() - start) * 1000)
            m, c = statistics.median(ours), statistics.median(curls)
            print(f"chamado send (300 KiB bundle) to number shown: median {m:.1f} ms, best {min(ours):.1f} ms "
                  f"(target <= 100 ms: {'ok' if m <= 100 else 'MISSED'})")
            print(f"curl, same ticket and bundle:                  median {c:.1f} ms -> ratio {m / c:.2f}x")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
