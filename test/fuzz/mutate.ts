/**
 * Mutations of a valid input for the readers' fuzz tests (issue 11): fast-check
 * arbitraries that take a valid file's text and change it the ways files go wrong —
 * a value of the wrong type or out of range at any path of the document, a key gone
 * or one too many, and damage to the text itself (cut short, bytes replaced, lines
 * swapped or repeated). Each mutant is shrinkable, so a failure comes back small.
 *
 * FUZZ_RUNS sets how many inputs each reader gets (a few hundred in `npm test`; the
 * long local mode, `npm run fuzz`, gives every reader tens of thousands).
 */
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** Inputs per reader: FUZZ_RUNS, or `ciRuns` (the bounded run of `npm test`). */
export function fuzzRuns(ciRuns: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isSafeInteger(n) && n > 0 ? n : ciRuns;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every path in a document (the root too), objects and arrays included. */
function pathsOf(doc: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(doc)) doc.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) pathsOf(v, [...at, k], out);
  return out;
}

const clone = (d: Json): Json => JSON.parse(JSON.stringify(d)) as Json;

/** `doc` with the value at `path` replaced (`undefined`: removed). */
function setAt(doc: Json, path: Path, value: Json | undefined): Json | undefined {
  if (path.length === 0) return value;
  const root = clone(doc);
  let cur = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else cur[last] = value;
  return root;
}

/** Values that break documents: wrong types, edges of ranges, odd strings. */
const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '-1', '0x10', '1e999', '../../etc/passwd', '/', '\u0000', 'é', '\u202e', '{}', [], {}, [null], { '': null }),
  fc.integer().map((n): Json => n),
  fc.double({ noNaN: true }).map((n): Json => (Number.isFinite(n) ? n : 0)),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => v as Json),
);

/** Structural mutants of a parsed document, given back as text by `print`. */
function docMutant(doc: Json, print: (d: Json) => string): fc.Arbitrary<string> {
  const paths = pathsOf(doc);
  const pick = fc.nat({ max: paths.length - 1 }).map((i) => paths[i]);
  return fc.oneof(
    // A value replaced by one of another type or range.
    fc.tuple(pick, nasty).map(([p, v]) => print(setAt(doc, p, v) ?? null)),
    // A key or element removed.
    pick.filter((p) => p.length > 0).map((p) => print(setAt(doc, p, undefined) ?? null)),
    // An unknown key added to an object.
    fc.tuple(pick, fc.string({ minLength: 1, maxLength: 8 }), nasty).map(([p, k, v]) => {
      const target = p.reduce<Json>((d, key) => (d as Record<string | number, Json>)[key], doc);
      if (target === null || typeof target !== 'object' || Array.isArray(target)) return print(doc);
      return print(setAt(doc, [...p, k], v) ?? null);
    }),
    // Two mutations at once.
    fc.tuple(pick, nasty, pick).map(([p, v, q]) => {
      const once = setAt(doc, p, v) ?? null;
      return print(q.length > 0 && pathsOf(once).some((x) => x.join('\0') === q.join('\0')) ? (setAt(once, q, undefined) ?? null) : once);
    }),
  );
}

/** Damage to the text itself. */
function textMutant(text: string): fc.Arbitrary<string> {
  const pos = fc.nat({ max: Math.max(0, text.length) });
  const lines = text.split('\n');
  const line = fc.nat({ max: lines.length - 1 });
  return fc.oneof(
    pos.map((i) => text.slice(0, i)),
    fc.tuple(pos, fc.nat({ max: 40 }), fc.string({ maxLength: 6, unit: 'binary' })).map(([i, n, s]) => text.slice(0, i) + s + text.slice(i + n)),
    fc.tuple(pos, fc.constantFrom('\0', '\r', '"', "'", '{', '}', '[', ']', ':', '-', '#', '\\', '\n  ', '&a', '*a', '!!binary ', '\ufeff', '%')).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(line, line).map(([a, b]) => {
      const l = [...lines];
      [l[a], l[b]] = [l[b], l[a]];
      return l.join('\n');
    }),
    line.map((a) => [...lines.slice(0, a + 1), ...lines.slice(a)].join('\n')),
  );
}

/** Mutants of a JSON file's text. */
export function jsonMutants(text: string): fc.Arbitrary<string> {
  const doc = JSON.parse(text) as Json;
  return fc.oneof({ weight: 3, arbitrary: docMutant(doc, (d) => JSON.stringify(d, null, 2)) }, { weight: 1, arbitrary: textMutant(text) });
}

/** Mutants of a YAML file's text. */
export function yamlMutants(text: string): fc.Arbitrary<string> {
  const doc = parseYaml(text) as Json;
  return fc.oneof({ weight: 3, arbitrary: docMutant(doc, (d) => stringifyYaml(d)) }, { weight: 1, arbitrary: textMutant(text) });
}

/** Mutants of a binary file (latin1 text): bytes replaced, cut short, blocks repeated. */
export function bytesMutants(bytes: string): fc.Arbitrary<string> {
  const pos = fc.nat({ max: bytes.length });
  return fc.oneof(
    pos.map((i) => bytes.slice(0, i)),
    fc.tuple(pos, fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 })).map(([i, bs]) => bytes.slice(0, i) + String.fromCharCode(...bs) + bytes.slice(i + bs.length)),
    fc.tuple(pos, fc.constantFrom('0', '7', ' ', '\0', 'x', '9', '-')).map(([i, c]) => bytes.slice(0, i) + c + bytes.slice(i + 1)),
    fc.tuple(fc.nat({ max: Math.max(0, Math.floor(bytes.length / 512) - 1) })).map(([b]) => bytes.slice(0, (b + 1) * 512) + bytes.slice(b * 512)),
  );
}
