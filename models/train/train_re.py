"""Train ONE relation-classification model (BERT [CLS] -> softmax over all relation labels) on ChemProt
(Chemical|Gene), GAD + EU-ADR fold 1 (Gene|Disease) and BC5CDR CID (Chemical|Disease). Logits of labels not
valid for an instance's pair type are masked to -inf in the loss (and at inference, via config pair_labels).

  python models/train/train_re.py --out models/build/re-fp32 [--resume] [--init-from DIR]
"""
import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, base_model_record, load_tokenizer, log, model_casing, resolve_init, setup_torch  # noqa
from trainer import add_training_args, train  # noqa
from re_data import ENTITY_MASKS, LABELS, PAIR_LABELS, load_re  # noqa

L2I = {l: i for i, l in enumerate(LABELS)}


def pair_mask_vector(pair):
    return [l in PAIR_LABELS[pair] for l in LABELS]


_MASK_PIECES = {}


def mask_spans(tok, ids):
    """(start, end) of every entity mask's pieces in ids. An uncased vocabulary makes "@GENE$" three pieces
    (@ gene $); a cased one more (@ GE ##NE $), so the masks' own piece sequences are searched for."""
    key = id(tok)
    if key not in _MASK_PIECES:
        _MASK_PIECES[key] = [tok(m, add_special_tokens=False)["input_ids"] for m in ENTITY_MASKS.values()]
    spans = []
    for i, x in enumerate(ids):
        for m in _MASK_PIECES[key]:
            if x == m[0] and ids[i:i + len(m)] == m:
                spans.append((i, i + len(m)))
                break
    return spans


def encode_re(tok, text, max_len):
    """Token ids with [CLS]/[SEP]; if too long, keep a window of word pieces that contains both masks."""
    ids = tok(text, add_special_tokens=False)["input_ids"]
    budget = max_len - 2
    if len(ids) > budget:
        spans = mask_spans(tok, ids)
        if spans:
            lo, hi = spans[0][0], spans[-1][1]
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
    add_training_args(ap, out=str(BUILD / "re-fp32"), ckpt_dir=str(BUILD / "ckpt-re"), batch_tokens=3072, max_bs=32,
                      epochs=2.0, warmup=0.1)
    ap.add_argument("--init", default="",
                    help="starting weights: a BERT folder (convert_bert_tf.py's BertForMaskedLM, pretrain_mlm.py's --out "
                         "or any encoder folder); its vocab.txt and casing are used and a fresh head is added. "
                         "Default: the MiniLM-L6 base (uncased)")
    args = ap.parse_args()

    torch, dev = setup_torch()
    from transformers import BertConfig, BertForSequenceClassification
    torch.manual_seed(args.seed)
    # a continuation stage (--init-from) without --init keeps its predecessor's architecture, vocabulary and casing
    base = resolve_init(args.init or args.init_from)
    lower = model_casing(base)
    tok = load_tokenizer(base / "vocab.txt", lower)
    log(f"init {base} (do_lower_case={lower})")
    inst, extras = load_re("train")
    ex = [(encode_re(tok, i[1], args.max_len), L2I[i[2]], pair_mask_vector(i[0])) for i in inst]
    stats = Counter(f"{i[3]}:{i[2]}" for i in inst)
    lengths = [len(e[0]) for e in ex]
    log(f"examples={len(ex)} {dict(stats)} tokens/epoch={sum(lengths)} mean_len={sum(lengths) / len(lengths):.1f}")

    cfg = BertConfig.from_pretrained(str(base), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id=L2I)
    model = BertForSequenceClassification.from_pretrained(str(base), config=cfg).to(dev)

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
        return {"input_ids": ids.to(dev), "attention_mask": am.to(dev), "y": y.to(dev), "valid": valid.to(dev)}

    def masked_ce(model, batch):
        ids = batch["input_ids"]
        logits = model(input_ids=ids, attention_mask=batch["attention_mask"], token_type_ids=torch.zeros_like(ids)).logits
        # labels that cannot hold for the pair's types never compete (the same mask applies at inference)
        logits = logits.masked_fill(~batch["valid"], float("-inf"))
        return torch.nn.functional.cross_entropy(logits, batch["y"])

    train(torch, dev, model, args, lengths=lengths, collate=collate, loss_fn=masked_ce, vocab=base / "vocab.txt",
          do_lower_case=lower,
          ema_decay=0.95,
          info={"examples": len(ex), "examples_by_corpus_label": dict(stats),
                "chemprot_construction": extras["chemprot_stats"], "labels": LABELS, "pair_labels": PAIR_LABELS,
                "entity_masks": ENTITY_MASKS, "base_model": base_model_record(args, base)})


if __name__ == "__main__":
    main()
