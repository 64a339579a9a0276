#!/usr/bin/env bash
# NER: train -> export (fp32 ONNX + int8) -> eval (PyTorch fp32 and int8 ONNX via Python onnxruntime) ->
# manifest scores; then RE the same. Every step is skipped when its output exists, and training resumes
# from its last checkpoint, so re-running after a kill continues where it stopped.
#   nohup bash models/train/run_all.sh > models/build/run_all.log 2>&1 &
# Env: LITMINE_SHARED_DATA (data root, default ../shared/data), NER_EPOCHS, RE_EPOCHS, SKIP_FP32_EVAL=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=models/build
mkdir -p "$B"
PY=${PYTHON:-python3}
NER_EPOCHS=${NER_EPOCHS:-1.5}
NER_BUDGET_MIN=${NER_BUDGET_MIN:-45}
RE_BUDGET_MIN=${RE_BUDGET_MIN:-25}
RE_EPOCHS=${RE_EPOCHS:-2}

step() { echo "=== $(date -u +%FT%TZ) $*"; }

# Order: both models trained and exported first, then int8 evals, then (optional) fp32 PyTorch evals.
# ---------------- NER train + export
if [ ! -f "$B/ner-fp32/training_info.json" ]; then
  step "train NER"; $PY models/train/train_ner.py --epochs "$NER_EPOCHS" --time-budget-min "$NER_BUDGET_MIN" --ckpt-every 100 --resume --out "$B/ner-fp32" >> "$B/train-ner.log" 2>&1
fi
if [ ! -f models/ner/manifest.json ] || [ "$B/ner-fp32/training_info.json" -nt models/ner/manifest.json ]; then
  step "export NER"; $PY models/train/export_onnx.py --task ner --hf "$B/ner-fp32" --out models/ner
  rm -f "$B/eval-ner-ort-int8.json" "$B/eval-ner-torch.json"
fi
# ---------------- RE train + export
if [ ! -f "$B/re-fp32/training_info.json" ]; then
  step "train RE"; $PY models/train/train_re.py --epochs "$RE_EPOCHS" --time-budget-min "$RE_BUDGET_MIN" --ckpt-every 100 --resume --out "$B/re-fp32" >> "$B/train-re.log" 2>&1
fi
if [ ! -f models/re/manifest.json ] || [ "$B/re-fp32/training_info.json" -nt models/re/manifest.json ]; then
  step "export RE"; $PY models/train/export_onnx.py --task re --hf "$B/re-fp32" --out models/re
  rm -f "$B/eval-re-ort-int8.json.done" "$B/eval-re-torch.json.done"
fi
# ---------------- int8 (shipped model) evaluation
if [ ! -f "$B/eval-ner-ort-int8.json.done" ] || [ models/ner/model.onnx -nt "$B/eval-ner-ort-int8.json.done" ]; then
  step "eval NER int8 (onnxruntime)"
  $PY models/train/eval_ner.py --engine ort --model models/ner --out "$B/eval-ner-ort-int8.json" && touch "$B/eval-ner-ort-int8.json.done"
fi
$PY models/train/finalize_manifest.py --model models/ner --int8 "$B/eval-ner-ort-int8.json" --fp32 "$B/eval-ner-torch.json" \
  --cmd-int8 "python models/train/eval_ner.py --engine ort --model models/ner --out $B/eval-ner-ort-int8.json" \
  --cmd-fp32 "python models/train/eval_ner.py --engine torch --model $B/ner-fp32 --out $B/eval-ner-torch.json"

if [ ! -f "$B/eval-re-ort-int8.json.done" ]; then
  step "eval RE int8 (onnxruntime)"
  $PY models/train/eval_re.py --engine ort --model models/re --out "$B/eval-re-ort-int8.json" && touch "$B/eval-re-ort-int8.json.done"
fi
$PY models/train/finalize_manifest.py --model models/re --int8 "$B/eval-re-ort-int8.json" --fp32 "$B/eval-re-torch.json" \
  --cmd-int8 "python models/train/eval_re.py --engine ort --model models/re --out $B/eval-re-ort-int8.json" \
  --cmd-fp32 "python models/train/eval_re.py --engine torch --model $B/re-fp32 --out $B/eval-re-torch.json"

# ---------------- fp32 PyTorch evaluation (reference)
if [ "${SKIP_FP32_EVAL:-0}" != 1 ] && { [ ! -f "$B/eval-ner-torch.json.done" ] || [ "$B/ner-fp32/training_info.json" -nt "$B/eval-ner-torch.json.done" ]; }; then
  step "eval NER fp32 (pytorch)"
  $PY models/train/eval_ner.py --engine torch --model "$B/ner-fp32" --out "$B/eval-ner-torch.json" && touch "$B/eval-ner-torch.json.done"
fi
$PY models/train/finalize_manifest.py --model models/ner --int8 "$B/eval-ner-ort-int8.json" --fp32 "$B/eval-ner-torch.json" \
  --cmd-int8 "python models/train/eval_ner.py --engine ort --model models/ner --out $B/eval-ner-ort-int8.json" \
  --cmd-fp32 "python models/train/eval_ner.py --engine torch --model $B/ner-fp32 --out $B/eval-ner-torch.json"

if [ "${SKIP_FP32_EVAL:-0}" != 1 ] && [ ! -f "$B/eval-re-torch.json.done" ]; then
  step "eval RE fp32 (pytorch)"
  $PY models/train/eval_re.py --engine torch --model "$B/re-fp32" --out "$B/eval-re-torch.json" && touch "$B/eval-re-torch.json.done"
fi
$PY models/train/finalize_manifest.py --model models/re --int8 "$B/eval-re-ort-int8.json" --fp32 "$B/eval-re-torch.json" \
  --cmd-int8 "python models/train/eval_re.py --engine ort --model models/re --out $B/eval-re-ort-int8.json" \
  --cmd-fp32 "python models/train/eval_re.py --engine torch --model $B/re-fp32 --out $B/eval-re-torch.json"

step "sizes"; du -cb models/ner/* models/re/* | tail -1
step "done"
