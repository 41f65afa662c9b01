"""What the benchmark scripts share: their command line and the release build they measure."""
import argparse
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/chamado/target"))


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
