/**
 * The base of every ctsim command: one-line errors and the project's exit codes
 * (STYLE.md "Errors"): 0 ok, 1 failure reported by the simulation, 2 usage, 3 invalid
 * input — never a stack trace unless `--debug` is given.
 */
import { Command, Flags } from '@oclif/core';
import { InputError } from '../sim/input-error.js';
import { GuardStop } from '../sim/guard.js';
import { GUARD_STATUS, guardStopMessage } from '../cli/guard-limits.js';

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Show stack traces for internal errors.', helpGroup: 'GLOBAL' }),
  };

  /**
   * oclif takes a missing argument from a piped standard input if some arrives within
   * 10 ms: `cat my.yaml | ctsim compare` would name a scenario file by the YAML's text,
   * and whether it did would depend on timing. ctsim reads standard input only where a
   * command says so (a shell's script, a container's input, "-").
   */
  override async init(): Promise<void> {
    for (const arg of Object.values(this.ctor.args ?? {})) arg.ignoreStdin = true;
    await super.init();
  }

  /** Writes `text` to stdout exactly (no added newline). */
  protected out(text: string): void {
    process.stdout.write(text);
  }

  /** Writes `text` to stderr exactly (no added newline). */
  protected err(text: string): void {
    process.stderr.write(text);
  }

  /** Prints a JSON document the way every `--json` output of ctsim is printed. */
  protected printJson(value: unknown): void {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** The command as the user types it: id `mem:replay` is `mem replay` (oclif's topic separator is a space). */
  private get typedName(): string {
    return (this.id ?? '').replaceAll(':', ' ');
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    const debug = this.argv.includes('--debug');
    if (error instanceof InputError) {
      process.stderr.write(`ctsim ${this.typedName}: ${error.message}\n`.replace('ctsim : ', 'ctsim: '));
      if (debug) process.stderr.write(`${error.stack}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // A guard limit of the simulator (src/cli/guard-limits.ts) ended the run.
    if (error instanceof GuardStop) {
      // A command without --time-limit (oci, most of vm) cannot be told to bound the run that way.
      if (error.limit === 'events' && error.hint === undefined && this.ctor.flags?.['time-limit'] === undefined) {
        error.hint = 'an endless loop? Raise --max-events (or --max-events none)';
      }
      process.stderr.write(`ctsim ${this.typedName}: ${guardStopMessage(error)}\n`);
      if (debug) process.stderr.write(`${error.stack}\n`);
      process.exitCode = GUARD_STATUS;
      return;
    }
    // oclif's own parse errors (unknown flag, missing argument) are usage errors.
    const oclifExit = error.oclif?.exit;
    if (oclifExit !== undefined) {
      // The arguments were read, and refused: oclif need not warn (outside production) that they were not.
      this.parsed = true;
      if (oclifExit === 0) return;
      // Some oclif messages put the reason on a second line ("Parsing --seed\n\tExpected an integer…"),
      // and flag conflicts come under a heading ("The following error occurred:\n  --a cannot also…").
      const msg = error.message
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('See more help') && !/^The following errors? occurred:$/.test(l))
        // "Missing 1 required arg:" / "address  The virtual address…": one colon between them.
        .reduce((line, l) => (line === '' ? l : `${line}${line.endsWith(':') ? ' ' : ': '}${l}`), '');
      process.stderr.write(`ctsim ${this.typedName}: ${msg}\nSee: ctsim ${this.typedName} --help\n`.replaceAll('ctsim  ', 'ctsim '));
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`ctsim: internal error: ${error.message}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('ctsim: run again with --debug to see where it happened, and please report it\n');
    process.exitCode = 70;
    return;
  }
}
