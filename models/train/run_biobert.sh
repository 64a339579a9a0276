#!/usr/bin/env bash
# The BioBERT recipe from Google's BERT-Base Cased, every step skipped when its output exists and every
# training step resumed from its last checkpoint (run it again after a kill and it continues):
#   1. convert the TF checkpoint (convert_bert_tf.py)            -> $B/bert-base-cased
#   2. build the MLM corpus (build_mlm_corpus.py)                -> $B/mlm-corpus
#   3. domain pre-training, masked LM (pretrain_mlm.py)          -> $B/bert-base-cased-bio
#   4. optional model selection on the devel splits (search_ner.sh, SEARCH=1): the best lr / batch size is used
#   5. fine-tune the teachers from the pre-trained weights       -> $B/ner-teacher-bio, $B/re-teacher-bio
#   6. the same from plain BERT-base-cased (the ablation)        -> $B/ner-teacher-plain, $B/re-teacher-plain
#   7. distil the NER teacher into a 6-layer student             -> $B/ner-student
#   8. export (int8 ONNX litmine folders)                        -> $B/export/ner-student, $B/export/re-teacher-bio
#   9. evaluate: PyTorch on every model, Python onnxruntime and litmine (TypeScript) on the exports, test splits
#                                                                -> $B/biobert-eval/*.json
#   nohup bash models/train/run_biobert.sh > models/build/run_biobert.log 2>&1 &
# Env: PYTHON (default python3), CONVERT_PYTHON (one with tensorflow-cpu, requirements-convert.txt),
# LITMINE_SHARED_DATA; PRETRAIN_EPOCHS (1); NER_LR (3e-5), NER_BS (32), RE_LR (3e-5), RE_BS (32) unless SEARCH=1
# picks the NER pair; NER_EPOCHS (2), RE_EPOCHS (3), NER_BUDGET_MIN / RE_BUDGET_MIN / DISTILL_BUDGET_MIN (0 = the
# whole plan; minutes of wall clock otherwise); DISTILL_EPOCHS (1); ABLATION=0 skips step 6; BF16=0 computes
# in fp32 (bf16 autocast otherwise: ~2.8x faster on CPUs with avx512_bf16, and on GPUs).
# Promote a result only after comparing it with the shipped default: litmine models promote DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=models/build
PY=${PYTHON:-python3}
CONVERT_PY=${CONVERT_PYTHON:-$PY}
BF=$([ "${BF16:-1}" = 1 ] && echo --bf16 || true)
NER_LR=${NER_LR:-3e-5}
NER_BS=${NER_BS:-32}
RE_LR=${RE_LR:-3e-5}
RE_BS=${RE_BS:-32}
MAX_LEN=128
EV=$B/biobert-eval
mkdir -p "$B" "$EV"

step() { echo "=== $(date -u +%FT%TZ) $*"; }
trained() { [ -f "$1/training_info.json" ]; }

# ---------------- 1-3: starting weights
if [ ! -f "$B/bert-base-cased/conversion.json" ]; then
  step "convert BERT-Base Cased"; $CONVERT_PY models/train/convert_bert_tf.py --out "$B/bert-base-cased"
fi
if [ ! -f "$B/mlm-corpus/manifest.json" ]; then
  step "build the MLM corpus"; $PY models/train/build_mlm_corpus.py --out "$B/mlm-corpus" --tokenizer "$B/bert-base-cased"
fi
pretrained() {  # the final checkpoint of the planned steps is written
  $PY -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s["step"] >= s["planned_steps"] else 1)' \
    "$B/bert-base-cased-bio/status.json" 2>/dev/null
}
if ! pretrained; then
  step "domain pre-training (masked LM)"
  $PY models/train/pretrain_mlm.py --corpus "$B/mlm-corpus" --init "$B/bert-base-cased" --out "$B/bert-base-cased-bio" \
    --resume --micro-batch 16 --accum 4 --epochs "${PRETRAIN_EPOCHS:-1}" >> "$B/pretrain.log" 2>&1
fi
BIO=$B/bert-base-cased-bio/model
PLAIN=$B/bert-base-cased

# ---------------- 4: model selection on the devel splits
if [ "${SEARCH:-0}" = 1 ]; then
  step "NER learning-rate / batch-size search on devel"
  INIT=$BIO SEARCH=$B/search/bio TRAIN_FLAGS="$BF" bash models/train/search_ner.sh
  read -r NER_LR NER_BS < <($PY -c 'import json,sys; s=json.load(open(sys.argv[1])); b=[c for c in s["configs"] if c["config"]==s["best"]][0]; print(b["lr"], b["batch_size"])' "$B/search/bio/ner-search.json")
  step "selected NER lr=$NER_LR batch=$NER_BS"
fi

# ---------------- 5-6: teachers (the pre-trained weights, then plain BERT for the ablation)
teacher() {  # task init name lr bs epochs budget
  local task=$1 init=$2 name=$3 lr=$4 bs=$5 epochs=$6 budget=$7
  trained "$B/$name" && return
  step "fine-tune $name from $init (lr $lr, batch $bs)"
  # shellcheck disable=SC2086
  $PY "models/train/train_$task.py" --init "$init" --lr "$lr" --max-bs "$bs" --batch-tokens $((bs * MAX_LEN)) \
    --epochs "$epochs" --time-budget-min "$budget" $BF --ckpt-dir "$B/ckpt-$name" --resume --out "$B/$name" \
    >> "$B/train-$name.log" 2>&1
}
teacher ner "$BIO" ner-teacher-bio "$NER_LR" "$NER_BS" "${NER_EPOCHS:-2}" "${NER_BUDGET_MIN:-0}"
teacher re "$BIO" re-teacher-bio "$RE_LR" "$RE_BS" "${RE_EPOCHS:-3}" "${RE_BUDGET_MIN:-0}"
if [ "${ABLATION:-1}" = 1 ]; then
  teacher ner "$PLAIN" ner-teacher-plain "$NER_LR" "$NER_BS" "${NER_EPOCHS:-2}" "${NER_BUDGET_MIN:-0}"
  teacher re "$PLAIN" re-teacher-plain "$RE_LR" "$RE_BS" "${RE_EPOCHS:-3}" "${RE_BUDGET_MIN:-0}"
fi

# ---------------- 7: the serving-size student
if ! trained "$B/ner-student"; then
  step "distil ner-teacher-bio into a 6-layer student"
  # shellcheck disable=SC2086
  $PY models/train/distill_ner.py --teacher "$B/ner-teacher-bio" --text "$B/mlm-corpus" --lr 5e-5 \
    --epochs "${DISTILL_EPOCHS:-1}" --time-budget-min "${DISTILL_BUDGET_MIN:-0}" $BF --ckpt-dir "$B/ckpt-ner-student" \
    --resume --out "$B/ner-student" >> "$B/train-ner-student.log" 2>&1
fi

# ---------------- 8: export
export_model() {  # task hf name
  local task=$1 hf=$2 out=$B/export/$3
  if [ -f "$out/manifest.json" ] && [ "$out/manifest.json" -nt "$hf/training_info.json" ]; then return; fi
  step "export $3"
  $PY models/train/export_onnx.py --task "$task" --hf "$hf" --out "$out" --fp32-onnx "$B/export/$3-fp32/model.onnx" \
    --same-weights-dir "$B/export/$3-int8weights"
  rm -f "$EV/$3-"*.json
}
export_model ner "$B/ner-student" ner-student
export_model re "$B/re-teacher-bio" re-teacher-bio

# ---------------- 9: evaluation on the test splits
ev() {  # task engine model name
  [ -f "$EV/$4.json" ] && return
  step "evaluate $4 ($2)"
  $PY "models/train/eval_$1.py" --engine "$2" --model "$3" --out "$EV/$4.tmp.json" && mv "$EV/$4.tmp.json" "$EV/$4.json"
}
for m in ner-teacher-bio ner-teacher-plain ner-student; do trained "$B/$m" && ev ner torch "$B/$m" "$m-torch"; done
for m in re-teacher-bio re-teacher-plain; do trained "$B/$m" && ev re torch "$B/$m" "$m-torch"; done
ev ner torch "$B/export/ner-student-int8weights" ner-student-torch-same
ev ner ort "$B/export/ner-student" ner-student-ort
ev re ort "$B/export/re-teacher-bio" re-teacher-bio-ort
step "TypeScript evaluation (litmine eval)"
NER=$B/export/ner-student RE=$B/export/re-teacher-bio OUT=$EV/ts bash scripts/eval-models.sh
step "sizes"; du -cb "$B/export/ner-student"/* "$B/export/re-teacher-bio"/* | tail -1
step "done: compare $EV with models/build/eval-* before litmine models promote"
