#!/usr/bin/env bash
# Model selection for NER fine-tuning on the devel splits (BioBERT searched learning rates 5e-5/3e-5/1e-5 and
# batch sizes 10-64): every (learning rate, batch size) pair trains from --init for the same budget, is scored
# by eval_ner.py on each corpus' devel file, and the table (per configuration: P/R/F1 per corpus, mean F1,
# steps, minutes) goes to $SEARCH/ner-search.json with the best configuration named. A configuration whose
# evaluation exists is skipped and training resumes from its checkpoint, so a killed search continues.
#   INIT=models/build/bert-base-cased-bio nohup bash models/train/search_ner.sh > models/build/search.log 2>&1 &
# Env: INIT (starting weights, default the domain pre-trained BERT), LRS (default "5e-5 3e-5"), BATCHES (sentences
# per batch, default "16 32"), BUDGET_MIN (wall-clock minutes per configuration, default 20; 0 = EPOCHS epochs),
# EPOCHS (batch plan length, default 1), SEARCH (output folder, default models/build/search/<init name>),
# EVAL_LIMIT (devel sentences per corpus, 0 = all), TRAIN_FLAGS (extra train_ner.py flags, e.g. "--bf16").
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
INIT=${INIT:-models/build/bert-base-cased-bio}
LRS=${LRS:-5e-5 3e-5}
BATCHES=${BATCHES:-16 32}
BUDGET_MIN=${BUDGET_MIN:-20}
EPOCHS=${EPOCHS:-1}
MAX_LEN=${MAX_LEN:-128}
EVAL_LIMIT=${EVAL_LIMIT:-0}
TRAIN_FLAGS=${TRAIN_FLAGS:-}
SEARCH=${SEARCH:-models/build/search/$(basename "$INIT")}
mkdir -p "$SEARCH"

for lr in $LRS; do
  for bs in $BATCHES; do
    name="lr$lr-bs$bs"
    dir="$SEARCH/$name"
    if [ -f "$dir/eval-devel.json" ]; then echo "=== $name: evaluated, skipped"; continue; fi
    mkdir -p "$dir"
    if [ ! -f "$dir/model/training_info.json" ]; then
      echo "=== $(date -u +%FT%TZ) train $name"
      # batch size in sentences: the token cap never binds before the sentence cap
      # shellcheck disable=SC2086
      $PY models/train/train_ner.py --init "$INIT" --lr "$lr" --max-bs "$bs" --batch-tokens $((bs * MAX_LEN)) \
        --max-len "$MAX_LEN" --epochs "$EPOCHS" --time-budget-min "$BUDGET_MIN" --ckpt-dir "$dir/ckpt" --resume \
        --out "$dir/model" $TRAIN_FLAGS >> "$dir/train.log" 2>&1
    fi
    echo "=== $(date -u +%FT%TZ) evaluate $name on devel"
    $PY models/train/eval_ner.py --engine torch --model "$dir/model" --split devel --limit "$EVAL_LIMIT" \
      --out "$dir/eval-devel.tmp.json"
    mv "$dir/eval-devel.tmp.json" "$dir/eval-devel.json"
    rm -rf "$dir/ckpt"  # the model is kept; its checkpoint (optimizer state) is not needed any more
  done
done

$PY - "$SEARCH" "$INIT" <<'EOF'
import json, sys
from pathlib import Path
search, init = Path(sys.argv[1]), sys.argv[2]
rows = []
for d in sorted(p for p in search.iterdir() if (p / "eval-devel.json").exists()):
    ev = json.loads((d / "eval-devel.json").read_text())
    info = json.loads((d / "model" / "training_info.json").read_text())
    a = info["args"]
    rows.append({"config": d.name, "lr": a["lr"], "batch_size": a["max_bs"], "steps": info["steps"],
                 "epochs_done": info["epochs_done"], "train_minutes": round(info["train_minutes"], 1),
                 "mean_f1": round(sum(r["f1"] for r in ev.values()) / len(ev), 2),
                 "devel": {c: {k: r[k] for k in ("precision", "recall", "f1", "sentences")} for c, r in ev.items()}})
rows.sort(key=lambda r: -r["mean_f1"])
out = {"init": init, "split": "devel", "selection": "highest mean F1 over the devel files", "configs": rows,
       "best": rows[0]["config"] if rows else None}
(search / "ner-search.json").write_text(json.dumps(out, indent=2) + "\n")
for r in rows:
    print(f"{r['config']:>16}  mean F1 {r['mean_f1']:6.2f}  " + "  ".join(f"{c} {v['f1']}" for c, v in r["devel"].items()))
print(f"best: {out['best']} -> {search / 'ner-search.json'}")
EOF
