#!/usr/bin/env bash
# Prepares, on a machine WITH a JDK 25 and Maven access, everything a GPU machine WITHOUT a JDK needs to run the GPU
# harness and the benchmark, in the two folders the device tool carries (both git-ignored):
#   .jre/  a jlink runtime (java.base, jdk.incubator.vector, ... : ~45 MB)
#   .gl/   the engine jar, the engine test jar, the app jar (the command line), JUnit's console launcher, and the few
#          shared/ files the golden run and the command-line check read
# Then run bench/run-gpu-harness.sh and bench/run-gpu-bench.sh on the GPU machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. bin/find-jdk.sh
JUNIT_CONSOLE_VERSION="${JUNIT_CONSOLE_VERSION:-1.13.4}"
SHARED="${LLAMASCOPE_SHARED:-$ROOT/../shared}"

./mvnw -q -B package -DskipTests
rm -rf .gl .jre
mkdir -p .gl/lib
cp engine/target/llamascope-engine.jar engine/target/llamascope-engine-tests.jar app/target/llamascope-app.jar .gl/lib/
./mvnw -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:"$JUNIT_CONSOLE_VERSION" -DoutputDirectory=.gl/lib

# The golden run's inputs (never committed; the harness finds them through LLAMASCOPE_SHARED=.gl/shared).
for f in golden/stories260K-finetune/golden.json golden/stories260K-finetune/grads_step0.bin \
         golden/stories260K-finetune/weights_final.bin models/stories260K/stories260K.bin data/tinystories-sample.tok512.u16 \
         models/stories260K/tok512.bin data/tinystories-sample.txt tokenizers/llama2/tokenizer.bin; do
  if [ -f "$SHARED/$f" ]; then mkdir -p ".gl/shared/$(dirname "$f")"; cp "$SHARED/$f" ".gl/shared/$f"; fi
done

# The modules the engine and JUnit's console use, plus what the app may add (HTTP server); compressed to stay far
# below the device tool's 64 MiB for carried folders.
MODS="java.base,java.logging,java.xml,jdk.unsupported,jdk.incubator.vector,jdk.httpserver"
"$JAVA_HOME/bin/jlink" --add-modules "$MODS" --compress=zip-9 --strip-debug --no-header-files --no-man-pages --output .jre
echo "make-gpu-bundle: .jre ($(du -sh .jre | cut -f1), modules $MODS) and .gl ($(du -sh .gl | cut -f1)) ready"
