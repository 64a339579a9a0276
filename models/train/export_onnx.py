"""Export a fine-tuned HF model to ONNX (fp32, under models/build/) and int8 into a litmine model folder:
model.onnx, vocab.txt, config.json, golden.json, manifest.json.

  python models/train/export_onnx.py --task ner --hf models/build/ner-fp32 --out models/ner
  python models/train/export_onnx.py --task re  --hf models/build/re-fp32  --out models/re

--quantization weights (default): int8 weights, float32 arithmetic (weight_quant.py); the PyTorch model with the
same dequantized weights is saved to models/build/<task>-fp32-int8weights for evaluation, so PyTorch and the
TypeScript engine can be compared on the same model. --quantization dynamic: onnxruntime's dynamic int8
(activations quantized per batch tensor at run time; faster on CPUs with int8 dot products, batch-dependent).

golden.json: for sentences written for this project (golden_sentences.py), per sentence input_ids,
attention_mask, token_type_ids, PyTorch's logits on the unquantized weights, PyTorch's logits on the shipped
weights (weights mode) and the shipped file's logits from Python onnxruntime.
"""
import argparse
import datetime
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, ENTITY_TYPES, REPO, int8_kernel_family, load_model_tokenizer, log, model_casing, setup_torch, sha256_file, write_json  # noqa
from golden_sentences import NER_GOLDEN, RE_GOLDEN  # noqa
from weight_quant import QDQ_SESSION_CONFIG, dequantized_state_dict, quantize_onnx_weights  # noqa

OPSET = 17


TRAIN_FLAGS = ("epochs", "max_steps", "lr", "max_len", "batch_tokens", "max_bs", "keep_empty", "seed", "time_budget_min",
               "warmup_steps", "ckpt_every", "ckpt_dir", "init_from", "init", "corpora", "bf16", "teacher",
               "text", "text_sentences", "temperature", "alpha", "student_layers")
PATH_FLAGS = ("ckpt_dir", "init_from", "init", "teacher", "text")


def train_commands(task, info, out, rel):
    """One training command per stage, oldest first: a continuation stage names the previous stage's output."""
    stages = []
    while info:
        stages.append((info, out))
        out = info["args"].get("init_from") or None
        info = info.get("previous_stage")
    cmds = []
    for st, st_out in reversed(stages):
        flags = " ".join(f"--{k.replace('_', '-')}" + ("" if v is True else f" {rel(v) if k in PATH_FLAGS else v}")
                         for k, v in st["args"].items() if k in TRAIN_FLAGS and v)
        script = "distill_ner" if st.get("distillation") else f"train_{task}"
        cmds.append(f"python models/train/{script}.py {flags} --resume --out {st_out}")
    return cmds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", choices=["ner", "re"], required=True)
    ap.add_argument("--hf", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fp32-onnx", default=None)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--version", default=None)
    ap.add_argument("--quantization", choices=["weights", "dynamic"], default="weights")
    ap.add_argument("--same-weights-dir", default=None,
                    help="where the PyTorch model holding the shipped weights goes (default models/build/<task>-fp32-int8weights)")
    ap.add_argument("--name", default=None, help="model name in the manifest (default from the architecture)")
    args = ap.parse_args()
    def rel(p):
        p = Path(p).resolve()
        return str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p)

    torch, _ = setup_torch()
    torch_dev = "cpu"
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification
    hf = Path(args.hf)
    out = Path(args.out)
    fp32 = Path(args.fp32_onnx or (BUILD / f"{args.task}-onnx-fp32" / "model.onnx"))
    fp32.parent.mkdir(parents=True, exist_ok=True)
    cls = AutoModelForTokenClassification if args.task == "ner" else AutoModelForSequenceClassification
    model = cls.from_pretrained(str(hf), attn_implementation="eager").to(torch_dev).eval()
    tok = load_model_tokenizer(hf)  # the vocab and casing the model was trained with
    lower = model_casing(hf)
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
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    same_weights = None  # PyTorch holding exactly the weights the shipped file computes with
    if args.quantization == "weights":
        dequantized = quantize_onnx_weights(str(fp32), str(tmp / "model.onnx"))
        n = len(dequantized)
        state = dequantized_state_dict(model, str(fp32), dequantized)
        same_weights = cls.from_pretrained(str(hf), attn_implementation="eager").to(torch_dev).eval()
        same_weights.load_state_dict(state)
        sw_dir = Path(args.same_weights_dir or (BUILD / f"{args.task}-fp32-int8weights"))
        same_weights.save_pretrained(sw_dir)
        shutil.copy(hf / "vocab.txt", sw_dir / "vocab.txt")
        shutil.copy(hf / "training_info.json", sw_dir / "training_info.json")
        if (hf / "tokenizer_config.json").exists():  # the casing
            shutil.copy(hf / "tokenizer_config.json", sw_dir / "tokenizer_config.json")
        session_config = QDQ_SESSION_CONFIG
        quantization = {"method": "weight-only int8 (models/train/weight_quant.py)", "weights": "int8 symmetric, "
                        "one scale per output channel (MatMul/Gemm) or per row (embeddings)", "quantized_tensors": n,
                        "activations": "float32", "session_config": session_config,
                        "pytorch_same_weights": rel(sw_dir)}
    else:
        from onnxruntime.quantization import QuantType, quantize_dynamic
        quantize_dynamic(str(fp32), str(tmp / "model.onnx"), weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Gather", "Gemm"], per_channel=True)
        session_config = {}
        quantization = {"method": "onnxruntime.quantization.quantize_dynamic", "weight_type": "QInt8",
                        "op_types": ["MatMul", "Gather", "Gemm"], "per_channel": True,
                        "activations": "dynamic uint8 (per tensor, computed at run time)"}
    log(f"int8 ({args.quantization}) onnx {(tmp / 'model.onnx').stat().st_size / 1e6:.1f} MB")
    shutil.copy(hf / "vocab.txt", tmp / "vocab.txt")

    # ---- config.json = HF config + litmine fields
    cfg = json.loads((hf / "config.json").read_text())
    cfg["litmine_task"] = "token-classification" if args.task == "ner" else "relation-classification"
    cfg["max_length"] = args.max_length
    cfg["do_lower_case"] = lower
    cfg["strip_accents"] = lower  # BERT's rule: accents are stripped with lower-casing, kept with case
    cfg["tokenizer"] = "bert-wordpiece"
    cfg["onnx_inputs"] = ["input_ids", "attention_mask", "token_type_ids"]
    cfg["onnx_output"] = "logits"
    if session_config:
        cfg["onnx_session_config"] = session_config
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
    so8 = ort.SessionOptions()
    so8.intra_op_num_threads = 2
    for k, v in session_config.items():
        so8.add_session_config_entry(k, v)
    s8 = ort.InferenceSession(str(tmp / "model.onnx"), so8, providers=["CPUExecutionProvider"])
    golden = []
    max_diff_onnx32 = 0.0
    max_diff_int8 = 0.0
    max_diff_same = 0.0
    sents = [(None, s) for s in NER_GOLDEN] if args.task == "ner" else RE_GOLDEN
    labels = [cfg["id2label"][str(i)] for i in range(len(cfg["id2label"]))]
    for pair, s in sents:
        e = tok(s, truncation=True, max_length=args.max_length, return_tensors="np")
        feeds = {k: e[k].astype(np.int64) for k in ["input_ids", "attention_mask", "token_type_ids"]}
        inputs = [torch.from_numpy(feeds[k]) for k in ["input_ids", "attention_mask", "token_type_ids"]]
        with torch.no_grad():
            lt = wrapped(*inputs).numpy()
            ls = same_weights(input_ids=inputs[0], attention_mask=inputs[1], token_type_ids=inputs[2]).logits.numpy() \
                if same_weights is not None else None
        l32 = s32.run(["logits"], feeds)[0]
        l8 = s8.run(["logits"], feeds)[0]
        max_diff_onnx32 = max(max_diff_onnx32, float(np.abs(lt - l32).max()))
        max_diff_int8 = max(max_diff_int8, float(np.abs(lt - l8).max()))
        if ls is not None:
            max_diff_same = max(max_diff_same, float(np.abs(ls - l8).max()))
        g = {"text": s, "input_ids": feeds["input_ids"][0].tolist(), "attention_mask": feeds["attention_mask"][0].tolist(),
             "token_type_ids": feeds["token_type_ids"][0].tolist(),
             "tokens": tok.convert_ids_to_tokens(feeds["input_ids"][0].tolist()),
             "logits_fp32_pytorch": np.round(lt[0], 6).tolist(), "logits_int8_onnxruntime": np.round(l8[0], 6).tolist()}
        if ls is not None:
            g["logits_pytorch_same_weights"] = np.round(ls[0], 6).tolist()
        if args.task == "ner":
            g["argmax_int8"] = [labels[i] for i in l8[0].argmax(-1)]
        else:
            g["pair"] = pair
            valid = cfg["pair_labels"][pair]
            masked = np.where([l in valid for l in labels], l8[0], -np.inf)
            g["label_int8"] = labels[int(masked.argmax())]
        golden.append(g)
    golden_obj = ({
        "model": args.task, "quantization": args.quantization, "tolerance": 1e-4,
        "max_abs_diff_fp32_pytorch_vs_fp32_onnx": max_diff_onnx32,
        "max_abs_diff_fp32_pytorch_vs_int8_onnx": max_diff_int8,
        "max_abs_diff_pytorch_same_weights_vs_int8_onnx": max_diff_same if same_weights is not None else None,
        "onnxruntime_version": ort.__version__, "int8_kernels": [int8_kernel_family()], "labels": labels, "cases": golden})
    (tmp / "golden.json").write_text(json.dumps(golden_obj, ensure_ascii=False, separators=(",", ":")) + "\n",
                                     encoding="utf-8")
    log(f"golden: fp32 torch vs fp32 onnx max|d|={max_diff_onnx32:.2e}; vs int8 max|d|={max_diff_int8:.3f}; "
        f"torch on the same weights vs int8 onnx max|d|={max_diff_same:.2e}")

    # ---- manifest (scores are filled in by finalize_manifest.py after evaluation)
    from importlib.metadata import version as pv
    today = datetime.date.today().strftime("%Y.%m.%d")
    base = info.get("base_model", {})
    family = "minilm" if "package" in base else "bert-" + ("uncased" if lower else "cased")
    name = args.name or f"{args.task}-{family}-l{cfg.get('num_hidden_layers')}"
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
            "max_abs_diff_fp32_pytorch_vs_int8_onnx": max_diff_int8,
            "max_abs_diff_pytorch_same_weights_vs_int8_onnx": max_diff_same if same_weights is not None else None},
        "quantization": quantization, "int8_kernels": [int8_kernel_family()],
        "how_made": [
            "pip install -r models/train/requirements.txt",
            *train_commands(args.task, info, rel(hf), rel),
            f"python models/train/export_onnx.py --task {args.task} --hf {rel(hf)} --out {rel(out)} "
            f"--quantization {args.quantization}",
            "bash models/train/run_all.sh  # runs everything, skipping finished steps" if family == "minilm" else
            "bash models/train/run_biobert.sh  # the whole BioBERT recipe, skipping finished steps",
        ],
    }
    write_json(tmp / "manifest.json", manifest)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    log(f"wrote {out}: " + ", ".join(f"{f.name}={f.stat().st_size / 1e6:.2f}MB" for f in sorted(out.iterdir())))


if __name__ == "__main__":
    main()
