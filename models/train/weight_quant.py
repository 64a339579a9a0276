"""Weight-only int8 quantization: int8 storage, float32 arithmetic.

Every MatMul/Gemm weight and every embedding table becomes an int8 tensor with one float32 scale per output
channel (symmetric, scale = max|w| / 127) and a DequantizeLinear node in front of its consumer. Activations stay
float32, so a sentence's logits do not depend on what else is in its batch (dynamic quantization computes one
activation scale per batch tensor), and the same arithmetic can be run in PyTorch on the dequantized weights: the
"same model" for an engine comparison. Runtimes fold the DequantizeLinear nodes into float32 initializers once at
load when told to (onnxruntime: session config `session.disable_quant_qdq=1`), so inference runs plain float32
kernels from a file a quarter the size.
"""
import hashlib

import numpy as np

QDQ_SESSION_CONFIG = {"session.disable_quant_qdq": "1"}


def quantize_rows(w: np.ndarray, axis: int):
    """Symmetric per-channel int8 along `axis` (the output channel). Returns (q, scale, dequantized)."""
    w = w.astype(np.float32)
    red = tuple(i for i in range(w.ndim) if i != axis)
    absmax = np.abs(w).max(axis=red)
    scale = np.where(absmax > 0, absmax / np.float32(127), np.float32(1)).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    deq = (q.astype(np.float32) * scale.reshape(shape)).astype(np.float32)  # what DequantizeLinear computes
    return q, scale, deq


def _weight_axes(graph):
    """initializer name -> output-channel axis, for weights consumed only by MatMul (B), Gemm (B) or Gather (data)."""
    inits = {i.name for i in graph.initializer}
    uses = {}
    for node in graph.node:
        for pos, name in enumerate(node.input):
            if name not in inits:
                continue
            axis = None
            if node.op_type == "MatMul" and pos == 1:
                axis = 1
            elif node.op_type == "Gemm" and pos == 1:
                trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
                axis = 0 if trans_b else 1
            elif node.op_type == "Gather" and pos == 0:
                axis = 0  # one scale per embedding row
            uses.setdefault(name, set()).add(axis)
    return {n: next(iter(a)) for n, a in uses.items() if len(a) == 1 and None not in a}


def quantize_onnx_weights(src: str, dst: str):
    """Writes the weight-only int8 model; returns {initializer name: its dequantized float32 value}."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(src)
    g = model.graph
    axes = _weight_axes(g)
    keep, new_nodes, dequantized = [], [], {}
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if init.name not in axes or arr.ndim != 2 or arr.dtype != np.float32:
            keep.append(init)
            continue
        axis = axes[init.name]
        q, scale, dequantized[init.name] = quantize_rows(arr, axis)
        base = init.name
        keep += [numpy_helper.from_array(q, base + "_i8"), numpy_helper.from_array(scale, base + "_scale"),
                 numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), base + "_zp")]
        new_nodes.append(helper.make_node("DequantizeLinear", [base + "_i8", base + "_scale", base + "_zp"], [base],
                                          name=base + "_dq", axis=axis))
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(new_nodes + nodes)  # producers first: the graph stays topologically sorted
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return dequantized


def _digest(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a, dtype=np.float32).tobytes()).hexdigest() + str(a.shape)


def _param_index(model):
    """digest of a 2-D float32 parameter (and of its transpose) -> (name, transposed). ONNX initializers are the
    torch parameters bit for bit, transposed for MatMul, so matching by content needs no name mapping."""
    import torch

    by_digest = {}
    for name, p in model.state_dict().items():
        if p.dtype == torch.float32 and p.ndim == 2:
            a = p.detach().cpu().numpy()
            by_digest.setdefault(_digest(a), (name, False))
            by_digest.setdefault(_digest(a.T), (name, True))
    return by_digest


def dequantized_state_dict(model, fp32_onnx: str, dequantized):
    """State dict of `model` with every weight the export quantized (`dequantized`, from quantize_onnx_weights on
    `fp32_onnx`) replaced by its dequantized value, found by content in the fp32 export."""
    import onnx
    import torch
    from onnx import numpy_helper

    index = _param_index(model)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    for init in onnx.load(fp32_onnx).graph.initializer:
        if init.name not in dequantized:
            continue
        hit = index.get(_digest(numpy_helper.to_array(init)))
        if hit is None:
            raise RuntimeError(f"{init.name}: no PyTorch parameter holds this weight")
        name, transposed = hit
        deq = dequantized[init.name]
        state[name] = torch.from_numpy(deq.T.copy() if transposed else deq)
    return state


def quantize_folder(src_dir: str, dst_dir: str):
    """A model folder (e.g. an optimum export) -> the same folder with weight-only int8 model.onnx and the session
    config entry in config.json; tokenizer and config files are copied, a manifest is not (its hashes would lie)."""
    import json
    import shutil
    from pathlib import Path

    src, dst = Path(src_dir), Path(dst_dir)
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.is_file() and f.name not in ("model.onnx", "manifest.json", "config.json"):
            shutil.copy(f, dst / f.name)
    n = len(quantize_onnx_weights(str(src / "model.onnx"), str(dst / "model.onnx")))
    cfg = json.loads((src / "config.json").read_text())
    cfg["onnx_session_config"] = {**cfg.get("onnx_session_config", {}), **QDQ_SESSION_CONFIG}
    (dst / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    return n


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3:
        sys.exit("usage: python models/train/weight_quant.py <model folder> <output folder>")
    count = quantize_folder(sys.argv[1], sys.argv[2])
    print(f"{sys.argv[2]}: {count} weight tensors stored as int8")
