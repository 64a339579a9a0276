"""Readers for the masked-LM pre-training corpus: every text source under the shared data folder as documents
(doc id, list of sentences), and the evaluation splits whose sentences must stay out of it.

build_mlm_corpus.py combines them; each reader here knows one file format (PubMed XML, PMC JATS, CoNLL, brat
text, PubTator, the QA JSON sets) and nothing about shards or counts.
"""
import csv
import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

# ------------------------------------------------------------------ sentences
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|Fig|Figs|vs|approx|ca|Dr|Mr|Mrs|Ms|No|no|Eq|Ref|Refs|cf|resp|St)\.|"
                     r"\b[A-Z]\.)$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentence split at . ! ? + space + capital/digit, not after common abbreviations or initials; the same
    function cuts the corpus and the evaluation text, so that an evaluation sentence is found wherever it is."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        head = text[start:m.start() + 1]
        if _ABBREV.search(text[max(start, m.start() - 8):m.start() + 1]):
            continue
        out.append(head.strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def normalise(sentence: str) -> str:
    """Case, whitespace and punctuation removed: the key for 'the same sentence' across tokenised and raw forms."""
    return re.sub(r"[\W_]+", "", sentence.lower())


# ------------------------------------------------------------------ XML
_SKIP_TAGS = {"table", "table-wrap", "disp-formula", "inline-formula", "math", "tex-math", "graphic",
              "inline-graphic", "alternatives", "ref-list", "supplementary-material", "object-id"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(el) -> str:
    """Element text without tables, formulas and bibliography citations (xref to bibr), which are not prose."""
    parts = []

    def walk(e):
        name = _local(e.tag)
        skip = name in _SKIP_TAGS or (name == "xref" and e.get("ref-type") == "bibr")
        if not skip:
            if e.text:
                parts.append(e.text)
            for c in e:
                walk(c)
        if e.tail:
            parts.append(e.tail)

    if el.text:
        parts.append(el.text)
    for c in el:
        walk(c)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _parse(path: Path):
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    # DOCTYPE with external DTDs is fine for ElementTree (it does not fetch); entities beyond XML's own are not
    return ET.fromstring(data)


def pubmed_documents(path: Path):
    """PubmedArticle / PubmedBookArticle records -> (pmid, [title, abstract sentences...])."""
    root = _parse(path)
    for art in root.iter():
        name = _local(art.tag)
        if name not in ("PubmedArticle", "PubmedBookArticle"):
            continue
        pmid = next((e.text for e in art.iter() if _local(e.tag) == "PMID"), None)
        title = next((text_of(e) for e in art.iter() if _local(e.tag) in ("ArticleTitle", "BookTitle")), "")
        abstract = " ".join(text_of(e) for e in art.iter() if _local(e.tag) == "AbstractText")
        sents = ([title] if title else []) + split_sentences(abstract)
        if pmid and sents:
            yield f"pmid:{pmid}", sents


def pmc_documents(path: Path):
    """JATS <article> elements (a single .nxml or an efetch pmc-articleset) -> (id, [title, abstract, body])."""
    root = _parse(path)
    arts = [root] if _local(root.tag) == "article" else [e for e in root.iter() if _local(e.tag) == "article"]
    for k, art in enumerate(arts):
        ids = {e.get("pub-id-type"): (e.text or "").strip() for e in art.iter() if _local(e.tag) == "article-id"}
        doc_id = ("pmc:" + ids["pmc"]) if ids.get("pmc") else ("pmid:" + ids["pmid"]) if ids.get("pmid") else \
            ("doi:" + ids["doi"]) if ids.get("doi") else f"file:{path.name}#{k}"
        sents = []
        meta = next((e for e in art.iter() if _local(e.tag) == "article-meta"), None)
        if meta is not None:
            t = next((e for e in meta.iter() if _local(e.tag) == "article-title"), None)
            if t is not None and text_of(t):
                sents.append(text_of(t))
            for ab in (e for e in meta.iter() if _local(e.tag) == "abstract"):
                for p in (e for e in ab.iter() if _local(e.tag) in ("p", "title")):
                    sents += split_sentences(text_of(p))
        body = next((e for e in art.iter() if _local(e.tag) == "body"), None)
        if body is not None:
            for p in _prose_blocks(body):
                sents += split_sentences(text_of(p))
        if sents:
            yield doc_id, sents


def _prose_blocks(el):
    """<p>, <title> and caption blocks in document order, not descending into a <p> (its text is taken whole)."""
    for c in el:
        name = _local(c.tag)
        if name in _SKIP_TAGS:
            continue
        if name in ("p", "title"):
            yield c
        else:
            yield from _prose_blocks(c)


# ------------------------------------------------------------------ annotated corpora (text only)
def conll_sentences(path: Path) -> list[str]:
    sents, words = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                if words:
                    sents.append(" ".join(words))
                words = []
                continue
            w = line.split("\t")[0].split(" ")[0]
            if w != "-DOCSTART-":
                words.append(w)
    if words:
        sents.append(" ".join(words))
    return sents


def conll_documents(path: Path, name: str, per_doc: int = 10):
    """CoNLL files keep no document boundaries; consecutive sentences are grouped into pseudo-documents."""
    sents = conll_sentences(path)
    for k in range(0, len(sents), per_doc):
        yield f"{name}:{k // per_doc}", sents[k:k + per_doc]


def pubtator_documents(path: Path, name: str):
    title, doc = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(\d+)\|([ta])\|(.*)$", line.rstrip("\n"))
            if m:
                doc.setdefault(m.group(1), []).append(m.group(3))
                title.setdefault(m.group(1), m.group(3))
    for pmid, parts in doc.items():
        yield f"pmid:{pmid}", [parts[0]] + [s for p in parts[1:] for s in split_sentences(p)]


def brat_documents(folder: Path, name: str):
    for txt in sorted(folder.glob("*.txt")):
        lines = [ln for ln in txt.read_text(encoding="utf-8").splitlines() if ln.strip()]
        sents = [s for ln in lines for s in split_sentences(ln)]
        if sents:
            yield f"{name}:{txt.stem}", sents


def chemprot_abstract_documents(path: Path):
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 3:
                yield f"pmid:{row[0]}", [row[1]] + split_sentences(row[2])


def masked_re_sentences(path: Path) -> list[str]:
    """GAD / EU-ADR fold files: one sentence per row, entities replaced by @GENE$ / @DISEASE$."""
    out = []
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and row[0] != "index":
                out.append(row[1] if len(row) == 3 and row[0].isdigit() else row[0])
    return out


def pubmedqa_documents(root: Path, test: bool):
    data = json.loads((root / "pubmedqa" / "ori_pqal.json").read_text(encoding="utf-8"))
    test_ids = set(json.loads((root / "pubmedqa" / "test_ground_truth.json").read_text(encoding="utf-8")))
    for pmid, rec in data.items():
        if (pmid in test_ids) != test:
            continue
        ctx = rec["CONTEXTS"] if isinstance(rec["CONTEXTS"], list) else []
        sents = [rec["QUESTION"]] + [s for c in ctx for s in split_sentences(c)] + split_sentences(rec["LONG_ANSWER"])
        yield f"pmid:{pmid}", sents


def covidqa_documents(root: Path):
    data = json.loads((root / "covid-qa" / "200423_covidQA.json").read_text(encoding="utf-8"))
    for k, art in enumerate(data["data"]):
        for j, para in enumerate(art["paragraphs"]):
            sents = [s for block in para["context"].split("\n") for s in split_sentences(block)]
            yield f"covid-qa:{k}.{j}", sents


# ------------------------------------------------------------------ evaluation text to keep out
def squad_sentences(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for art in data["data"]:
        for para in art["paragraphs"]:
            out += split_sentences(para["context"])
            out += [s for qa in para.get("qas", []) for s in split_sentences(qa["question"])]
    return out


def bioasq_golden_sentences(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for q in data["questions"]:
        out += split_sentences(q["body"])
        out += [s for sn in q.get("snippets", []) for s in split_sentences(sn["text"])]
        ideal = q.get("ideal_answer", [])
        out += [s for a in (ideal if isinstance(ideal, list) else [ideal]) for s in split_sentences(a)]
    return out


def tsv_column_sentences(path: Path, columns: list[str]) -> list[str]:
    out = []
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            out += [s for c in columns for s in split_sentences(row.get(c) or "")]
    return out


def jsonl_text_sentences(path: Path) -> list[str]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out += split_sentences(json.loads(line)["text"])
    return out


def evaluation_sentences(root: Path) -> dict:
    """Every devel/test split here, by name -> list of sentences (raw or tokenised; compared normalised)."""
    ev = {}
    for corpus in ("ncbi-disease", "bc5cdr-chem", "bc5cdr-disease", "bc5cdr-combined", "bc2gm", "jnlpba",
                   "linnaeus"):
        for fmt in ("biobert", "mtl-iob"):
            for split in ("devel", "test"):
                p = root / corpus / fmt / f"{split}.tsv"
                if p.exists():
                    ev.setdefault(f"{corpus}/{split}", []).extend(conll_sentences(p))
    ev["jnlpba-standoff/test"] = [s for _, ss in brat_documents(root / "jnlpba-standoff" / "test", "x") for s in ss]
    for split, f in (("devel", "CDR_DevelopmentSet.PubTator.txt"), ("test", "CDR_TestSet.PubTator.txt")):
        ev[f"bc5cdr-pubtator/{split}"] = [s for _, ss in pubtator_documents(root / "bc5cdr-pubtator" / f, "x")
                                          for s in ss]
    ev["chemprot/devel"] = [s for _, ss in chemprot_abstract_documents(
        root / "chemprot-original" / "chemprot_development_abstracts.tsv") for s in ss]
    ev["chemprot/devel"] += jsonl_text_sentences(root / "chemprot-scibert" / "dev.jsonl")
    ev["chemprot/test"] = jsonl_text_sentences(root / "chemprot-scibert" / "test.jsonl")
    for name in ("gad", "euadr"):
        ev[f"{name}/test-folds"] = [s for p in sorted((root / name / "biobert-10fold").glob("*/test.tsv"))
                                    for s in masked_re_sentences(p)]
    ev["bioasq/golden"] = [s for p in sorted((root / "bioasq" / "bioasq-golden").glob("*.json"))
                           for s in bioasq_golden_sentences(p)]
    ev["bioasq/test-factoid"] = [s for p in sorted((root / "bioasq" / "biobert-squad-style").glob("*.json"))
                                 for s in squad_sentences(p)]
    ev["bioasq/dev-squad"] = squad_sentences(root / "bioasq" / "bio_electra-squad-style" / "dev.json")
    for split in ("dev", "test"):
        ev[f"bioasq/yesno-{split}"] = tsv_column_sentences(root / "bioasq" / "bio_electra-yesno" / f"{split}.tsv",
                                                           ["question", "ideal_answer"])
    ev["pubmedqa/test"] = [s for _, ss in pubmedqa_documents(root, test=True) for s in ss]
    return ev
