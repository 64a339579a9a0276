"""Train ONE multi-type biomedical NER model (softmax over typed BIO labels) with a partial-label
(marginal likelihood) loss over the union of single-type corpora.

  python models/train/train_ner.py --out models/build/ner-fp32 [--resume]

Loss per first-sub-token: -log sum_{y in allowed(token)} p(y). For a token with a real label the set is
{label} (ordinary cross-entropy); for an O token in a corpus that annotates only types S the set is
{O} U {B-T, I-T : T not in S}. Non-first sub-tokens and specials get no loss (-100 convention).
Checkpoints (model+optimizer+scheduler+step) every --ckpt-every steps to <build>/ckpt-ner/; --resume
continues from the latest one with the same deterministic batch plan.
"""
import argparse
import json
import math
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BUILD, ENTITY_TYPES, NER_L2I, NER_LABELS, allowed_mask, base_model_dir, base_model_info,  # noqa
                    encode_words, length_batches, load_ner_train, load_tokenizer, log, prefill_pieces,
                    setup_torch, write_json)


def build_examples(tok, data, max_len, keep_empty, rng):
    ex = []
    stats = Counter()
    prefill_pieces(tok, [w for _, ws, _ in data for w in ws])
    for corpus, words, labels in data:
        if all(l == "O" for l in labels) and rng.random() > keep_empty.get(corpus, 1.0):
            stats[corpus + ":dropped_empty"] += 1
            continue
        for input_ids, first in encode_words(tok, words, max_len):
            allowed = [None if wi < 0 else allowed_mask(corpus, labels[wi]) for wi in first]
            ex.append((input_ids, allowed))
            stats[corpus] += 1
    return ex, stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(BUILD / "ner-fp32"))
    ap.add_argument("--ckpt-dir", default=str(BUILD / "ckpt-ner"))
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch-tokens", type=int, default=4096)
    ap.add_argument("--max-bs", type=int, default=64)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--max-steps", type=int, default=0, help="cap on optimizer steps (0 = epochs)")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--keep-empty", default="linnaeus=0.25,jnlpba=1.0,bc2gm=0.6",
                    help="fraction of entity-free sentences kept per corpus")
    ap.add_argument("--ckpt-every", type=int, default=200)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--time-budget-min", type=float, default=0,
                    help="wall-clock training budget: LR warms up over --warmup-steps then decays linearly with "
                         "elapsed/budget; training stops when the budget (summed over resumes) is spent or the "
                         "batch plan ends. Robust to a shared, contended CPU.")
    ap.add_argument("--warmup-steps", type=int, default=40)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--benchmark", type=int, default=0, help="only time N steps and exit")
    args = ap.parse_args()

    torch, dev = setup_torch()
    from transformers import BertConfig, BertForTokenClassification, get_linear_schedule_with_warmup
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    keep_empty = {k: float(v) for k, v in (x.split("=") for x in args.keep_empty.split(",") if x)}

    tok = load_tokenizer()
    t0 = time.time()
    data = load_ner_train("train")
    ex, stats = build_examples(tok, data, args.max_len, keep_empty, rng)
    log(f"examples={len(ex)} stats={dict(stats)} prep={time.time() - t0:.1f}s")
    lengths = [len(e[0]) for e in ex]
    log(f"tokens/epoch={sum(lengths)} mean_len={sum(lengths) / len(lengths):.1f}")

    # deterministic batch plan for all epochs
    plan = []
    ep = 0
    while ep < math.ceil(args.epochs):
        bs = length_batches(lengths, args.batch_tokens, args.max_bs, random.Random(args.seed * 1000 + ep))
        if ep + 1 > args.epochs:  # fractional last epoch
            bs = bs[: int(len(bs) * (args.epochs - ep))]
        plan += bs
        ep += 1
    total = len(plan) if not args.max_steps else min(args.max_steps, len(plan))
    log(f"batches/epoch~{len(plan) / max(args.epochs, 1e-9):.0f} total_steps={total}")

    base = base_model_dir()
    cfg = BertConfig.from_pretrained(str(base), num_labels=len(NER_LABELS),
                                     id2label={i: l for i, l in enumerate(NER_LABELS)}, label2id=NER_L2I)
    model = BertForTokenClassification.from_pretrained(str(base), config=cfg).to(dev)
    no_decay = ["bias", "LayerNorm.weight"]
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)],
         "weight_decay": args.weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr)
    clock = {"prev": 0.0, "t0": time.time()}

    def elapsed_total():
        return clock["prev"] + time.time() - clock["t0"]

    if args.time_budget_min > 0:
        budget_s = args.time_budget_min * 60

        def lr_factor(st):
            w = min(1.0, (st + 1) / max(1, args.warmup_steps))
            return w * max(0.0, 1.0 - elapsed_total() / budget_s)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    else:
        sched = get_linear_schedule_with_warmup(opt, int(args.warmup * total), total)
    step = 0
    ckdir = Path(args.ckpt_dir)
    if args.resume and (ckdir / "latest.pt").exists():
        st = torch.load(ckdir / "latest.pt", map_location=dev, weights_only=False)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["optimizer"])
        sched.load_state_dict(st["scheduler"])
        step = st["step"]
        clock["prev"] = st.get("elapsed", 0.0)
        torch.set_rng_state(st["torch_rng"])
        log(f"resumed from step {step}")

    L = len(NER_LABELS)

    def collate(batch_idx):
        items = [ex[i] for i in batch_idx]
        S = max(len(it[0]) for it in items)
        B = len(items)
        ids = torch.zeros(B, S, dtype=torch.long)
        am = torch.zeros(B, S, dtype=torch.long)
        allow = torch.zeros(B, S, L, dtype=torch.bool)
        valid = torch.zeros(B, S, dtype=torch.bool)
        for b, (input_ids, allowed) in enumerate(items):
            ids[b, : len(input_ids)] = torch.tensor(input_ids)
            am[b, : len(input_ids)] = 1
            for s, a in enumerate(allowed):
                if a is not None:
                    valid[b, s] = True
                    allow[b, s, a] = True
        return ids.to(dev), am.to(dev), allow.to(dev), valid.to(dev)

    def partial_loss(logits, allow, valid):
        lg = logits[valid]
        al = allow[valid]
        lse_all = torch.logsumexp(lg, -1)
        lse_allowed = torch.logsumexp(lg.masked_fill(~al, float("-inf")), -1)
        return (lse_all - lse_allowed).mean()

    def save_ckpt():
        ckdir.mkdir(parents=True, exist_ok=True)
        tmp = ckdir / "latest.pt.tmp"
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                    "step": step, "elapsed": elapsed_total(), "torch_rng": torch.get_rng_state(), "args": vars(args)}, tmp)
        tmp.replace(ckdir / "latest.pt")
        log(f"checkpoint step={step} -> {ckdir / 'latest.pt'}")

    clock["t0"] = time.time()
    model.train()
    t_start = time.time()
    s_start = step
    tok_seen = 0
    ema = None
    while step < total and not (args.time_budget_min > 0 and elapsed_total() >= args.time_budget_min * 60):
        ids, am, allow, valid = collate(plan[step])
        tt = torch.zeros_like(ids)
        out = model(input_ids=ids, attention_mask=am, token_type_ids=tt)
        loss = partial_loss(out.logits, allow, valid)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tok_seen += int(am.sum())
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if step % 20 == 0 or step == total or (args.benchmark and step - s_start >= args.benchmark):
            el = time.time() - t_start
            rate = (step - s_start) / el
            eta = (total - step) / max(rate, 1e-9)
            if args.time_budget_min > 0:
                eta = min(eta, args.time_budget_min * 60 - elapsed_total())
            log(f"step {step}/{total} loss={ema:.4f} lr={sched.get_last_lr()[0]:.2e} "
                f"{rate:.2f} steps/s {tok_seen / el:.0f} tok/s elapsed={el / 60:.1f}m ETA={eta / 60:.1f}m")
        if args.benchmark and step - s_start >= args.benchmark:
            return
        if step % args.ckpt_every == 0 and step < total:
            save_ckpt()

    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    model.save_pretrained(tmp)
    shutil.copy(base / "vocab.txt", tmp / "vocab.txt")
    write_json(tmp / "training_info.json", {
        "args": vars(args), "steps": step, "examples": len(ex), "examples_by_corpus": dict(stats),
        "final_loss_ema": ema, "labels": NER_LABELS, "entity_types": ENTITY_TYPES, "base_model": base_model_info(),
        "device": dev, "train_minutes": elapsed_total() / 60, "epochs_done": round(step / (len(plan) / args.epochs), 3),
    })
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    log(f"saved {out}")


if __name__ == "__main__":
    main()
