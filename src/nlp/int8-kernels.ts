/**
 * Which family of int8 matrix-multiply kernels onnxruntime's CPU provider picks on this machine.
 * A quantized model's logits differ slightly between families (AMX, AVX-512 VNNI, AVX-VNNI and AVX2
 * requantize and accumulate differently), so a figure recorded on one family is exact only there:
 * model folders record their golden logits and scores per family, and tests compare against the
 * record for the family they run on.
 */
import { readFileSync } from 'node:fs';

export type Int8KernelFamily = 'amx-int8' | 'avx512-vnni' | 'avx-vnni' | 'avx2' | 'other';

/** /proc/cpuinfo's text, read once; empty where there is no /proc. */
let cpuinfoText: string | undefined;
function cpuinfo(): string {
  if (cpuinfoText === undefined) {
    try {
      cpuinfoText = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      cpuinfoText = '';
    }
  }
  return cpuinfoText;
}

/** The CPU flags the first processor lists (x86 "flags", ARM "Features"). */
export function cpuFlags(text: string = cpuinfo()): Set<string> {
  const line = text.split('\n').find((l) => /^(flags|Features)\s*:/.test(l));
  return new Set(
    line
      ? line
          .slice(line.indexOf(':') + 1)
          .trim()
          .split(/\s+/)
      : [],
  );
}

/** The family MLAS dispatches to, in its own order of preference. */
export function int8KernelFamily(flags: Set<string> = cpuFlags()): Int8KernelFamily {
  if (flags.has('amx_int8') && flags.has('amx_tile')) return 'amx-int8';
  if (flags.has('avx512_vnni') && flags.has('avx512bw')) return 'avx512-vnni';
  if (flags.has('avx_vnni')) return 'avx-vnni';
  if (flags.has('avx2')) return 'avx2';
  return 'other';
}

/** The CPU's model name, for records that say where a figure came from. */
export function cpuModelName(text: string = cpuinfo()): string {
  const line = text.split('\n').find((l) => l.startsWith('model name'));
  return line ? line.slice(line.indexOf(':') + 1).trim() : 'unknown';
}
