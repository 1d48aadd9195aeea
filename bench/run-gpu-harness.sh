#!/usr/bin/env bash
# The GPU verification harness, on a machine with an NVIDIA GPU (run bench/make-gpu-bundle.sh first where there is a
# JDK; this needs only .jre/ and .gl/): the devices probe, every kernel against the CPU references with their maximum
# errors (fp32 and TF32), the golden fine-tune on the GPU (fp32 with cuBLAS, fp32 with our tiled kernel, TF32), and
# the command line a user runs: `llamascope train --device cuda` beside `--device cpu` on stories260K (losses side by
# side), `generate` from the checkpoint the GPU run saved, and a stories110M-shape run from scratch with TF32.
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

S="$LLAMASCOPE_SHARED"; TMP="$(mktemp -d)"
APP=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp ".gl/lib/llamascope-app.jar:.gl/lib/llamascope-engine.jar" dev.llamascope.app.Main)
echo "== llamascope devices"
"$JAVA" "${APP[@]}" devices 2>&1 | grep -v '^WARNING'
echo "== llamascope train: the same fine-tune on the CPU and on the GPU (stories260K, grouped-query heads)"
for dev in cpu cuda; do
  "$JAVA" "${APP[@]}" train --init "$S/models/stories260K/stories260K.bin" --data "$S/data/tinystories-sample.tok512.u16" \
    --batch 8 --seq 128 --steps 6 --lr 1e-3 --eval-every 3 --dropout 0.1 --device "$dev" --save "$TMP/ft-$dev.bin" 2>&1 \
    | grep -v '^WARNING' | tee "$TMP/$dev.log"
done
steps() { grep '^step' "$1" | grep -o 'loss [0-9.]*\( | eval [0-9.]*\)\?\( | lr [^|]*\)\?| grad norm [0-9.]*'; }
paste <(steps "$TMP/cpu.log") <(steps "$TMP/cuda.log") | sed 's/^/cpu: /; s/\t/   cuda: /'
echo "== llamascope generate from the checkpoint the GPU run saved"
"$JAVA" "${APP[@]}" generate "$TMP/ft-cuda.bin" -z "$S/models/stories260K/tok512.bin" -n 60 -t 0 2>&1 | grep -v '^WARNING'
echo "== llamascope train --init stories110M (from scratch), batch 32 x 256, TF32"
"$JAVA" "${APP[@]}" train --init stories110M --data "$S/data/tinystories-sample.txt" -z "$S/tokenizers/llama2/tokenizer.bin" \
  --batch 32 --seq 256 --steps 30 --lr 3e-4 --device cuda --tf32 2>&1 | grep -v '^WARNING' | grep -v '^step \([0-9]\|1[0-9]\|2[0-5]\)/'
rm -rf "$TMP"
