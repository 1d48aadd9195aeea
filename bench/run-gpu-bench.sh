#!/usr/bin/env bash
# Training throughput on one GPU, Llamascope's trainer (one CudaTrainer.step per step, and the step as
# `llamascope train --device cuda` runs it through CudaTrainBackend) beside PyTorch eager on the same model, from one run:
# stories15M and stories110M shapes, batch 32 x seq 256, fp32 and TF32. Needs .jre/ and .gl/ (bench/make-gpu-bundle.sh)
# and a python3 with torch (CUDA). STEPS=20 WARMUP=3 SHAPES="stories15M stories110M" override the defaults.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA="${JAVA:-$ROOT/.jre/bin/java}"
[ -x "$JAVA" ] || JAVA=java
PY="${PYTHON:-python3}"
STEPS="${STEPS:-20}"; WARMUP="${WARMUP:-3}"; SHAPES="${SHAPES:-stories15M stories110M}"
CP=".gl/lib/llamascope-engine.jar"
[ -f "$CP" ] || CP="engine/target/llamascope-engine.jar"
LOG="$(mktemp)"
common=(--batch 32 --seq 256 --steps "$STEPS" --warmup "$WARMUP")
for shape in $SHAPES; do
  for prec in fp32 tf32; do
    flag=(); [ "$prec" = tf32 ] && flag=(--tf32)
    "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
      dev.llamascope.engine.cuda.GpuTrainBench --shape "$shape" "${common[@]}" "${flag[@]}" 2>&1 | grep -v '^WARNING: Using incubator' | tee -a "$LOG"
    "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
      dev.llamascope.engine.cuda.GpuTrainBench --shape "$shape" "${common[@]}" "${flag[@]}" --backend 2>&1 | grep -v '^WARNING: Using incubator' | tee -a "$LOG"
    "$PY" bench/torch_bench.py --shape "$shape" "${common[@]}" "${flag[@]}" 2>&1 | tee -a "$LOG"
    "$PY" bench/torch_bench.py --shape "$shape" "${common[@]}" "${flag[@]}" --sdpa 2>&1 | tee -a "$LOG"
  done
done
echo
echo "== tokens/s (batch 32 x 256, median of $STEPS steps after $WARMUP warm-up)"
"$PY" bench/summarize.py < "$LOG"
rm -f "$LOG"
