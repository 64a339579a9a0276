"""RE evaluation: micro P/R/F1 over positive classes.
  ChemProt: CPR:3,4,5,6,9 micro (as BioBERT) on our reconstruction of the test set (see re_data.py);
  GAD / EU-ADR: class "association", fold 1 test;
  BC5CDR CID: sentence-instance level, and document level = (pmid, chemical id, disease id) predicted CID if any
  sentence instance is, against ALL gold CID pairs of the test documents (incl. cross-sentence ones).
Invalid labels for the instance's pair type are masked before argmax (config pair_labels), as in serving.

  python models/train/eval_re.py --engine torch --model models/build/re-fp32 --out models/build/eval-re-torch.json
  python models/train/eval_re.py --engine ort --model models/re --out models/build/eval-re-ort-int8.json
"""
import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import length_batches, log, write_json  # noqa
from eval_ner import Engine  # noqa
from re_data import POSITIVE, load_re  # noqa
from train_re import encode_re  # noqa


def prf(tp, fp, fn):
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return {"precision": round(100 * P, 2), "recall": round(100 * R, 2), "f1": round(100 * F, 2), "tp": tp, "fp": fp, "fn": fn}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["torch", "ort"], default="torch")
    ap.add_argument("--model", required=True)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    # 1 = one instance per call, as litmine serves by default (int8 activation scales are per batch tensor).
    ap.add_argument("--batch-tokens", type=int, default=8192)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    t0 = time.time()
    eng = Engine(args.engine, args.model, args.threads)
    cfg = json.loads((Path(args.model) / "config.json").read_text())
    labels = [cfg["id2label"][str(i)] for i in range(len(cfg["id2label"]))]
    pair_labels = cfg.get("pair_labels")
    if pair_labels is None:
        from re_data import PAIR_LABELS as pair_labels
    inst, extras = load_re("test")
    ids = [encode_re(eng.tok, i[1], args.max_len) for i in inst]
    preds = [None] * len(inst)
    for b in length_batches([len(x) for x in ids], args.batch_tokens, 64, random.Random(0), shuffle=False):
        lg = eng.logits([ids[i] for i in b])
        for row, i in enumerate(b):
            valid = np.array([l in pair_labels[inst[i][0]] for l in labels])
            preds[i] = labels[int(np.where(valid, lg[row], -np.inf).argmax())]
    res = {}
    engine = f"{'pytorch' if args.engine == 'torch' else 'onnxruntime-python'}:{Path(args.model).name}"
    for corpus in ["chemprot", "gad", "euadr", "bc5cdr-cid"]:
        tp = fp = fn = 0
        for x, p in zip(inst, preds):
            if x[3] != corpus:
                continue
            pos = POSITIVE[x[0]]
            g = x[2]
            if p in pos and p == g:
                tp += 1
            else:
                if p in pos:
                    fp += 1
                if g in pos:
                    fn += 1
        r = prf(tp, fp, fn)
        r["engine"] = engine
        r["instances"] = sum(1 for x in inst if x[3] == corpus)
        res[corpus] = r
    # document-level CID
    gold = extras["cid_gold_doc"]
    predicted = {x[4] for x, p in zip(inst, preds) if x[3] == "bc5cdr-cid" and p == "CID"}
    r = prf(len(predicted & gold), len(predicted - gold), len(gold - predicted))
    r["engine"] = engine
    r["note"] = "document level with gold entities; cross-sentence gold pairs count as misses"
    res["bc5cdr-cid-doc"] = r
    res["_seconds"] = round(time.time() - t0, 1)
    for k, v in res.items():
        if isinstance(v, dict):
            log(f"{k}: P={v['precision']} R={v['recall']} F1={v['f1']}")
    write_json(args.out, res)


if __name__ == "__main__":
    main()
