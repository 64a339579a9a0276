#!/usr/bin/env bash
# Evaluates the committed models with the TypeScript engine (`litmine eval`) on every test split the
# model report lists, writing one JSON per corpus to models/build/eval-ts/ and a summary line each.
#
#   bash scripts/eval-models.sh                 # models/ner and models/re
#   NER=models/build/ner-onnx-fp32 bash scripts/eval-models.sh ner   # another model folder
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${LITMINE_SHARED_DATA:-../shared/data}"
NER="${NER:-models/ner}"
RE="${RE:-models/re}"
OUT="${OUT:-models/build/eval-ts}"
WHAT="${1:-all}"
mkdir -p "$OUT"
litmine() { node bin/litmine.js "$@"; }

if [[ "$WHAT" == all || "$WHAT" == ner ]]; then
  while read -r corpus types; do
    litmine eval ner "$DATA/$corpus/biobert/test.tsv" --model "$NER" --type "$types" --json > "$OUT/ner-$corpus.json"
    echo "ner $corpus ($types): $(node -e 'const r=require(process.argv[1]); console.log(`P ${r.precision} R ${r.recall} F1 ${r.f1}`)' "$PWD/$OUT/ner-$corpus.json")"
  done <<'LIST'
ncbi-disease Disease
bc5cdr-disease Disease
bc5cdr-chem Chemical
bc2gm Gene
jnlpba Gene,CellLine,CellType
linnaeus Species
LIST
fi

if [[ "$WHAT" == all || "$WHAT" == re ]]; then
  # ChemProt and CID instances are built by re_data.py, written once under models/build/re-eval/.
  # bc5cdr-cid: mention level on top; its JSON's "document" is eval_re.py's bc5cdr-cid-doc.
  LITMINE_SHARED_DATA="$DATA" "${PYTHON:-python3}" models/train/write_eval_instances.py --corpus chemprot --corpus bc5cdr-cid
  INST=models/build/re-eval
  for spec in "gad:$DATA/gad/biobert-10fold/1/test.tsv" "euadr:$DATA/euadr/biobert-10fold/1/test.tsv" "chemprot:$INST/chemprot.re-instances.jsonl" "bc5cdr-cid:$INST/bc5cdr-cid.re-instances.jsonl"; do
    name="${spec%%:*}"; file="${spec#*:}"
    litmine eval re "$file" --model "$RE" --json > "$OUT/re-$name.json"
    echo "re $name: $(node -e 'const r=require(process.argv[1]); const d=r.document; console.log(`P ${r.precision} R ${r.recall} F1 ${r.f1}` + (d ? ` (document level: P ${d.precision} R ${d.recall} F1 ${d.f1})` : ""))' "$PWD/$OUT/re-$name.json")"
  done
fi
