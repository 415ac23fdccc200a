/**
 * How the `ctsim` executable starts (src/cli/start.ts, scripts/bundle.js): the bundles
 * of dist/bundle/ with their code caches, and oclif.manifest.json, from which oclif
 * answers --version, --help and dispatch without loading a command. The build (`npm
 * test` builds first) must have made them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Command } from '@oclif/core';
import { commands } from '../../src/commands/index.js';
import { loadBundle, writeCodeCache } from '../../src/cli/bundle-loader.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface ManifestCommand {
  id: string;
  summary?: string;
  description?: string;
  strict?: boolean;
  flags: Record<string, { name: string; char?: string; type: string }>;
  args: Record<string, { name: string }>;
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as { version: string; commands: Record<string, ManifestCommand> };
const pjson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

describe('oclif.manifest.json', () => {
  test('lists every command of the command table, and no other', () => {
    expect(Object.keys(manifest.commands).sort()).toEqual(Object.keys(commands).sort());
    expect(manifest.version).toBe(pjson.version);
  });

  test("says what each command's class says: summary, description, strictness, flags (with the base flags) and arguments", () => {
    for (const [id, cls] of Object.entries(commands) as [string, Command.Class][]) {
      const m = manifest.commands[id]!;
      expect(m.summary, id).toBe(cls.summary);
      expect(m.description, id).toBe(cls.description);
      expect(m.strict ?? true, id).toBe(cls.strict ?? true);
      expect(Object.keys(m.flags).sort(), id).toEqual(Object.keys({ ...cls.baseFlags, ...cls.flags }).sort());
      for (const [name, flag] of Object.entries({ ...cls.baseFlags, ...cls.flags })) expect(m.flags[name]!.char, `${id} --${name}`).toBe(flag.char);
      expect(Object.keys(m.args).sort(), id).toEqual(Object.keys(cls.args ?? {}).sort());
    }
  });
});

describe('dist/bundle', () => {
  test('each bundle the loader runs is strict code wrapped as a CommonJS module', () => {
    for (const name of ['oclif.cjs', 'commands.cjs']) {
      expect(readFileSync(path.join(REPO_ROOT, 'dist', 'bundle', name), 'latin1').slice(0, 80)).toMatch(/^\(function \(exports, require, module, __filename, __dirname\) \{"use strict";/);
    }
  });

  test('a new process loads both bundles with their code caches', () => {
    const script = `const s = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'bundle', 'start.cjs'))}); console.log(s.loadOclif().codeCache, s.loadCommands().codeCache, Object.keys(s.loadCommands().exports.commands).length)`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`used used ${Object.keys(commands).length}\n`);
  });
});

describe('bin/run.js', () => {
  /** The bundles a run of ctsim compiles, in order (a preload module watches vm.Script). */
  function bundlesLoaded(args: string[]): string[] {
    const preload = path.join(mkdtempSync(path.join(tmpdir(), 'ctsim-preload-')), 'watch.cjs');
    writeFileSync(preload, `const vm = require('node:vm'); const S = vm.Script; vm.Script = function (src, o) { process.stderr.write('compiled ' + require('node:path').basename(o.filename) + '\\n'); return new S(src, o); };`);
    const r = spawnSync(process.execPath, ['--require', preload, path.join(REPO_ROOT, 'bin', 'run.js'), ...args], { encoding: 'utf8', input: '' });
    expect(r.status, r.stderr).toBe(0);
    return [...r.stderr.matchAll(/^compiled (.*)$/gm)].map((m) => m[1]!);
  }

  test("--version, --help and a topic's help load oclif only; a command loads the commands once", () => {
    expect(bundlesLoaded(['--version'])).toEqual(['oclif.cjs']);
    expect(bundlesLoaded(['--help'])).toEqual(['oclif.cjs']);
    expect(bundlesLoaded(['vm', '--help'])).toEqual(['oclif.cjs']);
    expect(bundlesLoaded(['sh', '-c', 'true'])).toEqual(['oclif.cjs', 'commands.cjs']);
  });
});

describe('loadBundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-bundle-'));
  const file = path.join(dir, 'b.cjs');
  const bundle = (value: string): string => `(function (exports, require, module, __filename, __dirname) {"use strict";module.exports = { value: ${JSON.stringify(value)}, dep: require('dep'), file: __filename };})`;

  test('runs the bundle as a CommonJS module, with require() answered by `provided` first', () => {
    writeFileSync(file, bundle('A'));
    const b = loadBundle(file, { dep: 42 });
    expect(b.exports).toEqual({ value: 'A', dep: 42, file });
    expect(b.codeCache).toBe('none');
  });

  test('uses the code cache written for the same bytes, and ignores it for any other (V8 alone would take it for a source of the same length)', () => {
    writeFileSync(file, bundle('A'));
    writeCodeCache(loadBundle(file, { dep: 1 }));
    const same = loadBundle(file, { dep: 1 });
    expect(same.codeCache).toBe('used');
    expect((same.exports as { value: string }).value).toBe('A');
    writeFileSync(file, bundle('B'));
    const other = loadBundle(file, { dep: 1 });
    expect(other.codeCache).toBe('none');
    expect((other.exports as { value: string }).value).toBe('B');
  });

  test('a damaged cache file is no cache', () => {
    writeFileSync(file, bundle('C'));
    writeFileSync(`${file}.cache`, Buffer.from('short'));
    expect(loadBundle(file, { dep: 1 }).codeCache).toBe('none');
  });
});
