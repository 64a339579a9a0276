"""Masked-LM data for pretrain_mlm.py: a corpus folder (build_mlm_corpus.py or `litmine corpus export` output)
-> word-piece sequences packed to a fixed length -> deterministic whole-word-masked batches.

Everything is a pure function of (corpus, tokenizer, seed, position), so a resumed run sees exactly the batches
it would have seen without stopping, and the held-out set is masked the same way at every evaluation.
"""
import json
from pathlib import Path

import numpy as np


def corpus_files(corpus: Path) -> tuple[list[Path], Path | None]:
    """Train shards and the held-out file, from manifest.json when present, else every *.txt but heldout.txt."""
    man = corpus / "manifest.json"
    if man.exists():
        m = json.loads(man.read_text(encoding="utf-8"))
        shards = m.get("train_shards") or [s["file"] if isinstance(s, dict) else s for s in m.get("shards", [])]
        held = m.get("heldout")
        return [corpus / s for s in shards], (corpus / held) if held and (corpus / held).exists() else None
    held = corpus / "heldout.txt"
    return sorted(p for p in corpus.glob("*.txt") if p.name != "heldout.txt"), held if held.exists() else None


def read_documents(paths, limit_docs: int = 0) -> list[list[str]]:
    """One sentence per line, documents separated by blank lines (a file without blank lines is one document
    per 20 lines, so that plain sentence lists pack the same way)."""
    docs = []
    for p in paths:
        cur = []
        with open(p, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    cur.append(line)
                if (not line or len(cur) >= 200) and cur:
                    docs.append(cur)
                    cur = []
                if limit_docs and len(docs) >= limit_docs:
                    return docs
        if cur:
            docs.append(cur)
    return docs


def pack(tok, docs, seq_len: int):
    """Sentences -> [CLS] pieces ... [SEP] sequences of at most seq_len pieces, filled greedily across sentence
    and document boundaries (a [SEP] marks a document boundary inside a sequence); a sentence longer than a
    sequence is cut at word boundaries. Returns (ids, word_start) lists of int arrays; word_start[i] is 1 where
    piece i begins a word (whole-word masking unit) and 0 on continuation pieces and special tokens."""
    budget = seq_len - 2
    seqs_ids, seqs_ws = [], []
    cur_ids, cur_ws = [], []

    def flush():
        if cur_ids:
            seqs_ids.append(np.array([tok.cls_token_id] + cur_ids + [tok.sep_token_id], dtype=np.int32))
            seqs_ws.append(np.array([0] + cur_ws + [0], dtype=np.int8))
        cur_ids.clear()
        cur_ws.clear()

    for d, doc in enumerate(docs):
        enc = tok(doc, add_special_tokens=False)
        if d and cur_ids and len(cur_ids) < budget:
            cur_ids.append(tok.sep_token_id)
            cur_ws.append(0)
        for k in range(len(doc)):
            ids, wids = enc["input_ids"][k], enc.word_ids(k)
            words, prev = [], None  # pieces grouped per word
            for i, w in zip(ids, wids):
                if w != prev or not words:
                    words.append([i])
                else:
                    words[-1].append(i)
                prev = w
            for wp in words:
                wp = wp[:budget]
                if len(cur_ids) + len(wp) > budget:
                    flush()
                cur_ids.extend(wp)
                cur_ws.extend([1] + [0] * (len(wp) - 1))
    flush()
    return seqs_ids, seqs_ws


def random_range(tok) -> tuple[int, int]:
    """Ids a random replacement may take: past the last bracketed special/[unused] entry."""
    vocab = tok.get_vocab()
    specials = [i for t, i in vocab.items() if t.startswith("[") and t.endswith("]")]
    return max(specials) + 1, len(vocab)


def mask_batch(ids_list, ws_list, rng: np.random.Generator, tok, rand_range, prob=0.15, pad_to: int = 0):
    """Whole-word masking: words are drawn in random order until round(prob * real pieces) pieces are chosen;
    every piece of a chosen word is predicted and replaced by [MASK] 80%, a random piece 10%, itself 10%.
    Returns numpy arrays input_ids, attention_mask, labels (-100 where not predicted)."""
    L = pad_to or max(len(x) for x in ids_list)
    B = len(ids_list)
    inp = np.full((B, L), tok.pad_token_id, dtype=np.int64)
    att = np.zeros((B, L), dtype=np.int64)
    lab = np.full((B, L), -100, dtype=np.int64)
    special = {tok.cls_token_id, tok.sep_token_id, tok.pad_token_id}
    for b, (ids, ws) in enumerate(zip(ids_list, ws_list)):
        n = len(ids)
        inp[b, :n] = ids
        att[b, :n] = 1
        starts = np.flatnonzero(ws)
        if not len(starts):
            continue
        ends = np.append(starts[1:], n)
        # a word ends at the next word start or at a special token
        real = np.array([i not in special for i in ids])
        n_real = int(real.sum())
        target = max(1, int(round(prob * n_real)))
        chosen = 0
        for w in rng.permutation(len(starts)):
            s, e = starts[w], ends[w]
            while e > s + 1 and not real[e - 1]:
                e -= 1
            if chosen + (e - s) > target and chosen > 0:
                continue
            lab[b, s:e] = ids[s:e]
            chosen += e - s
            if chosen >= target:
                break
    sel = lab != -100
    r = rng.random(lab.shape)
    to_mask = sel & (r < 0.8)
    to_rand = sel & (r >= 0.8) & (r < 0.9)
    inp[to_mask] = tok.mask_token_id
    inp[to_rand] = rng.integers(rand_range[0], rand_range[1], size=int(to_rand.sum()))
    return inp, att, lab
