"""Writes the tiny random BERT models the TypeScript model-layer tests run against (test/nlp/tiny-model/):
a 2-layer, hidden-32 token classifier (ner/) and sequence classifier (re/) over a small self-written
vocabulary, exported to ONNX (fp32, dynamic [batch, seq]) in the litmine model-folder layout, plus
golden logits computed by PyTorch on self-written sentences. Weights are random (seeded): the tests
check plumbing and numerics, not accuracy.

  python3 test/nlp/make-tiny-model.py
"""
import hashlib
import json
from pathlib import Path

import torch
from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification, BertTokenizerFast

OUT = Path(__file__).resolve().parent / "tiny-model"

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
LETTERS = list("abcdefghijklmnopqrstuvwxyz")
DIGITS = list("0123456789")
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["α", "β", "γ", "κ", "µ", "°"]
WORDS = ("the of and in with to was were is a an by for as at from on that this be are has had not "
         "cisplatin induced severe nephrotoxicity patients cancer ovarian brca1 protein interacts "
         "rad51 human breast cells mutations gene cause cystic fibrosis aspirin reduced risk "
         "myocardial infarction disease metformin diabetes chemical inhibitor expression levels "
         "treatment increased decreased associated patient mice rats tumour tumor p53 egfr").split()
SUBWORDS = ["##" + c for c in LETTERS + DIGITS] + ["##ing", "##ed", "##in", "##ine", "##ase", "##itis", "##platin"]


def vocab_list():
    # No duplicates: a repeated line would make ids depend on which occurrence a loader keeps.
    seen, out = set(), []
    for t in SPECIALS + LETTERS + DIGITS + PUNCT + WORDS + SUBWORDS:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out

NER_LABELS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease", "B-Gene", "I-Gene"]
RE_LABELS = ["false", "CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9", "GAD", "CID"]
PAIR_LABELS = {
    "Chemical|Gene": ["false", "CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9"],
    "Gene|Disease": ["false", "GAD"],
    "Chemical|Disease": ["false", "CID"],
}
ENTITY_MASKS = {"Chemical": "@CHEMICAL$", "Gene": "@GENE$", "Disease": "@DISEASE$"}

NER_SENTENCES = [
    "Treatment with cisplatin induced severe nephrotoxicity in patients with ovarian cancer.",
    "The BRCA1 protein interacts with RAD51 in human breast cells.",
    "Mice lacking TNF-α were resistant; ok",
    "The patient, a café owner from Zürich, had hepatitis (10 µM).",
    "x",
]
RE_SENTENCES = [
    "@CHEMICAL$ is a potent inhibitor of @GENE$ in human cells.",
    "Polymorphisms of @GENE$ were associated with @DISEASE$.",
    "@CHEMICAL$ induced @DISEASE$ in two patients.",
]


def sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def export(model, folder, task, labels, extra, sentences):
    folder.mkdir(parents=True, exist_ok=True)
    vocab = vocab_list()
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    # transformers 5 takes `vocab=`; `vocab_file=` is silently ignored (an all-[UNK] tokenizer).
    tok = BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=True)
    assert tok.tokenize("cisplatin ab") == ["cisplatin", "a", "##b"], tok.tokenize("cisplatin ab")
    model.eval()
    ids = torch.ones((1, 8), dtype=torch.long)
    torch.onnx.export(
        model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(folder / "model.onnx"),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                      "token_type_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"} if task == "token-classification" else {0: "batch"}},
        opset_version=17, dynamo=False,
    )
    cfg = model.config.to_dict()
    cfg.update({"litmine_task": task, "max_length": 32, "do_lower_case": True, **extra})
    (folder / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    golden = []
    with torch.no_grad():
        for s in sentences:
            enc = tok(s, return_tensors="pt")
            out = model(**enc).logits[0]
            golden.append({"text": s, "input_ids": enc["input_ids"][0].tolist(), "logits": [[round(x, 6) for x in row] for row in out.tolist()] if out.dim() == 2 else [round(x, 6) for x in out.tolist()]})
    (folder / "golden-logits.json").write_text(json.dumps({"engine": f"pytorch {torch.__version__} fp32", "cases": golden}) + "\n")
    files = {n: sha(folder / n) for n in ["model.onnx", "vocab.txt", "config.json"]}
    manifest = {"name": f"tiny-{folder.name}", "version": "0.0.1", "task": task, "files": {n: {"sha256": h} for n, h in files.items()},
                "base_model": "random (test fixture)", "scores": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def config(labels, **kw):
    vocab_size = len(vocab_list())
    return BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                      intermediate_size=64, max_position_embeddings=64,
                      id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)}, **kw)


def main():
    torch.manual_seed(7)
    ner = BertForTokenClassification(config(NER_LABELS))
    # Larger classifier weights so that the random model predicts some entities.
    with torch.no_grad():
        ner.classifier.weight.mul_(40.0)
    export(ner, OUT / "ner", "token-classification", NER_LABELS, {"entity_types": ["Chemical", "Disease", "Gene"]}, NER_SENTENCES)
    re_model = BertForSequenceClassification(config(RE_LABELS))
    with torch.no_grad():
        re_model.classifier.weight.mul_(40.0)
    export(re_model, OUT / "re", "relation-classification", RE_LABELS,
           {"pair_labels": PAIR_LABELS, "entity_masks": ENTITY_MASKS, "negative_label": "false"}, RE_SENTENCES)


if __name__ == "__main__":
    main()
