/**
 * Which of a committed int8 model's recorded figures hold exactly on this CPU. Static int8 logits
 * differ between onnxruntime's int8 kernel families (src/nlp/int8-kernels.ts): a folder's golden.json
 * and manifest.json list the families on which their records were reproduced exactly (int8_kernels)
 * and may carry records made on others (other_int8_kernels, models/train/record_int8_kernels.py).
 * On a family with neither, tests fall back to bounds measured across families.
 */
import { type Int8KernelFamily, int8KernelFamily } from '../../src/nlp/int8-kernels.js';

/**
 * The largest logit difference measured between two kernel families on the committed models (0.53
 * NER, 0.78 RE, against the AMX record on a CPU whose family had none); twice it is the margin
 * beyond which an argmax may not change.
 */
export const CROSS_KERNEL_LOGIT_BOUND = 0.8;
/** The largest F1 change measured between two kernel families (0.12 NCBI-disease, 0.17 GAD), with room. */
export const CROSS_KERNEL_F1_BOUND = 0.3;

export const family: Int8KernelFamily = int8KernelFamily();

interface Records<T> {
  int8_kernels?: string[];
  other_int8_kernels?: Record<string, T>;
}

/** 'primary': the export's records hold here; 'other': a record made on this family; 'none'. */
export function recordFor<T>(r: Records<T>): { kind: 'primary' } | { kind: 'other'; record: T } | { kind: 'none' } {
  if (r.int8_kernels?.includes(family)) return { kind: 'primary' };
  const record = r.other_int8_kernels?.[family];
  return record ? { kind: 'other', record } : { kind: 'none' };
}
