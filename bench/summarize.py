#!/usr/bin/env python3
"""Reads 'RESULT {json}' lines (from GpuTrainBench and torch_bench.py) on stdin and prints one table."""
import json
import sys

rows = [json.loads(line.split("RESULT ", 1)[1]) for line in sys.stdin if line.startswith("RESULT ")]
print("%-12s %-9s %-16s %10s %9s" % ("shape", "precision", "implementation", "tokens/s", "ms/step"))
for r in rows:
    print("%-12s %-9s %-16s %10d %9.1f" % (r["shape"], r["precision"], r["impl"], r["tokens_per_s"], r["median_ms"]))
