/**
 * Go's `encoding/json` output, byte for byte, for the values runc prints: `Marshal`
 * (compact), `MarshalIndent(v, prefix, indent)` and `Encoder.Encode` (compact + "\n").
 *
 * How JS values stand for Go values:
 * - a plain object is a Go **struct**: fields in insertion order (declaration order);
 *   `undefined` fields are skipped, which is how callers express `omitempty`;
 * - a `Map` is a Go **map**: keys sorted by their UTF-8 bytes, as Go sorts map keys;
 * - `bigint` prints as an integer (uint64 values such as 2^64−1); a `number` prints
 *   as JS does, which for float64 matches Go's shortest formatting (both switch to
 *   exponent form below 1e-6 and at 1e21: JS `1e+21`, Go `1e+21`); NaN/Infinity are
 *   rejected, as Go rejects them;
 * - `null` and an `undefined` array element are `null` (a nil slice/pointer).
 *
 * Strings are escaped as Go does with HTML escaping on (the default for Marshal and
 * Encoder): `<`, `>`, `&` → `\u003c`, `\u003e`, `\u0026`; U+2028/U+2029 →
 * `\u2028`/`\u2029`; `\b \f \n \r \t` as two-character escapes (Go ≥ 1.22), other
 * controls as `\u00XX` (lower-case hex); lone surrogates (invalid UTF-8 in Go) → U+FFFD.
 */

/** A value goJson can encode. */
export type GoJsonValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | readonly GoJsonValue[]
  | ReadonlyMap<string, GoJsonValue>
  | { readonly [field: string]: GoJsonValue };

const HEX = '0123456789abcdef';

/** A Go JSON string literal for `s` (with HTML escaping). */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += '\ufffd';
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\ufffd';
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x08:
        out += '\\b';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
      case 0x09:
        out += '\\t';
        continue;
    }
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
      continue;
    }
    out += s[i]!;
  }
  return `${out}"`;
}

/** Compares two strings by their UTF-8 bytes (= by code points), as Go's sort.Strings does. */
export function compareUtf8(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function isMap(v: unknown): v is ReadonlyMap<string, GoJsonValue> {
  return v instanceof Map;
}

function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`json: unsupported value: ${n}`);
  return Object.is(n, -0) ? '-0' : String(n);
}

/**
 * Encodes `v`. With `indent === undefined` the output is compact (Marshal); otherwise
 * it is MarshalIndent's: each element on its own line, `prefix` + `indent`×depth,
 * `"key": value` with one space, and empty objects/arrays as `{}` / `[]`.
 */
export function goJson(v: GoJsonValue, indent?: string, prefix = ''): string {
  return encode(v, indent, prefix, 0);
}

function encode(v: GoJsonValue, indent: string | undefined, prefix: string, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return encodeNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return goQuote(v);
  const nl = (d: number): string => (indent === undefined ? '' : `\n${prefix}${indent.repeat(d)}`);
  const colon = indent === undefined ? ':' : ': ';
  if (Array.isArray(v)) {
    const items = (v as readonly GoJsonValue[]).map((x) => encode(x, indent, prefix, depth + 1));
    if (items.length === 0) return '[]';
    return `[${items.map((x) => nl(depth + 1) + x).join(',')}${nl(depth)}]`;
  }
  let entries: [string, GoJsonValue][];
  if (isMap(v)) entries = [...v.entries()].sort((a, b) => compareUtf8(a[0], b[0]));
  else entries = Object.entries(v as { [k: string]: GoJsonValue }).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  const fields = entries.map(([k, x]) => `${nl(depth + 1)}${goQuote(k)}${colon}${encode(x, indent, prefix, depth + 1)}`);
  return `{${fields.join(',')}${nl(depth)}}`;
}

/** `json.NewEncoder(w).Encode(v)`: compact, then a newline. */
export function goEncoderLine(v: GoJsonValue): string {
  return `${goJson(v)}\n`;
}

/** A Go map (sorted keys when encoded) from a record or map. */
export function goMap<T extends GoJsonValue>(entries: Readonly<Record<string, T>> | ReadonlyMap<string, T>): Map<string, T> {
  return new Map(isMap(entries) ? entries : Object.entries(entries));
}
