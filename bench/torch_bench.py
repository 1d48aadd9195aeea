#!/usr/bin/env python3
"""PyTorch eager reference for Llamascope's GPU trainer: the same Llama-2 model (llama2.c's numerics: RMSNorm eps 1e-5,
RoPE on interleaved pairs, causal softmax attention with GQA, SwiGLU, classifier shared with the embedding), trained
with the same step (mean cross-entropy, clip_grad_norm_ 1.0, AdamW betas (0.9, 0.95), eps 1e-8, weight decay 0.1 on
matrices and the embedding only), on random weights and random tokens. Prints the median step time and tokens/s, then
a line 'RESULT {json}' that run-gpu-bench.sh collects.

    python3 bench/torch_bench.py --shape stories110M --batch 32 --seq 256 --steps 20 [--tf32] [--sdpa]

--sdpa uses F.scaled_dot_product_attention (fused attention kernels); without it attention is written out with
plain tensor operations (what "eager" means for the comparison).
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SHAPES = {
    "stories260K": dict(dim=64, hidden=172, layers=5, heads=8, kv_heads=4, vocab=512),
    "stories15M": dict(dim=288, hidden=768, layers=6, heads=6, kv_heads=6, vocab=32000),
    "stories42M": dict(dim=512, hidden=1376, layers=8, heads=8, kv_heads=8, vocab=32000),
    "stories110M": dict(dim=768, hidden=2048, layers=12, heads=12, kv_heads=12, vocab=32000),
}


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(head_dim, seq, device, theta=10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, head_dim, 2, device=device).float() / head_dim))
    angles = torch.outer(torch.arange(seq, device=device).float(), freqs)
    return torch.cos(angles), torch.sin(angles)  # [T, head_dim / 2]


def apply_rope(x, cos, sin):
    """x: [B, T, H, hd]; rotates the interleaved pairs (x[2i], x[2i+1]) as llama2.c's run.c does."""
    x0, x1 = x[..., 0::2], x[..., 1::2]
    c, s = cos[None, :, None, :], sin[None, :, None, :]
    return torch.stack((x0 * c - x1 * s, x0 * s + x1 * c), dim=-1).flatten(-2)


class Attention(nn.Module):
    def __init__(self, dim, heads, kv_heads, sdpa):
        super().__init__()
        self.heads, self.kv_heads, self.hd, self.sdpa = heads, kv_heads, dim // heads, sdpa
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, kv_heads * self.hd, bias=False)
        self.wv = nn.Linear(dim, kv_heads * self.hd, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, _ = x.shape
        q = apply_rope(self.wq(x).view(B, T, self.heads, self.hd), cos, sin)
        k = apply_rope(self.wk(x).view(B, T, self.kv_heads, self.hd), cos, sin)
        v = self.wv(x).view(B, T, self.kv_heads, self.hd)
        if self.kv_heads != self.heads:  # query head h reads kv head h // (heads / kv_heads)
            rep = self.heads // self.kv_heads
            k, v = k.repeat_interleave(rep, dim=2), v.repeat_interleave(rep, dim=2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)  # [B, H, T, hd]
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.hd))
            att = att.masked_fill(mask[:T, :T], float("-inf")).softmax(dim=-1)
            y = att @ v
        return self.wo(y.transpose(1, 2).reshape(B, T, -1))


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    def __init__(self, s, sdpa):
        super().__init__()
        self.attention_norm = RMSNorm(s["dim"])
        self.attention = Attention(s["dim"], s["heads"], s["kv_heads"], sdpa)
        self.ffn_norm = RMSNorm(s["dim"])
        self.feed_forward = FeedForward(s["dim"], s["hidden"])

    def forward(self, x, cos, sin, mask):
        x = x + self.attention(self.attention_norm(x), cos, sin, mask)
        return x + self.feed_forward(self.ffn_norm(x))


class Llama(nn.Module):
    def __init__(self, s, seq, sdpa, device):
        super().__init__()
        self.tok_embeddings = nn.Embedding(s["vocab"], s["dim"])
        self.layers = nn.ModuleList(Block(s, sdpa) for _ in range(s["layers"]))
        self.norm = RMSNorm(s["dim"])
        self.output = nn.Linear(s["dim"], s["vocab"], bias=False)
        self.output.weight = self.tok_embeddings.weight  # shared classifier
        cos, sin = rope_tables(s["dim"] // s["heads"], seq, device)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        self.register_buffer("mask", torch.triu(torch.ones(seq, seq, dtype=torch.bool, device=device), 1), persistent=False)
        for name, p in self.named_parameters():  # llama2.c's model.py: N(0, 0.02), norms at 1
            if p.dim() >= 2:
                nn.init.normal_(p, mean=0.0, std=0.02)

    def forward(self, tokens, targets):
        T = tokens.shape[1]
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h, self.cos[:T], self.sin[:T], self.mask)
        logits = self.output(self.norm(h))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shape", default="stories15M", choices=sorted(SHAPES))
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--tf32", action="store_true", help="TF32 tensor-core matrix multiplies (default: strict fp32)")
    ap.add_argument("--sdpa", action="store_true", help="fused scaled_dot_product_attention instead of written-out attention")
    ap.add_argument("--fused-adamw", action="store_true", help="torch.optim.AdamW(fused=True) instead of the default (foreach)")
    args = ap.parse_args()

    if not torch.cuda.is_available():
        raise SystemExit("torch_bench: no CUDA device visible to PyTorch")
    device = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.set_float32_matmul_precision("high" if args.tf32 else "highest")
    torch.manual_seed(1)

    s = SHAPES[args.shape]
    model = Llama(s, args.seq, args.sdpa, device).to(device)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95), eps=1e-8, fused=args.fused_adamw or None)
    params = sum(p.numel() for p in model.parameters())

    times, loss = [], float("nan")
    for i in range(args.warmup + args.steps):
        x = torch.randint(0, s["vocab"], (args.batch, args.seq), device=device)
        y = torch.randint(0, s["vocab"], (args.batch, args.seq), device=device)
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        l = model(x, y)
        l.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        loss = l.item()  # waits for the step, as Llamascope's step downloads its loss
        if i >= args.warmup:
            times.append((time.perf_counter() - t0) * 1000)

    median = statistics.median(times)
    tok_s = args.batch * args.seq / (median / 1000)
    precision = "tf32" if args.tf32 else "fp32"
    variant = "sdpa" if args.sdpa else "eager"
    print(f"pytorch-{variant} {args.shape} {precision}: {params} params, batch {args.batch} x {args.seq}, "
          f"torch {torch.__version__} on {torch.cuda.get_device_name()}")
    print(f"  step median {median:.1f} ms (mean {statistics.mean(times):.1f}), {tok_s:.0f} tokens/s, loss {loss:.3f}, "
          f"peak memory {torch.cuda.max_memory_allocated() / 2**30:.2f} GiB")
    print("RESULT " + json.dumps({"impl": f"pytorch-{variant}", "shape": args.shape, "precision": precision,
                                  "batch": args.batch, "seq": args.seq, "median_ms": round(median, 2),
                                  "tokens_per_s": round(tok_s)}))


if __name__ == "__main__":
    main()
