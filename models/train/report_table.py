"""Print the markdown score tables for models/REPORT.md from the evaluation JSONs under models/build/:
TypeScript on the shipped model (scripts/eval-models.sh -> eval-ts/), Python onnxruntime on the same file,
PyTorch on the same (dequantized) weights, PyTorch on the unquantized weights, and BioBERT v1.1's published F1.

  python models/train/report_table.py
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD  # noqa

BIOBERT_NER = {"ncbi-disease": 89.71, "bc5cdr-disease": 87.15, "bc5cdr-chem": 93.47, "bc2gm": 84.72,
               "jnlpba": 77.49, "linnaeus": 88.24}
BIOBERT_RE = {"chemprot": 76.46, "gad": 79.83, "euadr": 79.74, "bc5cdr-cid": None, "bc5cdr-cid-doc": None}


def load(name):
    p = BUILD / name
    return json.loads(p.read_text()) if p.exists() else {}


def ts_scores(task, corpus):
    if corpus == "bc5cdr-cid-doc":
        return load(f"eval-ts/{task}-bc5cdr-cid.json").get("document")
    return load(f"eval-ts/{task}-{corpus}.json") or None


def f1(r):
    return f"{r['f1']:.2f}" if r else "—"


def prf(r):
    return f"{r['precision']:.2f} / {r['recall']:.2f} / **{r['f1']:.2f}**" if r else "—"


def table(task, biobert):
    ort, same, fp32 = (load(f"eval-{task}-{k}.json") for k in ("ort", "torch-same", "torch-fp32"))
    print("| corpus (test split) | TypeScript, shipped model: P / R / F1 | Python onnxruntime, same file | "
          "PyTorch, same weights | Δ TS − PyTorch | PyTorch, unquantized | BioBERT v1.1 |")
    print("|---|---|---|---|---|---|---|")
    for c, b in biobert.items():
        ts = ts_scores(task, c)
        delta = f"{ts['f1'] - same[c]['f1']:+.2f}" if ts and same.get(c) else "—"
        print(f"| {c} | {prf(ts)} | {f1(ort.get(c))} | {f1(same.get(c))} | {delta} | {f1(fp32.get(c))} | "
              f"{b if b is not None else 'n/a'} |")


def main():
    table("ner", BIOBERT_NER)
    print()
    table("re", BIOBERT_RE)


if __name__ == "__main__":
    main()
