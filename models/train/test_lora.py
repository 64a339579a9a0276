"""Tests of the delta machinery on a tiny random BERT (needs the training requirements, not the base weights):

    python -m unittest models/train/test_lora.py
"""
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lora  # noqa: E402


def tiny(seed=0):
    import torch
    from transformers import BertConfig, BertForMaskedLM
    torch.manual_seed(seed)
    cfg = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=48, max_position_embeddings=32)
    return BertForMaskedLM(cfg).eval()


class DeltaTest(unittest.TestCase):
    def setUp(self):
        import torch
        self.torch = torch
        self.x = torch.randint(0, 64, (3, 9))

    def trained(self):
        """A tiny model with adapters whose every trained tensor moved, as after some steps of training."""
        m = tiny()
        lora.add_adapters(m, m.bert.encoder, 4, 8.0, 0.0, heads=lora.MLM_HEAD)
        with self.torch.no_grad():
            for p in m.parameters():
                if p.requires_grad:
                    p.add_(self.torch.randn_like(p) * 0.05)
        return m

    def test_only_adapters_layernorms_and_head_train(self):
        m = self.trained()
        names = [n for n, p in m.named_parameters() if p.requires_grad]
        self.assertTrue(all("lora_" in n or "LayerNorm" in n or n.startswith(lora.MLM_HEAD) for n in names))
        self.assertFalse(any("word_embeddings" in n or n.endswith("query.base.weight") for n in names))
        self.assertEqual(sum("lora_A" in n for n in names), 2 * len(lora.TARGETS))

    def test_new_adapters_change_nothing(self):
        base, m = tiny(), tiny()
        lora.add_adapters(m, m.bert.encoder, 4, 8.0, 0.0, heads=lora.MLM_HEAD)
        self.assertTrue(self.torch.equal(base(input_ids=self.x).logits, m(input_ids=self.x).logits))

    def test_saved_delta_rebuilds_the_trained_model(self):
        m = self.trained()
        want = m(input_ids=self.x).logits
        with tempfile.TemporaryDirectory() as d:
            man = lora.save_delta(Path(d), lora.delta_state(m), {"name": "t", "lora": {"r": 4, "alpha": 8.0}})
            state, read = lora.load_delta(Path(d))
        self.assertEqual(read["sha256"], man["sha256"])
        self.assertTrue(all(t.dtype == self.torch.float16 for t in state.values()))
        base = tiny()
        self.assertEqual(lora.apply_delta(base, state, 8.0 / 4), [])
        # float16 storage: close to the trained float32 model, not equal
        self.assertLess(float((base(input_ids=self.x).logits - want).abs().max()), 5e-3)
        self.assertGreater(float((tiny()(input_ids=self.x).logits - want).abs().max()), 1e-2)

    def test_merge_in_place_equals_adapters(self):
        m = self.trained()
        want = m(input_ids=self.x).logits
        lora.remove_adapters(m, m.bert.encoder)
        self.assertFalse(any(isinstance(x, lora.LoRALinear) for x in m.modules()))
        self.assertLess(float((m(input_ids=self.x).logits - want).abs().max()), 1e-5)

    def test_a_tampered_delta_is_refused(self):
        m = self.trained()
        with tempfile.TemporaryDirectory() as d:
            lora.save_delta(Path(d), lora.delta_state(m), {"name": "t", "lora": {"r": 4, "alpha": 8.0}})
            with open(Path(d) / "adapter.safetensors", "r+b") as f:
                f.seek(-4, 2)
                f.write(b"\x00\x01\x02\x03")
            with self.assertRaises(SystemExit):
                lora.load_delta(Path(d))

    def test_head_of_another_task_is_reported_not_merged(self):
        from transformers import BertForTokenClassification
        m = self.trained()
        tok_model = BertForTokenClassification(tiny().config)
        skipped = lora.apply_delta(tok_model, lora.delta_state(m), 2.0)
        self.assertTrue(skipped and all(n.startswith("cls.") for n in skipped))


if __name__ == "__main__":
    unittest.main()
