/**
 * Version order, as `sort -V` and `ls -v` use it in GNU coreutils 9.1 — written from the
 * rules in the coreutils manual ("Version sort ordering") and checked against the real
 * `sort -V` (test/userland/textutils/version-order.test.ts).
 *
 *  1. Special ranks first: "" < "." < ".." < other names starting with '.' < the rest.
 *  2. Within a rank (and apart from "." and ".."), a trailing file suffix — the longest
 *     tail matching (\.[A-Za-z~][A-Za-z0-9~]*)* — is set aside and the stems compared;
 *     only if the stems tie are the whole strings compared.
 *  3. Strings compare as alternating runs: a run of non-digits against a run of
 *     non-digits byte by byte ('~' before everything, even the end of the run; then the
 *     end of the run; then letters; then every other byte), and a run of digits
 *     against a run of digits by numeric value (leading zeros do not count; a missing
 *     run is 0).
 *
 * Strings that differ only in leading zeros ("a01", "a1") are equal in this order.
 */

const TILDE = 0x7e;

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetterCode(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A byte's weight inside a non-digit run; `undefined` is the end of the run. */
function weight(c: number | undefined): number {
  if (c === undefined) return 0;
  if (c === TILDE) return -1;
  if (isLetterCode(c)) return c;
  return c + 0x100;
}

/** Special ranks: "" 0, "." 1, ".." 2, hidden names 3, everything else 4. */
function rank(s: string): number {
  if (s === '') return 0;
  if (s === '.') return 1;
  if (s === '..') return 2;
  return s[0] === '.' ? 3 : 4;
}

const SUFFIX = /(?:\.[A-Za-z~][A-Za-z0-9~]*)*$/;

/** `s` without its trailing file suffixes ("hello-8.2.tar.gz" → "hello-8.2"). */
export function withoutSuffix(s: string): string {
  const m = SUFFIX.exec(s);
  return m ? s.slice(0, m.index) : s;
}

/** Compares two digit runs by value. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares two strings run by run (rule 3), without special ranks or suffixes. */
function compareRuns(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // A run of non-digits from each side (either may be empty).
    let i2 = i;
    let j2 = j;
    while (i2 < a.length && !isDigitCode(a.charCodeAt(i2))) i2++;
    while (j2 < b.length && !isDigitCode(b.charCodeAt(j2))) j2++;
    for (let n = 0; n < Math.max(i2 - i, j2 - j); n++) {
      const ca = i + n < i2 ? a.charCodeAt(i + n) : undefined;
      const cb = j + n < j2 ? b.charCodeAt(j + n) : undefined;
      const d = weight(ca) - weight(cb);
      if (d !== 0) return d;
    }
    i = i2;
    j = j2;
    // Then a run of digits from each side.
    while (i2 < a.length && isDigitCode(a.charCodeAt(i2))) i2++;
    while (j2 < b.length && isDigitCode(b.charCodeAt(j2))) j2++;
    const d = compareDigits(a.slice(i, i2), b.slice(j, j2));
    if (d !== 0) return d;
    i = i2;
    j = j2;
  }
  return 0;
}

/** Compares `a` and `b` in version order: negative, zero or positive. */
export function versionCompare(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra < 3) return ra - rb;
  return compareRuns(withoutSuffix(a), withoutSuffix(b)) || compareRuns(a, b);
}
