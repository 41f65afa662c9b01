"""What the benchmark scripts share: their command line and the release build they measure."""
import argparse
import json
import os
import subprocess
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/chamado/target"))
CENTRAL = TARGET / "release/chamado-central"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def args_and_build(description, packages, add_args=None, ui=True):
    """Parses `--runs N` and `--no-build` (and what `add_args(parser)` adds); unless told not to,
    builds the UI (when `ui`) and the release binaries of `packages` first."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-build", action="store_true")
    if add_args:
        add_args(ap)
    args = ap.parse_args()
    if not args.no_build:
        if ui:
            subprocess.run(["bash", "-c", "source tools/lib.sh && build_ui"], cwd=ROOT, check=True)
        cmd = ["cargo", "build", "--release"] + [a for p in packages for a in ("-p", p)]
        subprocess.run(cmd, cwd=ROOT, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(TARGET)})
    return args


class Central:
    """A release chamado-central on a free loopback port: SQLite in `dir`, `extra` added to its
    configuration (TOML: `[database]`, `[osticket]` …). No rate limit: a benchmark's load comes
    from one installation."""

    def __init__(self, dir, extra=""):
        self.dir = Path(dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.config = self.dir / "central.toml"
        self.config.write_text(f'data = "data"\n[limits]\nrate_per_minute = 10000000\n'
                               f'rate_burst = 10000000\n{extra}')
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

    def request(self, method, path, body=None, headers=None):
        """JSON in, JSON out, never through a proxy."""
        req = urllib.request.Request(self.url + path, body, headers or {}, method=method)
        with NO_PROXY.open(req, timeout=30) as r:
            return json.loads(r.read())

    def token(self):
        code = self.admin("enrol-code", "--company", "Bench")
        answer = self.request("POST", "/v1/enrolments",
                              json.dumps({"code": code, "machine": "bench"}).encode(),
                              {"Content-Type": "application/json"})
        return answer["token"]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
