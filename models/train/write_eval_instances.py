"""Writes the relation-extraction test instances, built by re_data.py (the one definition of how a
corpus becomes instances), as JSON lines that `litmine eval re` reads: models/build/re-eval/<corpus>.re-instances.jsonl
for gad, euadr (fold 1), chemprot and bc5cdr-cid. The corpora are read in place from the shared data
folder; the output stays under models/build/ (ignored by git), never in the repository.

Line 1 is a header: {"format": "litmine.re-instances", "version": 1, "corpus", "split", "source",
"instances", and for bc5cdr-cid "documentGold": every gold (pmid, chemical, disease) CID pair as
"pmid<TAB>chemical<TAB>disease"}; then one instance a line: {"key": "Chemical|Gene", "text": masked
sentence, "gold": label, "doc"?: "pmid<TAB>chemical<TAB>disease"}.

  /work/venv/bin/python models/train/write_eval_instances.py [--out models/build/re-eval] [--split test|train] [--corpus NAME ...]
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, data_root, log  # noqa
from re_data import chemprot, cid, gad_like  # noqa

SOURCES = {
    "gad": "gad/biobert-10fold/1/{split}.tsv",
    "euadr": "euadr/biobert-10fold/1/{split}.tsv",
    "chemprot": "chemprot-scibert/{split}.jsonl",
    "bc5cdr-cid": "bc5cdr-pubtator/CDR_{cid}Set.PubTator.txt",
}
CID_SPLITS = {"train": "Training", "test": "Test"}


def instances(corpus, split):
    """-> (instances as dicts, document gold or None), from re_data.py's builders."""
    if corpus in ("gad", "euadr"):
        return [{"key": k, "text": t, "gold": g} for k, t, g, _ in gad_like(corpus, split)], None
    if corpus == "chemprot":
        inst, _ = chemprot(split)
        return [{"key": k, "text": t, "gold": g} for k, t, g, _ in inst], None
    inst, gold = cid(split)
    rows = [{"key": k, "text": t, "gold": g, "doc": "\t".join(doc)} for k, t, g, _, doc in inst]
    return rows, sorted("\t".join(p) for p in gold)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(BUILD / "re-eval"))
    ap.add_argument("--split", default="test", choices=["train", "test"])
    ap.add_argument("--corpus", action="append", choices=list(SOURCES), help="only these corpora (default: all)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for corpus, source in SOURCES.items():
        if args.corpus and corpus not in args.corpus:
            continue
        rows, document_gold = instances(corpus, args.split)
        header = {
            "format": "litmine.re-instances",
            "version": 1,
            "corpus": corpus,
            "split": args.split,
            "source": source.format(split=args.split, cid=CID_SPLITS[args.split]),
            "instances": len(rows),
        }
        if document_gold is not None:
            header["documentGold"] = document_gold
        path = out / f"{corpus}.re-instances.jsonl"
        with path.open("w", encoding="utf-8") as f:
            f.write(json.dumps(header, ensure_ascii=False) + "\n")
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        log(f"{path}: {len(rows)} instances" + (f", {len(document_gold)} document-level pairs" if document_gold else ""))
    log(f"shared data read from {data_root()}")


if __name__ == "__main__":
    main()
