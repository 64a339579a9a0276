"""Static int8 products with float32 outputs: every QLinearMatMul -> DequantizeLinear (-> Add bias) chain of a
static-qop graph becomes one com.microsoft MatMulIntegerToFloat with the bias inside.

QLinearMatMul rounds its output to uint8 with a calibrated scale, and the DequantizeLinear and the bias Add after
it are two more passes over the activations. MatMulIntegerToFloat runs the same integer product (the same uint8
input with its constant scale, the same per-channel int8 weights) and writes float32 straight away, plus bias: one
kernel instead of three and one rounding fewer. The input scales stay constants, so a row's result is still its
own, whatever else is in the batch.

  python models/train/integer_to_float.py in.onnx out.onnx
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graph_edit import bias_after, consumers_of, set_nodes  # noqa


def integer_to_float(model) -> int:
    """Rewrites the graph in place; returns how many products it rewrote."""
    from onnx import helper, numpy_helper
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    consumers = consumers_of(g)
    replace, drop = {}, set()
    for n in g.node:
        if n.op_type != "QLinearMatMul":
            continue
        after = consumers.get(n.output[0], [])
        if len(after) != 1 or after[0].op_type != "DequantizeLinear":
            continue
        dq = after[0]
        bias, out, add = bias_after(dq.output[0], consumers, inits)
        if add:
            drop.add(add)
        a, a_scale, a_zp, b, b_scale, b_zp = n.input[:6]
        if b_zp in inits and np.any(numpy_helper.to_array(inits[b_zp])):
            continue  # the kernel takes an int8 weight zero point, but symmetric weights need none
        name = n.name.removesuffix("_quant") + "_int_to_float"
        replace[n.name] = helper.make_node("MatMulIntegerToFloat", [a, b, a_scale, b_scale, a_zp, b_zp, bias], [out],
                                           name=name, domain="com.microsoft")
        drop.add(dq.name)
    set_nodes(model, [replace.get(n.name, n) for n in g.node if n.name not in drop], [], microsoft_ops=True)
    return len(replace)


def main():
    import onnx
    model = onnx.load(sys.argv[1])
    k = integer_to_float(model)
    onnx.save(model, sys.argv[2])
    print(f"{sys.argv[2]}: {k} QLinearMatMul chains -> MatMulIntegerToFloat")


if __name__ == "__main__":
    main()
