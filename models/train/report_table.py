"""Print the markdown score tables for models/REPORT.md from the eval JSONs under models/build/.

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


def fmt(r):
    return f"{r['precision']:.2f} / {r['recall']:.2f} / {r['f1']:.2f}" if r else "—"


def main():
    i8, f32 = load("eval-ner-ort-int8.json"), load("eval-ner-torch.json")
    print("| corpus (test) | int8 ONNX, Python ORT: P / R / F1 | fp32 PyTorch: P / R / F1 | BioBERT v1.1 F1 | TypeScript F1 |")
    print("|---|---|---|---|---|")
    for c, b in BIOBERT_NER.items():
        print(f"| {c} | {fmt(i8.get(c))} | {fmt(f32.get(c))} | {b} | |")
    i8, f32 = load("eval-re-ort-int8.json"), load("eval-re-torch.json")
    print()
    print("| corpus (test) | int8 ONNX, Python ORT: P / R / F1 | fp32 PyTorch: P / R / F1 | BioBERT v1.1 F1 | TypeScript F1 |")
    print("|---|---|---|---|---|")
    for c, b in BIOBERT_RE.items():
        print(f"| {c} | {fmt(i8.get(c))} | {fmt(f32.get(c))} | {b if b is not None else 'n/a'} | |")


if __name__ == "__main__":
    main()
