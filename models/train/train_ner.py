"""Train ONE multi-type biomedical NER model (softmax over typed BIO labels) with a partial-label
(marginal likelihood) loss over the union of single-type corpora.

  python models/train/train_ner.py --out models/build/ner-fp32 [--resume]

Loss per first-sub-token: -log sum_{y in allowed(token)} p(y). For a token with a real label the set is
{label} (ordinary cross-entropy); for an O token in a corpus that annotates only types S the set is
{O} U {B-T, I-T : T not in S}. Non-first sub-tokens and specials get no loss (-100 convention).
The loop, checkpoints (--resume) and continuation stages (--init-from) are in trainer.py.
"""
import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BUILD, ENTITY_TYPES, NER_L2I, NER_LABELS, NER_TRAIN, allowed_mask, base_model_record, model_casing, resolve_init,  # noqa
                    encode_words, load_ner_train, load_tokenizer, log, prefill_pieces, setup_torch)
from trainer import add_training_args, train  # noqa


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
    add_training_args(ap, out=str(BUILD / "ner-fp32"), ckpt_dir=str(BUILD / "ckpt-ner"), batch_tokens=4096, max_bs=64,
                      epochs=2.0, warmup=0.06)
    ap.add_argument("--keep-empty", default="linnaeus=0.25,jnlpba=1.0,bc2gm=0.6",
                    help="fraction of entity-free sentences kept per corpus")
    ap.add_argument("--corpora", default=",".join(NER_TRAIN),
                    help="training corpora (a subset trains a per-corpus model with the same recipe, for comparison)")
    ap.add_argument("--init", default="",
                    help="starting weights: a BERT folder (convert_bert_tf.py's BertForMaskedLM, pretrain_mlm.py's --out "
                         "or any encoder folder); its vocab.txt and casing are used and a fresh head is added. "
                         "Default: the MiniLM-L6 base (uncased)")
    args = ap.parse_args()

    torch, dev = setup_torch()
    from transformers import BertConfig, BertForTokenClassification
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    keep_empty = {k: float(v) for k, v in (x.split("=") for x in args.keep_empty.split(",") if x)}

    # a continuation stage (--init-from) without --init keeps its predecessor's architecture, vocabulary and casing
    base = resolve_init(args.init or args.init_from)
    lower = model_casing(base)
    tok = load_tokenizer(base / "vocab.txt", lower)
    log(f"init {base} (do_lower_case={lower})")
    t0 = time.time()
    data = load_ner_train("train", set(args.corpora.split(",")))
    ex, stats = build_examples(tok, data, args.max_len, keep_empty, rng)
    log(f"examples={len(ex)} stats={dict(stats)} prep={time.time() - t0:.1f}s")
    lengths = [len(e[0]) for e in ex]
    log(f"tokens/epoch={sum(lengths)} mean_len={sum(lengths) / len(lengths):.1f}")

    cfg = BertConfig.from_pretrained(str(base), num_labels=len(NER_LABELS),
                                     id2label={i: l for i, l in enumerate(NER_LABELS)}, label2id=NER_L2I)
    model = BertForTokenClassification.from_pretrained(str(base), config=cfg).to(dev)
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
        return {"input_ids": ids.to(dev), "attention_mask": am.to(dev), "allow": allow.to(dev), "valid": valid.to(dev)}

    def partial_loss(model, batch):
        ids = batch["input_ids"]
        logits = model(input_ids=ids, attention_mask=batch["attention_mask"], token_type_ids=torch.zeros_like(ids)).logits
        lg = logits[batch["valid"]]
        al = batch["allow"][batch["valid"]]
        lse_all = torch.logsumexp(lg, -1)
        lse_allowed = torch.logsumexp(lg.masked_fill(~al, float("-inf")), -1)
        return (lse_all - lse_allowed).mean()

    train(torch, dev, model, args, lengths=lengths, collate=collate, loss_fn=partial_loss, vocab=base / "vocab.txt",
          do_lower_case=lower,
          info={"examples": len(ex), "examples_by_corpus": dict(stats), "labels": NER_LABELS,
                "entity_types": ENTITY_TYPES, "base_model": base_model_record(args, base)})


if __name__ == "__main__":
    main()
