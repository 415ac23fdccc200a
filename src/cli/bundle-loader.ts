/**
 * Loads one of the CLI's bundles (dist/bundle/*.cjs, written by scripts/bundle.js): a
 * single CommonJS file compiled with V8's code cache, so that a start of `ctsim` does
 * not parse megabytes of JavaScript again. Node 20 caches no compiled ES modules
 * (module.enableCompileCache came in Node 22.1), but vm.Script takes and makes V8 code
 * caches; a bundle is run as CommonJS is, in a function of (exports, require, module,
 * __filename, __dirname).
 *
 * The cache file NAME.cjs.cache is written at build time only (writeCodeCache), never
 * while ctsim runs: [20 bytes: SHA-1 of the bundle's bytes][V8's cached data]. V8 checks
 * its own version and flags and rejects a cache made by another Node, but it takes a
 * cache made for another source of the same length and runs the old code, so the
 * SHA-1 decides whether the cache belongs to this source. A missing, foreign or
 * rejected cache only costs time: the bundle is compiled from source.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';

const HASH_BYTES = 20;

/** A loaded bundle. */
export interface LoadedBundle {
  /** What the bundle put in module.exports. */
  exports: unknown;
  /** Whether V8 used the code cache: 'none' when there was none (or not this source's). */
  codeCache: 'used' | 'rejected' | 'none';
  /** The bundle's file and the compiled script, for writeCodeCache. */
  file: string;
  script: Script;
  sourceHash: Buffer;
}

type Require = (id: string) => unknown;

/**
 * Runs the bundle `file` as a CommonJS module and returns what it exports. `provided`
 * answers require() for the modules the bundle left out (another bundle's exports);
 * everything else is Node's require from the bundle's directory.
 */
export function loadBundle(file: string, provided: Readonly<Record<string, unknown>> = {}): LoadedBundle {
  const bytes = readFileSync(file);
  const sourceHash = createHash('sha1').update(bytes).digest();
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(`${file}.cache`);
    if (cache.length > HASH_BYTES && cache.subarray(0, HASH_BYTES).equals(sourceHash)) cachedData = cache.subarray(HASH_BYTES);
  } catch {
    // No cache: compile from source.
  }
  // The bundle is a function expression already (scripts/bundle.js wraps it, so its
  // text goes to V8 as read, with no copy). Mostly it is ASCII, which V8 keeps in one
  // byte a character; latin1 decodes that without UTF-8's work.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  // A dynamic import() inside a bundle goes to Node's own loader (Node 20.12 and later;
  // older ones have no such constant, and import() there would throw).
  const mainLoader = (vmConstants as Partial<typeof vmConstants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new Script(source, { filename: file, cachedData, ...(mainLoader === undefined ? {} : { importModuleDynamically: mainLoader }) });
  const nodeRequire = createRequire(file);
  const require = Object.assign((id: string) => (Object.hasOwn(provided, id) ? provided[id] : nodeRequire(id)), nodeRequire) as Require;
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (exports: unknown, require: Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  fn.call(module.exports, module.exports, require, module, file, dirname(file));
  return { exports: module.exports, codeCache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used', file, script, sourceHash };
}

/**
 * Writes the code cache of a loaded bundle: V8's bytecode of every function compiled so
 * far, so a bundle that has run a typical command caches what that command needs. The
 * file is replaced atomically (a temporary file renamed into place).
 */
export function writeCodeCache(bundle: LoadedBundle): void {
  const tmp = `${bundle.file}.cache.tmp-${process.pid}`;
  writeFileSync(tmp, Buffer.concat([bundle.sourceHash, bundle.script.createCachedData()]));
  renameSync(tmp, `${bundle.file}.cache`);
}
