"""Put measured scores (from eval JSONs under models/build/) into a model folder's manifest.json and
re-check the files' sha256.

  python models/train/finalize_manifest.py --model models/ner --int8 models/build/eval-ner-ort-int8.json \
      --fp32 models/build/eval-ner-torch.json --cmd-int8 "..." --cmd-fp32 "..."
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--int8", required=True)
    ap.add_argument("--fp32", default=None)
    ap.add_argument("--cmd-int8", default="")
    ap.add_argument("--cmd-fp32", default="")
    a = ap.parse_args()
    m = Path(a.model)
    man = json.loads((m / "manifest.json").read_text())
    files = {f.name: sha256_file(f) for f in sorted(m.iterdir()) if f.name != "manifest.json"}
    assert files == man["files"], "model files changed since export"
    man["scores"] = pick(json.loads(Path(a.int8).read_text()))
    if a.fp32 and Path(a.fp32).exists():
        man["scores_pytorch_fp32"] = pick(json.loads(Path(a.fp32).read_text()))
    man["how_evaluated"] = [c for c in (a.cmd_int8, a.cmd_fp32) if c]
    write_json(m / "manifest.json", man)
    print(json.dumps(man["scores"], indent=1))


if __name__ == "__main__":
    main()
