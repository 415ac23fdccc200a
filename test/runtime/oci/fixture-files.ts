/**
 * The OCI reference files the tests compare against, copied into
 * test/runtime/oci/fixtures/ (Apache-2.0, see the README there) so that the tests run
 * on a clean clone.
 */
import { readFileSync, readdirSync } from 'node:fs';

const base = new URL('./fixtures/', import.meta.url);

/** The text of `fixtures/<rel>`. */
export function fixtureText(rel: string): string {
  return readFileSync(new URL(rel, base), 'utf8');
}

/** The parsed JSON of `fixtures/<rel>`. */
export function fixtureJson(rel: string): unknown {
  return JSON.parse(fixtureText(rel));
}

/** The file names in `fixtures/<dir>/`, sorted. */
export function fixtureNames(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, base)).sort();
}

/** Nanoseconds since the epoch for a UTC date, plus extra nanoseconds. */
export function utcNs(y: number, mon: number, d: number, h: number, min: number, s: number, ns = 0n): bigint {
  return BigInt(Date.UTC(y, mon - 1, d, h, min, s)) * 1_000_000n + ns;
}
