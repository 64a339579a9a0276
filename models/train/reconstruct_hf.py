"""Rebuild the fp32 models a shipped litmine folder computes with, from its ONNX initialisers alone.

The committed model.onnx stores int8 weights: weight-only (weight_quant.py, computed in float32) or, in a static
int8 export (fast_export.py static-qop, static-itf, static-full), inside QLinearMatMul or MatMulIntegerToFloat;
those dequantized weights are the model's float32 weights, and every integer product becomes the float MatMul it
was made from. This writes, under models/build/<name>-reconstructed/:
  hf/          a Hugging Face BertFor{Token,Sequence}Classification with exactly those weights (PyTorch reference)
  model.onnx   the same graph with every DequantizeLinear folded into a float32 initializer (the fp32 ONNX)
and checks that PyTorch, the fp32 ONNX and the shipped file agree on the folder's golden.json inputs.

  python models/train/reconstruct_hf.py models/ner      # -> models/build/ner-reconstructed/
  python models/train/reconstruct_hf.py models/ner --onnx-only   # the fp32 ONNX alone (no PyTorch needed)
"""
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, log, setup_torch  # noqa
from graph_edit import consumers_of, dequantize, set_nodes  # noqa

HF_KEYS = {k for k in ("architectures", "hidden_size", "num_hidden_layers", "num_attention_heads",
                       "intermediate_size", "hidden_act", "max_position_embeddings", "type_vocab_size",
                       "vocab_size", "layer_norm_eps", "id2label", "label2id", "pad_token_id", "model_type",
                       "position_embedding_type", "hidden_dropout_prob", "attention_probs_dropout_prob",
                       "initializer_range")}


def dequantize_graph(model):
    """Folds each DequantizeLinear over an initializer into a float32 initializer; returns {name: array}."""
    from onnx import numpy_helper
    g = model.graph
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    folded = {}
    keep_nodes = []
    for n in g.node:
        if n.op_type == "DequantizeLinear" and all(x in inits for x in n.input):
            q, scale, zp = (inits[x] for x in n.input)
            folded[n.output[0]] = dequantize(q, scale, zp, next((a.i for a in n.attribute if a.name == "axis"), 1))
        else:
            keep_nodes.append(n)
    used = {x for n in g.node if n.op_type == "DequantizeLinear" and n.output[0] in folded for x in n.input}
    new_inits = [i for i in g.initializer if i.name not in used]
    new_inits += [numpy_helper.from_array(a, name) for name, a in folded.items()]
    del g.initializer[:]
    g.initializer.extend(new_inits)
    del g.node[:]
    g.node.extend(keep_nodes)
    return {i.name: numpy_helper.to_array(i) for i in g.initializer}


def float_matmuls(model) -> int:
    """Turns each static int8 product back into the float32 MatMul it was made from: QuantizeLinear ->
    QLinearMatMul -> DequantizeLinear (static-qop), and QuantizeLinear -> MatMulIntegerToFloat (+ bias) (static-itf,
    static-full; a per-channel `Mul` by 1/a before the QuantizeLinear is folded back out of the weight rows). The
    MatMul reads the float input, holds the weight dequantized per output channel and takes the node's original
    name (so state_dict_from_graph finds its module). Returns how many it rewrote."""
    from onnx import helper, numpy_helper
    g = model.graph
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    consumers = consumers_of(g)
    drop, new_inits, replacement = set(), [], {}
    for n in g.node:
        if n.op_type not in ("QLinearMatMul", "MatMulIntegerToFloat"):
            continue
        quant = producer.get(n.input[0])
        if quant is None or quant.op_type != "QuantizeLinear":
            sys.exit(f"{n.name}: an integer product without a QuantizeLinear before it")
        x = quant.input[0]
        if n.op_type == "QLinearMatMul":
            outs = consumers.get(n.output[0], [])
            if len(outs) != 1 or outs[0].op_type != "DequantizeLinear":
                sys.exit(f"{n.name}: a QLinearMatMul without a DequantizeLinear after it")
            w, scale, zp = (inits[i] for i in n.input[3:6])
            weight, out, bias, name = dequantize(w, scale, zp, axis=1), outs[0].output[0], "", n.name.removesuffix("_quant")
            drop.add(outs[0].name)
        else:
            w, scale = inits[n.input[1]], inits[n.input[3]]
            zp = inits[n.input[5]] if len(n.input) > 5 and n.input[5] else np.zeros_like(scale, dtype=np.int8)
            weight = dequantize(w, scale, zp, axis=1)  # the float MatMul reads x itself, not A's integers
            out, bias = n.output[0], n.input[6] if len(n.input) > 6 else ""
            name = n.name.removesuffix("_int_to_float")
            pre = producer.get(x)
            if pre is not None and pre.op_type == "Mul" and pre.input[1] in inits:  # x = h * (1/a): fold 1/a back in
                x, weight = pre.input[0], (weight * inits[pre.input[1]][:, None]).astype(np.float32)
                drop.add(pre.name)
        new_inits.append(numpy_helper.from_array(weight, f"{name}_weight"))
        nodes = [helper.make_node("MatMul", [x, f"{name}_weight"], [f"{name}_output" if bias else out], name=name)]
        if bias:
            nodes.append(helper.make_node("Add", [f"{name}_output", bias], [out], name=f"{name}_bias"))
        replacement[n.name] = nodes
    nodes = [m for n in g.node if n.name not in drop for m in replacement.get(n.name, [n])]
    # A QuantizeLinear left without consumers (Q/K/V shared one) goes too.
    used = {x for n in nodes for x in n.input}
    set_nodes(model, [n for n in nodes if not (n.op_type == "QuantizeLinear" and n.output[0] not in used)], new_inits)
    return len(replacement)


def state_dict_from_graph(model, values):
    """HF parameter name -> tensor. Named initializers are `m.<param>`; MatMul weights are anonymous and found
    through their consumer, whose node name is the module path (`/m/bert/.../query/MatMul`), stored transposed."""
    state = {}
    for name, a in values.items():
        if name.startswith("m."):
            state[name[2:]] = a
    for n in model.graph.node:
        if n.op_type == "MatMul" and n.input[1] in values and not n.input[1].startswith("m."):
            path = n.name.strip("/").split("/")[1:-1]  # drop "m" and "MatMul"
            state[".".join(path) + ".weight"] = values[n.input[1]].T.copy()
    return state


def fp32_parity(src: Path, out: Path, cfg: dict, hf=None, torch=None, static=False) -> dict:
    """Max |logit diff| on golden.json between the fp32 ONNX, PyTorch (when given), the shipped file and the golden
    fp32 logits. Checked (`max_abs_diff_*`): the fp32 ONNX and PyTorch against the shipped file; for a static int8
    folder, whose activations are quantized so that no float model equals it, PyTorch against the fp32 ONNX. The
    other distances are information (`info_*`)."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    for k, v in cfg.get("onnx_session_config", {}).items():
        so.add_session_config_entry(k, v)
    shipped = ort.InferenceSession(str(src / "model.onnx"), so, providers=["CPUExecutionProvider"])
    fp32 = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    worst = {}

    def note(pair, x, y):
        worst[pair] = max(worst.get(pair, 0.0), float(np.abs(x - y).max()))

    for g in json.loads((src / "golden.json").read_text())["cases"]:
        feeds = {k: np.array([g[k]], dtype=np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
        ref, lo = shipped.run(["logits"], feeds)[0], fp32.run(["logits"], feeds)[0]
        note("fp32_onnx_vs_shipped", lo, ref)
        if "logits_fp32_pytorch" in g:
            note("fp32_onnx_vs_golden_fp32_pytorch", lo, np.array([g["logits_fp32_pytorch"]], dtype=np.float32))
        if hf is not None:
            with torch.no_grad():
                lt = hf(**{k: torch.from_numpy(v) for k, v in feeds.items()}).logits.numpy()
            note("pytorch_vs_shipped", lt, ref)
            note("pytorch_vs_fp32_onnx", lt, lo)
    checked = {"pytorch_vs_fp32_onnx"} if static else {"fp32_onnx_vs_shipped", "pytorch_vs_shipped"}
    return {"source": str(src), "static_int8": static,
            **{("max_abs_diff_" if k in checked else "info_") + k: v for k, v in worst.items()}}


def check_parity(out: Path, report: dict) -> None:
    """Writes parity.json and stops when a checked distance is over 1e-4."""
    (out / "parity.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"{out}: {json.dumps(report)}")
    if any(v > 1e-4 for k, v in report.items() if k.startswith("max_abs_diff_")):
        sys.exit("parity check failed")


def write_fp32_folder(src: Path, out: Path, cfg: dict) -> None:
    """vocab.txt and config.json beside the fp32 model.onnx (no weight-only session config: nothing to fold)."""
    shutil.copy(src / "vocab.txt", out / "vocab.txt")
    cfg_out = dict(cfg)
    cfg_out.pop("onnx_session_config", None)
    (out / "config.json").write_text(json.dumps(cfg_out, indent=2) + "\n")


def main():
    import onnx

    src = Path(sys.argv[1])
    out = BUILD / f"{src.name}-reconstructed"
    out.mkdir(parents=True, exist_ok=True)
    cfg = json.loads((src / "config.json").read_text())
    model = onnx.load(str(src / "model.onnx"))
    static = float_matmuls(model) > 0
    values = dequantize_graph(model)
    onnx.save(model, str(out / "model.onnx"))
    if "--onnx-only" in sys.argv[2:]:
        write_fp32_folder(src, out, cfg)
        check_parity(out, fp32_parity(src, out, cfg, static=static))
        return
    torch, _ = setup_torch()
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification, BertConfig
    (out / "hf").mkdir(parents=True, exist_ok=True)
    state = state_dict_from_graph(model, values)

    hf_cfg = BertConfig(**{k: v for k, v in cfg.items() if k in HF_KEYS})
    token = cfg["litmine_task"] == "token-classification"
    cls = AutoModelForTokenClassification if token else AutoModelForSequenceClassification
    hf = cls.from_config(hf_cfg, attn_implementation="eager").eval()
    expected = set(hf.state_dict())
    missing = expected - set(state) - {"bert.embeddings.position_ids"}
    extra = set(state) - expected
    if missing or extra:
        sys.exit(f"parameter mismatch: missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}")
    hf.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=False)
    hf.save_pretrained(out / "hf")
    for f in ("vocab.txt",):
        shutil.copy(src / f, out / "hf" / f)
    (out / "hf" / "config.json").write_text(json.dumps({**json.loads((out / "hf" / "config.json").read_text()),
                                                        **{k: v for k, v in cfg.items() if k not in HF_KEYS}},
                                                       indent=2) + "\n")
    write_fp32_folder(src, out, json.loads((out / "hf" / "config.json").read_text()))
    check_parity(out, fp32_parity(src, out, cfg, hf, torch, static=static))


if __name__ == "__main__":
    main()
