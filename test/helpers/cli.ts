/**
 * Runs a ctsim command in-process, the way `bin/run.js` would, and captures what it
 * prints (process.stdout/stderr writes and console output) and its exit code. No
 * build (dist/) is needed: the command class is imported from src/ and run against the
 * repository's oclif Config.
 *
 *   const r = await runCli(Sched, ['--policy', 'rr', '--jobs', '10,20', '--json']);
 *   expect(r.exitCode).toBe(0);
 *   const doc = r.json<{ policy: string }>();
 *
 * `--help` (or `-h`) is answered as oclif's runner answers it, by rendering the
 * command's help, since Command.run itself does not handle it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { Config, Help, type Command, type Interfaces } from '@oclif/core';

/** The repository root (where package.json and its oclif section live). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What one in-process run printed and how it exited. */
export interface CliRun {
  stdout: string;
  stderr: string;
  /** process.exitCode after the run (0 when unset), or the exit of an escaped oclif error. */
  exitCode: number;
  /** stdout parsed as JSON; throws with the output in the message when it is not JSON. */
  json<T = unknown>(): T;
}

/**
 * Runs the built CLI (bin/run.js → dist/, which `npm test` builds first) as its own
 * process, with `input` as its standard input (a pipe, not a terminal).
 */
export function runBuiltCli(args: string[], input = '', encoding: BufferEncoding = 'utf8'): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'run.js'), ...args], { cwd: REPO_ROOT, encoding, input });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

let configPromise: Promise<Config> | undefined;

/**
 * The oclif Config of the repository, loaded once per test file. package.json points
 * oclif at the compiled command table in dist/; the copy given to oclif here leaves
 * that entry out, so that loading needs no build (the tests hand over command classes).
 */
export function loadCliConfig(): Promise<Config> {
  if (!configPromise) {
    const pjson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Interfaces.PJSON;
    const { commands: _commands, ...oclif } = pjson.oclif ?? {};
    configPromise = Config.load({ root: REPO_ROOT, pjson: { ...pjson, oclif } });
  }
  return configPromise;
}

type Write = typeof process.stdout.write;

/**
 * Replaces `stream.write` with one that appends to `sink`; returns the original.
 * Node's process warnings ("(node:123) [UnparsedCommand] Warning: …") are left out:
 * Node prints them on a later tick, so one run's warning would land in the next
 * run's capture, and oclif warns when a command's parse threw.
 */
function capture(stream: NodeJS.WriteStream, sink: string[]): Write {
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!/^\(node:\d+\) /.test(text)) sink.push(text);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  }) as Write;
  return original;
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error';

/**
 * Routes console output into the sinks as well: oclif prints help and `this.log`
 * through console.log, which a test runner such as vitest replaces with its own.
 * Returns a function that puts the original methods back.
 */
function captureConsole(out: string[], err: string[]): () => void {
  const targets: [ConsoleMethod, string[]][] = [
    ['log', out],
    ['info', out],
    ['warn', err],
    ['error', err],
  ];
  const saved = targets.map(([name]) => [name, console[name]] as const);
  for (const [name, sink] of targets) {
    console[name] = (...args: unknown[]): void => {
      sink.push(format(...args) + '\n');
    };
  }
  return () => {
    for (const [name, fn] of saved) console[name] = fn;
  };
}

/** True when argv asks for help before any `--` separator, as oclif's runner checks. */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  return head.includes('--help') || head.includes('-h');
}

/** Converts a command class to the loadable form oclif's Help renders (oclif's own code). */
async function toLoadableCommand(commandClass: Command.Class, id: string): Promise<Command.Loadable> {
  const require = createRequire(import.meta.url);
  const coreDir = path.dirname(require.resolve('@oclif/core'));
  const { cacheCommand } = require(path.join(coreDir, 'util', 'cache-command.js')) as {
    cacheCommand: (cmd: Command.Class) => Promise<Command.Cached>;
  };
  const cached = await cacheCommand(commandClass);
  return { ...cached, id, load: async () => commandClass };
}

/**
 * Runs `commandClass` with `argv` (the arguments after the command id) and captures
 * its output. `id` is the command id as the command table spells it (`mem:replay`);
 * it defaults to the class name in lower case, as oclif's Command.run names a command
 * it has not loaded itself, and is set on the class as oclif's loader would set it.
 * process.exitCode is restored afterwards.
 */
export async function runCli(commandClass: Command.Class, argv: string[], id = commandClass.id ?? commandClass.name.toLowerCase()): Promise<CliRun> {
  const config = await loadCliConfig();
  commandClass.id = id;
  const out: string[] = [];
  const err: string[] = [];
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  const originalOut = capture(process.stdout, out);
  const originalErr = capture(process.stderr, err);
  const restoreConsole = captureConsole(out, err);
  let exitCode: number | undefined;
  try {
    if (wantsHelp(argv)) {
      await new Help(config).showCommandHelp(await toLoadableCommand(commandClass, id));
    } else {
      await commandClass.run(argv, config);
    }
  } catch (error) {
    const oclifExit = (error as { oclif?: { exit?: number } }).oclif?.exit;
    if (oclifExit === undefined) {
      err.push(`uncaught: ${(error as Error).stack ?? String(error)}\n`);
      exitCode = 1;
    } else {
      exitCode = oclifExit;
    }
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
    restoreConsole();
    exitCode ??= typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0);
    process.exitCode = savedExitCode;
  }
  const stdout = out.join('');
  const stderr = err.join('');
  return {
    stdout,
    stderr,
    exitCode,
    json<T>(): T {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${exitCode}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}
