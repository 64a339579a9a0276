"""Put measured scores (from eval JSONs under models/build/) into a model folder's manifest.json and
re-check the files' sha256.

  python models/train/finalize_manifest.py --model models/ner --shipped models/build/eval-ner-ort.json \
      [--same-weights models/build/eval-ner-torch-same.json] [--fp32 models/build/eval-ner-torch-fp32.json] \
      --cmd "..." [--cmd "..."]
Evaluations that have not run yet are left out.
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import sha256_file, write_json  # noqa


def pick(d):
    return {k: {kk: v[kk] for kk in ("precision", "recall", "f1", "engine") if kk in v}
            for k, v in d.items() if isinstance(v, dict)}


def typescript_scores(folder: Path, task: str) -> dict:
    """Per corpus, the P/R/F1 of scripts/eval-models.sh's `litmine eval --json` files in folder."""
    out = {}
    for f in sorted(folder.glob(f"{task}-*.json")):
        r = json.loads(f.read_text())
        corpus = f.stem[len(task) + 1:]
        out[corpus] = {k: r[k] for k in ("precision", "recall", "f1")}
        if isinstance(r.get("document"), dict):  # BC5CDR CID at document level
            out[corpus + "-doc"] = {k: r["document"][k] for k in ("precision", "recall", "f1")}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--shipped", required=True, help="the model file's scores (Python onnxruntime)")
    ap.add_argument("--same-weights", default=None, help="PyTorch on the shipped (dequantized) weights")
    ap.add_argument("--fp32", default=None, help="PyTorch on the unquantized weights")
    ap.add_argument("--typescript", default=None, help="folder of `litmine eval --json` results (scripts/eval-models.sh)")
    ap.add_argument("--cmd", action="append", default=[])
    a = ap.parse_args()
    m = Path(a.model)
    man = json.loads((m / "manifest.json").read_text())
    files = {f.name: sha256_file(f) for f in sorted(m.iterdir()) if f.name != "manifest.json"}
    assert files == man["files"], "model files changed since export"
    for key, path in (("scores", a.shipped), ("scores_pytorch_same_weights", a.same_weights),
                      ("scores_pytorch_fp32", a.fp32)):
        man.pop(key, None)
        if path and Path(path).exists():
            man[key] = pick(json.loads(Path(path).read_text()))
    man.setdefault("scores", {})
    man.pop("scores_typescript", None)
    if a.typescript:
        man["scores_typescript"] = typescript_scores(Path(a.typescript), "ner" if man["task"] == "token-classification" else "re")
    man["how_evaluated"] = a.cmd
    write_json(m / "manifest.json", man)
    print(json.dumps(man["scores"], indent=1))


if __name__ == "__main__":
    main()
