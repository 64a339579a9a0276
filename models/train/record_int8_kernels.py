"""Record a committed int8 model folder's golden logits and test-split scores for this CPU's int8 kernel
family, beside the ones recorded at export.

Static int8 models can give different logits on onnxruntime's AMX, AVX-512 VNNI, AVX-VNNI and AVX2 kernels
(AVX2's u8s8 products saturate), so the exact figures the TypeScript tests check (golden logits within
1e-4, `litmine eval` = the recorded figure) hold per family. On the machine it runs on, this either
  - adds the family to int8_kernels (golden.json and manifest.json) when the export's records reproduce
    here: Python onnxruntime's golden logits within 1e-4 and both engines' scores equal, or
  - writes the family's own record: golden.json other_int8_kernels[family] (Python onnxruntime's logits on
    every golden case) and manifest.json other_int8_kernels[family] (scores: eval_ner.py / eval_re.py
    --engine ort; scores_typescript: `litmine eval`, scripts/eval-models.sh; both from this machine),
and updates golden.json's sha256 in the manifest. The model file itself is untouched.

  python models/train/eval_ner.py --engine ort --model models/ner --out models/build/eval-ner-ort.json
  OUT=models/build/eval-ts bash scripts/eval-models.sh
  python models/train/record_int8_kernels.py --model models/ner --scores models/build/eval-ner-ort.json \\
      --typescript models/build/eval-ts
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import cpu_model_name, int8_kernel_family, sha256_file, write_json  # noqa
from finalize_manifest import pick, typescript_scores  # noqa


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--scores", required=True, help="eval_ner.py / eval_re.py --engine ort JSON from this machine")
    ap.add_argument("--typescript", required=True, help="folder of `litmine eval --json` results from this machine")
    ap.add_argument("--cmd", action="append", default=[])
    a = ap.parse_args()
    import onnxruntime as ort

    m = Path(a.model)
    man = json.loads((m / "manifest.json").read_text())
    golden = json.loads((m / "golden.json").read_text())
    family = int8_kernel_family()
    primary = golden.get("int8_kernels")
    if not primary:
        raise SystemExit(f"{m}/golden.json does not say on which int8 kernels its logits hold (int8_kernels)")
    if family in primary:
        raise SystemExit(f"{m}: the records already hold on {family} kernels")
    task = "ner" if man["task"] == "token-classification" else "re"

    cfg = json.loads((m / "config.json").read_text())
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    for k, v in cfg.get("onnx_session_config", {}).items():
        so.add_session_config_entry(k, v)
    s = ort.InferenceSession(str(m / "model.onnx"), so, providers=["CPUExecutionProvider"])
    logits = []
    for c in golden["cases"]:
        names = {i.name for i in s.get_inputs()}
        feeds = {k: np.array([c[k]], dtype=np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")
                 if k in names}
        lo = s.run(["logits"], {k: v for k, v in feeds.items() if k in names})[0]
        logits.append(np.round(lo[0], 6).tolist())
    worst = max(float(np.abs(np.array(x) - np.array(c["logits_int8_onnxruntime"])).max())
                for x, c in zip(logits, golden["cases"]))
    where = {"cpu": cpu_model_name(), "onnxruntime_python": ort.__version__}
    scores = pick(json.loads(Path(a.scores).read_text()))
    ts = typescript_scores(Path(a.typescript), task)
    same = lambda x, y: {k: {q: v[q] for q in ("precision", "recall", "f1")} for k, v in x.items() if k in y} == \
        {k: {q: v[q] for q in ("precision", "recall", "f1")} for k, v in y.items() if k in x}
    reproduced = worst < 1e-4 and same(scores, man.get("scores", {})) and same(ts, man.get("scores_typescript", {}))
    if reproduced:
        for d in (golden, man):
            d["int8_kernels"] = sorted(set(d.get("int8_kernels") or primary) | {family})
        man.setdefault("int8_kernels_reproduced", {})[family] = {**where, "max_abs_diff_golden": worst,
                                                                 "how_evaluated": a.cmd}
    else:
        golden.setdefault("other_int8_kernels", {})[family] = {
            **where, "max_abs_diff_vs_primary": worst, "logits_int8_onnxruntime": logits}
        man.setdefault("other_int8_kernels", {})[family] = {
            **where, "scores": scores, "scores_typescript": ts, "how_evaluated": a.cmd}
    (m / "golden.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    man["files"]["golden.json"] = sha256_file(m / "golden.json")
    write_json(m / "manifest.json", man)
    what = "reproduce the export's records" if reproduced else "have their own record now"
    print(f"{m}: {family} kernels ({where['cpu']}) {what}; golden logits within {worst:.3g} of the export's")


if __name__ == "__main__":
    main()
