import test from 'ava';
import { cpuFlags, cpuModelName, int8KernelFamily } from '../../src/nlp/int8-kernels.js';

const cpuinfo = (model: string, flags: string) =>
  `processor\t: 0\nvendor_id\t: x\nmodel name\t: ${model}\nflags\t\t: ${flags}\n\nprocessor\t: 1\nflags\t\t: fpu\n`;

test('each CPU maps to the int8 kernels onnxruntime dispatches to, in its order of preference', (t) => {
  const family = (flags: string) => int8KernelFamily(cpuFlags(cpuinfo('x', flags)));
  t.is(family('fpu sse avx2 avx512f avx512bw avx512_vnni amx_tile amx_int8 amx_bf16'), 'amx-int8');
  // AMX without the tile flag is not usable.
  t.is(family('fpu avx2 avx512bw avx512_vnni amx_int8'), 'avx512-vnni');
  t.is(family('fpu avx2 avx512f avx512bw avx512_vnni avx512_bf16 avx_vnni'), 'avx512-vnni');
  t.is(family('fpu avx2 avx_vnni'), 'avx-vnni');
  t.is(family('fpu sse4_2 avx avx2 fma'), 'avx2');
  t.is(family('fpu sse4_2'), 'other');
  t.is(int8KernelFamily(cpuFlags('')), 'other');
});

test("the flags and model name are the first processor's; ARM lists Features", (t) => {
  const flags = cpuFlags(cpuinfo('AMD EPYC 9B14', 'fpu avx2'));
  t.deepEqual([...flags], ['fpu', 'avx2']);
  t.is(cpuModelName(cpuinfo('AMD EPYC 9B14', 'fpu')), 'AMD EPYC 9B14');
  t.deepEqual([...cpuFlags('processor : 0\nFeatures : fp asimd asimddp\n')], ['fp', 'asimd', 'asimddp']);
  t.is(cpuModelName('processor : 0\n'), 'unknown');
});
