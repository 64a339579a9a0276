"""Builds the masked-LM pre-training corpus from the biomedical text in the shared data folder.

Sources: titles, abstracts and full texts of every PubMed / PMC XML file, the train splits' text of the NER and
RE corpora, PubMedQA (non-test) and COVID-QA. Every sentence equal (case, whitespace and punctuation removed) to
a sentence of any devel/test split here is dropped and counted per source; repeated sentences are kept once.
About 1% of documents (by a hash of the document id) are held out for the MLM evaluation.
Output (never committed): DIR/train-NNN.txt and DIR/heldout.txt, one sentence per line, a blank line between
documents, and DIR/manifest.json with documents, sentences, words, word pieces and removed counts.
"""
import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mlm_sources as S  # noqa: E402
from common import BUILD, data_root, log, sha256_file, write_json  # noqa: E402


def sources(root: Path):
    """(source name, iterator of (doc id, sentences)) in a fixed order."""
    def xml_files(folders, kinds):
        for f in folders:
            for p in sorted((root / f).rglob("*")):
                if p.is_file() and any(p.name.endswith(k) for k in kinds):
                    yield p

    def pubmed():
        for p in xml_files(["pubmed-xml", "pubmed-xml-more"], [".xml", ".xml.gz"]):
            try:
                yield from S.pubmed_documents(p)
            except Exception as e:  # a few test-suite files are deliberately malformed
                log(f"  skip {p.relative_to(root)}: {type(e).__name__}: {str(e)[:80]}")

    def pmc():
        for p in xml_files(["pmc-jats", "pmc-jats-more"], [".nxml", ".xml"]):
            try:
                yield from S.pmc_documents(p)
            except Exception as e:
                log(f"  skip {p.relative_to(root)}: {type(e).__name__}: {str(e)[:80]}")

    def conll(name, rel):
        return S.conll_documents(root / rel, name)

    def masked(name):
        sents = S.masked_re_sentences(root / name / "biobert-10fold" / "1" / "train.tsv")
        for k in range(0, len(sents), 10):
            yield f"{name}:{k // 10}", sents[k:k + 10]

    return [
        ("pubmed-xml", pubmed()),
        ("pmc-jats", pmc()),
        ("ncbi-disease/train", conll("ncbi-disease", "ncbi-disease/mtl-iob/train.tsv")),
        ("bc5cdr/train", S.pubtator_documents(root / "bc5cdr-pubtator" / "CDR_TrainingSet.PubTator.txt", "bc5cdr")),
        ("bc2gm/train", conll("bc2gm", "bc2gm/mtl-iob/train.tsv")),
        ("jnlpba/train", S.brat_documents(root / "jnlpba-standoff" / "train", "jnlpba")),
        ("linnaeus/train", conll("linnaeus", "linnaeus/mtl-iob/train.tsv")),
        ("chemprot/train", S.chemprot_abstract_documents(root / "chemprot-original" /
                                                          "chemprot_training_abstracts.tsv")),
        ("gad/train-fold1", masked("gad")),
        ("euadr/train-fold1", masked("euadr")),
        ("pubmedqa/non-test", S.pubmedqa_documents(root, test=False)),
        ("covid-qa", S.covidqa_documents(root)),
    ]


def held_out(doc_id: str, percent: float) -> bool:
    h = int(hashlib.sha1(doc_id.encode()).hexdigest()[:8], 16)
    return h % 10000 < percent * 100


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(BUILD / "mlm-corpus"))
    ap.add_argument("--tokenizer", default=str(BUILD / "bert-base-cased"), help="folder with vocab.txt (pieces)")
    ap.add_argument("--heldout-percent", type=float, default=1.0)
    ap.add_argument("--shard-sentences", type=int, default=50000)
    ap.add_argument("--min-chars", type=int, default=10, help="shorter lines (headings, stray labels) are dropped")
    args = ap.parse_args()
    root = data_root()
    t0 = time.time()

    ev = S.evaluation_sentences(root)
    banned = {}
    for name, sents in ev.items():
        for s in sents:
            k = S.normalise(s)
            if k:
                banned.setdefault(k, name)
    log(f"evaluation sentences: {sum(len(v) for v in ev.values()):,} in {len(ev)} splits, "
        f"{len(banned):,} distinct after normalisation ({time.time() - t0:.0f}s)")

    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        import shutil
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    from transformers import BertTokenizerFast
    tok = BertTokenizerFast(vocab=str(Path(args.tokenizer) / "vocab.txt"), do_lower_case=False, strip_accents=False)

    seen_docs, seen_sents = set(), set()
    per_source = {}
    shards, shard, shard_lines = [], None, 0
    heldout = open(tmp / "heldout.txt", "w", encoding="utf-8")
    totals = {"train": {"documents": 0, "sentences": 0, "words": 0, "pieces": 0},
              "heldout": {"documents": 0, "sentences": 0, "words": 0, "pieces": 0}}

    def count_pieces(lines):
        return sum(len(x) for x in tok(lines, add_special_tokens=False)["input_ids"]) if lines else 0

    for name, docs in sources(root):
        st = per_source.setdefault(name, {"documents": 0, "sentences": 0, "words": 0, "pieces": 0,
                                          "removed_eval": 0, "removed_duplicate": 0, "removed_short": 0,
                                          "duplicate_documents": 0, "removed_by_split": {}})
        for doc_id, sents in docs:
            if doc_id in seen_docs:
                st["duplicate_documents"] += 1
                continue
            seen_docs.add(doc_id)
            keep = []
            for s in sents:
                k = S.normalise(s)
                if len(s) < args.min_chars or not k:
                    st["removed_short"] += 1
                elif k in banned:
                    st["removed_eval"] += 1
                    st["removed_by_split"][banned[k]] = st["removed_by_split"].get(banned[k], 0) + 1
                elif k in seen_sents:
                    st["removed_duplicate"] += 1
                else:
                    seen_sents.add(k)
                    keep.append(s)
            if not keep:
                continue
            part = "heldout" if held_out(doc_id, args.heldout_percent) else "train"
            if part == "train":
                if shard is None or shard_lines >= args.shard_sentences:
                    if shard:
                        shard.close()
                    shards.append(f"train-{len(shards):03d}.txt")
                    shard, shard_lines = open(tmp / shards[-1], "w", encoding="utf-8"), 0
                f = shard
                shard_lines += len(keep)
            else:
                f = heldout
            f.write("\n".join(keep) + "\n\n")
            words, pieces = sum(len(s.split()) for s in keep), count_pieces(keep)
            for d in (st, totals[part]):
                d["documents"] += 1
                d["sentences"] += len(keep)
                d["words"] += words
                d["pieces"] += pieces
        log(f"{name:20s} docs={st['documents']:6,} sents={st['sentences']:8,} words={st['words']:10,} "
            f"pieces={st['pieces']:10,} removed: eval={st['removed_eval']:,} dup={st['removed_duplicate']:,} "
            f"short={st['removed_short']:,} ({time.time() - t0:.0f}s)")
    if shard:
        shard.close()
    heldout.close()
    write_json(tmp / "manifest.json", {
        "what": "masked-LM pre-training text: one sentence per line, blank line between documents",
        "train_shards": shards, "heldout": "heldout.txt", "heldout_percent": args.heldout_percent,
        "totals": totals, "sources": per_source,
        "evaluation_splits_excluded": {k: len(v) for k, v in ev.items()},
        "normalisation": "lower-case, every non-alphanumeric character removed, exact match",
        "tokenizer_vocab_sha256": sha256_file(Path(args.tokenizer) / "vocab.txt"),
        "shared_data": str(root),
    })
    if out.exists():
        import shutil
        shutil.rmtree(out)
    tmp.rename(out)
    tr, ho = totals["train"], totals["heldout"]
    log(f"wrote {out}: train {tr['documents']:,} docs {tr['words']:,} words {tr['pieces']:,} pieces in "
        f"{len(shards)} shards; held out {ho['documents']:,} docs {ho['words']:,} words {ho['pieces']:,} pieces; "
        f"removed as evaluation text: {sum(s['removed_eval'] for s in per_source.values()):,} sentences "
        f"({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
