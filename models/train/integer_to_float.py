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

import numpy as np


def integer_to_float(model) -> int:
    """Rewrites the graph in place; returns how many products it rewrote."""
    from onnx import helper, numpy_helper
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    consumers = {}
    for n in g.node:
        for x in n.input:
            consumers.setdefault(x, []).append(n)
    replace, drop, new_inits = {}, set(), []
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
    set_nodes(model, [replace.get(n.name, n) for n in g.node if n.name not in drop], new_inits)
    return len(replace)


def bias_after(out: str, consumers, inits):
    """(bias, output, Add node name) when `out` feeds only an Add of a constant (the layer's bias), which the
    integer kernel can take inside; else ("", out, None)."""
    after = consumers.get(out, [])
    if len(after) == 1 and after[0].op_type == "Add":
        other = [x for x in after[0].input if x != out]
        if len(other) == 1 and other[0] in inits:
            return other[0], after[0].output[0], after[0].name
    return "", out, None


def set_nodes(model, nodes, new_inits) -> None:
    """The graph's nodes become `nodes`; initializers nothing reads any more go, `new_inits` join, and the
    com.microsoft domain (MatMulIntegerToFloat's) is declared."""
    from onnx import helper
    g = model.graph
    del g.node[:]
    g.node.extend(nodes)
    used = {x for n in nodes for x in n.input}
    kept = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(kept + new_inits)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))


def main():
    import onnx
    model = onnx.load(sys.argv[1])
    k = integer_to_float(model)
    onnx.save(model, sys.argv[2])
    print(f"{sys.argv[2]}: {k} QLinearMatMul chains -> MatMulIntegerToFloat")


if __name__ == "__main__":
    main()
