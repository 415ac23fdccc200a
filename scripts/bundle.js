#!/usr/bin/env node
// Builds what the `ctsim` executable runs (`npm run build` runs this after tsc; see
// src/cli/start.ts for how bin/run.js uses it):
//
//   dist/bundle/start.cjs        src/cli/start.ts: loads the bundles below and runs oclif
//   dist/bundle/oclif.cjs        @oclif/core in one file
//   dist/bundle/commands.cjs     src/commands/index.ts: every command and all they import,
//                                with the OCI schema validators precompiled by Ajv
//   dist/bundle/oclif-entry.cjs  what package.json's oclif.commands and oclif.helpClass name
//   dist/bundle/*.cjs.cache      V8 code caches, made by a process that ran typical commands
//   oclif.manifest.json          the commands, summaries and flags, read by oclif at start-up
//
// The bundles are made from tsc's output in dist/ (so they hold the code the tests
// test); the library (dist/index.js) and the tests use dist/ itself, which is not touched.
//
//   node scripts/bundle.js               all of the above
//   node scripts/bundle.js --code-cache  (run by the above) only the code caches
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');
const require = createRequire(import.meta.url);

/** The command lines run before the code caches are written: what they compile is cached. */
const WARM_UP = [['--version'], ['--help'], ['sh', '-c', 'true'], ['run', '--', 'true']];

if (process.argv[2] === '--code-cache') await writeCodeCaches();
else await build();

async function build() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // A bundle's import.meta.url is its own file's (bundle-loader.ts and Node's loader both
    // define __filename); sim/fixtures.ts finds the package root from there.
    // The banner comes before esbuild's own "use strict", which would then be no directive:
    // the sources are ES modules, strict code, so the banner says it first.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: `"use strict";const __bundleUrl = require('node:url').pathToFileURL(__filename).href;` },
  };
  // oclif requires these only to run TypeScript sources in development.
  const devOnly = ['typescript', 'ts-node', 'tsx', 'pnpapi'];
  await esbuild.build({ ...common, entryPoints: ['dist/cli/start.js'], outfile: join(out, 'start.cjs'), external: ['@oclif/core'] });
  // The bundles bundle-loader.ts runs are CommonJS modules wrapped in a function, as
  // Node wraps a module before it compiles it. Without comments and indentation they are
  // a third smaller and ASCII (V8 then keeps the text one byte a character); identifiers
  // are not shortened (bundling alone renames a top-level name two modules share, as
  // visit2), and short lines keep a stack trace's line:column readable.
  const wrapped = {
    ...common,
    minifyWhitespace: true,
    lineLimit: 160,
    banner: { js: `(function (exports, require, module, __filename, __dirname) {${common.banner.js}` },
    footer: { js: '})' },
  };
  await esbuild.build({ ...wrapped, entryPoints: [require.resolve('@oclif/core')], outfile: join(out, 'oclif.cjs'), external: devOnly });
  await esbuild.build({
    ...wrapped,
    entryPoints: ['dist/commands/index.js'],
    outfile: join(out, 'commands.cjs'),
    external: ['@oclif/core', ...devOnly],
    plugins: [await precompiledValidators()],
  });
  // start.cjs must take oclif from oclif.cjs like the commands do: a second copy from
  // node_modules would be another oclif (its own Command class, its own config cache).
  if (/require\(["']@oclif\/core["']\)/.test(readFileSync(join(out, 'start.cjs'), 'utf8'))) {
    throw new Error('scripts/bundle.js: src/cli/start.ts imports @oclif/core at run time; take it from loadOclif()');
  }
  writeFileSync(
    join(out, 'oclif-entry.cjs'),
    `// Written by scripts/bundle.js. package.json's oclif.commands and oclif.helpClass name this
// file; oclif requires it to run a command or to show help, and the commands bundle is
// loaded for the first (src/cli/start.ts).
const start = require('./start.cjs');
Object.defineProperty(exports, 'commands', { enumerable: true, get: () => start.loadCommands().exports.commands });
Object.defineProperty(exports, 'Help', { enumerable: true, get: () => start.helpClass() });
`,
  );
  await writeManifest();
  // The caches are made in a process of their own, which loads the bundles fresh and
  // whose standard input is empty (sh reads all of a non-terminal standard input).
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--code-cache'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/bundle.js --code-cache failed (${r.status ?? r.signal})`);
}

/**
 * An esbuild plugin that puts Ajv's standalone code for the OCI schemas in place of
 * dist/runtime/oci/precompiled-validators.js (which exports null there: compile on
 * first use); the module writes its own replacement (precompiledModuleSource).
 */
async function precompiledValidators() {
  const file = join(root, 'dist', 'runtime', 'oci', 'precompiled-validators.js');
  const code = (await import(pathToFileURL(file).href)).precompiledModuleSource();
  let used = false;
  return {
    name: 'precompiled-validators',
    setup(b) {
      b.onLoad({ filter: /precompiled-validators\.js$/ }, (args) => {
        if (args.path !== file) return undefined;
        used = true;
        return { contents: code, loader: 'js' };
      });
      b.onEnd(() => (used ? undefined : { errors: [{ text: `${file} was not bundled: the precompiled OCI validators would be missing` }] }));
    },
  };
}

/** oclif.manifest.json, as oclif makes it when there is none (and as `oclif manifest` writes it). */
async function writeManifest() {
  // A few flags name the state directory of whoever runs ctsim ($XDG_STATE_HOME or ~);
  // the manifest says it as the README does, not with the home of whoever built it.
  // (A command's help page is made from its class when shown: src/cli/command-help.ts.)
  const saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = '~/.local/state';
  try {
    const { exports: oclif } = require(join(out, 'start.cjs')).loadOclif();
    const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const plugin = new oclif.Plugin({ root, pjson, isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
    await plugin.load();
    writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest, null, 2) + '\n');
  } finally {
    if (saved === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = saved;
  }
}

async function writeCodeCaches() {
  const start = require(join(out, 'start.cjs'));
  const oclif = start.loadOclif();
  const bin = pathToFileURL(join(root, 'bin', 'run.js')).href;
  for (const argv of WARM_UP) {
    await oclif.exports.run(argv, bin);
    if (process.exitCode) throw new Error(`scripts/bundle.js: ctsim ${argv.join(' ')} exited ${process.exitCode}`);
  }
  start.writeCodeCache(oclif);
  start.writeCodeCache(start.loadCommands());
}
