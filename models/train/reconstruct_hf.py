"""Rebuild the fp32 models a shipped litmine folder computes with, from its ONNX initialisers alone.

The committed model.onnx stores weight-only int8 (weight_quant.py) and computes in float32 on the dequantized
weights; those dequantized weights are the model. This writes, under models/build/<name>-reconstructed/:
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
            axis = next((a.i for a in n.attribute if a.name == "axis"), 1)
            shape = [1] * q.ndim
            shape[axis] = -1
            folded[n.output[0]] = ((q.astype(np.float32) - zp.reshape(shape).astype(np.float32))
                                   * scale.reshape(shape)).astype(np.float32)
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


def fp32_parity(src: Path, out: Path, cfg: dict, hf=None, torch=None) -> dict:
    """Max |logit diff| of the fp32 ONNX (and PyTorch, when given) against the shipped file on golden.json."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    for k, v in cfg.get("onnx_session_config", {}).items():
        so.add_session_config_entry(k, v)
    shipped = ort.InferenceSession(str(src / "model.onnx"), so, providers=["CPUExecutionProvider"])
    fp32 = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    worst_t, worst_o = 0.0, 0.0
    for g in json.loads((src / "golden.json").read_text())["cases"]:
        feeds = {k: np.array([g[k]], dtype=np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
        ref = shipped.run(["logits"], feeds)[0]
        if hf is not None:
            with torch.no_grad():
                lt = hf(**{k: torch.from_numpy(v) for k, v in feeds.items()}).logits.numpy()
            worst_t = max(worst_t, float(np.abs(lt - ref).max()))
        worst_o = max(worst_o, float(np.abs(fp32.run(["logits"], feeds)[0] - ref).max()))
    report = {"source": str(src), "max_abs_diff_fp32_onnx_vs_shipped": worst_o}
    if hf is not None:
        report["max_abs_diff_pytorch_vs_shipped"] = worst_t
    return report


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
    values = dequantize_graph(model)
    onnx.save(model, str(out / "model.onnx"))
    if "--onnx-only" in sys.argv[2:]:
        write_fp32_folder(src, out, cfg)
        report = fp32_parity(src, out, cfg)
        (out / "parity.json").write_text(json.dumps(report, indent=2) + "\n")
        log(f"{out}: {json.dumps(report)}")
        if report["max_abs_diff_fp32_onnx_vs_shipped"] > 1e-4:
            sys.exit("parity check failed")
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
    report = fp32_parity(src, out, cfg, hf, torch)
    (out / "parity.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"{out}: {json.dumps(report)}")
    worst_t, worst_o = report["max_abs_diff_pytorch_vs_shipped"], report["max_abs_diff_fp32_onnx_vs_shipped"]
    if worst_t > 1e-4 or worst_o > 1e-4:
        sys.exit("parity check failed")


if __name__ == "__main__":
    main()
