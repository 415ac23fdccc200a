/**
 * Access to the data files that ship with ctsim under `fixtures/` (the default cost
 * table, the root filesystem) and to the package root they sit in. The code runs from
 * `src/` (tests), `dist/` (the library) and the CLI's bundles in `dist/bundle/`, at
 * different depths below the package root, so the root is found by walking up, not by
 * a fixed `../..`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The directory of ctsim's package: the nearest one above this module that holds both
 * `package.json` and `fixtures/`. Looked up once.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`ctsim: no package root (package.json beside fixtures/) above ${start}`);
  }
}

/** The absolute path of `fixtures/<rel>`. */
export function fixturePath(rel: string): string {
  return join(packageRoot(), 'fixtures', rel);
}

/** Reads and parses `fixtures/<rel>` as JSON. */
export function readFixtureJson(rel: string): unknown {
  return JSON.parse(readFileSync(fixturePath(rel), 'utf8'));
}
