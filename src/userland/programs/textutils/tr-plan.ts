/**
 * What tr(1) will do to each byte, worked out from its strings and options
 * (coreutils 9.1 in the C locale): ARRAY1 and ARRAY2 expanded to byte lists, checked
 * the way GNU tr checks them, and turned into 256-entry tables.
 *
 *     ARRAY1 ─(-c: the bytes not in it, ascending)─┐
 *     ARRAY2 ─([c*] filled, -t truncates ARRAY1,    ├─▶ map[256]   (translate)
 *              else padded with its last byte)──────┘   delete[256] (-d), squeeze[256] (-s)
 *
 * Classes expand in ascending byte order, so `[:lower:]` against `[:upper:]` at the
 * same position converts case; other classes may not appear in ARRAY2 when translating.
 */
import { classMembers } from '../../lib/posix-regex.js';
import { parseElements, TrSyntaxError, unescape, type SetElement } from './tr-set-syntax.js';

export interface TrOptions {
  complement: boolean;
  delete: boolean;
  squeeze: boolean;
  truncate: boolean;
}

/** The tables the copy loop applies: translate, then delete, then squeeze. */
export interface TrPlan {
  /** Byte → byte; null when not translating. */
  readonly map: Uint8Array | null;
  readonly deleteSet: Uint8Array | null;
  readonly squeezeSet: Uint8Array | null;
}

/** An array as bytes, and where its [:upper:]/[:lower:] classes start. */
interface Expanded {
  bytes: number[];
  caseClasses: Map<number, 'upper' | 'lower'>;
}

function classBytes(name: string): number[] {
  const m = classMembers(name)!;
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (m[c]) out.push(c);
  return out;
}

/** Expands elements to bytes; a fill repeat (`[c*]`) gets `fill` copies. */
function expand(elements: readonly SetElement[], fill: number): Expanded {
  const bytes: number[] = [];
  const caseClasses = new Map<number, 'upper' | 'lower'>();
  for (const e of elements) {
    switch (e.kind) {
      case 'char':
      case 'equiv':
        bytes.push(e.code);
        break;
      case 'range':
        for (let c = e.from; c <= e.to; c++) bytes.push(c);
        break;
      case 'class':
        if (e.name === 'upper' || e.name === 'lower') caseClasses.set(bytes.length, e.name);
        bytes.push(...classBytes(e.name));
        break;
      case 'repeat':
        for (let k = e.count ?? fill; k > 0; k--) bytes.push(e.code);
        break;
    }
  }
  return { bytes, caseClasses };
}

function toSet(bytes: readonly number[], complement: boolean): Uint8Array {
  const set = new Uint8Array(256);
  for (const b of bytes) set[b] = 1;
  if (complement) for (let c = 0; c < 256; c++) set[c] ^= 1;
  return set;
}

/** The bytes of a set in ascending order. */
function members(set: Uint8Array): number[] {
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (set[c]) out.push(c);
  return out;
}

/** Parses both strings and checks them. Throws TrSyntaxError; warnings are appended. */
export function makePlan(string1: string, string2: string | null, opts: TrOptions, warnings: string[]): TrPlan {
  const set1 = parseElements(unescape(string1, warnings));
  const set2 = string2 === null ? null : parseElements(unescape(string2, warnings));
  const isFill = (e: SetElement): boolean => e.kind === 'repeat' && e.count === null;
  if (set1.some(isFill)) throw new TrSyntaxError('the [c*] repeat construct may not appear in string1');
  const translating = set2 !== null && !opts.delete;
  if (set2 !== null) {
    if (translating) {
      if (set2.some((e) => e.kind === 'equiv')) throw new TrSyntaxError('[=c=] expressions may not appear in string2 when translating');
      if (set2.some((e) => e.kind === 'class' && e.name !== 'upper' && e.name !== 'lower')) {
        throw new TrSyntaxError("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'");
      }
      if (set2.filter(isFill).length > 1) throw new TrSyntaxError('only one [c*] repeat construct may appear in string2');
    } else if (set2.some(isFill)) {
      throw new TrSyntaxError('the [c*] construct may appear in string2 only when translating');
    }
  }
  const array1 = expand(set1, 0);
  const selected1 = toSet(array1.bytes, opts.complement);
  const deleteSet = opts.delete ? selected1 : null;
  if (!translating) {
    const squeezeSet = !opts.squeeze ? null : set2 === null ? selected1 : toSet(expand(set2, 0).bytes, false);
    return { map: null, deleteSet, squeezeSet };
  }
  let from = opts.complement ? members(selected1) : array1.bytes;
  const fixed = expand(set2!, 0).bytes.length;
  const array2 = expand(set2!, Math.max(0, from.length - fixed));
  let to = array2.bytes;
  if (opts.truncate && to.length < from.length) from = from.slice(0, to.length);
  if (to.length < from.length) {
    if (to.length === 0) throw new TrSyntaxError('when not truncating set1, string2 must be non-empty');
    if (set2![set2!.length - 1].kind === 'class') {
      throw new TrSyntaxError('when translating with string1 longer than string2,\nthe latter string must not end with a character class');
    }
    to = to.concat(new Array<number>(from.length - to.length).fill(to[to.length - 1]));
  }
  for (const at of array2.caseClasses.keys()) {
    if (opts.complement || !array1.caseClasses.has(at)) throw new TrSyntaxError('misaligned [:upper:] and/or [:lower:] construct');
  }
  const map = new Uint8Array(256);
  for (let c = 0; c < 256; c++) map[c] = c;
  from.forEach((c, i) => (map[c] = to[i]));
  const squeezeSet = opts.squeeze ? toSet(to, false) : null;
  return { map, deleteSet, squeezeSet };
}
