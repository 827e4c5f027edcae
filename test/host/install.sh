#!/usr/bin/env bash
# Installs code-server (the VS Code the in-host and UI tests run in) into test/host/node_modules.
# Idempotent: does nothing when code-server already answers --version and no install was stopped halfway.
# Works without internet access beyond the npm registry, given Debian's packages
# libkrb5-dev, pkg-config (for the kerberos addon) and ripgrep (see seed_ripgrep_cache).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
CODE_SERVER=node_modules/.bin/code-server
# Present while an install is under way or after one was stopped: npm links code-server's bin before
# its postinstall builds the native modules, so an install stopped by Ctrl+C would answer --version
# and still be broken. Kept outside node_modules, which npm ci deletes. Read by test/host/paths.ts.
INCOMPLETE=../../.test-work/code-server-install.incomplete

# Prints e.g. "4.100.3 <commit> with Code 1.100.3". Even --version writes a config file and logs
# under XDG_CONFIG_HOME/XDG_DATA_HOME, so point those at a throwaway folder.
code_server_version() {
  [ -x "$CODE_SERVER" ] || return 1
  local xdg output
  xdg=$(mktemp -d)
  output=$(XDG_CONFIG_HOME=$xdg XDG_DATA_HOME=$xdg "$CODE_SERVER" --version 2>/dev/null) || true
  rm -rf "$xdg"
  grep -m1 ' with Code ' <<<"$output"
}

if [ ! -e "$INCOMPLETE" ] && version=$(code_server_version); then
  echo "code-server already installed: $version"
  exit 0
fi

missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v pkg-config >/dev/null || missing+=(pkg-config)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test/host/install.sh: missing system packages, run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the
# release archive; a tar.gz with Debian's rg at its top level stands in for that archive.
seed_ripgrep_cache() {
  local version=1.15.11
  if [ -f package-lock.json ]; then
    version=$(node -p "require('./package-lock.json').packages['node_modules/@vscode/ripgrep']?.version ?? '$version'")
  fi
  local target
  case "$(uname -m)" in
    x86_64) target=x86_64-unknown-linux-musl ;;
    aarch64) target=aarch64-unknown-linux-musl ;;
    *) echo "test/host/install.sh: no ripgrep seed for $(uname -m)" >&2; return 0 ;;
  esac
  local cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$version"
  local archive="$cache/ripgrep-v13.0.0-10-$target.tar.gz"
  mkdir -p "$cache"
  if [ ! -s "$archive" ]; then
    tar -czf "$archive" -C "$(dirname "$(command -v rg)")" rg
  fi
  echo "ripgrep cache seeded: $archive"
}
seed_ripgrep_cache

# node-pty's postinstall calls `npx node-gyp`, which npm cancels when its `yes` setting is false or
# there is no terminal; code-server's postinstall refuses to run as root without unsafe-perm.
export npm_config_yes=true npm_config_unsafe_perm=true
npm_flags=(--foreground-scripts --no-audit --no-fund)

started=$SECONDS
mkdir -p "$(dirname "$INCOMPLETE")"
touch "$INCOMPLETE"
if [ -f package-lock.json ]; then
  echo "Installing code-server from test/host/package-lock.json (about 1-2 minutes)..."
  npm ci "${npm_flags[@]}"
else
  echo "Installing code-server and writing test/host/package-lock.json (about 1-2 minutes)..."
  npm install "${npm_flags[@]}"
fi

version=$(code_server_version)
rm -f "$INCOMPLETE"
echo "code-server installed in $((SECONDS - started)) s: $version"
