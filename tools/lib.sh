# Shared steps of tools/run and tools/test. Every step is idempotent and quick when nothing changed.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build output lives outside the clone so a fresh clone (CI) reuses it.
CACHE="${CHAMADO_CACHE:-$HOME/.cache/chamado}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
TOOLS="$CACHE/tools"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"

# Debian packages: building the WebKitGTK app, running it headless, driving it with WebDriver;
# unshare and ip give the network tests a private namespace with nothing but loopback; the screen
# capture (xcap: X11 with RandR, Wayland through PipeWire and GBM, bindings made with libclang) and
# xsetroot, which draws known colours for its tests under Xvfb; xwininfo (x11-utils), with which
# the app's capture test finds where Chamado's window was; PostgreSQL, which chamado-central's
# tests also run on (tools/with-postgres starts a throwaway cluster); ImageMagick's `import`, which
# saves screenshots of the app under Xvfb (tools/run's, and one per step of the e2e tests) and
# reads the pixels of a screenshot central received (the e2e evidence test); systemd's
# systemd-analyze, which checks central's hardened unit (deploy/chamado-central.service).
SYSTEM_PACKAGES=(
  build-essential pkg-config curl ca-certificates
  libwebkit2gtk-4.1-dev libssl-dev
  xvfb xauth dbus-daemon webkit2gtk-driver fonts-dejavu-core
  util-linux iproute2
  postgresql
  libxcb1-dev libxcb-randr0-dev libpipewire-0.3-dev libgbm-dev libclang-dev x11-xserver-utils
  x11-utils imagemagick
  systemd
)

# The UI's build (Vite) needs Node.js 20.19 or later; Debian 12's own nodejs is 18.
NODE_MIN=20.19

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# SYSTEM_PACKAGES and the packages given (the Windows lane's), installed with apt-get when
# missing.
ensure_system_packages() {
  local extra=()
  command -v node >/dev/null || extra+=(nodejs npm)
  ensure_packages "${SYSTEM_PACKAGES[@]}" "$@" "${extra[@]}"
}

# A real osTicket on loopback (tools/osticket): its web server, PHP with the extensions osTicket
# uses, and MariaDB. Their post-install scripts cannot start services here; tools/osticket runs
# each daemon itself from its own folder.
OSTICKET_PACKAGES=(
  nginx php8.2-fpm php8.2-mysql php8.2-gd php8.2-imap php8.2-intl php8.2-mbstring php8.2-xml
  php8.2-apcu php8.2-curl php8.2-zip php8.2-cli mariadb-server mariadb-client
)
ensure_osticket() {
  ensure_packages "${OSTICKET_PACKAGES[@]}"
}

# The Debian packages given, installed with apt-get when missing.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing system packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Run as root (or: sudo apt-get install -y ${missing[*]}) and try again." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_node_version() {
  local v
  v=$(node -p 'process.versions.node')
  if [ "$(printf '%s\n%s\n' "$NODE_MIN" "$v" | sort -V | head -n 1)" != "$NODE_MIN" ]; then
    echo "Node.js $v is too old: the UI's build needs $NODE_MIN or later (e.g. NodeSource's nodejs 20 or 22)." >&2
    exit 1
  fi
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
}

# npm ci when node_modules is missing or older than the lock file.
ensure_npm() {
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null; then
    step "installing tauri-driver (once, into $TOOLS)"
    cargo install tauri-driver --version 2.0.6 --locked --root "$TOOLS" --quiet
  fi
}

build_ui() {
  step "building the UI"
  (cd "$ROOT/ui" && npm run --silent build)
}

# Build output only grows (every rebuild leaves old artifacts). When the disk runs low, start the
# cache's build folders afresh: a cold build takes about 12 minutes, a full disk fails the run.
MIN_FREE_GB=15
ensure_disk_space() {
  mkdir -p "$CACHE"
  local free_gb
  free_gb=$(( $(df --output=avail -k "$CACHE" | tail -n 1) / 1024 / 1024 ))
  if [ "$free_gb" -lt "$MIN_FREE_GB" ]; then
    step "only ${free_gb} GB free: removing old build output in $CACHE"
    rm -rf "$CACHE/target" "$CACHE/target-windows"
  fi
}

# Arguments: more Debian packages this command needs.
ensure_all() {
  ensure_disk_space
  ensure_system_packages "$@"
  ensure_node_version
  ensure_rust
  ensure_npm "$ROOT/ui"
}
