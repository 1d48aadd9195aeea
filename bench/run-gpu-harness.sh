#!/usr/bin/env bash
# The GPU verification harness, on a machine with an NVIDIA GPU (run bench/make-gpu-bundle.sh first where there is a
# JDK; this needs only .jre/ and .gl/): the devices probe, every kernel against the CPU references with their maximum
# errors (fp32 and TF32), and the golden fine-tune on the GPU (fp32 with cuBLAS, fp32 with our tiled kernel, TF32).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA="${JAVA:-$ROOT/.jre/bin/java}"
[ -x "$JAVA" ] || JAVA=java
export LLAMASCOPE_SHARED="${LLAMASCOPE_SHARED:-$ROOT/.gl/shared}"
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
CP=".gl/lib/llamascope-engine.jar:.gl/lib/llamascope-engine-tests.jar"

echo "== devices"
"$JAVA" "${FLAGS[@]}" -cp "$CP" dev.llamascope.engine.cuda.DevicesMain 2>&1 | grep -v '^WARNING: Using incubator'
echo "== GPU kernel checks and golden run"
"$JAVA" "${FLAGS[@]}" -jar .gl/lib/junit-platform-console-standalone-*.jar execute \
  --class-path "$CP" --select-class dev.llamascope.engine.cuda.GpuKernelsTest --select-class dev.llamascope.engine.cuda.GpuGoldenTest \
  --select-class dev.llamascope.engine.cuda.GpuTrainBackendTest \
  --details=tree --disable-banner --disable-ansi-colors 2>&1 | grep -v '^WARNING: Using incubator'
