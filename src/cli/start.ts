/**
 * The start of the `ctsim` executable. bin/run.js calls start(); scripts/bundle.js
 * builds this file into dist/bundle/start.cjs, beside the two bundles it loads:
 *
 *   bin/run.js ─▶ start.cjs ─▶ oclif.cjs (@oclif/core) ─▶ oclif.execute
 *                     ▲                     │ reads oclif.manifest.json: the command list,
 *                     │                     │ summaries and flags for --version, --help
 *                     │                     ▼ and dispatch, with no command loaded
 *                     └─ oclif-entry.cjs ◀─ a command to run or a command's help page
 *                        (package.json's oclif.commands and oclif.helpClass)
 *                        loadCommands() ─▶ commands.cjs (src/commands/index.ts: every
 *                                          command and the simulator, @oclif/core taken
 *                                          from oclif.cjs so that both share one oclif)
 *
 * Each bundle is compiled with its code cache (bundle-loader.ts). `ctsim --version` and
 * `ctsim --help` load oclif.cjs only; a command loads commands.cjs once.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Oclif from '@oclif/core';
import { loadBundle, type LoadedBundle } from './bundle-loader.js';
import { makeCtsimHelp } from './command-help.js';

export { writeCodeCache } from './bundle-loader.js';

/** dist/bundle/, where this file runs as start.cjs (the bundles' import.meta.url is their own file's). */
function bundleDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

let oclif: LoadedBundle | undefined;
let commands: LoadedBundle | undefined;

/** @oclif/core, from oclif.cjs. */
export function loadOclif(): LoadedBundle {
  oclif ??= loadBundle(join(bundleDir(), 'oclif.cjs'));
  return oclif;
}

/** The command table (src/commands/index.ts exports `commands`), from commands.cjs. */
export function loadCommands(): LoadedBundle {
  commands ??= loadBundle(join(bundleDir(), 'commands.cjs'), { '@oclif/core': loadOclif().exports });
  return commands;
}

let help: typeof Oclif.Help | undefined;

/** The help class package.json's oclif.helpClass names (command-help.ts), on the bundle's oclif. */
export function helpClass(): typeof Oclif.Help {
  help ??= makeCtsimHelp(loadOclif().exports as typeof Oclif);
  return help;
}

/** Runs the command line of this process, as oclif's bin/run.js does; `binUrl` is bin/run.js's import.meta.url. */
export async function start(binUrl: string): Promise<void> {
  const { execute } = loadOclif().exports as typeof Oclif;
  await execute({ dir: binUrl });
}
