"""Distil a fine-tuned NER teacher (the 12-layer BERT) into a smaller student for serving.

  python models/train/distill_ner.py --teacher models/build/ner-teacher-bio --out models/build/ner-student [--resume]

The student is the teacher's architecture with fewer layers, initialised from the teacher: embeddings and
classifier copied, encoder layer k from teacher layer --student-layers[k] (default every other layer, the top
one included: 1,3,5,7,9,11). It is trained on two kinds of sentences: the gold NER training data (partial-label
loss as in train_ner.py, weight --alpha, plus the teacher's soft labels) and unlabelled text (--text: the MLM
corpus shards or any one-sentence-per-line file; teacher's soft labels only). The soft-label loss is
T^2 * KL(softmax(teacher/T) || softmax(student/T)) on every word's first sub-token. The loop, checkpoints
(--resume) and budgets are trainer.py's.
"""
import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BUILD, ENTITY_TYPES, NER_LABELS, NER_TRAIN, encode_words, init_model_info,  # noqa: E402
                    load_model_tokenizer, load_ner_train, log, model_casing, prefill_pieces, setup_torch)
from train_ner import build_examples  # noqa: E402
from trainer import add_training_args, train  # noqa: E402

_WORD = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")  # the word split of the NER corpora (letters/digits/punct)


def text_files(spec: str):
    """Comma-separated files or folders; a folder contributes its train-*.txt shards (never heldout.txt)."""
    out = []
    for part in filter(None, spec.split(",")):
        p = Path(part)
        if p.is_dir():
            shards = sorted(p.glob("train-*.txt")) or sorted(f for f in p.glob("*.txt") if f.name != "heldout.txt")
            out += shards
        elif p.exists():
            out.append(p)
        else:
            raise SystemExit(f"--text {part}: no such file or folder")
    if not out:
        raise SystemExit(f"--text {spec}: no text files")
    return out


def read_sentences(files, limit: int, rng: random.Random):
    """Non-empty lines of the files, as word lists; a seeded sample of `limit` of them (0 = all)."""
    lines = [ln.strip() for f in files for ln in open(f, encoding="utf-8")]
    lines = [ln for ln in lines if len(ln.split()) >= 3]
    if limit and len(lines) > limit:
        lines = rng.sample(lines, limit)
    return [_WORD.findall(ln) for ln in lines]


def make_student(torch, teacher, layers):
    """Teacher config with len(layers) layers; embeddings, chosen layers and classifier copied."""
    from transformers import BertConfig, BertForTokenClassification
    cfg = BertConfig.from_dict({**teacher.config.to_dict(), "num_hidden_layers": len(layers)})
    student = BertForTokenClassification(cfg)
    t_state = teacher.state_dict()
    s_state = {}
    for k in student.state_dict():
        m = re.match(r"bert\.encoder\.layer\.(\d+)\.(.*)", k)
        src = f"bert.encoder.layer.{layers[int(m.group(1))]}.{m.group(2)}" if m else k
        s_state[k] = t_state[src].clone()
    student.load_state_dict(s_state)
    return student


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_training_args(ap, out=str(BUILD / "ner-student"), ckpt_dir=str(BUILD / "ckpt-ner-student"), batch_tokens=4096,
                      max_bs=64, epochs=1.0, warmup=0.06)
    ap.add_argument("--teacher", default=str(BUILD / "ner-teacher-bio"), help="fine-tuned NER model folder (train_ner.py)")
    ap.add_argument("--student-layers", default="", help="teacher layers the student keeps (default every other, "
                                                          "the top one included)")
    ap.add_argument("--text", default=str(BUILD / "mlm-corpus"), help="unlabelled text: files or folders, comma-separated")
    ap.add_argument("--text-sentences", type=int, default=200000, help="sentences sampled from --text (0 = all)")
    ap.add_argument("--temperature", type=float, default=2.0)
    ap.add_argument("--alpha", type=float, default=0.5, help="weight of the gold loss on gold sentences (1-alpha: soft)")
    ap.add_argument("--keep-empty", default="linnaeus=0.25,jnlpba=1.0,bc2gm=0.6")
    ap.add_argument("--corpora", default=",".join(NER_TRAIN))
    args = ap.parse_args()

    torch, dev = setup_torch()
    from transformers import BertForTokenClassification
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    teacher_dir = Path(args.teacher)
    tok = load_model_tokenizer(teacher_dir)
    teacher = BertForTokenClassification.from_pretrained(str(teacher_dir)).to(dev).eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    n_t = teacher.config.num_hidden_layers
    layers = [int(x) for x in args.student_layers.split(",")] if args.student_layers else list(range(1, n_t, 2))
    if not layers or max(layers) >= n_t or min(layers) < 0:
        raise SystemExit(f"--student-layers {layers}: the teacher has layers 0..{n_t - 1}")
    model = make_student(torch, teacher, layers).to(dev)
    log(f"teacher {teacher_dir} ({n_t} layers) -> student of layers {layers}, "
        f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters")

    t0 = time.time()
    keep_empty = {k: float(v) for k, v in (x.split("=") for x in args.keep_empty.split(",") if x)}
    gold, stats = build_examples(tok, load_ner_train("train", set(args.corpora.split(","))), args.max_len, keep_empty, rng)
    files = text_files(args.text)
    sents = read_sentences(files, args.text_sentences, rng)
    prefill_pieces(tok, [w for ws in sents for w in ws])
    unlab = [(ids, [None if wi < 0 else [] for wi in first]) for ws in sents for ids, first in
             encode_words(tok, ws, args.max_len)]
    ex = gold + unlab  # allowed None: no word starts here; [] (unlabelled): soft labels only
    lengths = [len(e[0]) for e in ex]
    log(f"gold examples={len(gold)} unlabelled={len(unlab)} from {len(files)} files ({len(sents)} sentences) "
        f"tokens/epoch={sum(lengths)} prep={time.time() - t0:.1f}s")
    L, T = len(NER_LABELS), args.temperature

    def collate(batch_idx):
        items = [ex[i] for i in batch_idx]
        S = max(len(it[0]) for it in items)
        B = len(items)
        ids = torch.zeros(B, S, dtype=torch.long)
        am = torch.zeros(B, S, dtype=torch.long)
        allow = torch.zeros(B, S, L, dtype=torch.bool)
        valid = torch.zeros(B, S, dtype=torch.bool)
        first = torch.zeros(B, S, dtype=torch.bool)
        for b, (input_ids, allowed) in enumerate(items):
            ids[b, : len(input_ids)] = torch.tensor(input_ids)
            am[b, : len(input_ids)] = 1
            for s, a in enumerate(allowed):
                if a is not None:
                    first[b, s] = True
                    if a:
                        valid[b, s] = True
                        allow[b, s, a] = True
        return {k: v.to(dev) for k, v in
                {"input_ids": ids, "attention_mask": am, "allow": allow, "valid": valid, "first": first}.items()}

    def distill_loss(model, batch):
        ids, am = batch["input_ids"], batch["attention_mask"]
        tt = torch.zeros_like(ids)
        with torch.no_grad():
            t_logits = teacher(input_ids=ids, attention_mask=am, token_type_ids=tt).logits.float()
        s_logits = model(input_ids=ids, attention_mask=am, token_type_ids=tt).logits.float()
        f = batch["first"]
        soft = torch.nn.functional.kl_div(torch.log_softmax(s_logits[f] / T, -1), torch.log_softmax(t_logits[f] / T, -1),
                                          log_target=True, reduction="batchmean") * T * T
        v = batch["valid"]
        if not v.any():
            return soft
        lg, al = s_logits[v], batch["allow"][v]
        gold_loss = (torch.logsumexp(lg, -1) - torch.logsumexp(lg.masked_fill(~al, float("-inf")), -1)).mean()
        return args.alpha * gold_loss + (1 - args.alpha) * soft

    teacher_info = init_model_info(teacher_dir)
    train(torch, dev, model, args, lengths=lengths, collate=collate, loss_fn=distill_loss, vocab=teacher_dir / "vocab.txt",
          do_lower_case=model_casing(teacher_dir),
          info={"examples": len(ex), "examples_by_corpus": dict(stats), "unlabelled_examples": len(unlab),
                "labels": NER_LABELS, "entity_types": ENTITY_TYPES,
                "distillation": {"teacher": str(teacher_dir), "teacher_layers": n_t, "student_layers": layers,
                                 "temperature": T, "alpha": args.alpha, "text_files": [str(f) for f in files],
                                 "text_sentences": len(sents)},
                "base_model": {"distilled_from": teacher_info, **{k: v for k, v in teacher_info.items()
                                                                  if k == "do_lower_case"}}})


if __name__ == "__main__":
    main()
