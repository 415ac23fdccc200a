/**
 * Field splitting (POSIX XCU 2.6.5) with the results real dash 0.5.12 gives,
 * over the marked text expand.ts builds (markers.ts) and its split regions.
 *
 * A region is a triple [start, end, kind] of offsets into the text: kind 0 is
 * the result of an unquoted expansion, which IFS may cut; kind 1 is a "$@"
 * expansion, cut only at its SEPH markers. Text outside every region is literal.
 * In a cuttable region:
 *
 * - IFS white space (space, tab, newline when in IFS) and SEPW are blanks: a run
 *   of them ends a field that has begun, and is dropped before one that has not;
 * - another IFS character ends a field even if it is empty; the blanks on either
 *   side of it belong to the same delimiter, within one region;
 * - a field has begun once it holds a character or a quote mark (QM), so `""`
 *   and `$x""` give an empty field where `$x` alone gives none.
 *
 * dash's own rules beyond POSIX, found by running /usr/bin/dash:
 *
 * - the region recorded right after a "$@" region treats its blanks as other
 *   IFS characters (each one ends a field, even an empty one);
 * - an element of "$@" does not begin a field by being quoted: an empty last
 *   element is a field only when no region was recorded after the "$@" one
 *   (`"$@"$empty` drops it, `"$@"` keeps it).
 *
 * `read` asks for at most `maxFields` fields: the last one then takes the rest of
 * the line, delimiters included, as long as more than blanks (in regions) follows.
 * Once it has taken a delimiter in, a final IFS character stays in it; otherwise a
 * final delimiter ends it (`a:b:` into two variables gives `a` and `b`).
 *
 *     text:    a  b:  c        IFS=" :"   regions [0, 8, 0]
 *     fields:  "a" "b" "c"
 */
import { ESC, SEPW, QM, SEPH } from './markers.js';

/** What a character of the text is to the splitter. */
const enum Cls {
  /** Part of a field. */
  Text,
  /** IFS white space or SEPW in a cuttable region. */
  Blank,
  /** Any other IFS character in a cuttable region (or a blank right after "$@"). */
  Delim,
  /** SEPH in a "$@" region. */
  ElementSep,
  /** QM in a "$@" region: kept in the field text, does not begin a field. */
  ElementQuote,
}

/** IFS white space as dash counts it (not \v, \f or \r). */
const isIfsWhite = (c: string): boolean => c === ' ' || c === '\t' || c === '\n';

/** The splitter's view of the text: a class per character and the region that holds it. */
interface Layout {
  readonly cls: Uint8Array;
  /** Index (in triples) of the cuttable region holding each character, -1 elsewhere. */
  readonly owner: Int32Array;
  /** The last character of a cuttable region that is not a blank, or -1. */
  readonly lastSolid: number;
}

function layout(text: string, regions: readonly number[], ifs: string): Layout {
  const n = text.length;
  const cls = new Uint8Array(n);
  const owner = new Int32Array(n).fill(-1);
  let afterElements = false;
  for (let r = 0; r + 2 < regions.length; r += 3) {
    const start = regions[r];
    const end = Math.min(regions[r + 1], n);
    const isElements = regions[r + 2] === 1;
    for (let i = start; i < end; i++) {
      const c = text[i];
      if (c === ESC) {
        // ESC and the character it quotes are text (of the region, if cuttable).
        if (!isElements) owner[i] = owner[i + 1] = r;
        i++;
        continue;
      }
      if (isElements) {
        if (c === SEPH) cls[i] = Cls.ElementSep;
        else if (c === QM) cls[i] = Cls.ElementQuote;
        continue;
      }
      owner[i] = r;
      if (c === SEPW || (isIfsWhite(c) && ifs.includes(c))) cls[i] = afterElements ? Cls.Delim : Cls.Blank;
      else if (ifs.includes(c)) cls[i] = Cls.Delim;
    }
    afterElements = isElements;
  }
  let lastSolid = -1;
  for (let i = n - 1; i >= 0 && lastSolid < 0; i--) if (owner[i] >= 0 && cls[i] !== Cls.Blank) lastSolid = i;
  return { cls, owner, lastSolid };
}

/** One delimiter: blanks, at most one other IFS character (at `delimAt`, else -1), blanks; ends before `end`. */
interface Delimiter {
  readonly end: number;
  readonly delimAt: number;
}

function scanDelimiter(lay: Layout, from: number): Delimiter {
  const { cls, owner } = lay;
  const region = owner[from];
  const n = cls.length;
  const blanksFrom = (k: number): number => {
    while (k < n && cls[k] === Cls.Blank && owner[k] === region) k++;
    return k;
  };
  const k = blanksFrom(from);
  if (k < n && cls[k] === Cls.Delim && owner[k] === region) return { end: blanksFrom(k + 1), delimAt: k };
  return { end: k, delimAt: -1 };
}

/**
 * Splits marked `text` into fields (markers left in). `maxFields` > 0 limits the
 * number of fields as `read` does; otherwise there is no limit.
 */
export function splitFields(text: string, regions: readonly number[], ifs: string, maxFields: number): string[] {
  const out: string[] = [];
  if (regions.length === 0) {
    if (text !== '') out.push(text);
    return out;
  }
  const lay = layout(text, regions, ifs);
  const cls = lay.cls;
  let field = '';
  /** The field has begun (a character or a quote mark). */
  let begun = false;
  /** The last field has taken a delimiter in (it spans several of the line's fields). */
  let joined = false;
  const finish = (): void => {
    out.push(field);
    field = '';
    begun = false;
    joined = false;
  };
  let i = 0;
  while (i < text.length) {
    const k = cls[i];
    if (k === Cls.Text || k === Cls.ElementQuote) {
      field += text[i];
      if (k === Cls.Text) begun = true;
      i++;
      continue;
    }
    if (k === Cls.ElementSep) {
      finish();
      i++;
      continue;
    }
    const d = scanDelimiter(lay, i);
    if (d.delimAt < 0 && !begun) {
      i = d.end; // blanks before a field
      continue;
    }
    if (maxFields > 0 && out.length === maxFields - 1) {
      const from = begun ? i : d.delimAt;
      if (lay.lastSolid >= d.end) {
        field += text.slice(from, d.end);
        begun = true;
        joined = true;
        i = d.end;
        continue;
      }
      if (d.delimAt >= 0 && joined) {
        field += text.slice(from, d.delimAt + 1);
        i = d.delimAt + 1;
        continue;
      }
    }
    finish();
    i = d.end;
  }
  const endsWithElements = regions[regions.length - 1] === 1;
  if (begun || endsWithElements) finish();
  return out;
}
