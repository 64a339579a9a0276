"""Writes where the masked-LM pre-training stands: models/build/STATUS.md (local) and models/TRAINING-STATUS.md
(committed): step, pieces seen, held-out perplexity before and now, the last logged rate and ETA, and the exact
command that resumes the run. Reads only the run's own files (OUT/evals.jsonl, OUT/checkpoint, the log).

  python models/train/training_status.py --out models/build/bert-base-cased-bio --log models/build/pretrain.log
"""
import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, MODELS, REPO  # noqa: E402

RESUME = ("nice -n 19 nohup /work/venv/bin/python models/train/pretrain_mlm.py --corpus models/build/mlm-corpus "
          "--init models/build/bert-base-cased --out models/build/bert-base-cased-bio --resume --micro-batch 16 "
          "--accum 4 --epochs 1 --threads 2 >> models/build/pretrain.log 2>&1 &")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(BUILD / "bert-base-cased-bio"))
    ap.add_argument("--log", default=str(BUILD / "pretrain.log"))
    args = ap.parse_args()
    out, logf = Path(args.out), Path(args.log)
    evals = [json.loads(l) for l in (out / "evals.jsonl").read_text().splitlines() if l.strip()] \
        if (out / "evals.jsonl").exists() else []
    before = {e["set"]: e for e in evals if e["tag"] == "before"}
    later = [e for e in evals if e["tag"] in ("checkpoint", "final")]
    steps = re.findall(r"^step (\d+)/(\d+) .*?(\d+) pieces/s seen=([\d,]+) epoch=([\d.]+) ETA=([\d.]+)h",
                       logf.read_text(errors="replace"), re.M) if logf.exists() else []
    plan = re.findall(r"^plan: (\d+) optimizer steps of (\d+)x(\d+)", logf.read_text(errors="replace"), re.M) \
        if logf.exists() else []
    ckpt = out / "checkpoint" / "latest.pt"
    lines = ["# Training status", "",
             f"Updated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python models/train/training_status.py`.",
             "", "## Domain pre-training of BERT-Base Cased (masked LM)", "",
             "Run: `models/train/pretrain_mlm.py` from `models/build/bert-base-cased` (converted by "
             "`convert_bert_tf.py`) on `models/build/mlm-corpus` (`build_mlm_corpus.py`), output "
             "`models/build/bert-base-cased-bio/` (checkpoint `checkpoint/latest.pt`, model folder `model/`, "
             "`evals.jsonl`), log `models/build/pretrain.log`.", ""]
    if plan:
        n, mb, acc = plan[-1]
        lines.append(f"- plan: {n} optimizer steps of {mb}×{acc} sequences of 128 pieces (1 epoch), bf16 autocast, "
                     "2 threads, nice 19")
    if steps:
        s, n, rate, seen, ep, eta = steps[-1]
        lines.append(f"- last logged step: {s}/{n} (epoch {ep}), {seen} pieces seen, {rate} pieces/s at that step, "
                     f"ETA {eta} h at that rate")
    else:
        lines.append("- no optimizer step logged yet")
    lines.append(f"- checkpoint: {'present, ' + time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(ckpt.stat().st_mtime)) if ckpt.exists() else 'none yet (the first comes ~10 minutes into training)'}")
    for name, e in before.items():
        lines.append(f"- held-out perplexity before (plain BERT-base-cased), {name}: {e['perplexity']:.2f} "
                     f"(loss {e['loss']:.4f}, {e['predicted_pieces']:,} predicted pieces)")
    if later:
        e = later[-1]
        lines.append(f"- held-out perplexity now (step {e['step']}), {e['set']}: {e['perplexity']:.2f} (loss {e['loss']:.4f})")
    else:
        lines.append("- held-out perplexity now: not yet measured (measured at each checkpoint)")
    lines += ["", "Resume (from the repository root; continues exactly where the last checkpoint stopped):", "",
              "```sh", RESUME, "```", "",
              "Check it runs: `tail -f models/build/pretrain.log`; refresh this file: "
              "`/work/venv/bin/python models/train/training_status.py`.", "",
              "## Next steps", "",
              "When the pre-training reaches its planned steps, `bash models/train/run_biobert.sh` continues from it: "
              "the devel search (`SEARCH=1`), the NER/RE teachers from `models/build/bert-base-cased-bio`, the same "
              "from plain `models/build/bert-base-cased` (ablation), the 6-layer student (`distill_ner.py`), export "
              "and evaluation. Each step is skipped when its output exists and resumes from its checkpoint; see "
              "models/REPORT.md, \"BioBERT recipe: how to run it\". Fine-tuning can also start earlier from the "
              "latest pre-training checkpoint (`--init models/build/bert-base-cased-bio`).", ""]
    text = "\n".join(lines)
    (BUILD / "STATUS.md").write_text(text, encoding="utf-8")
    (MODELS / "TRAINING-STATUS.md").write_text(text.replace(str(REPO) + "/", ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
