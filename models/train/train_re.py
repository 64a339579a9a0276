"""Train ONE relation-classification model (BERT [CLS] -> softmax over all relation labels) on ChemProt
(Chemical|Gene), GAD + EU-ADR fold 1 (Gene|Disease) and BC5CDR CID (Chemical|Disease). Logits of labels not
valid for an instance's pair type are masked to -inf in the loss (and at inference, via config pair_labels).

  python models/train/train_re.py --out models/build/re-fp32 [--resume]
"""
import argparse
import math
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, base_model_dir, base_model_info, length_batches, load_tokenizer, log, setup_torch, write_json  # noqa
from re_data import ENTITY_MASKS, LABELS, PAIR_LABELS, load_re  # noqa

L2I = {l: i for i, l in enumerate(LABELS)}


def pair_mask_vector(pair):
    return [l in PAIR_LABELS[pair] for l in LABELS]


def encode_re(tok, text, max_len):
    """Token ids with [CLS]/[SEP]; if too long, keep a window of word pieces that contains both masks."""
    ids = tok(text, add_special_tokens=False)["input_ids"]
    budget = max_len - 2
    if len(ids) > budget:
        at = tok.convert_tokens_to_ids("@")
        dollar = tok.convert_tokens_to_ids("$")
        mask_pos = [i for i in range(len(ids) - 2) if ids[i] == at and ids[i + 2] == dollar]
        if mask_pos:
            lo, hi = min(mask_pos), max(mask_pos) + 3
            if hi - lo >= budget:
                start = lo
            else:
                extra = budget - (hi - lo)
                start = max(0, min(lo - extra // 2, len(ids) - budget))
        else:
            start = 0
        ids = ids[start:start + budget]
    return [tok.cls_token_id] + ids + [tok.sep_token_id]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(BUILD / "re-fp32"))
    ap.add_argument("--ckpt-dir", default=str(BUILD / "ckpt-re"))
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch-tokens", type=int, default=3072)
    ap.add_argument("--max-bs", type=int, default=32)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=float, default=0.1)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--ckpt-every", type=int, default=200)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--time-budget-min", type=float, default=0,
                    help="wall-clock training budget: LR warms up over --warmup-steps then decays linearly with "
                         "elapsed/budget; training stops when the budget (summed over resumes) is spent or the "
                         "batch plan ends. Robust to a shared, contended CPU.")
    ap.add_argument("--warmup-steps", type=int, default=40)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--benchmark", type=int, default=0)
    args = ap.parse_args()

    torch, dev = setup_torch()
    from transformers import BertConfig, BertForSequenceClassification, get_linear_schedule_with_warmup
    torch.manual_seed(args.seed)
    tok = load_tokenizer()
    inst, extras = load_re("train")
    ex = [(encode_re(tok, i[1], args.max_len), L2I[i[2]], pair_mask_vector(i[0])) for i in inst]
    stats = Counter(f"{i[3]}:{i[2]}" for i in inst)
    lengths = [len(e[0]) for e in ex]
    log(f"examples={len(ex)} {dict(stats)} tokens/epoch={sum(lengths)} mean_len={sum(lengths) / len(lengths):.1f}")

    plan, ep = [], 0
    while ep < math.ceil(args.epochs):
        bs = length_batches(lengths, args.batch_tokens, args.max_bs, random.Random(args.seed * 1000 + ep))
        if ep + 1 > args.epochs:
            bs = bs[: int(len(bs) * (args.epochs - ep))]
        plan += bs
        ep += 1
    total = len(plan) if not args.max_steps else min(args.max_steps, len(plan))
    log(f"total_steps={total}")

    base = base_model_dir()
    cfg = BertConfig.from_pretrained(str(base), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id=L2I)
    model = BertForSequenceClassification.from_pretrained(str(base), config=cfg).to(dev)
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

    def collate(b):
        items = [ex[i] for i in b]
        S = max(len(x[0]) for x in items)
        ids = torch.zeros(len(items), S, dtype=torch.long)
        am = torch.zeros_like(ids)
        for k, (x, _, _) in enumerate(items):
            ids[k, : len(x)] = torch.tensor(x)
            am[k, : len(x)] = 1
        y = torch.tensor([x[1] for x in items])
        valid = torch.tensor([x[2] for x in items], dtype=torch.bool)
        return ids.to(dev), am.to(dev), y.to(dev), valid.to(dev)

    def save_ckpt():
        ckdir.mkdir(parents=True, exist_ok=True)
        tmp = ckdir / "latest.pt.tmp"
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                    "step": step, "elapsed": elapsed_total(), "torch_rng": torch.get_rng_state(), "args": vars(args)}, tmp)
        tmp.replace(ckdir / "latest.pt")
        log(f"checkpoint step={step}")

    clock["t0"] = time.time()
    model.train()
    t_start, s_start, tok_seen, ema = time.time(), step, 0, None
    while step < total and not (args.time_budget_min > 0 and elapsed_total() >= args.time_budget_min * 60):
        ids, am, y, valid = collate(plan[step])
        logits = model(input_ids=ids, attention_mask=am, token_type_ids=torch.zeros_like(ids)).logits
        logits = logits.masked_fill(~valid, float("-inf"))
        loss = torch.nn.functional.cross_entropy(logits, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tok_seen += int(am.sum())
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        if step % 20 == 0 or step == total or (args.benchmark and step - s_start >= args.benchmark):
            el = time.time() - t_start
            rate = (step - s_start) / el
            log(f"step {step}/{total} loss={ema:.4f} lr={sched.get_last_lr()[0]:.2e} {rate:.2f} steps/s "
                f"{tok_seen / el:.0f} tok/s elapsed={el / 60:.1f}m ETA={(min((total - step) / max(rate, 1e-9), args.time_budget_min * 60 - elapsed_total()) if args.time_budget_min > 0 else (total - step) / max(rate, 1e-9)) / 60:.1f}m")
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
        "args": vars(args), "steps": step, "examples": len(ex), "examples_by_corpus_label": dict(stats),
        "chemprot_construction": extras["chemprot_stats"], "final_loss_ema": ema, "labels": LABELS,
        "pair_labels": PAIR_LABELS, "entity_masks": ENTITY_MASKS, "base_model": base_model_info(), "device": dev,
        "train_minutes": elapsed_total() / 60, "epochs_done": round(step / (len(plan) / args.epochs), 3),
    })
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    log(f"saved {out}")


if __name__ == "__main__":
    main()
