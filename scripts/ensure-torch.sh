#!/usr/bin/env bash
# Makes Debian's PyTorch importable by /usr/bin/python3 and points it at the OpenMP OpenBLAS.
# Idempotent: installs only what is missing, switches alternatives only when they point elsewhere,
# and prints each thing it did. Needs root (apt-get, update-alternatives). Used by bench/run.ts.
#
# Why the BLAS switch: Debian's torch is built with BLAS_INFO=generic and calls whatever
# libblas.so.3 is selected. The default is netlib reference BLAS (5.9 GFLOP/s, a 2 s train step);
# the pthread OpenBLAS fights torch's OpenMP pool, so the openmp build is the one to use.
set -euo pipefail

PY=/usr/bin/python3
ARCH_DIR=/usr/lib/x86_64-linux-gnu
OPENMP_DIR="$ARCH_DIR/openblas-openmp"
PACKAGES=(python3-torch python3-numpy libopenblas0-openmp)

say() { echo "ensure-torch: $*"; }

have_torch() { "$PY" -c 'import torch, numpy' >/dev/null 2>&1; }

if [[ ! -x "$PY" ]]; then
  say "no $PY; install Debian's python3 first (apt-get install -y python3)"
  exit 1
fi

if have_torch && [[ -e "$OPENMP_DIR/libblas.so.3" ]]; then
  say "torch is importable and libopenblas0-openmp is installed; no install needed"
else
  if [[ $(id -u) -ne 0 ]]; then
    say "torch or the OpenMP OpenBLAS is missing and this is not root; run: sudo $0"
    exit 1
  fi
  if pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; then
    say "another apt-get/dpkg is running; wait for it to finish, then run $0 again"
    exit 1
  fi
  say "apt-get update"
  apt-get update -qq
  say "apt-get install -y ${PACKAGES[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}"
fi

# Select the OpenMP OpenBLAS for each alternative that exists and points elsewhere.
for lib in libblas.so.3 liblapack.so.3; do
  name="$lib-x86_64-linux-gnu"
  target="$OPENMP_DIR/$lib"
  if ! update-alternatives --query "$name" >/dev/null 2>&1; then
    say "no alternative $name; skipped"
    continue
  fi
  if [[ ! -e "$target" ]]; then
    say "$target is missing; $name left as it is"
    continue
  fi
  current=$(readlink -f "$ARCH_DIR/$lib")
  if [[ "$current" == "$(readlink -f "$target")" ]]; then
    say "$name already points to $target"
  elif [[ $(id -u) -ne 0 ]]; then
    say "$name points to $current; run as root to switch it to $target"
    exit 1
  else
    update-alternatives --set "$name" "$target" >/dev/null
    say "switched $name from $current to $target"
  fi
done

if ! have_torch; then
  say "torch still does not import with $PY:"
  "$PY" -c 'import torch' || true
  exit 1
fi
say "ready: torch $("$PY" -c 'import torch; print(torch.__version__)') with $(readlink -f "$ARCH_DIR/libblas.so.3")"
