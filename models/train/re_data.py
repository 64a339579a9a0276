"""Relation-classification instances, built in memory from the shared corpora (never written to the repo).

Every instance: (pair_key, masked_sentence, label, corpus). Masks are BioBERT-style @CHEMICAL$ / @GENE$ /
@DISEASE$ in the sentence text.

ChemProt (chemprot-scibert): the only complete copy here is SciBERT's, which has positive pairs only,
13 fine-grained labels and << >> / [[ ]] markers that do not say which argument is the chemical.
  * labels -> CPR groups (official ChemProt grouping): CPR:3 = UPREGULATOR, ACTIVATOR, INDIRECT-UPREGULATOR;
    CPR:4 = DOWNREGULATOR, INHIBITOR, INDIRECT-DOWNREGULATOR; CPR:5 = AGONIST, AGONIST-ACTIVATOR,
    AGONIST-INHIBITOR; CPR:6 = ANTAGONIST; CPR:9 = SUBSTRATE, PRODUCT-OF, SUBSTRATE_PRODUCT-OF.
  * argument types: the mentions of one sentence form a bipartite graph (every pair = chemical x gene); its
    two colour classes are typed by a vote of (a) typed mentions in chemprot-original (partial) entity files
    and BC5CDR chemical mentions, and (b) a gene-likeness heuristic (receptor/kinase/-ase/protein..., upper
    case + digit symbols).
  * negatives ("false"): pairs of a chemical and a gene that both occur in positive pairs of the same sentence
    but are not themselves related. The true ChemProt negatives (pairs in sentences without any relation,
    and entities in no relation) are not recoverable from this copy, so scores are NOT comparable to BioBERT's.
GAD / EU-ADR: BioBERT files, already masked; 1 -> "association", 0 -> "false". Fold 1.
BC5CDR CID: PubTator files; sentences split on [.?!] + space + capital; for every (chemical MeSH id, disease
MeSH id) co-occurring in a sentence, one instance with the closest pair of their mentions masked; label CID
if the document lists that CID relation, else false. (Cross-sentence CID relations are not instances.)
"""
import json
import re
from collections import defaultdict
from pathlib import Path

from common import data_root

LABELS = ["false", "CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9", "association", "CID"]
PAIR_LABELS = {
    "Chemical|Gene": ["false", "CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9"],
    "Gene|Disease": ["false", "association"],
    "Chemical|Disease": ["false", "CID"],
}
ENTITY_MASKS = {"Chemical": "@CHEMICAL$", "Gene": "@GENE$", "Disease": "@DISEASE$"}
POSITIVE = {"Chemical|Gene": ["CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9"], "Gene|Disease": ["association"],
            "Chemical|Disease": ["CID"]}

CPR = {}
for g, names in {"CPR:3": ["UPREGULATOR", "ACTIVATOR", "INDIRECT-UPREGULATOR"],
                 "CPR:4": ["DOWNREGULATOR", "INHIBITOR", "INDIRECT-DOWNREGULATOR"],
                 "CPR:5": ["AGONIST", "AGONIST-ACTIVATOR", "AGONIST-INHIBITOR"],
                 "CPR:6": ["ANTAGONIST"],
                 "CPR:9": ["SUBSTRATE", "PRODUCT-OF", "SUBSTRATE_PRODUCT-OF"]}.items():
    for n in names:
        CPR[n] = g

_GENE_WORDS = re.compile(r"(receptor|kinase|ase\b|ases\b|protein|enzyme|channel|transporter|factor|"
                         r"hormone|cytochrome|cyp\d|synthase|oxidase|antibod|globulin|insulin|interleukin|"
                         r"\bil-?\d|tnf|subunit|isoform|isozyme|peptide|ligand|pump|exchanger|integrin|"
                         r"cadherin|collagen|albumin|hemoglobin|haemoglobin|\bp\d{2,3}\b|erk|mapk|akt|nf-)", re.I)


def _norm(s):
    return re.sub(r"\s+", " ", s.strip().lower())


_TYPED_DICT = None


def typed_dictionary():
    """lower-cased mention -> score (+1 chemical, -1 gene) from typed corpora available here."""
    global _TYPED_DICT
    if _TYPED_DICT is not None:
        return _TYPED_DICT
    votes = defaultdict(float)
    root = data_root()
    for f in (root / "chemprot-original").glob("*_entities.tsv"):
        for line in f.read_text(encoding="utf-8").splitlines():
            p = line.split("\t")
            if len(p) >= 6:
                votes[_norm(p[5])] += 1.0 if p[2] == "CHEMICAL" else -1.0
    for f in (root / "bc5cdr-pubtator").glob("CDR_*.PubTator.txt"):
        for line in f.read_text(encoding="utf-8").splitlines():
            p = line.split("\t")
            if len(p) >= 6 and p[4] == "Chemical":
                votes[_norm(p[3])] += 1.0
    _TYPED_DICT = votes
    return votes


def gene_score(mention):
    """>0 means gene-like, <0 chemical-like."""
    d = typed_dictionary()
    m = _norm(mention)
    if m in d and d[m] != 0:
        return -3.0 * (1 if d[m] > 0 else -1)
    s = 0.0
    if _GENE_WORDS.search(m):
        s += 1.0
    if re.search(r"[A-Z]{2,}\d|\d[A-Z]{2,}", mention) and len(mention) <= 10:
        s += 0.5
    if re.search(r"(ine|ide|ate|ol|one|ane|ene|yl|in|acid|mycin|cillin|azole|statin|pril|sartan)$", m):
        s -= 0.7
    if re.search(r"\d+-|,\d|\(\d|\[\d|-\d-", mention):
        s -= 0.3
    return s


_MARK = re.compile(r"<< (.+?) >>|\[\[ (.+?) \]\]")


def _parse_marked(text):
    """-> clean text, span1 (<< >>), span2 ([[ ]])."""
    out, spans, pos = [], {}, 0
    clen = 0
    for m in _MARK.finditer(text):
        seg = text[pos:m.start()]
        out.append(seg)
        clen += len(seg)
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        key = 1 if m.group(1) is not None else 2
        spans[key] = (clen, clen + len(inner))
        out.append(inner)
        clen += len(inner)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans.get(1), spans.get(2)


def _mask(text, a, b, ma, mb):
    (s1, e1, m1), (s2, e2, m2) = sorted([(a[0], a[1], ma), (b[0], b[1], mb)])
    if s2 < e1:  # overlapping spans: skip
        return None
    return text[:s1] + m1 + text[e1:s2] + m2 + text[e2:]


def chemprot(split):
    path = data_root() / "chemprot-scibert" / f"{split}.jsonl"
    groups = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        o = json.loads(line)
        clean, s1, s2 = _parse_marked(o["text"])
        if s1 is None or s2 is None:
            continue
        groups[clean].append((s1, s2, CPR.get(o["label"])))
    inst = []
    stats = defaultdict(int)
    for clean, rels in groups.items():
        # bipartite 2-colouring of mentions
        adj = defaultdict(set)
        for s1, s2, _ in rels:
            adj[s1].add(s2)
            adj[s2].add(s1)
        colour = {}
        for start in adj:
            if start in colour:
                continue
            colour[start] = 0
            comp, stack = [start], [start]
            while stack:
                u = stack.pop()
                for v in sorted(adj[u]):  # a fixed visiting order: the float vote below is summed in it
                    if v not in colour:
                        colour[v] = 1 - colour[u]
                        comp.append(v)
                        stack.append(v)
            score = sum(gene_score(clean[s:e]) * (1 if colour[(s, e)] == 0 else -1) for s, e in comp)
            # score > 0: colour 0 is gene-like
            gene_colour = 0 if score > 0 else 1
            for x in comp:
                colour[x] = ("Gene" if colour[x] == gene_colour else "Chemical")
        chems = sorted({x for x in colour if colour[x] == "Chemical"})
        genes = sorted({x for x in colour if colour[x] == "Gene"})
        pos = {}
        for s1, s2, lab in rels:
            c, g = (s1, s2) if colour[s1] == "Chemical" else (s2, s1)
            if colour[c] != "Chemical" or colour[g] != "Gene":
                stats["bad_colouring"] += 1
                continue
            if lab is not None:
                pos[(c, g)] = lab
        for c in chems:
            for g in genes:
                lab = pos.get((c, g), "false")
                t = _mask(clean, c, g, "@CHEMICAL$", "@GENE$")
                if t is None:
                    continue
                inst.append(("Chemical|Gene", t, lab, "chemprot"))
                stats[lab] += 1
    return inst, dict(stats)


def gad_like(corpus, split, fold=1):
    d = data_root() / corpus / "biobert-10fold" / str(fold) / f"{split}.tsv"
    inst = []
    lines = d.read_text(encoding="utf-8").splitlines()
    if split == "test":
        lines = lines[1:]
    for line in lines:
        p = line.split("\t")
        sent, lab = (p[1], p[2]) if split == "test" else (p[0], p[1])
        inst.append(("Gene|Disease", sent, "association" if lab.strip() == "1" else "false", corpus))
    return inst


_SENT = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9(\[])")


def read_pubtator(path):
    docs = {}
    cur = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if "|t|" in line[:20]:
            pmid, _, t = line.split("|", 2)
            cur = docs.setdefault(pmid, {"text": "", "ents": [], "cid": set()})
            cur["text"] = t
        elif "|a|" in line[:20]:
            pmid, _, a = line.split("|", 2)
            docs[pmid]["text"] += " " + a
        else:
            p = line.split("\t")
            if len(p) >= 4 and p[1] == "CID":
                docs[p[0]]["cid"].add((p[2], p[3]))
            elif len(p) >= 6:
                for mid in p[5].split("|"):
                    if mid != "-1":
                        docs[p[0]]["ents"].append((int(p[1]), int(p[2]), p[4], mid))
    return docs


def cid(split):
    fn = {"train": "CDR_TrainingSet", "dev": "CDR_DevelopmentSet", "test": "CDR_TestSet"}[split]
    docs = read_pubtator(data_root() / "bc5cdr-pubtator" / f"{fn}.PubTator.txt")
    inst, gold_doc = [], set()
    for pmid, d in docs.items():
        text = d["text"]
        for c, ds in d["cid"]:
            gold_doc.add((pmid, c, ds))
        bounds, start = [], 0
        for m in _SENT.finditer(text):
            bounds.append((start, m.start()))
            start = m.end()
        bounds.append((start, len(text)))
        for ss, se in bounds:
            ents = [(s, e, t, mid) for s, e, t, mid in d["ents"] if s >= ss and e <= se]
            chem = defaultdict(list)
            dis = defaultdict(list)
            for s, e, t, mid in ents:
                (chem if t == "Chemical" else dis)[mid].append((s - ss, e - ss))
            sent = text[ss:se]
            for cm, cs in chem.items():
                for dm, dsp in dis.items():
                    best = min(((abs(a[0] - b[0]), a, b) for a in cs for b in dsp
                                if a[1] <= b[0] or b[1] <= a[0]), default=None)
                    if best is None:
                        continue
                    t = _mask(sent, best[1], best[2], "@CHEMICAL$", "@DISEASE$")
                    lab = "CID" if (cm, dm) in d["cid"] else "false"
                    inst.append(("Chemical|Disease", t, lab, "bc5cdr-cid", (pmid, cm, dm)))
    return inst, gold_doc


def load_re(split):
    """split in train/test; returns instances (pair, text, label, corpus[, doc key]) and extras."""
    extras = {}
    cp, st = chemprot("train" if split == "train" else "test")
    extras["chemprot_stats"] = st
    g = gad_like("gad", "train" if split == "train" else "test")
    e = gad_like("euadr", "train" if split == "train" else "test")
    c, gold = cid("train" if split == "train" else "test")
    if split == "train":
        c2, _ = cid("dev")  # BC5CDR dev is used for training too (as usual for CID final models)
        c = c + c2
    extras["cid_gold_doc"] = gold
    return cp + g + e + c, extras
