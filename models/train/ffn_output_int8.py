"""Integer FFN-output products for a static int8 graph, with the GELU outputs' range split per channel.

The FFN's second product reads GELU outputs, whose few large channels make one per-tensor scale too coarse for
the rest (quantized that way, NCBI-disease lost 2.7 F1). Here each input channel j gets its own constant scale a_j
(a broadcast Mul by 1/a_j, then symmetric int8 with a scale of 1), and a_j is folded into the weight's row j
before the weight is quantized per output column, so the kernel stays one MatMulIntegerToFloat:

    y_k = sum_j h_j W_jk ~= sum_j round(h_j / a_j) * (a_j W_jk)

a_j follows SmoothQuant's split (Xiao et al. 2023): s_j = max|h_j|^alpha / max_k|W_jk|^(1-alpha), then one common
factor so that the largest h_j / s_j lands on 127. alpha = 1 puts all of a channel's range into its activation
scale, alpha = 0.5 shares it with the weight. The scales are calibrated once on training sentences and are
constants, so a sentence's result still does not depend on its batch-mates.

  python models/train/ffn_output_int8.py in.onnx out.onnx --task ner --alpha 0.5
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graph_edit import bias_after, consumers_of, dequantize, set_nodes  # noqa


def ffn_output_nodes(graph):
    return [n for n in graph.node
            if n.op_type == "MatMul" and "/output/dense/" in n.name and "/attention/" not in n.name]


def float_weight(graph, name):
    """The float32 value of a MatMul weight: an initializer, or a DequantizeLinear over int8 initializers."""
    from onnx import numpy_helper
    inits = {i.name: i for i in graph.initializer}
    if name in inits:
        return numpy_helper.to_array(inits[name]).astype(np.float32), None
    dq = next(n for n in graph.node if name in n.output)
    q, scale, zp = (numpy_helper.to_array(inits[x]) for x in dq.input[:3])
    return dequantize(q, scale, zp, next((a.i for a in dq.attribute if a.name == "axis"), 1)), dq


def channel_ranges(path: Path, inputs, calib_feeds, threads=2):
    """max |x_j| per channel of each named tensor over the calibration inputs (one sentence per run: no padding)."""
    import onnx
    import onnxruntime as ort
    model = onnx.load(str(path))
    for name in inputs:
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.add_session_config_entry("session.disable_quant_qdq", "1")
    s = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    amax = {n: None for n in inputs}
    for feeds in calib_feeds:
        for name, v in zip(inputs, s.run(list(inputs), feeds)):
            m = np.abs(v.reshape(-1, v.shape[-1])).max(axis=0)
            amax[name] = m if amax[name] is None else np.maximum(amax[name], m)
    return amax


def quantize_ffn_outputs(path: Path, out: Path, calib_feeds, alpha: float) -> dict:
    import onnx
    from onnx import helper, numpy_helper
    model = onnx.load(str(path))
    g = model.graph
    targets = ffn_output_nodes(g)
    amax = channel_ranges(path, [n.input[0] for n in targets], calib_feeds)
    consumers = consumers_of(g)
    inits = {i.name for i in g.initializer}
    replace, drop, new_inits = {}, set(), []
    for n in targets:
        w, dq = float_weight(g, n.input[1])
        if dq is not None:
            drop.add(dq.name)
        a_max = np.maximum(amax[n.input[0]], 1e-6).astype(np.float64)
        w_max = np.maximum(np.abs(w).max(axis=1), 1e-8).astype(np.float64)
        s = a_max ** alpha / w_max ** (1 - alpha)
        a = (s * (a_max / s).max() / 127).astype(np.float32)  # per input channel
        w_folded = w * a[:, None]
        t = np.maximum(np.abs(w_folded).max(axis=0), 1e-12) / 127  # per output column
        wq = np.clip(np.rint(w_folded / t), -127, 127).astype(np.int8)
        base = n.name.removesuffix("/MatMul")
        names = {k: f"{base}/ffn_int8_{k}" for k in ("inv_a", "wq", "w_scale", "one", "zp", "x", "q")}
        new_inits += [numpy_helper.from_array((1 / a).astype(np.float32), names["inv_a"]),
                      numpy_helper.from_array(wq, names["wq"]),
                      numpy_helper.from_array(t.astype(np.float32), names["w_scale"]),
                      numpy_helper.from_array(np.array(1.0, np.float32), names["one"]),
                      numpy_helper.from_array(np.array(128, np.uint8), names["zp"])]
        bias, out_name, add = bias_after(n.output[0], consumers, inits)
        if add:
            drop.add(add)
        # Per-channel scales as one broadcast Mul, then one per-tensor quantization: onnxruntime's per-axis
        # QuantizeLinear and its int8-input MatMulIntegerToFloat are reference kernels, slower than float.
        # Zero point 128 on uint8 is symmetric int8 in the u8s8 form the VNNI kernels take.
        scale = helper.make_node("Mul", [n.input[0], names["inv_a"]], [names["x"]], name=f"{base}/ffn_int8_scale")
        quant = helper.make_node("QuantizeLinear", [names["x"], names["one"], names["zp"]], [names["q"]],
                                 name=f"{base}/ffn_int8_quantize")
        mm = helper.make_node("MatMulIntegerToFloat",
                              [names["q"], names["wq"], names["one"], names["w_scale"], names["zp"], "", bias],
                              [out_name], name=f"{base}/MatMul_int_to_float", domain="com.microsoft")
        replace[n.name] = [scale, quant, mm]
    nodes = []
    for n in g.node:
        if n.name in drop:
            continue
        nodes += replace.get(n.name, [n])
    set_nodes(model, nodes, new_inits, microsoft_ops=True)
    onnx.save(model, str(out))
    return {"ffn_output_products": len(targets), "alpha": alpha}


def main():
    from common import load_tokenizer
    from fast_export import calibration_ids, feeds_for
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--task", choices=["ner", "re"], required=True)
    ap.add_argument("--vocab", required=True)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--calib", type=int, default=400)
    args = ap.parse_args()
    tok = load_tokenizer(Path(args.vocab))
    calib = [feeds_for([x]) for x in calibration_ids(tok, args.calib, 128, task=args.task)]
    print(quantize_ffn_outputs(Path(args.src), Path(args.dst), calib, args.alpha))


if __name__ == "__main__":
    main()
