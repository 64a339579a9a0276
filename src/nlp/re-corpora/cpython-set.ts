/**
 * The iteration order of a CPython (3.8 or later) `set` of `(int, int)` tuples built by `.add()` alone.
 *
 * re_data.py walks ChemProt's mention graph depth first over such sets, and the order it visits
 * the mentions is the order it sums their float gene-likeness scores in; float addition is not
 * associative, so an exact port visits them in the same order. This reproduces CPython's tuple
 * hash (xxHash lanes, Objects/tupleobject.c) and its open-addressing table (Objects/setobject.c:
 * 9 linear probes, then perturbed probing; growth to 4 × used when 3/5 full). Only non-negative
 * integers below 2^61 − 1 (whose hash is the integer itself) and no removals are supported.
 *
 *   const s = new PyPairSet(); s.add(3, 9); s.add(0, 2); [...s] // CPython's order of {(3, 9), (0, 2)}
 */

const M64 = (1n << 64n) - 1n;
const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;
const LINEAR_PROBES = 9n;
const PERTURB_SHIFT = 5n;
const MIN_SIZE = 8;

/** hash((a, b)) as CPython's unsigned 64-bit value, for 0 ≤ a, b < 2^61 − 1. */
export function pyPairHash(a: number, b: number): bigint {
  let acc = XXPRIME_5;
  for (const x of [a, b]) {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`pyPairHash: unsupported item ${x}`);
    acc = (acc + BigInt(x) * XXPRIME_2) & M64;
    acc = ((acc << 31n) | (acc >> 33n)) & M64;
    acc = (acc * XXPRIME_1) & M64;
  }
  acc = (acc + (2n ^ (XXPRIME_5 ^ 3527539n))) & M64;
  return acc === M64 ? 1546275796n : acc;
}

interface Entry {
  a: number;
  b: number;
  hash: bigint;
}

export class PyPairSet implements Iterable<[number, number]> {
  private table: (Entry | undefined)[] = new Array(MIN_SIZE);
  private fill = 0;

  get size(): number {
    return this.fill;
  }

  has(a: number, b: number): boolean {
    return this.table.some((e) => e !== undefined && e.a === a && e.b === b);
  }

  /** set.add((a, b)): set_add_entry without dummies (nothing is ever removed). */
  add(a: number, b: number): void {
    const hash = pyPairHash(a, b);
    const mask = BigInt(this.table.length - 1);
    let i = hash & mask;
    let perturb = hash;
    for (;;) {
      let probes = i + LINEAR_PROBES <= mask ? Number(LINEAR_PROBES) : 0;
      let at = Number(i);
      do {
        const e = this.table[at];
        if (e === undefined) {
          this.table[at] = { a, b, hash };
          this.fill++;
          if (this.fill * 5 >= Number(mask) * 3) this.resize(this.fill > 50000 ? this.fill * 2 : this.fill * 4);
          return;
        }
        if (e.hash === hash && e.a === a && e.b === b) return;
        at++;
      } while (probes-- > 0);
      perturb >>= PERTURB_SHIFT;
      i = (i * 5n + 1n + perturb) & mask;
    }
  }

  /** set_table_resize: the smallest power of two above minUsed, entries reinserted in table order. */
  private resize(minUsed: number): void {
    let size = MIN_SIZE;
    while (size <= minUsed) size *= 2;
    const old = this.table;
    this.table = new Array(size);
    const mask = BigInt(size - 1);
    for (const e of old) {
      if (e === undefined) continue;
      // set_insert_clean
      let i = e.hash & mask;
      let perturb = e.hash;
      for (;;) {
        const at = Number(i);
        const free = this.freeSlot(at, i + LINEAR_PROBES <= mask ? Number(LINEAR_PROBES) : 0);
        if (free !== -1) {
          this.table[free] = e;
          break;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5n + 1n + perturb) & mask;
      }
    }
  }

  private freeSlot(at: number, probes: number): number {
    for (let k = 0; k <= probes; k++) if (this.table[at + k] === undefined) return at + k;
    return -1;
  }

  *[Symbol.iterator](): IterableIterator<[number, number]> {
    for (const e of this.table) if (e !== undefined) yield [e.a, e.b];
  }
}
