"""Export a fine-tuned HF model to ONNX (fp32, under models/build/) and int8 (dynamic quantization) into a
litmine model folder: model.onnx, vocab.txt, config.json, golden.json, manifest.json.

  python models/train/export_onnx.py --task ner --hf models/build/ner-fp32 --out models/ner
  python models/train/export_onnx.py --task re  --hf models/build/re-fp32  --out models/re

golden.json: for sentences written for this project (golden_sentences.py), per sentence input_ids,
attention_mask, token_type_ids, the fp32 PyTorch logits and the int8 logits from Python onnxruntime.
"""
import argparse
import datetime
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, ENTITY_TYPES, REPO, base_model_info, load_tokenizer, log, setup_torch, sha256_file, write_json  # noqa
from golden_sentences import NER_GOLDEN, RE_GOLDEN  # noqa

OPSET = 17


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", choices=["ner", "re"], required=True)
    ap.add_argument("--hf", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fp32-onnx", default=None)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--version", default=None)
    args = ap.parse_args()
    torch, _ = setup_torch()
    torch_dev = "cpu"
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification
    hf = Path(args.hf)
    out = Path(args.out)
    fp32 = Path(args.fp32_onnx or (BUILD / f"{args.task}-onnx-fp32" / "model.onnx"))
    fp32.parent.mkdir(parents=True, exist_ok=True)
    cls = AutoModelForTokenClassification if args.task == "ner" else AutoModelForSequenceClassification
    model = cls.from_pretrained(str(hf), attn_implementation="eager").to(torch_dev).eval()
    tok = load_tokenizer(hf / "vocab.txt")
    info = json.loads((hf / "training_info.json").read_text())

    # ---- export fp32
    enc = tok(["a sentence for tracing", "another one"], padding=True, return_tensors="pt")
    dyn = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
           "token_type_ids": {0: "batch", 1: "sequence"},
           "logits": {0: "batch", 1: "sequence"} if args.task == "ner" else {0: "batch"}}

    class Wrap(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    wrapped = Wrap(model).eval()  # (export restores the wrapper's train flag onto all children: keep it eval)
    torch.onnx.export(wrapped, (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes=dyn, opset_version=OPSET, dynamo=False)
    log(f"fp32 onnx {fp32} {fp32.stat().st_size / 1e6:.1f} MB")

    # ---- int8
    from onnxruntime.quantization import QuantType, quantize_dynamic
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    quantize_dynamic(str(fp32), str(tmp / "model.onnx"), weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather", "Gemm"], per_channel=True)
    log(f"int8 onnx {(tmp / 'model.onnx').stat().st_size / 1e6:.1f} MB")
    shutil.copy(hf / "vocab.txt", tmp / "vocab.txt")

    # ---- config.json = HF config + litmine fields
    cfg = json.loads((hf / "config.json").read_text())
    cfg["litmine_task"] = "token-classification" if args.task == "ner" else "relation-classification"
    cfg["max_length"] = args.max_length
    cfg["do_lower_case"] = True
    cfg["strip_accents"] = True
    cfg["tokenizer"] = "bert-wordpiece"
    cfg["onnx_inputs"] = ["input_ids", "attention_mask", "token_type_ids"]
    cfg["onnx_output"] = "logits"
    if args.task == "ner":
        cfg["entity_types"] = ENTITY_TYPES
        cfg["label_scheme"] = "IOB2"
        cfg["label_first_subtoken_only"] = True
    else:
        from re_data import ENTITY_MASKS, PAIR_LABELS
        cfg["pair_labels"] = PAIR_LABELS
        cfg["entity_masks"] = ENTITY_MASKS
        cfg["negative_label"] = "false"
    write_json(tmp / "config.json", cfg)

    # ---- golden logits
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    s32 = ort.InferenceSession(str(fp32), so, providers=["CPUExecutionProvider"])
    s8 = ort.InferenceSession(str(tmp / "model.onnx"), so, providers=["CPUExecutionProvider"])
    golden = []
    max_diff_onnx32 = 0.0
    max_diff_int8 = 0.0
    sents = [(None, s) for s in NER_GOLDEN] if args.task == "ner" else RE_GOLDEN
    labels = [cfg["id2label"][str(i)] for i in range(len(cfg["id2label"]))]
    for pair, s in sents:
        e = tok(s, truncation=True, max_length=args.max_length, return_tensors="np")
        feeds = {k: e[k].astype(np.int64) for k in ["input_ids", "attention_mask", "token_type_ids"]}
        with torch.no_grad():
            lt = wrapped(*[torch.from_numpy(feeds[k]) for k in ["input_ids", "attention_mask", "token_type_ids"]]).numpy()
        l32 = s32.run(["logits"], feeds)[0]
        l8 = s8.run(["logits"], feeds)[0]
        max_diff_onnx32 = max(max_diff_onnx32, float(np.abs(lt - l32).max()))
        max_diff_int8 = max(max_diff_int8, float(np.abs(lt - l8).max()))
        g = {"text": s, "input_ids": feeds["input_ids"][0].tolist(), "attention_mask": feeds["attention_mask"][0].tolist(),
             "token_type_ids": feeds["token_type_ids"][0].tolist(),
             "tokens": tok.convert_ids_to_tokens(feeds["input_ids"][0].tolist()),
             "logits_fp32_pytorch": np.round(lt[0], 6).tolist(), "logits_int8_onnxruntime": np.round(l8[0], 6).tolist()}
        if args.task == "ner":
            g["argmax_int8"] = [labels[i] for i in l8[0].argmax(-1)]
        else:
            g["pair"] = pair
            valid = cfg["pair_labels"][pair]
            masked = np.where([l in valid for l in labels], l8[0], -np.inf)
            g["label_int8"] = labels[int(masked.argmax())]
        golden.append(g)
    golden_obj = ({
        "model": args.task, "tolerance_int8_vs_python_ort": 1e-4, "tolerance_fp32": 1e-4,
        "max_abs_diff_fp32_pytorch_vs_fp32_onnx": max_diff_onnx32,
        "max_abs_diff_fp32_pytorch_vs_int8_onnx": max_diff_int8,
        "onnxruntime_version": ort.__version__, "labels": labels, "cases": golden})
    (tmp / "golden.json").write_text(json.dumps(golden_obj, ensure_ascii=False, separators=(",", ":")) + "\n",
                                     encoding="utf-8")
    log(f"golden: fp32 torch vs fp32 onnx max|d|={max_diff_onnx32:.2e}; vs int8 max|d|={max_diff_int8:.3f}")

    def rel(p):
        p = Path(p).resolve()
        return str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p)

    # ---- manifest (scores are filled in by finalize_manifest.py after evaluation)
    from importlib.metadata import version as pv
    today = datetime.date.today().strftime("%Y.%m.%d")
    name = f"{args.task}-minilm-l6"
    files = {f.name: sha256_file(f) for f in sorted(tmp.iterdir()) if f.name != "manifest.json"}
    if args.task == "ner":
        training_data = [{"corpus": c, "split": "train"} for c in
                         ["ncbi-disease/mtl-iob", "bc5cdr-combined/mtl-iob", "bc2gm/mtl-iob", "jnlpba-standoff/train",
                          "linnaeus/mtl-iob"]]
    else:
        training_data = [{"corpus": "chemprot-scibert", "split": "train"},
                         {"corpus": "gad/biobert-10fold/1", "split": "train"},
                         {"corpus": "euadr/biobert-10fold/1", "split": "train"},
                         {"corpus": "bc5cdr-pubtator", "split": "CDR_TrainingSet+CDR_DevelopmentSet"}]
    manifest = {
        "name": name, "version": args.version or f"{name}-{today}",
        "task": cfg["litmine_task"], "files": files, "base_model": info["base_model"],
        "training_data": training_data, "training": {k: info[k] for k in info if k not in ("base_model",)},
        "scores": {}, "export": {
            "opset": OPSET, "torch": pv("torch"), "transformers": pv("transformers"), "onnx": pv("onnx"),
            "onnxruntime": pv("onnxruntime"), "fp32_onnx_bytes": fp32.stat().st_size,
            "max_abs_diff_fp32_pytorch_vs_fp32_onnx": max_diff_onnx32,
            "max_abs_diff_fp32_pytorch_vs_int8_onnx": max_diff_int8},
        "quantization": {"method": "onnxruntime.quantization.quantize_dynamic", "weight_type": "QInt8",
                         "op_types": ["MatMul", "Gather", "Gemm"], "per_channel": True,
                         "activations": "dynamic uint8 (per tensor, computed at run time)"},
        "how_made": [
            "pip install -r models/train/requirements.txt",
            f"python models/train/train_{args.task}.py " + " ".join(
                f"--{k.replace('_', '-')} {v}" for k, v in info["args"].items()
                if k in ("epochs", "lr", "max_len", "batch_tokens", "max_bs", "keep_empty", "seed", "time_budget_min",
                         "warmup_steps", "ckpt_every")) + " --resume",
            f"python models/train/export_onnx.py --task {args.task} --hf {rel(hf)} --out {rel(out)}",
            "bash models/train/run_all.sh  # runs everything, skipping finished steps",
        ],
    }
    write_json(tmp / "manifest.json", manifest)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    log(f"wrote {out}: " + ", ".join(f"{f.name}={f.stat().st_size / 1e6:.2f}MB" for f in sorted(out.iterdir())))


if __name__ == "__main__":
    main()
