"""The training loop both models share: a deterministic length-bucketed batch plan, AdamW with the usual
no-decay groups, a step- or wall-clock-budget learning-rate schedule, checkpoints that resume exactly, and
continuation stages (start from an earlier stage's weights at the point of the plan where it stopped).

A task supplies the model, a collate(batch_indices) -> dict of tensors and a loss(model, batch) -> scalar;
the rest is here so NER and RE train the same way.
"""
import math
import random
import shutil
import time
from pathlib import Path

from common import length_batches, log, read_json, write_json


def add_training_args(ap, *, out, ckpt_dir, batch_tokens, max_bs, epochs, warmup):
    ap.add_argument("--out", default=out)
    ap.add_argument("--ckpt-dir", default=ckpt_dir)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch-tokens", type=int, default=batch_tokens)
    ap.add_argument("--max-bs", type=int, default=max_bs)
    ap.add_argument("--epochs", type=float, default=epochs, help="length of the batch plan, in epochs")
    ap.add_argument("--max-steps", type=int, default=0, help="cap on optimizer steps (0 = the whole plan)")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=float, default=warmup, help="warm-up fraction of a step-based schedule")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--ckpt-every", type=int, default=100)
    ap.add_argument("--resume", action="store_true", help="continue from <ckpt-dir>/latest.pt if present")
    ap.add_argument("--time-budget-min", type=float, default=0,
                    help="wall-clock budget: LR warms up over --warmup-steps, then decays linearly with "
                         "elapsed/budget; training stops when the budget (summed over resumes) is spent or the "
                         "plan ends. Robust to a shared, contended CPU.")
    ap.add_argument("--warmup-steps", type=int, default=40)
    ap.add_argument("--init-from", default="",
                    help="continuation stage: start from this saved model (a previous stage's --out) instead of "
                         "the base weights, at the step of the batch plan where that stage stopped")
    ap.add_argument("--bf16", action="store_true",
                    help="bf16 autocast for forward/backward (fp32 master weights); ~2.8x faster on CPUs with "
                         "AVX-512 BF16, and on GPUs")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--benchmark", type=int, default=0, help="only time N steps and exit")


def batch_plan(lengths, args):
    """Batches for every epoch, each epoch shuffled with its own seed, so a plan of 4 epochs starts with the
    same batches as a plan of 1.5: a continuation stage sees the data the earlier stage had not reached."""
    plan, ep = [], 0
    while ep < math.ceil(args.epochs):
        bs = length_batches(lengths, args.batch_tokens, args.max_bs, random.Random(args.seed * 1000 + ep))
        if ep + 1 > args.epochs:  # fractional last epoch
            bs = bs[: int(len(bs) * (args.epochs - ep))]
        plan += bs
        ep += 1
    return plan


def train(torch, dev, model, args, *, lengths, collate, loss_fn, info, vocab, ema_decay=0.98, do_lower_case=True):
    """Runs the plan from the right step (resume > continuation > 0) and saves the model to args.out with
    vocab.txt, tokenizer_config.json (its casing) and training_info.json (info + what this run did + the stage
    it continued from)."""
    plan = batch_plan(lengths, args)
    per_epoch = len(plan) / max(args.epochs, 1e-9)
    total = len(plan) if not args.max_steps else min(args.max_steps, len(plan))

    previous_stage = None
    start = 0
    if args.init_from:
        src = Path(args.init_from)
        model.load_state_dict(type(model).from_pretrained(str(src)).state_dict())
        previous_stage = read_json(src / "training_info.json")
        start = previous_stage["plan_end"] if "plan_end" in previous_stage else previous_stage["steps"]
        log(f"continuing from {src} at plan step {start}")
    log(f"batches/epoch~{per_epoch:.0f} plan={total} start={start}")

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
        from transformers import get_linear_schedule_with_warmup
        sched = get_linear_schedule_with_warmup(opt, int(args.warmup * (total - start)), total - start)

    step = start  # position in the plan
    ckdir = Path(args.ckpt_dir)
    if args.resume and (ckdir / "latest.pt").exists():
        st = torch.load(ckdir / "latest.pt", map_location=dev, weights_only=False)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["optimizer"])
        sched.load_state_dict(st["scheduler"])
        step = st["step"]
        clock["prev"] = st.get("elapsed", 0.0)
        torch.set_rng_state(st["torch_rng"])
        log(f"resumed from checkpoint at plan step {step}")

    def save_ckpt():
        ckdir.mkdir(parents=True, exist_ok=True)
        tmp = ckdir / "latest.pt.tmp"
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                    "step": step, "elapsed": elapsed_total(), "torch_rng": torch.get_rng_state(),
                    "args": vars(args)}, tmp)
        tmp.replace(ckdir / "latest.pt")
        log(f"checkpoint step={step} -> {ckdir / 'latest.pt'}")

    def budget_left():
        return args.time_budget_min <= 0 or elapsed_total() < args.time_budget_min * 60

    clock["t0"] = time.time()
    model.train()
    t_start, s_start, tok_seen, ema = time.time(), step, 0, None
    import contextlib
    autocast = (lambda: torch.autocast("cuda" if dev == "cuda" else "cpu", dtype=torch.bfloat16)) \
        if getattr(args, "bf16", False) else contextlib.nullcontext
    while step < total and budget_left():
        batch = collate(plan[step])
        with autocast():
            loss = loss_fn(model, batch).float()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tok_seen += int(batch["attention_mask"].sum())
        ema = loss.item() if ema is None else ema_decay * ema + (1 - ema_decay) * loss.item()
        done_bench = args.benchmark and step - s_start >= args.benchmark
        if step % 20 == 0 or step == total or done_bench:
            el = time.time() - t_start
            rate = (step - s_start) / el
            eta = (total - step) / max(rate, 1e-9)
            if args.time_budget_min > 0:
                eta = min(eta, args.time_budget_min * 60 - elapsed_total())
            log(f"step {step}/{total} epoch={step / per_epoch:.2f} loss={ema:.4f} lr={sched.get_last_lr()[0]:.2e} "
                f"{rate:.2f} steps/s {tok_seen / el:.0f} tok/s elapsed={el / 60:.1f}m ETA={eta / 60:.1f}m")
        if done_bench:
            return None
        if step % args.ckpt_every == 0 and step < total:
            save_ckpt()

    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    model.save_pretrained(tmp)
    shutil.copy(vocab, tmp / "vocab.txt")
    # the casing goes with the vocabulary: eval, export and litmine read it from here (common.model_casing)
    write_json(tmp / "tokenizer_config.json", {"tokenizer_class": "BertTokenizer", "do_lower_case": do_lower_case,
                                               "strip_accents": None if do_lower_case else False})
    write_json(tmp / "training_info.json", {
        **info, "args": vars(args), "plan_start": start, "plan_end": step, "steps": step - start,
        "final_loss_ema": ema, "device": dev, "train_minutes": elapsed_total() / 60,
        "epochs_done": round(step / per_epoch, 3),
        "previous_stage": previous_stage,
    })
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    log(f"saved {out}")
    return out
