#!/usr/bin/env bash
# The measurement behind "one multi-type NER model": per-corpus models trained with the same recipe (same base
# weights, loss, batch size, learning rate) for as many passes over their corpus as the multi-type model made over
# the union, evaluated on the same test splits with the same evaluator.
#   EPOCHS=3.0 bash models/train/per_corpus.sh      # EPOCHS: the multi-type model's epochs_done
# Writes models/build/percorpus-<corpus>/ and models/build/eval-percorpus-<corpus>.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=models/build
PY=${PYTHON:-python3}
EPOCHS=${EPOCHS:-3.0}
# corpus trained on -> test sets it can be scored on (its own, and the other corpora of its types)
for spec in "ncbi-disease:ncbi-disease,bc5cdr-disease" "bc5cdr:bc5cdr-disease,bc5cdr-chem,ncbi-disease"; do
  corpus=${spec%%:*}
  evals=${spec#*:}
  if [ ! -f "$B/percorpus-$corpus/training_info.json" ]; then
    echo "=== $(date -u +%FT%TZ) train $corpus only, $EPOCHS epochs"
    LITMINE_THREADS=${LITMINE_THREADS:-1} $PY models/train/train_ner.py --corpora "$corpus" --epochs "$EPOCHS" \
      --ckpt-dir "$B/ckpt-percorpus-$corpus" --resume --out "$B/percorpus-$corpus" >> "$B/train-percorpus-$corpus.log" 2>&1
  fi
  echo "=== $(date -u +%FT%TZ) eval $corpus-only model on $evals"
  $PY models/train/eval_ner.py --engine torch --threads 1 --model "$B/percorpus-$corpus" --corpora "$evals" \
    --out "$B/eval-percorpus-$corpus.json"
done
