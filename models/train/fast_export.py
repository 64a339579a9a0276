"""Fast variants of a litmine model for CPU inference, built from its fp32 ONNX (reconstruct_hf.py), and a
throughput measurement of each on real sentences in length-sorted batches.

  fused          onnxruntime.transformers optimizer: Attention, SkipLayerNormalization, BiasGelu fusion; fp32
  dynamic        fused + onnxruntime quantize_dynamic (int8 weights per channel, activations per batch tensor:
                 results depend on batch-mates, measured for comparison only)
  static-qdq     optimizer without attention fusion, then static int8 QDQ: every weight MatMul (Q/K/V, attention
                 output, both FFN layers) with per-channel int8 weights and uint8 activations calibrated on
                 training-split sentences; softmax, LayerNorm, GELU, the attention score products and the
                 classifier stay float32. Scales are constants, so each row's result is its own.
  static-attn    fused Attention in fp32 + static QDQ on the remaining weight MatMuls (FFN, attention output)
  static-qop     static int8 in operator form on the unfused fp32 graph: every weight MatMul becomes a
                 QLinearMatMul (per-channel int8 weights, uint8 activations with calibrated constant scales).
                 onnxruntime keeps these as integer kernels (VNNI where the CPU has it) instead of rewriting
                 a QDQ weight into a float MatMulNBits, and the rest of the graph stays float32 as in
                 static-qdq. Integer products and constant scales: each row's result is its own.
  static-itf     static-qop with each QLinearMatMul -> DequantizeLinear -> bias Add chain as one MatMulIntegerToFloat
                 (integer_to_float.py): the same integer products and input scales, float32 outputs with the bias
                 inside, so no output rounding and two passes over the activations fewer.
  static-full    static-itf with the FFN-output products integer too (ffn_output_int8.py): the GELU outputs get one
                 calibrated constant scale per channel, folded into the weight's rows, so every weight MatMul of the
                 encoder is an int8 product; batch-independent as the others.

  static-itf and static-full start from static-qop's model.onnx, which a shipped static-qop folder also is:
  python models/train/fast_export.py --src models/build/ner-reconstructed --task ner --variants static-qop,static-itf,static-full

  python models/train/fast_export.py --src models/build/ner-reconstructed --task ner --variants fused,static-qdq
"""
import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from weight_quant import QDQ_SESSION_CONFIG, quantize_onnx_weights  # noqa
from common import BUILD, NER_EVAL, data_root, encode_words, load_ner_train, load_tokenizer, log, read_conll  # noqa

HEADS, HIDDEN = 12, 384


def optimize(src: Path, dst: Path, attention: bool):
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model
    opts = FusionOptions("bert")
    opts.enable_attention = attention
    m = optimize_model(str(src), model_type="bert", num_heads=HEADS, hidden_size=HIDDEN, optimization_options=opts,
                       opt_level=0, use_gpu=False)
    m.save_model_to_file(str(dst))
    return m.get_fused_operator_statistics()


def calibration_ids(tok, n: int, max_len: int, seed: int = 0, task: str = "ner"):
    """Token ids of n training-split sentences (all NER training corpora, or for RE the masked training
    instances of all RE corpora, shuffled with a fixed seed)."""
    if task == "re":
        from re_data import load_re
        from train_re import encode_re
        inst, _ = load_re("train")
        rng = random.Random(seed)
        rng.shuffle(inst)
        return [encode_re(tok, i[1], max_len) for i in inst[:n]]
    sents = load_ner_train("train")
    rng = random.Random(seed)
    rng.shuffle(sents)
    out = []
    for _, words, _ in sents[:n]:
        out += [ids for ids, _ in encode_words(tok, words, max_len)]
    return out


def feeds_for(batch_ids):
    S = max(len(x) for x in batch_ids)
    ids = np.zeros((len(batch_ids), S), dtype=np.int64)
    am = np.zeros_like(ids)
    for i, x in enumerate(batch_ids):
        ids[i, : len(x)] = x
        am[i, : len(x)] = 1
    return {"input_ids": ids, "attention_mask": am, "token_type_ids": np.zeros_like(ids)}


def static_quantize(src: Path, dst: Path, calib, exclude_classifier=True, operator_form=False, exclude_ffn_output=False):
    import onnx
    from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter([feeds_for([x]) for x in calib])

        def get_next(self):
            return next(self.it, None)

    model = onnx.load(str(src))
    inits = {i.name for i in model.graph.initializer}
    # Only weight MatMuls: activation x activation products (attention scores) and the classifier stay fp32.
    exclude = [n.name for n in model.graph.node if n.op_type == "MatMul" and not any(x in inits for x in n.input)]
    if exclude_classifier:
        exclude += [n.name for n in model.graph.node if n.op_type == "MatMul" and "classifier" in n.name]
    if exclude_ffn_output:
        # The FFN's second product reads GELU outputs, whose long tail one per-tensor uint8 scale cannot hold
        # (measured: quantized, NCBI-disease F1 -2.7 and BC2GM -2.0; left in float32, +0.4 and -0.2).
        exclude += [n.name for n in model.graph.node
                    if n.op_type == "MatMul" and "/output/dense/" in n.name and "/attention/" not in n.name]
    quantize_static(str(src), str(dst), Reader(), quant_format=QuantFormat.QOperator if operator_form else QuantFormat.QDQ,
                    per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                    nodes_to_exclude=exclude, calibrate_method=CalibrationMethod.MinMax,
                    extra_options={"ActivationSymmetric": False, "WeightSymmetric": True, "MatMulConstBOnly": True,
                                   "DefaultTensorType": onnx.TensorProto.FLOAT})
    return {"excluded_nodes": len(exclude)}


def dynamic_quantize(src: Path, dst: Path):
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def bench_sentences(tok, n=1000, max_len=128):
    """Token ids of n BC5CDR test-split sentences (the bench's corpus), as the model sees them."""
    sents = read_conll(data_root() / NER_EVAL["bc5cdr-chem"][0].format(split="test"))[:n]
    return [ids for w, _ in sents for ids, _ in encode_words(tok, w, max_len)]


def throughput(path: Path, seqs, token_budget=4096, max_bs=128, threads=2):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    batches, cur = [], []
    for i in order:
        if cur and (len(cur) + 1) * len(seqs[i]) > token_budget or len(cur) >= max_bs:
            batches.append(cur)
            cur = []
        cur.append(i)
    batches.append(cur)
    s.run(["logits"], feeds_for([seqs[i] for i in batches[-1]]))  # warm-up
    t = time.perf_counter()
    for b in batches:
        s.run(["logits"], feeds_for([seqs[i] for i in b]))
    return len(seqs) / (time.perf_counter() - t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True, help="folder with the fp32 model.onnx, config.json, vocab.txt")
    ap.add_argument("--task", choices=["ner", "re"], required=True)
    ap.add_argument("--variants", default="fused,dynamic,static-qdq,static-attn")
    ap.add_argument("--calib", type=int, default=400, help="training sentences for static calibration")
    ap.add_argument("--bench", type=int, default=1000)
    ap.add_argument("--ship", default=None, help="variant to write into --out as a litmine model folder")
    ap.add_argument("--shipped", default=None, help="the current litmine folder (config, vocab, golden, manifest)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.ship:
        root = BUILD / f"{args.task}-variants"
        tmp = Path(args.out + ".tmp")
        ship(root / args.ship, Path(args.shipped), tmp, args.calib, Path(args.src))
        shutil.rmtree(args.out, ignore_errors=True)
        tmp.rename(args.out)
        return
    src = Path(args.src)
    tok = load_tokenizer(src / "vocab.txt")
    root = BUILD / f"{args.task}-variants"
    results = {}
    calib = None
    for v in args.variants.split(","):
        d = root / v
        d.mkdir(parents=True, exist_ok=True)
        for f in ("vocab.txt", "config.json"):
            shutil.copy(src / f, d / f)
        t = time.time()
        info = {}
        if v == "fused":
            info["fused"] = optimize(src / "model.onnx", d / "model.onnx", attention=True)
        elif v == "dynamic":
            fused = root / "fused" / "model.onnx"
            if not fused.exists():
                optimize(src / "model.onnx", fused, attention=True)
            dynamic_quantize(fused, d / "model.onnx")
        elif v in ("static-qdq", "static-attn"):
            calib = calib or calibration_ids(tok, args.calib, 128, task=args.task)
            pre = d / "pre.onnx"
            info["fused"] = optimize(src / "model.onnx", pre, attention=v == "static-attn")
            info.update(static_quantize(pre, d / "model.onnx", calib))
            pre.unlink()
        elif v == "static-itf":
            qop = root / "static-qop"
            if not (qop / "model.onnx").exists():
                sys.exit(f"build static-qop first: {qop}/model.onnx is absent")
            import onnx
            from integer_to_float import integer_to_float
            model = onnx.load(str(qop / "model.onnx"))
            info["rewritten"] = integer_to_float(model)
            onnx.save(model, str(d / "model.onnx"))
            shutil.copy(qop / "config.json", d / "config.json")
        elif v == "static-full":
            itf = root / "static-itf"
            if not (itf / "model.onnx").exists():
                sys.exit(f"build static-itf first: {itf}/model.onnx is absent")
            from ffn_output_int8 import quantize_ffn_outputs
            calib = calib or calibration_ids(tok, args.calib, 128, task=args.task)
            info.update(quantize_ffn_outputs(itf / "model.onnx", d / "model.onnx", [feeds_for([x]) for x in calib],
                                             alpha=1.0))
            shutil.copy(itf / "config.json", d / "config.json")
        elif v == "static-qop":
            # On the unfused graph: the quantizer finds no calibrated ranges behind the fused contrib ops.
            calib = calib or calibration_ids(tok, args.calib, 128, task=args.task)
            info.update(static_quantize(src / "model.onnx", d / "model.onnx", calib, operator_form=True,
                                        exclude_ffn_output=True))
            # What stayed float32 (embeddings, FFN outputs, classifier) is stored as weight-only int8, folded
            # back to float32 at load (QDQ_SESSION_CONFIG), as in the weight-only models.
            quantize_onnx_weights(str(d / "model.onnx"), str(d / "model.onnx"))
            cfg = json.loads((d / "config.json").read_text())
            cfg["onnx_session_config"] = QDQ_SESSION_CONFIG
            (d / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
        log(f"{v}: built in {time.time() - t:.0f}s, {(d / 'model.onnx').stat().st_size / 1e6:.1f} MB")
        results[v] = {**info, "bytes": (d / "model.onnx").stat().st_size}
    if args.bench and args.task == "ner":
        seqs = bench_sentences(tok, args.bench)
        for v in ["fp32"] + list(results):
            p = src / "model.onnx" if v == "fp32" else root / v / "model.onnx"
            sps = throughput(p, seqs)
            results.setdefault(v, {})["sentences_per_s"] = round(sps, 1)
            log(f"{v}: {sps:.1f} sentences/s ({len(seqs)} BC5CDR test sentences, length-sorted, 4096-token batches)")
    (root / "variants.json").write_text(json.dumps(results, indent=2, default=str) + "\n")



QUANTIZATION = {
    "static-qdq": {
        "label": "static-int8-qdq",
        "method": "static int8 QDQ (models/train/fast_export.py static-qdq), after onnxruntime.transformers optimizer "
                  "fusion (SkipLayerNormalization, BiasGelu; attention left unfused so its projections quantize)",
    },
    "static-qop": {
        "label": "static-int8-qop",
        "method": "static int8 in operator form (models/train/fast_export.py static-qop): QLinearMatMul for the "
                  "Q/K/V, attention-output and FFN-input MatMuls of the unfused graph; the FFN-output MatMuls, the "
                  "embeddings and the classifier weight-only int8 computed in float32",
        "float32": "embeddings, LayerNorm, softmax, GELU, attention score products, FFN outputs, the classifier",
    },
    "static-itf": {
        "label": "static-int8-itf",
        "method": "static int8 with float outputs (models/train/fast_export.py static-itf): the Q/K/V, attention-output "
                  "and FFN-input MatMuls of the unfused graph as MatMulIntegerToFloat (uint8 input with a calibrated "
                  "constant scale, per-channel int8 weights, float32 output with the bias inside); the FFN-output "
                  "MatMuls, the embeddings and the classifier weight-only int8 computed in float32",
        "float32": "embeddings, LayerNorm, softmax, GELU, attention score products, the products' outputs, FFN "
                   "outputs, the classifier",
    },
    "static-full": {
        "label": "static-int8-full",
        "method": "static int8 in every encoder weight MatMul (models/train/fast_export.py static-full): Q/K/V, "
                  "attention output and FFN input as MatMulIntegerToFloat on uint8 inputs with one calibrated constant "
                  "scale per tensor; the FFN outputs as MatMulIntegerToFloat on GELU outputs with one calibrated "
                  "constant scale per channel, folded into the weight rows (ffn_output_int8.py, SmoothQuant's split "
                  "with alpha 1); per-channel int8 weights, float32 outputs with the bias inside; the embeddings and "
                  "the classifier weight-only int8 computed in float32",
        "float32": "embeddings, LayerNorm, softmax, GELU, attention score products, the products' outputs, the "
                   "classifier",
        "activations": "uint8, one calibrated (MinMax) scale per tensor; FFN-output inputs: symmetric int8, one "
                       "calibrated (MinMax) scale per channel",
    },
}


def ship(variant_dir: Path, shipped: Path, out: Path, calib_sentences: int, src: Path):
    """Writes a litmine model folder from a variant: model.onnx, vocab.txt, config.json (the shipped one without
    the weight-only session config), golden.json (the same inputs; Python onnxruntime's logits on the new file,
    PyTorch's on the fp32 weights) and manifest.json (the shipped one with new hashes, export and quantization)."""
    import datetime
    import onnxruntime as ort
    from common import int8_kernel_family, sha256_file, write_json
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(variant_dir / "model.onnx", out / "model.onnx")
    shutil.copy(shipped / "vocab.txt", out / "vocab.txt")
    cfg = json.loads((shipped / "config.json").read_text())
    cfg.pop("onnx_session_config", None)
    variant_cfg = json.loads((variant_dir / "config.json").read_text())
    if "onnx_session_config" in variant_cfg:
        cfg["onnx_session_config"] = variant_cfg["onnx_session_config"]
    write_json(out / "config.json", cfg)
    token = cfg["litmine_task"] == "token-classification"
    hf_dir = src / "hf"
    hf = None
    if hf_dir.exists():
        torch = __import__("torch")
        from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification
        cls = AutoModelForTokenClassification if token else AutoModelForSequenceClassification
        hf = cls.from_pretrained(str(hf_dir), attn_implementation="eager").eval()
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    for k, v in cfg.get("onnx_session_config", {}).items():
        so.add_session_config_entry(k, v)
    s = ort.InferenceSession(str(out / "model.onnx"), so, providers=["CPUExecutionProvider"])
    golden = json.loads((shipped / "golden.json").read_text())
    worst = 0.0
    for c in golden["cases"]:
        feeds = {k: np.array([c[k]], dtype=np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
        lo = s.run(["logits"], feeds)[0]
        if hf is not None:
            with torch.no_grad():
                lt = hf(**{k: torch.from_numpy(v) for k, v in feeds.items()}).logits.numpy()
        else:
            # Without PyTorch (reconstruct_hf.py --onnx-only): the fp32 weights are the shipped folder's, so
            # are its golden fp32 PyTorch logits.
            lt = np.array([c["logits_fp32_pytorch"]], dtype=np.float32)
        worst = max(worst, float(np.abs(lo - lt).max()))
        c.pop("logits_pytorch_same_weights", None)
        c.pop("logits_int8_onnxruntime", None)
        c["logits_fp32_pytorch"] = np.round(lt[0], 6).tolist()
        c["logits_int8_onnxruntime"] = np.round(lo[0], 6).tolist()
        if token:
            c.pop("argmax_int8", None)
            c["argmax_int8"] = [golden["labels"][i] for i in lo[0].argmax(-1)]
    golden.update({"quantization": QUANTIZATION[variant_dir.name]["label"], "max_abs_diff_fp32_pytorch_vs_onnx": worst,
                   "onnxruntime_version": ort.__version__, "int8_kernels": [int8_kernel_family()],
                   "reference": "logits_int8_onnxruntime: Python onnxruntime on this model.onnx (static int8 has no "
                                "PyTorch equivalent); logits_fp32_pytorch: the fp32 weights (reconstruct_hf.py)"})
    for k in ("max_abs_diff_fp32_pytorch_vs_fp32_onnx", "max_abs_diff_fp32_pytorch_vs_int8_onnx",
              "max_abs_diff_pytorch_same_weights_vs_int8_onnx"):
        golden.pop(k, None)
    (out / "golden.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    man = json.loads((shipped / "manifest.json").read_text())
    man["version"] = f"{man['name']}-{datetime.date.today().isoformat().replace('-', '.')}-{QUANTIZATION[variant_dir.name]['label']}"
    man["export"] = {**man.get("export", {}), "onnxruntime": ort.__version__,
                     "fp32_source": "models/train/reconstruct_hf.py models/ner: the previous weight-only int8 "
                                    "folder's dequantized weights (identical logits, max |diff| 0)",
                     "max_abs_diff_fp32_pytorch_vs_onnx": worst}
    man["int8_kernels"] = golden["int8_kernels"]
    for k in ("max_abs_diff_fp32_pytorch_vs_fp32_onnx", "max_abs_diff_fp32_pytorch_vs_int8_onnx",
              "max_abs_diff_pytorch_same_weights_vs_int8_onnx", "fp32_onnx_bytes"):
        man["export"].pop(k, None)
    quant = QUANTIZATION[variant_dir.name]
    man["quantization"] = {
        "method": quant["method"],
        "weights": "int8 symmetric, one scale per output channel (embedding tables: per row)",
        "activations": quant.get("activations", "uint8, one calibrated (MinMax) scale per tensor") + f", {calib_sentences} "
                       "training-split sentences of the task's training corpora; constants, so a sentence's result does "
                       "not depend on its batch-mates",
        "float32": quant.get("float32", "embeddings, LayerNorm, softmax, GELU, attention score products, the classifier"),
        "previous": man.get("quantization", {}).get("method", "weight-only int8 with float32 arithmetic (weight_quant.py)"),
    }
    man.pop("scores_pytorch_same_weights", None)
    man["files"] = {f.name: sha256_file(f) for f in sorted(out.iterdir()) if f.name != "manifest.json"}
    write_json(out / "manifest.json", man)
    log(f"{out}: shipped {variant_dir.name}; max |logit diff| vs fp32 PyTorch on the golden inputs {worst:.3f}")


if __name__ == "__main__":
    main()
