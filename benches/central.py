#!/usr/bin/env python3
"""chamado-central's intake, against the real osTicket measured in the same run (issue 13).

  CHAMADO_POSTGRES_DURABLE=1 tools/with-postgres python3 benches/central.py [--seconds 10] [--no-build] [--no-osticket]

The real osTicket 1.18.1 (tools/osticket: nginx, php-fpm, MariaDB, durable defaults) and central
(release build, durable acknowledgement) take tickets from the same load loop (tools/osticket's
`load`: keep-alive clients posting for S seconds) at 1 and 16 concurrent clients: central on
SQLite, then two centrals on one PostgreSQL (CHAMADO_TEST_POSTGRES_URL, which tools/with-postgres
sets; durable commits with CHAMADO_POSTGRES_DURABLE=1), half the clients on each (at 16 clients:
one client cannot be split).
Targets: central ≥ 20× osTicket's rate at the same concurrency, p99 ≤ 50 ms.
(benches/hostile.py measures central under 500 slow connections and 25 oversized enrolments.)
Prints each figure and a JSON summary; exits 1 when a target is missed.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from importlib.machinery import SourceFileLoader
from pathlib import Path

from common import ROOT, Central, args_and_build

osticket = SourceFileLoader("osticket", str(ROOT / "tools/osticket")).load_module()

RATIO_TARGET = 20.0
P99_TARGET_MS = 50.0
CONCURRENCY = (1, 16)
BOUNDARY = "chamadobench"


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


def main():
    def more(ap):
        ap.add_argument("--seconds", type=float, default=10)
        ap.add_argument("--no-osticket", action="store_true", help="central's figures only")
    args = args_and_build(__doc__.split("\n")[0], ["chamado-central"], more, ui=False)
    s = args.seconds
    summary, missed = {}, []
    work = Path(tempfile.mkdtemp(prefix="chamado-bench-", dir="/tmp"))
    os.chmod(work, 0o755)

    # osTicket first, then stopped: its daemons (MariaDB flushing) do not share central's turn.
    if not args.no_osticket:
        print("the real osTicket (same load loop, same run):", flush=True)
        out = subprocess.run([str(ROOT / "tools/osticket"), "start", str(work / "osticket")],
                             check=True, capture_output=True, text=True).stdout
        desk = json.loads(out.strip().splitlines()[-1])
        try:
            for c in CONCURRENCY:
                r = osticket.load(desk["url"] + "/api/tickets.json",
                                  {"X-API-Key": desk["api_key"], "Content-Type": "application/json"},
                                  json.dumps({"alert": False, "autorespond": False, "source": "API",
                                              "name": "Carga", "email": "carga@cliente.example",
                                              "subject": "Carga {seq}",
                                              "message": "data:text/plain;charset=utf-8,Chamado de carga.",
                                              "ip": "127.0.0.1"}).encode(), c, s, {201})
                show("osTicket 1.18.1", r)
                summary[f"osticket_c{c}"] = r
        finally:
            subprocess.run([str(ROOT / "tools/osticket"), "stop", str(work / "osticket")],
                           capture_output=True)

    print("chamado-central, durable acknowledgement:", flush=True)
    pg = os.environ.get("CHAMADO_TEST_POSTGRES_URL")
    if not pg:
        print("  (PostgreSQL skipped: run under tools/with-postgres)")
    for c in CONCURRENCY:
        central = Central(work / f"sqlite-{c}")
        try:
            h, b = ticket_request(central.token())
            r = load_many([(central.url + "/v1/tickets", h, b)], c, s)
            show("central, SQLite", r)
            summary[f"central_sqlite_c{c}"] = r
        finally:
            central.stop()
        if pg and c > 1:
            database = new_postgres_database(pg, f"bench_{c}")
            two = [Central(work / f"pg-{c}-{i}", f'[database]\nurl = "{database}"\n') for i in range(2)]
            try:
                targets = []
                for ce in two:
                    h, b = ticket_request(ce.token())
                    targets.append((ce.url + "/v1/tickets", h, b))
                r = load_many(targets, c, s)
                show("two centrals, one PostgreSQL", r)
                summary[f"central_postgres_c{c}"] = r
            finally:
                for ce in two:
                    ce.stop()

    for c in CONCURRENCY:
        for name in ("central_sqlite", "central_postgres"):
            r = summary.get(f"{name}_c{c}")
            if not r:
                continue
            if r["p99_ms"] is None or r["p99_ms"] > P99_TARGET_MS or r["errors"]:
                missed.append(f"{name} c={c}: p99 {r['p99_ms']} ms, errors {r['errors']}")
            peer = summary.get(f"osticket_c{c}")
            if peer:
                ratio = r["tickets_per_s"] / (peer["tickets_per_s"] or 0.001)
                r["ratio_to_osticket"] = round(ratio, 1)
                print(f"  {name} c={c}: {ratio:.1f}× osTicket (target ≥ {RATIO_TARGET:.0f}×)")
                if ratio < RATIO_TARGET:
                    missed.append(f"{name} c={c}: {ratio:.1f}× osTicket")

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
