#!/usr/bin/env bash
# The export a user would make of litmine's NER weights with Hugging Face optimum, for the peer in
# `npm run bench`: model.onnx (fp32) and model_quantized.onnx (optimum's avx512_vnni dynamic int8)
# in models/build/ner-optimum/. The HF model comes from reconstruct_hf.py (the shipped weights).
# optimum-onnx 0.1.0 pins transformers<4.58, so it goes into its own virtualenv.
#
#   bash models/train/optimum_export.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python}"
[[ -d models/build/ner-reconstructed/hf ]] || "$PY" models/train/reconstruct_hf.py models/ner
VENV=models/build/optimum-venv
[[ -x "$VENV/bin/optimum-cli" ]] || { "$PY" -m venv "$VENV"; "$VENV/bin/pip" install -q optimum-onnx onnxruntime; }
"$VENV/bin/optimum-cli" export onnx --model models/build/ner-reconstructed/hf --task token-classification models/build/ner-optimum
"$VENV/bin/optimum-cli" onnxruntime quantize --onnx_model models/build/ner-optimum --avx512_vnni -o models/build/ner-optimum-q
cp models/build/ner-optimum-q/model_quantized.onnx models/build/ner-optimum-q/ort_config.json models/build/ner-optimum/
echo "models/build/ner-optimum: model.onnx and model_quantized.onnx (dynamic int8, optimum avx512_vnni)"
