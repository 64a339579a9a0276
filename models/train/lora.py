"""Low-rank adapters (LoRA) on a BERT encoder, and the small committed delta they become.

A delta is what training changed on top of a base: for each adapted nn.Linear the pair A (r x in) and B
(out x r), scaled by alpha / r, plus every other tensor that was trained in full (LayerNorms, task heads, the
MLM head's transform). It is stored in float16 under models/adapters/<name>/ (adapter.safetensors +
manifest.json), and applying it merges W += (alpha / r) * B @ A into the base's weights, so a rebuilt model has
the base's architecture and exports like any other. Deltas stack: base + bio, then + ner-teacher on top.
Training merges the float16-rounded parent deltas first, so a rebuild computes exactly what was trained.
"""
import math
from pathlib import Path

# nn.Linear names inside each BertLayer that get adapters: attention's four products and the FFN's two
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")

# the masked-LM head's own trained tensors (its decoder weight is the frozen word embeddings)
MLM_HEAD = ("cls.predictions.transform", "cls.predictions.bias", "cls.predictions.decoder.bias")


def cpu_name() -> str:
    """The CPU's model name and whether it has AMX or AVX-512 BF16, for the compute record of a delta."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    name = next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith("model name")), "unknown")
    flags = next((l for l in info.splitlines() if l.startswith("flags")), "")
    extra = [f for f in ("amx_bf16", "avx512_bf16") if f" {f}" in flags]
    return f"{name} ({', '.join(extra)})" if extra else name


def _torch():
    import torch
    return torch


class LoRALinear(_torch().nn.Module):
    """y = base(x) + dropout(x) @ A^T @ B^T * scale; the base stays frozen, B starts at zero (an identity delta)."""

    def __init__(self, base, r: int, alpha: float, dropout: float):
        torch = _torch()
        super().__init__()
        self.base, self.r, self.scale = base, r, alpha / r
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.lora_A = torch.nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = torch.nn.Parameter(torch.zeros(base.out_features, r))
        torch.nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.drop = torch.nn.Dropout(dropout) if dropout > 0 else torch.nn.Identity()

    def forward(self, x):
        return self.base(x) + (self.drop(x) @ self.lora_A.t() @ self.lora_B.t()) * self.scale


def _adapted_linears(encoder):
    """(qualified name under the encoder, parent module, attribute, nn.Linear) for every target in every layer."""
    out = []
    for i, layer in enumerate(encoder.layer):
        for t in TARGETS:
            *path, attr = t.split(".")
            parent = layer
            for p in path:
                parent = getattr(parent, p)
            out.append((f"layer.{i}.{t}", parent, attr, getattr(parent, attr)))
    return out


def add_adapters(model, encoder, r: int, alpha: float, dropout: float, full_train=("LayerNorm",),
                 heads=()):
    """Freezes model, wraps the encoder's target linears in LoRALinear, and makes trainable every parameter whose
    name contains one of full_train (e.g. the LayerNorms) or starts with one of heads (the task heads)."""
    for p in model.parameters():
        p.requires_grad_(False)
    for _, parent, attr, lin in _adapted_linears(encoder):
        setattr(parent, attr, LoRALinear(lin, r, alpha, dropout))
    for n, p in model.named_parameters():
        if "lora_" in n or any(k in n for k in full_train) or any(n.startswith(h) for h in heads):
            p.requires_grad_(True)
    return model


def trainable_counts(model) -> dict:
    n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    n_all = sum(p.numel() for p in model.parameters())
    return {"trainable": n_train, "total": n_all, "fraction": round(n_train / n_all, 5)}


def delta_state(model) -> dict:
    """The delta as plain tensors: lora pairs under '<module>.lora_A/B' and every other trained parameter under its
    own name in the unwrapped model (so it loads onto a model without adapters)."""
    out = {}
    for n, p in model.named_parameters():
        if not p.requires_grad:
            continue
        out[n.replace(".base.", ".")] = p.detach().float().cpu()
    return out


def remove_adapters(model, encoder):
    """Merges every LoRALinear into its base nn.Linear (W += scale * B @ A) and puts the plain linear back."""
    torch = _torch()
    for i, layer in enumerate(encoder.layer):
        for t in TARGETS:
            *path, attr = t.split(".")
            parent = layer
            for p in path:
                parent = getattr(parent, p)
            m = getattr(parent, attr)
            if isinstance(m, LoRALinear):
                with torch.no_grad():
                    m.base.weight += (m.lora_B.float() @ m.lora_A.float()) * m.scale
                setattr(parent, attr, m.base)
    return model


def save_delta(folder: Path, state: dict, manifest: dict):
    """Writes adapter.safetensors (float16) and manifest.json; returns the file's sha256 and size."""
    import torch
    from safetensors.torch import save_file
    from common import sha256_file, write_json
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "adapter.safetensors.tmp"
    save_file({k: v.to(torch.float16).contiguous() for k, v in sorted(state.items())}, str(tmp))
    tmp.replace(folder / "adapter.safetensors")
    sha = sha256_file(folder / "adapter.safetensors")
    manifest = {**manifest, "file": "adapter.safetensors", "sha256": sha,
                "bytes": (folder / "adapter.safetensors").stat().st_size, "dtype": "float16",
                "tensors": len(state)}
    write_json(folder / "manifest.json", manifest)
    return manifest


def load_delta(folder: Path) -> tuple[dict, dict]:
    import json
    from safetensors.torch import load_file
    from common import sha256_file
    manifest = json.loads((folder / "manifest.json").read_text())
    f = folder / manifest["file"]
    if sha256_file(f) != manifest["sha256"]:
        raise SystemExit(f"{f}: sha256 differs from its manifest")
    return load_file(str(f)), manifest


def apply_delta(model, state: dict, alpha_over_r: float):
    """Merges a delta into a model without adapters: W += scale * B @ A for each lora pair; every other tensor
    replaces the model's own of the same name. Returns the delta's tensors the model has no place for (the MLM
    head of a bio delta on a token classifier), so the caller can say what was left out."""
    torch = _torch()
    params = dict(model.named_parameters())
    skipped = []
    with torch.no_grad():
        for name, t in state.items():
            if name.endswith(".lora_B"):
                continue
            if name.endswith(".lora_A"):
                stem = name[: -len(".lora_A")]
                w = params.get(stem + ".weight")
                if w is None:
                    raise SystemExit(f"delta adapts {stem}, which the model lacks")
                w += (state[stem + ".lora_B"].float() @ t.float()) * alpha_over_r
                continue
            target = params.get(name)
            if target is None or target.shape != t.shape:
                skipped.append(name)
                continue
            target.copy_(t.float())
    return skipped
