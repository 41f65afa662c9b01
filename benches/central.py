#!/usr/bin/env python3
"""chamado-central in production, against the real osTicket measured in the same run (issue 13).

  tools/with-postgres python3 benches/central.py [--seconds 10] [--no-build] [--no-osticket]

1. Intake: the real osTicket 1.18.1 (tools/osticket: nginx, php-fpm, MariaDB, durable defaults)
   and central (release build, durable acknowledgement) take tickets from the same load loop
   (tools/osticket's `load`: keep-alive clients posting for S seconds) at 1 and 16 concurrent
   clients: central on SQLite, then two centrals on one PostgreSQL (CHAMADO_TEST_POSTGRES_URL,
   which tools/with-postgres sets), half the clients on each.
   Targets: central ≥ 20× osTicket's rate at the same concurrency, p99 ≤ 50 ms.
2. Under 500 slow connections (a request body trickling in) and 25 unauthenticated enrolment
   requests announcing a huge body and never finishing it, central's RSS stays ≤ 100 MB and
   /healthz answers another client with p99 ≤ 50 ms.
Prints each figure and a JSON summary; exits 1 when a target is missed.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from importlib.machinery import SourceFileLoader
from pathlib import Path

from common import ROOT, TARGET, args_and_build

osticket = SourceFileLoader("osticket", str(ROOT / "tools/osticket")).load_module()

RATIO_TARGET = 20.0
P99_TARGET_MS = 50.0
RSS_TARGET_MB = 100.0
SLOW, OVERSIZED = 500, 25
CENTRAL = TARGET / "release/chamado-central"
BOUNDARY = "chamadobench"


class Central:
    """A release chamado-central on a free loopback port, on `database` (None: SQLite)."""

    def __init__(self, dir, database=None):
        self.dir = Path(dir)
        self.config = self.dir / "central.toml"
        db = f'[database]\nurl = "{database}"\n' if database else ""
        # The rate limit is per installation; the load comes from one.
        self.config.write_text(f'data = "data"\n{db}[limits]\nrate_per_minute = 100000000\n'
                               'rate_burst = 100000000\n')
        self.proc = subprocess.Popen([str(CENTRAL), "serve", "--listen", "127.0.0.1:0", "--config",
                                     str(self.config)], stderr=subprocess.PIPE, text=True,
                                    env={**os.environ, "RUST_LOG": "warn,chamado_central=info"})
        for line in self.proc.stderr:
            if "addr=" in line:
                self.url = "http://" + line.split("addr=")[1].split()[0]
                break
        else:
            raise SystemExit(f"central did not start: {self.proc.wait()}")
        threading.Thread(target=lambda: [None for _ in self.proc.stderr], daemon=True).start()

    def admin(self, *args):
        return subprocess.run([str(CENTRAL), "admin", "--config", str(self.config), *args],
                              check=True, capture_output=True, text=True).stdout.strip()

    def token(self):
        code = self.admin("enrol-code", "--company", "Bench")
        status, body = post(self.url + "/v1/enrolments", {"Content-Type": "application/json"},
                            json.dumps({"code": code, "machine": "bench"}).encode())
        assert status == 200 or status == 201, (status, body)
        return json.loads(body)["token"]

    def rss_mb(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def post(url, headers, body):
    import http.client
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.request("POST", u.path, body, headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def ticket_request(token):
    """What the app posts: a multipart ticket, a fresh Idempotency-Key per request."""
    ticket = json.dumps({"topic": "sem-conexao", "summary": "O sistema não conecta ao servidor {seq}",
                         "description": "Desde ontem aparece 'servidor indisponível' ao abrir o caixa.",
                         "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br"},
                         "fields": {"terminal": "Caixa 2"}}, ensure_ascii=False)
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"ticket\"\r\n"
            f"Content-Type: application/json\r\n\r\n{ticket}\r\n--{BOUNDARY}--\r\n").encode()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "{seq}",
               "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return headers, body


def load_many(targets, concurrency, seconds):
    """Runs the load loop against each (url, headers, body) at once, the clients split between
    them; the combined rate and the worst percentiles."""
    results = [None] * len(targets)
    share = max(1, concurrency // len(targets))

    def run(i, t):
        results[i] = osticket.load(t[0], t[1], t[2], share, seconds, {201})

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"tickets_per_s": round(sum(r["tickets_per_s"] for r in results), 1),
            "p50_ms": max(r["p50_ms"] or 0 for r in results),
            "p99_ms": max(r["p99_ms"] or 0 for r in results),
            "n": sum(r["n"] for r in results),
            "errors": [r["errors"] for r in results if r["errors"]],
            "concurrency": share * len(targets)}


def show(name, r):
    print(f"  {name:<34} c={r['concurrency']:<3} {r['tickets_per_s']:>8.1f} tickets/s  "
          f"p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  n={r['n']}  errors={r['errors'] or 0}",
          flush=True)


def slow_clients(central, seconds):
    """Opens SLOW connections trickling a ticket body and OVERSIZED enrolments announcing 100 MiB;
    meanwhile a client asks /healthz. Returns (peak RSS MB, healthz p99 ms, healthz failures)."""
    host, port = central.url.removeprefix("http://").split(":")
    socks, stop = [], threading.Event()
    for i in range(SLOW):
        try:
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(b"POST /v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\n"
                      b"Idempotency-Key: slow-%d\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                      b"Content-Length: 1000000\r\n\r\n--b\r\n" % i)
            socks.append(s)
        except OSError:
            break
    opened_slow = len(socks)
    chunk = b"x" * 65536
    for _ in range(OVERSIZED):
        try:
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(b"POST /v1/enrolments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 104857600\r\n\r\n{\"code\":\"")
            s.settimeout(0.2)
            for _ in range(160):  # up to 10 MiB each, if central keeps reading
                s.sendall(chunk)
            socks.append(s)
        except OSError:
            socks.append(None)

    def trickle():
        while not stop.is_set():
            for s in socks:
                if s is not None:
                    try:
                        s.send(b"x")
                    except OSError:
                        pass
            stop.wait(1.0)

    threading.Thread(target=trickle, daemon=True).start()
    import http.client
    lat, failures, peak = [], 0, central.rss_mb()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.perf_counter()
        try:
            c = http.client.HTTPConnection(host, int(port), timeout=5)
            c.request("GET", "/healthz")
            ok = c.getresponse().status == 200
            c.close()
        except OSError:
            ok = False
        if ok:
            lat.append((time.perf_counter() - t) * 1000)
        else:
            failures += 1
        peak = max(peak, central.rss_mb())
        time.sleep(0.02)
    stop.set()
    for s in socks:
        if s is not None:
            s.close()
    lat.sort()
    return peak, osticket.percentile(lat, 99), failures, opened_slow


def main():
    def more(ap):
        ap.add_argument("--seconds", type=float, default=10)
        ap.add_argument("--no-osticket", action="store_true", help="central's figures only")
    args = args_and_build(__doc__.split("\n")[0], ["chamado-central"], more, ui=False)
    s = args.seconds
    summary, missed = {}, []
    work = Path(tempfile.mkdtemp(prefix="chamado-bench-", dir="/tmp"))
    os.chmod(work, 0o755)

    desk = None
    if not args.no_osticket:
        print("starting the real osTicket …", flush=True)
        out = subprocess.run([str(ROOT / "tools/osticket"), "start", str(work / "osticket")],
                             check=True, capture_output=True, text=True).stdout
        desk = json.loads(out.strip().splitlines()[-1])
    try:
        print("intake (same load loop, same run):", flush=True)
        for c in (1, 16):
            if desk:
                r = osticket.load(desk["url"] + "/api/tickets.json",
                                  {"X-API-Key": desk["api_key"], "Content-Type": "application/json"},
                                  json.dumps({"alert": False, "autorespond": False, "source": "API",
                                              "name": "Carga", "email": "carga@cliente.example",
                                              "subject": "Carga {seq}",
                                              "message": "data:text/plain;charset=utf-8,Chamado de carga.",
                                              "ip": "127.0.0.1"}).encode(), c, s, {201})
                show("osTicket 1.18.1", r)
                summary[f"osticket_c{c}"] = r
            central = Central(work / f"sqlite-{c}")
            try:
                h, b = ticket_request(central.token())
                r = load_many([(central.url + "/v1/tickets", h, b)], c, s)
                show("central, SQLite", r)
                summary[f"central_sqlite_c{c}"] = r
            finally:
                central.stop()
            pg = os.environ.get("CHAMADO_TEST_POSTGRES_URL")
            if pg:
                database = new_postgres_database(pg, f"bench_{c}")
                two = [Central(work / f"pg-{c}-{i}", database) for i in range(2)]
                try:
                    targets = []
                    for ce in two:
                        h, b = ticket_request(ce.token())
                        targets.append((ce.url + "/v1/tickets", h, b))
                    r = load_many(targets, max(2, c), s)
                    show("two centrals, one PostgreSQL", r)
                    summary[f"central_postgres_c{c}"] = r
                finally:
                    for ce in two:
                        ce.stop()
            else:
                print("  (PostgreSQL skipped: run under tools/with-postgres)")
            for name in ("central_sqlite", "central_postgres"):
                r = summary.get(f"{name}_c{c}")
                if not r:
                    continue
                if r["p99_ms"] is None or r["p99_ms"] > P99_TARGET_MS or r["errors"]:
                    missed.append(f"{name} c={c}: p99 {r['p99_ms']} ms, errors {r['errors']}")
                if desk:
                    base = summary[f"osticket_c{c}"]["tickets_per_s"] or 0.001
                    ratio = r["tickets_per_s"] / base
                    summary[f"{name}_c{c}"]["ratio_to_osticket"] = round(ratio, 1)
                    print(f"  {name} c={c}: {ratio:.1f}× osTicket (target ≥ {RATIO_TARGET:.0f}×)")
                    if ratio < RATIO_TARGET:
                        missed.append(f"{name} c={c}: {ratio:.1f}× osTicket")
    finally:
        if desk:
            subprocess.run([str(ROOT / "tools/osticket"), "stop", str(work / "osticket")],
                           capture_output=True)

    print(f"{SLOW} slow connections + {OVERSIZED} oversized enrolments:", flush=True)
    central = Central(work / "slow")
    try:
        peak, p99, failures, opened = slow_clients(central, max(s, 10))
    finally:
        central.stop()
    print(f"  {opened} slow connections opened; central's peak RSS {peak:.1f} MB "
          f"(target ≤ {RSS_TARGET_MB:.0f}); /healthz p99 {p99} ms (target ≤ {P99_TARGET_MS:.0f}), "
          f"{failures} failed")
    summary["slow"] = {"peak_rss_mb": round(peak, 1), "healthz_p99_ms": p99,
                       "healthz_failures": failures, "slow_opened": opened}
    if peak > RSS_TARGET_MB or p99 is None or p99 > P99_TARGET_MS or failures:
        missed.append(f"slow connections: RSS {peak:.1f} MB, /healthz p99 {p99} ms, {failures} failed")

    subprocess.run(["rm", "-rf", str(work)])
    print(json.dumps(summary))
    if missed:
        print("targets MISSED: " + "; ".join(missed))
        sys.exit(1)
    print("targets met")


def new_postgres_database(server, name):
    """A fresh database on the server (psql through the URL's socket folder)."""
    import urllib.parse
    u = urllib.parse.urlsplit(server)
    host = urllib.parse.parse_qs(u.query).get("host", ["localhost"])[0]
    name = f"{name}_{os.getpid()}_{int(time.time())}"
    subprocess.run(["psql", "-h", host, "-U", u.username or "postgres", "-d", "postgres", "-qc",
                    f"CREATE DATABASE {name}"], check=True)
    return f"postgres://{u.username or 'postgres'}@localhost/{name}?host={host}"


if __name__ == "__main__":
    main()
