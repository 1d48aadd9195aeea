#!/usr/bin/env bash
# Regenerates the committed PTX from the CUDA C sources in this folder:
#   engine/src/main/resources/dev/llamascope/engine/cuda/ptx/<name>.ptx  for every <name>.cu
#   .../ptx/SOURCES.sha256  the sha256 of every source (and of NVCC_FLAGS) the PTX was made from
# Run it after changing a kernel and commit the results; PtxBuildCheckTest fails while they are stale.
# Needs nvcc (CUDA 13 starts at compute_75; the PTX runs on sm_75 and every newer GPU through the driver's JIT).
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$SRC/../resources/dev/llamascope/engine/cuda/ptx"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
[ -x "$NVCC" ] || { echo "build-ptx: nvcc not found (set NVCC=/path/to/nvcc)" >&2; exit 1; }
mkdir -p "$OUT"
read -r -a FLAGS < "$SRC/NVCC_FLAGS"
cd "$SRC"
for cu in *.cu; do
  # a source may name another virtual architecture on its first line ("// nvcc-arch: compute_80")
  arch="$(sed -n '1s|^// nvcc-arch: \(compute_[0-9]*\)$|\1|p' "$cu")"
  flags=("${FLAGS[@]}")
  [ -n "$arch" ] && flags=("${flags[@]/-arch=*/-arch=$arch}")
  "$NVCC" "${flags[@]}" "$cu" -o "$OUT/${cu%.cu}.ptx"
done
# Sources in byte order of their names, so the list is the same on every machine.
LC_ALL=C ls -1 | grep -E '\.(cu|cuh)$|^NVCC_FLAGS$' | LC_ALL=C sort | xargs sha256sum > "$OUT/SOURCES.sha256"
echo "build-ptx: $(ls "$OUT"/*.ptx | wc -l) PTX files in $OUT ($("$NVCC" --version | tail -1))"
