#!/usr/bin/env bash
# The committed models, from the starting weights to the manifests' scores:
#   1. stage 1: NER then RE, each from the base weights, two threads, under a wall-clock budget;
#   2. stage 2: both continue from stage 1 at the point of their batch plan where it stopped, side by side
#      with one thread each (on two cores that trains more per hour than two threads one after the other);
#   3. export (weight-only int8 + the PyTorch model holding the same weights), then evaluation: Python
#      onnxruntime on the shipped file, PyTorch on the same weights, PyTorch on the unquantized weights.
# Every step is skipped when its output exists, and training resumes from its last checkpoint, so running it
# again after a kill continues where it stopped.
#   nohup bash models/train/run_all.sh > models/build/run_all.log 2>&1 &
# Env: LITMINE_SHARED_DATA (data root, default ../shared/data); budgets in minutes NER_BUDGET_MIN, RE_BUDGET_MIN
# (stage 1; 0 = no budget, a step-based schedule over NER_EPOCHS / RE_EPOCHS, e.g. on a GPU), NER_STAGE2_MIN,
# RE_STAGE2_MIN (stage 2; 0 skips it); QUANTIZATION=weights|dynamic.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=models/build
mkdir -p "$B"
PY=${PYTHON:-python3}
NER_BUDGET_MIN=${NER_BUDGET_MIN:-45}
RE_BUDGET_MIN=${RE_BUDGET_MIN:-25}
NER_STAGE2_MIN=${NER_STAGE2_MIN:-110}
RE_STAGE2_MIN=${RE_STAGE2_MIN:-75}
QUANTIZATION=${QUANTIZATION:-weights}

step() { echo "=== $(date -u +%FT%TZ) $*"; }

# ---------------- stage 1
if [ ! -f "$B/ner-stage1/training_info.json" ]; then
  step "train NER, stage 1"
  $PY models/train/train_ner.py --epochs "${NER_EPOCHS:-1.5}" --time-budget-min "$NER_BUDGET_MIN" --ckpt-dir "$B/ckpt-ner" --resume \
    --out "$B/ner-stage1" >> "$B/train-ner.log" 2>&1
fi
if [ ! -f "$B/re-stage1/training_info.json" ]; then
  step "train RE, stage 1"
  $PY models/train/train_re.py --epochs "${RE_EPOCHS:-2}" --time-budget-min "$RE_BUDGET_MIN" --ckpt-dir "$B/ckpt-re" --resume \
    --out "$B/re-stage1" >> "$B/train-re.log" 2>&1
fi

# ---------------- stage 2 (or stage 1 is final)
stage2() {  # task minutes
  local task=$1 minutes=$2
  if [ -f "$B/$task-fp32/training_info.json" ]; then return; fi
  if [ "$minutes" = 0 ]; then cp -r "$B/$task-stage1" "$B/$task-fp32"; return; fi
  step "train ${task^^}, stage 2"
  LITMINE_THREADS=1 $PY "models/train/train_$task.py" --init-from "$B/$task-stage1" --epochs 4 \
    --time-budget-min "$minutes" --ckpt-dir "$B/ckpt-$task-stage2" --resume --out "$B/$task-fp32" \
    >> "$B/train-$task-stage2.log" 2>&1
}
stage2 ner "$NER_STAGE2_MIN" &
ner_pid=$!
stage2 re "$RE_STAGE2_MIN" &
re_pid=$!
wait "$ner_pid"
wait "$re_pid"

# ---------------- export and Python evaluation, per task
for task in ner re; do
  if [ ! -f "models/$task/manifest.json" ] || [ "$B/$task-fp32/training_info.json" -nt "models/$task/manifest.json" ]; then
    step "export ${task^^} ($QUANTIZATION)"
    $PY models/train/export_onnx.py --task "$task" --hf "$B/$task-fp32" --out "models/$task" --quantization "$QUANTIZATION"
    rm -f "$B/eval-$task-"*.done
  fi
  for name in ort torch-same torch-fp32; do
    if [ "$name" = torch-same ] && [ "$QUANTIZATION" != weights ]; then continue; fi
    if [ ! -f "$B/eval-$task-$name.done" ]; then
      step "eval ${task^^} $name"
      case $name in
        ort) model=models/$task; engine=ort ;;
        torch-same) model=$B/$task-fp32-int8weights; engine=torch ;;
        torch-fp32) model=$B/$task-fp32; engine=torch ;;
      esac
      $PY "models/train/eval_$task.py" --engine "$engine" --model "$model" --out "$B/eval-$task-$name.json" \
        && touch "$B/eval-$task-$name.done"
    fi
  done
done

# ---------------- TypeScript evaluation (litmine eval), then the manifests' scores
step "TypeScript evaluation"; bash scripts/eval-models.sh
for task in ner re; do
  $PY models/train/finalize_manifest.py --model "models/$task" --shipped "$B/eval-$task-ort.json" \
    --same-weights "$B/eval-$task-torch-same.json" --fp32 "$B/eval-$task-torch-fp32.json" --typescript "$B/eval-ts" \
    --cmd "bash scripts/eval-models.sh  # TypeScript, litmine eval" \
    --cmd "python models/train/eval_$task.py --engine ort --model models/$task --out $B/eval-$task-ort.json" \
    --cmd "python models/train/eval_$task.py --engine torch --model $B/$task-fp32-int8weights --out $B/eval-$task-torch-same.json" \
    --cmd "python models/train/eval_$task.py --engine torch --model $B/$task-fp32 --out $B/eval-$task-torch-fp32.json"
done
step "sizes"; du -cb models/ner/* models/re/* | tail -1
step "done"
