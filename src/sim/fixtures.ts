/**
 * Access to the data files that ship with ctsim under `fixtures/` (the default cost
 * table, the root filesystem). Works both from `src/` (tests) and `dist/` (the
 * installed CLI): each sits two levels below the package root.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The absolute path of `fixtures/<rel>`. */
export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
}

/** Reads and parses `fixtures/<rel>` as JSON. */
export function readFixtureJson(rel: string): unknown {
  return JSON.parse(readFileSync(fixturePath(rel), 'utf8'));
}
