#!/usr/bin/env python3
"""How soon an analyst's reply and a close in osTicket show on central (issue 14), plugin mode.

  python3 benches/replies.py [--tickets 10] [--poll-s 10] [--no-build]

The real osTicket 1.18.1 (tools/osticket) with the Chamado plugin, and two release centrals in
`create = "plugin"` on it: the plugin's events go to the first (its poll an hour away: the event
path alone); the second never hears an event (the plugin calls the first, which does not know its
tickets) and polls every --poll-s: the poll path alone. For each of N tickets sent with an app's
token: an analyst's reply, then a reply that closes it, posted in the staff panel over HTTP as an
analyst does (tools/osticket's `analyst`). Measured: seconds from the moment the staff panel's
form is posted to central's GET /v1/tickets/{reference} showing the reply (author staff, status
answered) or the close (status closed), p50 and max, each path. Target: within 60 s (the event
path; the poll path is bounded by its interval: 1.25 × poll_s, plus up to 5 s between looks). Prints each figure and a
JSON summary; exits 1 when the event path misses the target.
"""
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from importlib.machinery import SourceFileLoader
from pathlib import Path

import common
from common import NO_PROXY, ROOT, args_and_build

osticket = SourceFileLoader("osticket", str(ROOT / "tools/osticket")).load_module()

TARGET_S = 60.0
SECRET = "segredo-do-plugin-para-o-benchmark"
BOUNDARY = "chamadobench"


class Central(common.Central):
    """A release chamado-central in plugin mode on the osTicket `desk`."""

    def __init__(self, dir, desk, secret, poll_s):
        super().__init__(dir, f'[osticket]\nurl = "{desk["url"]}"\napi_key = "{desk["api_key"]}"\n'
                         f'create = "plugin"\nevents_secret = "{secret}"\npoll_s = {poll_s}\n'
                         f'[osticket.topics]\nsem-conexao = {desk["topic_id"]}\n')

    def send(self, token, seq):
        """A ticket as the app sends it; its reference."""
        ticket = json.dumps({"topic": "sem-conexao", "summary": f"O sistema não conecta {seq}",
                             "description": "Desde ontem aparece 'servidor indisponível'.",
                             "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br"},
                             "module": "faturamento"}, ensure_ascii=False)
        body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"ticket\"\r\n"
                f"Content-Type: application/json\r\n\r\n{ticket}\r\n--{BOUNDARY}--\r\n").encode()
        return self.request("POST", "/v1/tickets", body, {
            "Authorization": f"Bearer {token}", "Idempotency-Key": f"bench-{seq}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})["reference"]

    def ticket(self, token, reference):
        return self.request("GET", f"/v1/tickets/{reference}",
                            headers={"Authorization": f"Bearer {token}"})


def wait_for(what, check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.02)
    raise SystemExit(f"timed out after {timeout} s waiting for {what}")


# The moment the staff panel's reply form goes out (the analyst's click), per thread.
posted_at = {}
_post = osticket.Admin.post


def _timed_post(self, path, fields, ajax=False):
    if path.startswith("tickets.php") and not ajax:
        posted_at[threading.get_ident()] = time.monotonic()
    return _post(self, path, fields, ajax)


osticket.Admin.post = _timed_post


def analyst_and_wait(layout, central, token, reference, number, text, status, shown, timeout):
    """Posts the reply as an analyst while watching central; seconds from the post to `shown`."""
    seen = {}

    def watch():
        seen["at"] = wait_for("central to show it", lambda: shown(central.ticket(token, reference))
                              and time.monotonic(), timeout)

    watcher = threading.Thread(target=watch)
    watcher.start()
    with contextlib.redirect_stdout(io.StringIO()):
        osticket.analyst(layout, number, text, status, False)
    post = posted_at[threading.get_ident()]
    watcher.join()
    if "at" not in seen:
        raise SystemExit(f"{reference}: central never showed {text!r}")
    return seen["at"] - post


def staff_said(text):
    return lambda t: t["status"] == "answered" and any(
        m["author"] == "staff" and text in m["body"] for m in t.get("thread") or [])


def stats(xs):
    xs = sorted(xs)
    return {"p50_s": round(xs[len(xs) // 2], 2), "max_s": round(xs[-1], 2), "n": len(xs)}


def main():
    def more(ap):
        ap.add_argument("--tickets", type=int, default=10)
        ap.add_argument("--poll-s", type=int, default=10, help="the poll-only central's poll_s")
    args = args_and_build(__doc__.split("\n")[0], ["chamado-central"], more, ui=False)
    work = Path(tempfile.mkdtemp(prefix="chamado-replies-", dir="/tmp"))
    os.chmod(work, 0o755)
    desk_dir = work / "osticket"
    centrals = []
    summary = {}
    try:
        out = subprocess.run([str(ROOT / "tools/osticket"), "start", str(desk_dir)], check=True,
                             capture_output=True, text=True).stdout
        desk = json.loads(out.strip().splitlines()[-1])
        events = Central(work / "events", desk, SECRET, 3600)
        polled = Central(work / "poll", desk, "um-segredo-que-o-plugin-nao-tem", args.poll_s)
        centrals += [events, polled]
        subprocess.run([str(ROOT / "tools/osticket"), "plugin", str(desk_dir),
                        str(ROOT / "osticket-plugin/chamado"), "--config", f"central_url={events.url}",
                        "--config", f"secret={SECRET}"], check=True, capture_output=True)
        layout = osticket.Layout(str(desk_dir))
        for name, central, timeout in (("events", events, 120), ("poll", polled, 3 * args.poll_s + 30)):
            token = central.token()
            replies, closes = [], []
            for i in range(args.tickets):
                reference = central.send(token, f"{name}-{i}")
                number = wait_for("osTicket's number", lambda: central.ticket(token, reference)["number"], 60)
                text = f"Resposta {i}: atualize para a versão 8.5."
                replies.append(analyst_and_wait(layout, central, token, reference, number, text, None,
                                                staff_said(text), timeout))
                closes.append(analyst_and_wait(layout, central, token, reference, number,
                                               f"Resolvido {i}.", "Closed",
                                               lambda t: t["status"] == "closed", timeout))
            summary[name] = {"reply": stats(replies), "close": stats(closes)}
            label = "events" if name == "events" else f"poll alone (poll_s = {args.poll_s})"
            for what in ("reply", "close"):
                s = summary[name][what]
                print(f"  {label:<28} {what:<6} p50 {s['p50_s']:>6.2f} s  max {s['max_s']:>6.2f} s  "
                      f"n={s['n']}", flush=True)
        summary["poll_s"] = args.poll_s
    finally:
        for c in centrals:
            c.stop()
        subprocess.run([str(ROOT / "tools/osticket"), "stop", str(desk_dir)], capture_output=True)
        subprocess.run(["rm", "-rf", str(work)])
    print(json.dumps(summary))
    worst = max(summary["events"]["reply"]["max_s"], summary["events"]["close"]["max_s"])
    if worst > TARGET_S:
        print(f"MISSED: the event path took {worst} s (target {TARGET_S} s)")
        sys.exit(1)


if __name__ == "__main__":
    main()
