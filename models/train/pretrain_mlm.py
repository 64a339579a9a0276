"""Continued masked-LM pre-training (BioBERT's domain-adaptive step) of a BERT checkpoint on a text corpus.

--corpus: a folder of one-sentence-per-line shards (build_mlm_corpus.py or `litmine corpus export`); --init: a
transformers BertForMaskedLM folder (e.g. models/build/bert-base-cased); --out: where checkpoints, the log of
evaluations and the resulting model folder go. Whole-word masking (15%, 80/10/10), sequences packed to
--seq-len pieces, AdamW with warm-up and linear decay over the planned steps, bf16 autocast on CPU with fp32
master weights, gradient accumulation, a checkpoint every --ckpt-minutes that --resume continues exactly
(model, optimizer, scheduler, data position, RNG), and the held-out MLM loss / perplexity before training and
at every checkpoint. The model folder in --out is rewritten at each checkpoint, so fine-tuning can start from
it at any time.
"""
import argparse
import contextlib
import hashlib
import json
import math
import os
import shutil
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lora as L  # noqa: E402
import mlm_data as D  # noqa: E402
from common import log, write_json  # noqa: E402


def args_parser():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint/latest.pt if present")
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--micro-batch", type=int, default=16, help="sequences per forward/backward")
    ap.add_argument("--accum", type=int, default=4, help="micro-batches per optimizer step")
    ap.add_argument("--epochs", type=float, default=1.0, help="planned length, in passes over the corpus")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many optimizer steps (plan unchanged)")
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--warmup", type=float, default=0.06, help="warm-up fraction of the planned steps")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--mask-prob", type=float, default=0.15)
    ap.add_argument("--ckpt-minutes", type=float, default=10.0)
    ap.add_argument("--log-every", type=int, default=1, help="optimizer steps between log lines")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("LITMINE_THREADS", 2)))
    ap.add_argument("--no-bf16", action="store_true", help="fp32 compute (bf16 autocast is used on CPU otherwise)")
    ap.add_argument("--limit-docs", type=int, default=0, help="only the first N documents (smoke tests)")
    ap.add_argument("--eval-batch", type=int, default=32)
    ap.add_argument("--eval-seqs", type=int, default=128,
                    help="held-out sequences scored at each checkpoint (a fixed subset; the whole held-out set is "
                         "scored before training and at the end)")
    ap.add_argument("--eval-only", action="store_true", help="held-out loss/perplexity of --init, then exit")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--lora", type=int, default=0, metavar="R",
                    help="train low-rank adapters of rank R (plus LayerNorms and the MLM head's transform) instead "
                         "of every weight; the delta goes to --adapter-out, checkpoints hold only what is trained")
    ap.add_argument("--lora-alpha", type=float, default=32.0)
    ap.add_argument("--lora-dropout", type=float, default=0.05)
    ap.add_argument("--adapter-out", help="with --lora: the delta's folder (e.g. models/adapters/bio)")
    ap.add_argument("--adapter-name", default="bio")
    ap.add_argument("--continue-from-delta", metavar="DIR",
                    help="with --lora: start from a committed delta of this run's kind (e.g. models/adapters/bio) at the "
                         "optimizer step it reached, so a fresh machine continues a step that ended in a commit; the "
                         "data order goes on from there, the AdamW moments start again")
    ap.add_argument("--time-budget-min", type=float, default=0.0,
                    help="stop (and save) after this many minutes of training in this run; 0 = no limit")
    return ap


def fingerprint(paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}".encode())
        with open(p, "rb") as f:
            h.update(f.read(1 << 16))
    return h.hexdigest()[:16]


class Run:
    def __init__(self, args):
        import torch
        from transformers import AutoTokenizer, BertForMaskedLM
        torch.set_num_threads(args.threads)
        torch.manual_seed(args.seed)  # dropout; a resumed run restores the RNG state saved in its checkpoint
        with contextlib.suppress(RuntimeError):
            torch.set_num_interop_threads(1)
        self.torch, self.args = torch, args
        self.dev = "cuda" if torch.cuda.is_available() else "cpu"
        self.out = Path(args.out)
        self.ckpt = self.out / "checkpoint" / "latest.pt"
        self.tok = AutoTokenizer.from_pretrained(args.init)
        if self.tok.tokenize("Paris")[0] != "Paris" and not self.tok.init_kwargs.get("do_lower_case", True):
            raise SystemExit("tokenizer does not keep case but says it should")
        self.model = BertForMaskedLM.from_pretrained(args.init)
        if args.lora:
            if not args.adapter_out:
                raise SystemExit("--lora needs --adapter-out")
            # the MLM decoder is tied to the word embeddings, which stay frozen; its bias and transform train
            L.add_adapters(self.model, self.model.bert.encoder, args.lora, args.lora_alpha, args.lora_dropout,
                           heads=L.MLM_HEAD)
            log(f"LoRA r={args.lora} alpha={args.lora_alpha:g}: {L.trainable_counts(self.model)}")
        self.continued = self._load_committed_delta(args) if args.continue_from_delta else None
        self.model.to(self.dev)
        self.rand_range = D.random_range(self.tok)

        train_files, held_file = D.corpus_files(Path(args.corpus))
        if not train_files:
            raise SystemExit(f"no training shards in {args.corpus}")
        self.corpus_id = fingerprint(train_files + ([held_file] if held_file else []))
        t0 = time.time()
        docs = D.read_documents(train_files, args.limit_docs)
        self.ids, self.ws = D.pack(self.tok, docs, args.seq_len)
        held_docs = D.read_documents([held_file], args.limit_docs) if held_file else []
        self.h_ids, self.h_ws = D.pack(self.tok, held_docs, args.seq_len)
        self.n_pieces = int(sum(len(x) for x in self.ids))
        log(f"corpus {args.corpus} ({self.corpus_id}): {len(docs):,} documents -> {len(self.ids):,} sequences "
            f"of <= {args.seq_len} pieces ({self.n_pieces:,} pieces); held out {len(self.h_ids):,} sequences "
            f"({time.time() - t0:.0f}s)")

        per_step = args.micro_batch * args.accum
        self.planned = max(1, math.ceil(len(self.ids) * args.epochs / per_step))
        self.autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if self.dev == "cpu" and \
            not args.no_bf16 else (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if self.dev == "cuda" \
            else contextlib.nullcontext

    def _load_committed_delta(self, args):
        """The committed delta's trained tensors put back into the adapters, after checking it fits this run."""
        import rebuild_teacher as RT
        if not args.lora:
            raise SystemExit("--continue-from-delta needs --lora")
        state, man = L.load_delta(Path(args.continue_from_delta))
        if man.get("task") != "mlm":
            raise SystemExit(f"{args.continue_from_delta} is a {man.get('task')} delta, not a masked-LM one")
        if (man["lora"]["r"], man["lora"]["alpha"]) != (args.lora, args.lora_alpha):
            raise SystemExit(f"{args.continue_from_delta} has r={man['lora']['r']} alpha={man['lora']['alpha']}, "
                             f"this run r={args.lora} alpha={args.lora_alpha}")
        if man["base_sha256"] != RT.base_sha256(Path(args.init)):
            raise SystemExit(f"{args.continue_from_delta} is for another base than {args.init}")
        params = dict(self.model.named_parameters())
        missing = [n for n in state if n not in params or params[n].shape != state[n].shape]
        if missing:
            raise SystemExit(f"{args.continue_from_delta}: {len(missing)} tensors fit no trained parameter "
                             f"({', '.join(missing[:3])})")
        with self.torch.no_grad():
            for n, t in state.items():
                params[n].copy_(t.float())
        log(f"continuing {man['name']} ({man['sha256'][:12]}…) from step {man['compute']['optimizer_steps']}, "
            f"{man['compute']['pieces_seen']:,} pieces seen")
        return man

    # ------------------------------------------------------------ data order
    def micro_batch(self, g: int):
        """Sequences of micro-batch number g (over all epochs): epoch e is its own seeded permutation."""
        n, mb = len(self.ids), self.args.micro_batch
        out, pos = [], g * mb
        while len(out) < mb:
            e, i = divmod(pos, n)
            perm = self._perm(e)
            out.append(perm[i])
            pos += 1
        rng = __import__("numpy").random.default_rng([self.args.seed, 1, g])
        return D.mask_batch([self.ids[k] for k in out], [self.ws[k] for k in out], rng, self.tok, self.rand_range,
                            self.args.mask_prob)

    _perm_cache = {}

    def _perm(self, e):
        if e not in self._perm_cache:
            import numpy as np
            self._perm_cache.clear()
            self._perm_cache[e] = np.random.default_rng([self.args.seed, 0, e]).permutation(len(self.ids))
        return self._perm_cache[e]

    # ------------------------------------------------------------ model
    def mlm_loss(self, inp, att, lab):
        """Loss over the predicted pieces only: the vocabulary projection runs on those rows, not all 128."""
        torch = self.torch
        inp, att, lab = (torch.from_numpy(x).to(self.dev) for x in (inp, att, lab))
        with self.autocast():
            hidden = self.model.bert(input_ids=inp, attention_mask=att).last_hidden_state
            sel = lab != -100
            logits = self.model.cls(hidden[sel])
        return torch.nn.functional.cross_entropy(logits.float(), lab[sel], reduction="sum"), int(sel.sum())

    def evaluate(self, subset: bool):
        """Held-out masked-LM loss (mean over predicted pieces) and perplexity, on the whole held-out set or its
        first --eval-seqs sequences; the masks are fixed by the seed, so every evaluation scores the same task."""
        import numpy as np
        torch = self.torch
        n_seq = min(len(self.h_ids), self.args.eval_seqs) if subset else len(self.h_ids)
        if not n_seq:
            return None
        self.model.eval()
        tot, n, t0 = 0.0, 0, time.time()
        bs = self.args.eval_batch
        with torch.no_grad():
            for k in range(0, n_seq, bs):
                rng = np.random.default_rng([self.args.seed, 2, k])
                inp, att, lab = D.mask_batch(self.h_ids[k:min(k + bs, n_seq)], self.h_ws[k:min(k + bs, n_seq)],
                                             rng, self.tok, self.rand_range, self.args.mask_prob)
                loss, m = self.mlm_loss(inp, att, lab)
                tot += loss.item()
                n += m
        self.model.train()
        loss = tot / max(n, 1)
        return {"set": f"heldout[:{n_seq}]" if subset else "heldout", "sequences": n_seq, "loss": round(loss, 5),
                "perplexity": round(math.exp(loss), 3), "predicted_pieces": n, "seconds": round(time.time() - t0, 1)}


def main():
    args = args_parser().parse_args()
    run = Run(args)
    torch, model, out = run.torch, run.model, run.out
    out.mkdir(parents=True, exist_ok=True)
    evals_path = out / "evals.jsonl"

    def record_eval(step, tag, subset):
        ev = run.evaluate(subset)
        if ev is None:
            return None
        row = {"step": step, "tag": tag, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **ev}
        with open(evals_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")
        log(f"held-out {ev['set']} [{tag}] step={step} loss={ev['loss']:.4f} perplexity={ev['perplexity']:.2f} "
            f"({ev['predicted_pieces']:,} pieces, {ev['seconds']:.0f}s)")
        return row

    if args.eval_only:
        record_eval(0, f"eval-only {args.init}", subset=False)
        return

    no_decay = ("bias", "LayerNorm.weight")
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    opt = torch.optim.AdamW([
        {"params": [p for n, p in params if not n.endswith(no_decay)], "weight_decay": args.weight_decay},
        {"params": [p for n, p in params if n.endswith(no_decay)], "weight_decay": 0.0}], lr=args.lr)
    warm = max(1, int(args.warmup * run.planned))

    def lr_factor(s):  # linear warm-up, then linear decay to 0 at the planned last step
        return (s + 1) / warm if s < warm else max(0.0, (run.planned - s) / max(1, run.planned - warm))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)

    step, pieces_seen, elapsed_prev, before, ema = 0, 0, 0.0, None, None
    if args.resume and run.ckpt.exists():
        st = torch.load(run.ckpt, map_location=run.dev, weights_only=False)
        if st["corpus_id"] != run.corpus_id or st["planned"] != run.planned:
            raise SystemExit(f"checkpoint {run.ckpt} is for corpus {st['corpus_id']} / {st['planned']} planned "
                             f"steps, not {run.corpus_id} / {run.planned}: same --corpus, --micro-batch, --accum "
                             f"and --epochs are needed to resume")
        model.load_state_dict(st["model"], strict=not args.lora)
        opt.load_state_dict(st["optimizer"])
        sched.load_state_dict(st["scheduler"])
        torch.set_rng_state(st["torch_rng"])
        step, pieces_seen, elapsed_prev, before = st["step"], st["pieces_seen"], st["elapsed"], st.get("before")
        ema = st.get("loss_ema")
        log(f"resumed from {run.ckpt} at step {step}/{run.planned} ({pieces_seen:,} pieces seen)")
    elif run.continued:
        c = run.continued["compute"]
        step, pieces_seen = c["optimizer_steps"], c["pieces_seen"]
        elapsed_prev, before = c["train_hours"] * 3600, run.continued["evaluation"]["before"]
        with warnings.catch_warnings():  # the schedule is moved to the step reached; no optimizer step is skipped
            warnings.simplefilter("ignore")
            for _ in range(step):
                sched.step()
    else:
        before = {"full": record_eval(0, "before", subset=False), "subset": record_eval(0, "before", subset=True)}
    log(f"plan: {run.planned} optimizer steps of {args.micro_batch}x{args.accum} sequences "
        f"({args.epochs} epoch(s)), warm-up {warm}, peak lr {args.lr}, bf16={not args.no_bf16}, "
        f"threads={args.threads}")

    def trained_state():
        if not args.lora:
            return model.state_dict()
        return {n: p.detach() for n, p in model.named_parameters() if p.requires_grad}

    def save_model(tag):
        if args.lora:
            return save_adapter(tag)
        tmp = out / "model.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        model.save_pretrained(tmp)
        run.tok.save_pretrained(tmp)
        write_json(tmp / "training_info.json", {
            "init": args.init, "corpus": args.corpus, "corpus_id": run.corpus_id, "step": step,
            "planned_steps": run.planned, "pieces_seen": pieces_seen, "epochs_done": round(
                step * args.micro_batch * args.accum / len(run.ids), 4), "before": before, "at": tag,
            "args": vars(args), "train_hours": round((elapsed_prev + time.time() - t_start) / 3600, 3)})
        shutil.rmtree(out / "model", ignore_errors=True)
        tmp.rename(out / "model")

    def save_adapter(tag):
        """The delta (float16) with its manifest; the probe is recorded from base + the saved delta, the way
        rebuild_teacher.py computes it, so --check compares like with like."""
        import platform
        import rebuild_teacher as RT
        folder = Path(args.adapter_out)
        corpus_manifest = Path(args.corpus) / "manifest.json"
        corpus = json.loads(corpus_manifest.read_text()) if corpus_manifest.exists() else {}
        hours = round((elapsed_prev + time.time() - t_start) / 3600, 3)
        evs = [json.loads(x) for x in evals_path.read_text().splitlines()] if evals_path.exists() else []
        man = {
            "name": args.adapter_name, "task": "mlm", "parent": None, "base": "bert-base-cased",
            "base_sha256": RT.base_sha256(Path(args.init)),
            "lora": {"r": args.lora, "alpha": args.lora_alpha, "dropout": args.lora_dropout,
                     "targets": list(L.TARGETS)},
            "trained_in_full": ["LayerNorm (every)", *L.MLM_HEAD],
            "data": {"corpus": args.corpus, "corpus_id": run.corpus_id,
                     **{k: corpus[k] for k in ("documents", "sentences", "word_pieces", "sources", "removed",
                                                "heldout") if k in corpus}},
            "command": "python models/train/pretrain_mlm.py " + " ".join(sys.argv[1:]),
            **({"continues": {"sha256": run.continued["sha256"], "optimizer_steps": run.continued["compute"]["optimizer_steps"],
                              "commands": [*run.continued.get("continues", {}).get("commands", []),
                                           run.continued["command"]],
                              "note": "trained tensors carried over; AdamW moments started again"}}
               if run.continued else {}),
            "compute": {"optimizer_steps": step, "planned_steps": run.planned, "pieces_seen": pieces_seen,
                        "train_hours": hours, "cpu": L.cpu_name(), "threads": args.threads,
                        "bf16": not args.no_bf16, "device": run.dev, "python": platform.python_version(),
                        "torch": torch.__version__},
            "evaluation": {"before": before, "evals": [e for e in evs if e["tag"] != "before"][-3:]},
            "at": tag, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        state = L.delta_state(model)
        L.save_delta(folder, state, man)
        rebuilt, rtok = RT.build([str(folder)], Path(args.init))
        man["check"] = {"probe": RT.probe(rebuilt, rtok, "mlm"), "computed": "float32, base + float16 delta"}
        del rebuilt
        L.save_delta(folder, state, man)
        log(f"delta -> {folder} ({(folder / 'adapter.safetensors').stat().st_size / 1e6:.1f} MB)")

    def save_ckpt(final=False):
        run.ckpt.parent.mkdir(parents=True, exist_ok=True)
        tmp = run.ckpt.with_suffix(".tmp")
        torch.save({"model": trained_state(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                    "torch_rng": torch.get_rng_state(), "step": step, "pieces_seen": pieces_seen,
                    "elapsed": elapsed_prev + time.time() - t_start, "corpus_id": run.corpus_id,
                    "planned": run.planned, "before": before, "loss_ema": ema, "args": vars(args)}, tmp)
        tmp.replace(run.ckpt)
        ev = record_eval(step, "final" if final else "checkpoint", subset=not final)
        save_model("checkpoint")
        write_json(out / "status.json", {"step": step, "planned_steps": run.planned, "pieces_seen": pieces_seen,
                                         "corpus_pieces": run.n_pieces, "before": before, "now": ev,
                                         "pieces_per_s": round(rate, 1),
                                         "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        log(f"checkpoint step={step} -> {run.ckpt}")

    model.train()
    t_start = time.time()
    t_ckpt, t_rate, p_rate, rate = time.time(), time.time(), 0, 0.0
    stop_at = min(run.planned, step + args.max_steps) if args.max_steps else run.planned
    budget_s = args.time_budget_min * 60
    while step < stop_at and not (budget_s and time.time() - t_start >= budget_s):
        loss_sum, n_pred = 0.0, 0
        batches = [run.micro_batch(step * args.accum + a) for a in range(args.accum)]
        total_pred = sum(int((b[2] != -100).sum()) for b in batches)
        for inp, att, lab in batches:
            loss, m = run.mlm_loss(inp, att, lab)
            (loss / max(total_pred, 1)).backward()  # mean over every predicted piece of the step
            loss_sum += loss.item()
            n_pred += m
            pieces_seen += int(att.sum())
            p_rate += int(att.sum())
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        cur = loss_sum / max(n_pred, 1)
        ema = cur if ema is None else 0.9 * ema + 0.1 * cur
        now = time.time()
        rate = p_rate / max(now - t_rate, 1e-9)
        if step % args.log_every == 0 or step == stop_at:
            left = (run.planned - step) * args.micro_batch * args.accum * args.seq_len / max(rate, 1e-9)
            log(f"step {step}/{run.planned} loss={cur:.4f} ema={ema:.4f} lr={sched.get_last_lr()[0]:.2e} "
                f"{rate:.0f} pieces/s seen={pieces_seen:,} epoch={step * args.micro_batch * args.accum / len(run.ids):.3f} "
                f"ETA={left / 3600:.2f}h")
        if now - t_ckpt >= args.ckpt_minutes * 60 and step < stop_at and \
                not (budget_s and now - t_start >= budget_s):
            save_ckpt()
            t_ckpt, t_rate, p_rate = time.time(), time.time(), 0
    save_ckpt(final=True)  # the whole held-out set at the end of every run, a budget stop included
    log(f"done: step {step}/{run.planned}; model in {out / 'model'}")


if __name__ == "__main__":
    main()
