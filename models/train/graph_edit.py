"""Small ONNX graph edits the export scripts share: who reads a tensor, int8 -> float32, a bias Add a kernel
can take inside, and swapping a graph's nodes (dropping the initializers nothing reads any more)."""
import numpy as np


def consumers_of(graph) -> dict:
    """tensor name -> the nodes that read it."""
    out = {}
    for n in graph.node:
        for x in n.input:
            out.setdefault(x, []).append(n)
    return out


def dequantize(q, scale, zp, axis: int):
    """What DequantizeLinear computes: (q - zp) * scale, the scale and zero point along `axis`."""
    shape = [1] * q.ndim
    shape[axis] = -1
    return ((q.astype(np.float32) - np.asarray(zp).reshape(shape).astype(np.float32))
            * np.asarray(scale).reshape(shape)).astype(np.float32)


def bias_after(out: str, consumers, inits):
    """(bias, output, Add node name) when `out` feeds only an Add of a constant (the layer's bias), which an
    integer kernel can take inside; else ("", out, None)."""
    after = consumers.get(out, [])
    if len(after) == 1 and after[0].op_type == "Add":
        other = [x for x in after[0].input if x != out]
        if len(other) == 1 and other[0] in inits:
            return other[0], after[0].output[0], after[0].name
    return "", out, None


def set_nodes(model, nodes, new_inits, microsoft_ops=False) -> None:
    """The graph's nodes become `nodes`; initializers nothing reads any more go and `new_inits` join; with
    `microsoft_ops` the com.microsoft domain (MatMulIntegerToFloat's) is declared."""
    from onnx import helper
    g = model.graph
    del g.node[:]
    g.node.extend(nodes)
    used = {x for n in nodes for x in n.input}
    kept = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(kept + new_inits)
    if microsoft_ops and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
