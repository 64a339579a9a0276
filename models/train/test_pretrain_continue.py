"""The bio step across sessions on a tiny random BERT: pretrain_mlm.py --lora writes a delta, and a second run
with --continue-from-delta (as a fresh machine would, with no checkpoint) starts from it at the step it reached,
goes on to new data and records the chain. Needs the training requirements, not the base weights:

    python -m unittest models/train/test_pretrain_continue.py
"""
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = ("Cisplatin induced nephrotoxicity in rats . The BRCA1 gene is mutated in breast cancer . Paris "
         "Metformin lowered glucose levels in patients with diabetes . Aspirin reduced the risk of stroke .").split()


def tiny_base(folder: Path):
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast
    folder.mkdir(parents=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(set(WORDS))]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    BertTokenizerFast(str(folder / "vocab.txt"), do_lower_case=False).save_pretrained(str(folder))
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=48, max_position_embeddings=64)
    BertForMaskedLM(cfg).save_pretrained(str(folder))


def tiny_corpus(folder: Path):
    folder.mkdir(parents=True)
    text = " ".join(WORDS).replace(" . ", " .\n").replace(" Paris ", " ")
    (folder / "train-000.txt").write_text("\n\n".join([text] * 40) + "\n")
    (folder / "heldout.txt").write_text(text + "\n")


class ContinueTest(unittest.TestCase):
    def setUp(self):
        """A tiny base and corpus in a folder of their own."""
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)
        self.base, self.corpus = self.dir / "base", self.dir / "corpus"
        tiny_base(self.base)
        tiny_corpus(self.corpus)

    def tearDown(self):
        self._tmp.cleanup()

    def first_delta(self, steps: int) -> Path:
        first = self.dir / "adapters" / "bio"
        self.run_mlm("--out", str(self.dir / "run1"), "--adapter-out", str(first), "--max-steps", str(steps))
        return first

    def run_mlm(self, *extra):
        cmd = [sys.executable, str(HERE / "pretrain_mlm.py"), "--corpus", str(self.corpus), "--init", str(self.base),
               "--lora", "4", "--lora-alpha", "8", "--adapter-name", "bio", "--micro-batch", "4", "--accum", "1",
               "--seq-len", "32", "--epochs", "1", "--threads", "1", "--no-bf16", "--eval-batch", "4", *extra]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
        return r.stdout

    def test_a_committed_delta_continues_on_a_fresh_machine(self):
        from safetensors.torch import load_file
        d = self.dir
        first = self.first_delta(3)
        m1 = json.loads((first / "manifest.json").read_text())
        self.assertEqual(m1["compute"]["optimizer_steps"], 3)
        # A fresh machine: no run folder, no checkpoint; only the committed delta.
        second = d / "adapters2" / "bio"
        log = self.run_mlm("--out", str(d / "run2"), "--adapter-out", str(second), "--max-steps", "2",
                           "--continue-from-delta", str(first))
        self.assertIn("continuing bio", log)
        self.assertIn("step 5/", log)
        self.assertNotIn("[before]", log, "the plain base is not evaluated again")
        m2 = json.loads((second / "manifest.json").read_text())
        self.assertEqual(m2["compute"]["optimizer_steps"], 5)
        self.assertEqual(m2["compute"]["pieces_seen"] > m1["compute"]["pieces_seen"], True)
        self.assertEqual(m2["continues"]["sha256"], m1["sha256"])
        self.assertEqual(m2["continues"]["optimizer_steps"], 3)
        self.assertEqual(m2["evaluation"]["before"], m1["evaluation"]["before"])
        a, b = load_file(str(first / "adapter.safetensors")), load_file(str(second / "adapter.safetensors"))
        self.assertEqual(set(a), set(b))
        self.assertTrue(any(not (a[k] == b[k]).all() for k in a), "two more steps moved the delta")

    def test_a_delta_of_another_rank_is_refused(self):
        d = self.dir
        first = self.first_delta(1)
        cmd = [sys.executable, str(HERE / "pretrain_mlm.py"), "--corpus", str(self.corpus), "--init",
               str(self.base), "--lora", "8", "--adapter-out", str(d / "x"), "--out", str(d / "run2"),
               "--continue-from-delta", str(first), "--no-bf16", "--threads", "1", "--seq-len", "32"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("r=4", r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
