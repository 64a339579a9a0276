/**
 * Damage for the parser fuzzer: seeded, reproducible mutations of a real XML document — byte flips,
 * truncations, duplicated and removed tags, entity garbage, deep nesting, stray markup — each input
 * bounded in size so no input can take long for a reason other than a parser bug.
 *
 *   const rnd = random(inputSeed(seed, i)); const bytes = mutate(Buffer.from(xml), rnd);
 */

/** mulberry32: a small deterministic PRNG; `random(s)()` is in [0, 1). */
export function random(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each input has its own stream, so input i reproduces alone from (seed, i). */
export function inputSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) | 0;
}

/** No mutated input grows past this many bytes over its seed. */
export const MAX_GROWTH = 64 * 1024;

const SYNTAX = Buffer.from('<>&;"\'/=#[]!?-: \n\t\u0000', 'latin1');
const ENTITIES = [
  '&',
  '&amp',
  '&#;',
  '&#x;',
  '&#0;',
  '&#x110000;',
  '&#xD800;',
  '&#99999999999999999999;',
  '&#xZZ;',
  '&nosuchentity;',
  '&lt;&#',
  '&&&;;',
  `&${'a'.repeat(300)};`,
  '&amp;amp;',
  '&#x1F600;',
  '&nbsp;',
];
const STRAY = [
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '<?pi',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '<!ENTITY lol "lol">',
  '</',
  '<a b=>',
  '<a b="1" b="2">',
  '<a b=c>',
  '<:x>',
  '<1x>',
  '<PubmedArticle>',
  '</PubmedArticle>',
  '<article>',
  '</article>',
  '<PMID Version="x">',
  '</MedlineCitation>',
  '<sec><title>',
  '<DeleteCitation><PMID>1</PMID></DeleteCitation>',
];
const TAG = /<\/?[A-Za-z][\w:.-]*(?:\s[^<>]*)?\/?>/g;

type Mutation = (doc: Buffer, rnd: () => number) => Buffer;

const at = (doc: Buffer, rnd: () => number) => Math.floor(rnd() * (doc.length + 1));
const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)] as T;
const insert = (doc: Buffer, pos: number, what: Buffer | string) =>
  Buffer.concat([doc.subarray(0, pos), typeof what === 'string' ? Buffer.from(what) : what, doc.subarray(pos)]);

function tags(doc: Buffer): { index: number; text: string }[] {
  const text = doc.toString('latin1'); // byte positions, whatever the encoding
  return [...text.matchAll(TAG)].map((m) => ({ index: m.index, text: m[0] }));
}

export const MUTATIONS: Record<string, Mutation> = {
  flipBytes: (doc, rnd) => {
    const out = Buffer.from(doc);
    const n = 1 + Math.floor(rnd() * 8);
    for (let k = 0; k < n && out.length > 0; k++) {
      const p = Math.floor(rnd() * out.length);
      out[p] = rnd() < 0.5 ? (pick([...SYNTAX], rnd) as number) : Math.floor(rnd() * 256);
    }
    return out;
  },
  truncate: (doc, rnd) => doc.subarray(0, Math.floor(rnd() * doc.length)),
  duplicateTag: (doc, rnd) => {
    const all = tags(doc);
    if (all.length === 0) return doc;
    return insert(doc, at(doc, rnd), Buffer.from(pick(all, rnd).text, 'latin1'));
  },
  removeTag: (doc, rnd) => {
    const all = tags(doc);
    if (all.length === 0) return doc;
    const tag = pick(all, rnd);
    return Buffer.concat([doc.subarray(0, tag.index), doc.subarray(tag.index + tag.text.length)]);
  },
  duplicateElement: (doc, rnd) => {
    // A slice between two tag starts, copied elsewhere: whole elements, half elements, several.
    const all = tags(doc);
    if (all.length < 2) return doc;
    const a = pick(all, rnd).index;
    const b = pick(all, rnd).index;
    const slice = doc.subarray(Math.min(a, b), Math.min(Math.max(a, b), Math.min(a, b) + 4 * 1024));
    return insert(doc, at(doc, rnd), slice);
  },
  entityGarbage: (doc, rnd) => {
    let out = doc;
    const n = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < n; k++) out = insert(out, at(out, rnd), pick(ENTITIES, rnd));
    return out;
  },
  deepNesting: (doc, rnd) => {
    const depth = pick([10, 200, 999, 1001, 1500], rnd); // the record parser refuses more than 1,000 levels
    const name = pick(['i', 'p', 'sec', 'sup', 'b', 'list'], rnd);
    const balanced = rnd() < 0.7;
    const open = `<${name}>`.repeat(depth);
    const close = balanced ? `</${name}>`.repeat(depth) : '';
    return insert(doc, at(doc, rnd), `${open}x${close}`);
  },
  strayMarkup: (doc, rnd) => insert(doc, at(doc, rnd), pick(STRAY, rnd)),
  swapSlices: (doc, rnd) => {
    const cuts = [at(doc, rnd), at(doc, rnd), at(doc, rnd)].sort((x, y) => x - y) as [number, number, number];
    return Buffer.concat([doc.subarray(0, cuts[0]), doc.subarray(cuts[1], cuts[2]), doc.subarray(cuts[0], cuts[1]), doc.subarray(cuts[2])]);
  },
  invalidUtf8: (doc, rnd) =>
    insert(doc, at(doc, rnd), Buffer.from(pick([[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]], rnd))),
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One mutation, sometimes two or three, named in order (for the failure message); the result stays bounded. */
export function mutate(doc: Buffer, rnd: () => number): { bytes: Buffer; applied: string[] } {
  let bytes = doc;
  const applied: string[] = [];
  const r = rnd();
  const n = r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
  for (let k = 0; k < n; k++) {
    const name = pick(MUTATION_NAMES, rnd);
    bytes = (MUTATIONS[name] as Mutation)(bytes, rnd);
    applied.push(name);
  }
  if (bytes.length > doc.length + MAX_GROWTH) bytes = bytes.subarray(0, doc.length + MAX_GROWTH);
  return { bytes, applied };
}
