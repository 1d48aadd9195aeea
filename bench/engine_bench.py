#!/usr/bin/env python3
"""Interleaved decode/prefill benchmark of ./llamascope bench over several checkpoints.

Each round runs every checkpoint once, in a fresh JVM (so each round has its own cold figure), after reading
the file once so the page cache holds it (this VM evicts idle file pages after ~30 s). Prints the median of
the rounds' warm and cold figures per checkpoint, and the raw rounds as JSON with --raw.

  python3 bench/engine_bench.py --rounds 7 --threads 2 /tmp/bench/stories15M.bin /tmp/bench/stories110M.bin
"""
import argparse, json, os, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def run_once(path, args):
    with open(path, 'rb') as f:
        while f.read(1 << 24):
            pass
    cmd = [os.path.join(ROOT, 'llamascope'), 'bench', path, '--threads', str(args.threads),
           '--prompt-tokens', str(args.prompt_tokens), '--steps', str(args.steps), '--runs', str(args.runs),
           '--warmup', str(args.warmup), '--json']
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, LLAMASCOPE_NO_BUILD='1'))
    if out.returncode != 0:
        sys.exit(f'bench failed for {path}: {out.stderr}')
    return json.loads(out.stdout.strip().splitlines()[-1])

def main():
    p = argparse.ArgumentParser()
    p.add_argument('models', nargs='+')
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--prompt-tokens', type=int, default=256)
    p.add_argument('--steps', type=int, default=128)
    p.add_argument('--runs', type=int, default=5, help='warm runs inside each JVM')
    p.add_argument('--warmup', type=int, default=3, help='seconds of uncounted rounds after the cold one (JIT compilation)')
    p.add_argument('--raw', action='store_true')
    args = p.parse_args()
    rounds = {m: [] for m in args.models}
    for r in range(args.rounds):
        for m in args.models:
            rounds[m].append(run_once(m, args))
    keys = ['decode_tok_s_warm', 'decode_tok_s_cold', 'prefill_tok_s_warm', 'prefill_tok_s_cold', 'ttft_ms']
    print(f"{'model':40s} " + ' '.join(f'{k:>20s}' for k in keys))
    for m in args.models:
        med = [statistics.median(x[k] for x in rounds[m]) for k in keys]
        print(f"{os.path.basename(m):40s} " + ' '.join(f'{v:20.1f}' for v in med))
    if args.raw:
        print(json.dumps(rounds))

if __name__ == '__main__':
    main()
