"""Rebuilds a model from the base plus committed deltas (models/adapters/<name>/) and checks it.

    python models/train/rebuild_teacher.py --adapters bio [ner-teacher] [--out DIR] [--check]

The base is models/build/bert-base-cased (convert_bert_tf.py); its model.safetensors must have the sha256 that
every delta's manifest names, so a delta is never merged into weights it was not trained on. The deltas are
merged in order (each names its parent), in float32; the last one's task decides the model class (mlm, ner).
--check recomputes the probe recorded in the last delta's manifest (logits on fixed sentences) and fails when
any value differs by more than --tolerance; --out saves a transformers folder that train/eval/export scripts
take as --init or as a model.
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lora  # noqa: E402
from common import BUILD, MODELS, log, sha256_file  # noqa: E402

ADAPTERS = MODELS / "adapters"
BASE_DIR = BUILD / "bert-base-cased"
# masked sentences whose [MASK] logits a bio delta records (a mix of general and biomedical context)
MLM_PROBES = [
    "Cisplatin induces [MASK] in ovarian cancer cells.",
    "Mutations in the BRCA1 [MASK] increase the risk of breast cancer.",
    "The patients were treated with [MASK] for 12 weeks.",
    "The capital of France is [MASK].",
]
PROBE_IDS = 12  # logits kept per probe: the rebuilt model's top ids, so a wrong merge shows at once


def base_sha256(base: Path = BASE_DIR) -> str:
    rec = base / "conversion.json"
    if rec.exists():
        s = json.loads(rec.read_text()).get("model_sha256")
        if s:
            return s
    return sha256_file(base / "model.safetensors")


def resolve(name_or_path: str) -> Path:
    p = Path(name_or_path)
    return p if p.is_dir() else ADAPTERS / name_or_path


def chain(names) -> list[tuple[dict, dict]]:
    """(state, manifest) of each delta, checked to stack: the first on the base, each next on its predecessor."""
    out = []
    for n in names:
        state, man = lora.load_delta(resolve(n))
        want_parent = out[-1][1]["name"] if out else None
        if man.get("parent") != want_parent:
            raise SystemExit(f"delta {man['name']} was trained on {man.get('parent') or 'the base'}, "
                             f"not on {want_parent or 'the base'}: list the deltas in their training order")
        out.append((state, man))
    return out


def build(names, base: Path = BASE_DIR, task: str | None = None):
    """The merged float32 model and its tokenizer. task overrides the last delta's (e.g. 'encoder' to start a new
    task's training from base + bio)."""
    from transformers import AutoTokenizer, BertForMaskedLM, BertForTokenClassification
    deltas = chain(names)
    sha = base_sha256(base)
    for _, man in deltas:
        if man["base_sha256"] != sha:
            raise SystemExit(f"delta {man['name']} is for base {man['base_sha256'][:12]}…, "
                             f"{base} is {sha[:12]}…: rebuild the base with convert_bert_tf.py")
    task = task or (deltas[-1][1]["task"] if deltas else "mlm")
    if task == "ner":
        head = deltas[-1][1]["head"]
        model = BertForTokenClassification.from_pretrained(
            base, num_labels=len(head["labels"]), id2label=dict(enumerate(head["labels"])),
            label2id={l: i for i, l in enumerate(head["labels"])})
    else:
        model = BertForMaskedLM.from_pretrained(base)
    for state, man in deltas:
        skipped = lora.apply_delta(model, state, man["lora"]["alpha"] / man["lora"]["r"])
        if skipped:
            log(f"delta {man['name']}: {len(skipped)} tensors of another task's head left out "
                f"({', '.join(sorted(skipped)[:3])}{'…' if len(skipped) > 3 else ''})")
    model.eval()
    return model, AutoTokenizer.from_pretrained(base)


def probe_mlm(model, tok, top_ids=None) -> list[dict]:
    """[MASK] logits of each probe sentence: the given ids (to compare) or the model's own top PROBE_IDS."""
    import torch
    out = []
    for i, s in enumerate(MLM_PROBES):
        enc = tok(s, return_tensors="pt")
        with torch.no_grad():
            logits = model(**enc).logits[0, int((enc["input_ids"][0] == tok.mask_token_id).nonzero()[0])]
        ids = top_ids[i] if top_ids else logits.topk(PROBE_IDS).indices.tolist()
        out.append({"sentence": s, "ids": ids, "tokens": tok.convert_ids_to_tokens(ids),
                    "logits": [round(float(logits[j]), 5) for j in ids]})
    return out


def probe(model, tok, task: str, recorded=None):
    if task == "mlm":
        return probe_mlm(model, tok, [r["ids"] for r in recorded] if recorded else None)
    raise SystemExit(f"no probe for task {task}")


def check(model, tok, man: dict, tolerance: float) -> float:
    rec = man["check"]["probe"]
    now = probe(model, tok, man["task"], rec)
    worst = max(abs(a - b) for r, n in zip(rec, now) for a, b in zip(r["logits"], n["logits"]))
    log(f"check {man['name']}: max |logit now - recorded| = {worst:.2e} over {len(rec)} probes "
        f"({'ok' if worst <= tolerance else 'FAIL'}, tolerance {tolerance:g})")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--adapters", nargs="+", required=True, help="delta names (models/adapters/<name>) or folders")
    ap.add_argument("--base", default=str(BASE_DIR))
    ap.add_argument("--out", help="save the merged model here (a transformers folder)")
    ap.add_argument("--check", action="store_true", help="compare the probe with the recorded one")
    ap.add_argument("--tolerance", type=float, default=2e-3)
    args = ap.parse_args()
    import torch
    torch.set_num_threads(2)
    model, tok = build(args.adapters, Path(args.base))
    man = chain(args.adapters)[-1][1]
    if args.check and check(model, tok, man, args.tolerance) > args.tolerance:
        raise SystemExit(1)
    if args.out:
        model.save_pretrained(args.out)
        tok.save_pretrained(args.out)
        (Path(args.out) / "adapters.json").write_text(json.dumps(
            {"base_sha256": man["base_sha256"], "adapters": [m["name"] for _, m in chain(args.adapters)]}, indent=1))
        log(f"saved {args.out}")


if __name__ == "__main__":
    main()
