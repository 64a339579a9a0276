"""Entity-level exact-match P/R/F1 (conlleval chunk semantics, BioBERT conventions: word-level labels, the
prediction of a word is the label of its first sub-token) on each corpus' BioBERT test file.

The multi-type model is scored on a single-type corpus by keeping only predictions of that corpus' type(s)
(others -> O) and collapsing the kept types to one class (the BioBERT files are untyped B/I/O; for JNLPBA
BioBERT merged protein/DNA/RNA/cell_line/cell_type, so Gene+CellLine+CellType predictions are merged).

  python models/train/eval_ner.py --engine torch --model models/build/ner-fp32 --out models/build/eval-ner-torch.json
  python models/train/eval_ner.py --engine ort --model models/ner --out models/build/eval-ner-ort-int8.json
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import NER_EVAL, data_root, encode_words, length_batches, log, prefill_pieces, read_conll, write_json  # noqa


class Engine:
    def __init__(self, kind, model_dir, threads=2):
        self.kind = kind
        model_dir = Path(model_dir)
        cfg = json.loads((model_dir / "config.json").read_text())
        self.id2label = {int(k): v for k, v in cfg["id2label"].items()}
        from common import load_model_tokenizer
        self.tok = load_model_tokenizer(model_dir)  # its vocab and casing (config.json do_lower_case)
        if kind == "torch":
            from common import setup_torch
            self.torch, self.dev = setup_torch(threads)
            from transformers import AutoModelForTokenClassification, AutoModelForSequenceClassification
            cls = (AutoModelForSequenceClassification if cfg.get("litmine_task") == "relation-classification"
                   or "ForSequenceClassification" in str(cfg.get("architectures")) else AutoModelForTokenClassification)
            self.model = cls.from_pretrained(str(model_dir)).to(self.dev).eval()
        else:
            import onnxruntime as ort
            so = ort.SessionOptions()
            so.intra_op_num_threads = threads
            so.inter_op_num_threads = 1
            for k, v in cfg.get("onnx_session_config", {}).items():  # weight-only int8: fold DequantizeLinear at load
                so.add_session_config_entry(k, v)
            path = model_dir / "model.onnx" if model_dir.is_dir() else model_dir
            self.sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])

    def logits(self, batch_ids):
        S = max(len(x) for x in batch_ids)
        ids = np.zeros((len(batch_ids), S), dtype=np.int64)
        am = np.zeros_like(ids)
        for i, x in enumerate(batch_ids):
            ids[i, : len(x)] = x
            am[i, : len(x)] = 1
        tt = np.zeros_like(ids)
        if self.kind == "torch":
            t = self.torch
            with t.no_grad():
                out = self.model(input_ids=t.from_numpy(ids).to(self.dev), attention_mask=t.from_numpy(am).to(self.dev),
                                 token_type_ids=t.from_numpy(tt).to(self.dev)).logits
            return out.float().cpu().numpy()
        return self.sess.run(["logits"], {"input_ids": ids, "attention_mask": am, "token_type_ids": tt})[0]


def chunks(labels):
    """conlleval-style chunks over untyped B/I/O: a chunk starts at B, or at I after O."""
    out, start = set(), None
    for i, l in enumerate(labels + ["O"]):
        if l == "B" or l == "O" or (l == "I" and start is None):
            if start is not None:
                out.add((start, i))
                start = None
            if l in ("B", "I"):
                start = i
    return out


_MEMO = {}


def predict_typed(engine, sents_words, max_len, batch_tokens):
    """Typed word-level predictions (first sub-token argmax); memoised per sentence so that corpora sharing
    sentences (BC5CDR chem/disease test files) run the model once."""
    import random
    todo = [ws for ws in sents_words if tuple(ws) not in _MEMO]
    prefill_pieces(engine.tok, [w for ws in todo for w in ws])
    items = []  # (todo index, input_ids, first-word index per token)
    for si, words in enumerate(todo):
        for ids, first in encode_words(engine.tok, words, max_len):
            items.append((si, ids, first))
    pred = [["O"] * len(w) for w in todo]
    batches = length_batches([len(x[1]) for x in items], batch_tokens, 128, random.Random(0), shuffle=False)
    for b in batches:
        am = engine.logits([items[i][1] for i in b]).argmax(-1)
        for row, i in enumerate(b):
            si, ids, first = items[i]
            for tpos, wi in enumerate(first):
                if wi >= 0:
                    pred[si][wi] = engine.id2label[int(am[row, tpos])]
    for ws, p in zip(todo, pred):
        _MEMO[tuple(ws)] = p
    return [_MEMO[tuple(ws)] for ws in sents_words]


def evaluate(engine, corpus, split="test", max_len=128, limit=0, batch_tokens=8192):
    rel, types = NER_EVAL[corpus]
    sents = read_conll(data_root() / rel.format(split=split))
    if limit:
        sents = sents[:limit]
    typed = predict_typed(engine, [w for w, _ in sents], max_len, batch_tokens)
    pred = [[l[0] if l != "O" and l.split("-", 1)[1] in types else "O" for l in p] for p in typed]
    tp = fp = fn = 0
    for (words, gold), p in zip(sents, pred):
        g = [l[0] if l != "O" else "O" for l in gold]
        gc, pc = chunks(g), chunks(p)
        tp += len(gc & pc)
        fp += len(pc - gc)
        fn += len(gc - pc)
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return {"precision": round(100 * P, 2), "recall": round(100 * R, 2), "f1": round(100 * F, 2),
            "tp": tp, "fp": fp, "fn": fn, "sentences": len(sents), "types": types, "file": rel.format(split=split)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["torch", "ort"], default="torch")
    ap.add_argument("--model", required=True, help="HF dir (torch) or model folder / .onnx (ort)")
    ap.add_argument("--vocab-dir", default=None, help="folder with config.json+vocab.txt if --model is an .onnx")
    ap.add_argument("--corpora", default=",".join(NER_EVAL))
    ap.add_argument("--split", default="test")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    # 1 = one sentence per call, as litmine serves by default: int8 dynamic quantization computes
    # activation scales over the whole batch tensor, so batching changes results slightly.
    ap.add_argument("--batch-tokens", type=int, default=8192)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    eng = Engine(args.engine, args.model, args.threads) if not args.vocab_dir else None
    if eng is None:
        eng = Engine.__new__(Engine)
        Engine.__init__(eng, args.engine, args.vocab_dir, args.threads)
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = args.threads
        eng.sess = ort.InferenceSession(args.model, so, providers=["CPUExecutionProvider"])
    res = {}
    for c in args.corpora.split(","):
        t = time.time()
        r = evaluate(eng, c, args.split, limit=args.limit, batch_tokens=args.batch_tokens)
        r["engine"] = f"{'pytorch' if args.engine == 'torch' else 'onnxruntime-python'}:{Path(args.model).name}"
        r["batch_tokens"] = args.batch_tokens
        r["seconds"] = round(time.time() - t, 1)
        res[c] = r
        log(f"{c}: P={r['precision']} R={r['recall']} F1={r['f1']} ({r['seconds']}s)")
        write_json(args.out, res)


if __name__ == "__main__":
    main()
