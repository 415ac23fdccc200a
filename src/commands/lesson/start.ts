/**
 * `ctsim lesson start NAME`: a guided tour at an interactive shell. The lesson's host
 * boots, its setup runs hidden, and the learner gets the session `ctsim sh` gives at a
 * terminal; each time a shell is back at its prompt the current step's check is
 * evaluated (src/teach/lesson/lesson-progress.ts), and `lesson …` lines typed at a
 * prompt are answered here, never reaching the simulated shell.
 */
import { StringDecoder } from 'node:string_decoder';
import { Args } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { InputError, UsageError } from '../../sim/input-error.js';
import { createHost, type Host } from '../../host.js';
import { guardFlags, guardLimitsFrom, installGuard } from '../../cli/guard-limits.js';
import { runOnTerminal } from '../../cli/live-session.js';
import { Monitor } from '../../cli/monitor.js';
import { LessonProgress, PLAIN_STYLE, unknownLesson, type Lesson, type LessonStyle } from '../../teach/lesson/index.js';
import { NS_PER_SEC } from '../../sim/engine.js';
import { chooseLanguage, lessonFlags, lessonLibrary } from './common.js';

/** Simulated time a hidden script (setup, a check) may take before it counts as failed. */
const SETUP_LIMIT_NS = 60 * NS_PER_SEC;
const CHECK_LIMIT_NS = 5 * NS_PER_SEC;

const ansi = (code: string) => (s: string): string => `\x1b[${code}m${s}\x1b[0m`;
const COLOUR_STYLE: LessonStyle = { heading: ansi('1;36'), command: ansi('1'), ok: ansi('1;32') };

export default class LessonStart extends BaseCommand {
  static override summary = 'Start a lesson: a guided tour at an interactive shell on a simulated host.';
  static override description = `The lesson's host boots and you get a root shell in it, as with "ctsim sh" at a terminal. ctsim shows what to type and why; each time you are back at a shell prompt it checks whether the step is done, then says what happened and moves on. At any prompt (also in a shell started inside the lesson, e.g. after unshare or chroot) type "lesson" to see the step again, "lesson hint" for help, "lesson skip" to move on, "lesson quit" to stop. Lessons are interactive: standard input and output must be a terminal.`;
  static override examples = ['<%= config.bin %> lesson start chroot', '<%= config.bin %> lesson start pid-namespaces --lang es'];
  static override args = {
    name: Args.string({ description: 'The lesson (see ctsim lesson list).', required: true }),
  };
  // At a prompt a person can press ^C: of the simulator's guard limits only memory applies.
  static override flags = { ...lessonFlags, 'max-memory': guardFlags['max-memory'] };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(LessonStart);
    const lib = lessonLibrary(flags.dir);
    const names = lib.names();
    if (!names.includes(args.name)) unknownLesson(args.name, names, 'NAME');
    const lang = chooseLanguage(lib, flags.lang, lib.languagesOf(args.name));
    const lesson = lib.loadIn(args.name, lang);
    const words = lib.words(lang);
    // Simplification: a lesson needs a terminal; it does not read a script of lines from a pipe.
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UsageError({ source: 'standard input and output', expected: 'a terminal (lessons are interactive)', found: 'a pipe or a file', fix: 'run it in a terminal; to drive a lesson from a script, run it under tmux as test/commands/lesson.test.ts does' });
    }
    const limits = guardLimitsFrom({ 'max-memory': flags['max-memory'] });
    const host = bootLessonHost(lesson, lib.dir);
    installGuard(host, limits, true);
    const colour = process.env.NO_COLOR === undefined;
    // Simplification: a check is a short-lived process of the same host: it takes a little
    // simulated time and a PID, as if an administrator had looked from another terminal.
    const tty = host.openTerminal(() => undefined, { rows: process.stdout.rows ?? 24, cols: process.stdout.columns ?? 80 });
    const task = host.spawnOnTerminal(['-sh'], tty, { path: '/bin/sh' });
    // ctsim sh's words at the prompt (explain, :step, :inspect …) work in a lesson too; going back to a snapshot does not.
    const monitor = new Monitor({ boot: () => ({ host, task, tty }), snapshots: false });
    monitor.start();
    const check = (script: string): boolean => monitor.quietly(() => host.sh(script, { timeLimitNs: CHECK_LIMIT_NS }).status === 0);
    const progress = new LessonProgress(lesson, words, check, colour ? COLOUR_STYLE : PLAIN_STYLE);
    // The terminal's bytes come in chunks that may split a UTF-8 character.
    const utf8 = new StringDecoder('utf8');
    await runOnTerminal(host, task, tty, process.stdout, process.stdin, {
      onShellLine: (line, print, prompt) => {
        const answer = progress.command(line);
        if (answer === null) return monitor.onShellLine(line, print, prompt);
        print(answer);
        return true;
      },
      onPrompt: (print) => print(progress.atPrompt()),
      onStart: (control) => monitor.onStart(control),
      onTerminalInput: (what) => monitor.onTerminalInput(what),
      onOutput: (bytes) => progress.recordOutput(utf8.write(Buffer.from(bytes, 'latin1'))),
      isEnded: () => progress.hasQuit,
    });
    // The learner left the session's shell (exit, ^D) before the end: say how to come back.
    if (!progress.isOver) process.stdout.write(`\n${words.quit.replaceAll('{name}', lesson.name)}\n`);
    process.exitCode = 0;
  }
}

/** The lesson's host, booted, with its setup run (an InputError naming the file when setup fails). */
function bootLessonHost(lesson: Lesson, dir: string): Host {
  const host = createHost({ cpus: lesson.host.cpus, memoryBytes: lesson.host.memoryBytes, swapBytes: lesson.host.swapBytes, seed: lesson.host.seed });
  if (lesson.setup !== '') {
    const r = host.sh(lesson.setup, { timeLimitNs: SETUP_LIMIT_NS });
    if (r.status !== 0) {
      const why = Buffer.from(r.stderr || r.stdout, 'latin1').toString('utf8').trim().split('\n')[0] ?? '';
      throw new InputError({ source: `${dir}/${lesson.name}.yaml`, path: '$.setup', expected: 'a setup script that exits 0', found: `status ${r.status}${why ? `: ${why}` : ''}`, fix: 'try the script with ctsim sh -c' });
    }
  }
  return host;
}
