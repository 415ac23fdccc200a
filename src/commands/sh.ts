/**
 * `ctsim sh`: boot a simulated host and run a shell in it — a script (`-c`), a script
 * file, or, at a terminal, an interactive session that lives until `exit`.
 */
import { readStdinBytes, readUserFile } from './input-files.js';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from './base.js';
import { hostFlags, hostOptionsFrom, timeLimitFrom } from './host-flags.js';
import { guardFlags, guardLimitsFrom, installGuard, type GuardLimits } from '../cli/guard-limits.js';
import { InputError, UsageError } from '../sim/input-error.js';
import { createHost, type Host } from '../host.js';
import { formatTraceJson, formatTraceText, parseTraceCategories, type TraceRecord } from '../sim/trace.js';
import { HostInput } from '../kernel/tty/host-stream.js';
import { shellStatus } from '../kernel/proc/wstatus.js';
import { runOnTerminal, runWithLiveInput, type TerminalAttachment, type TerminalHooks } from '../cli/live-session.js';
import { Monitor } from '../cli/monitor.js';
import { HostSession } from '../cli/host-session.js';
import { DEFAULT_TIME_LIMIT_NS } from '../runtime/host-log.js';
import { ExplainPresenter } from '../report/explain.js';
import type { HostOptions } from '../host.js';
import { resolve as resolvePath } from 'node:path';

const toBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

export default class Sh extends BaseCommand {
  static override summary = 'Run a shell (dash) on a freshly booted simulated host.';
  static override description = `Boots a simulated Linux host and runs /bin/sh (dash) in it as root. With -c the script runs and ctsim exits with its status; with FILE the file is read from your machine and run; with neither, at a terminal, you get an interactive shell until "exit" (line editing and history as usual; ^C, ^Z and ^D reach the simulated terminal). At its prompt ctsim has words of its own: explain (why the last command's system calls failed), :pause, :continue, :step 5ms, :step --to sched, :time, :inspect PID, :snapshot NAME, :restore NAME — :help lists them.

Everything happens inside the simulation: the same script and --seed give byte-identical output. Arguments after the script become $0, $1, … (use -- before arguments that start with "-").`;
  static override examples = [
    `<%= config.bin %> sh -c 'echo hi | cat; sleep 1 & echo $!; wait; echo $?'`,
    `<%= config.bin %> sh -c 'ps -e -o pid=,comm='`,
    `<%= config.bin %> sh --cpus 4 --seed 7 -c 'stress --cpu 4 --timeout 1s; cat /proc/loadavg'`,
    `<%= config.bin %> sh --trace sched,proc -c 'sleep 1 & wait'`,
    `<%= config.bin %> sh --explain -c 'unshare -p -f ps -e; nosuch'`,
    `<%= config.bin %> sh script.sh arg1 arg2`,
    `<%= config.bin %> sh            # interactive, at a terminal`,
  ];
  static override strict = false;
  static override args = {
    // ignoreStdin: oclif would otherwise read a piped stdin as this argument, and the script would get none of it.
    file: Args.string({ description: 'A script file on your machine to run (instead of -c).', required: false, ignoreStdin: true }),
  };
  static override flags = {
    command: Flags.string({ char: 'c', description: 'The script to run (sh -c SCRIPT [ARG0 [ARG…]]).' }),
    ...hostFlags,
    trace: Flags.string({ description: 'Record a timeline of these event categories: sched, syscall, proc, signal, vfs, mm, ns, cgroup, net, vmexit, explain (comma-separated, or "all").' }),
    explain: Flags.boolean({ description: 'Say on standard error why the kernel decided what it did: each failed system call (the process, the call, the errno and the reason given where it was decided), OOM kills, dropped or refused packets, VM exits, a /proc that shows another PID namespace. Failures a program expects (a PATH search, isatty) and those of boot are summarised or left out.' }),
    'trace-file': Flags.string({ description: 'Write the trace to this file instead of standard error.' }),
    'trace-format': Flags.string({ description: 'Trace format.', options: ['text', 'json'], default: 'text' }),
    json: Flags.boolean({ description: 'Print a JSON document with the status, output, seed and simulated time instead of the output itself.' }),
    'time-limit': Flags.string({ description: 'Stop a script after this much simulated time (e.g. 10s, 500ms; default 1h); the status is then 124. An interactive shell has none.', helpGroup: 'LIMIT' }),
    ...guardFlags,
    root: Flags.string({ description: 'Run the script on the host kept in this directory (the one of ctsim oci --root / ctsim run --root), and keep what it does.' }),
  };

  /** --explain's presenter (null without --explain). */
  private explainer: ExplainPresenter | null = null;

  /** Prints the explain lines held back so far. */
  private flushExplain(): void {
    if (this.explainer) for (const line of this.explainer.flush()) process.stderr.write(line);
  }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Sh);
    const rest = (argv as string[]).slice();
    const hostOpts = hostOptionsFrom(flags);
    const timeLimitNs = timeLimitFrom(flags['time-limit']);
    const limits = guardLimitsFrom(flags);

    let traceOut: WriteStream | null = null;
    // --explain speaks to the person at the terminal, in words (src/report/explain.ts);
    // --trace keeps its timeline.
    this.explainer = flags.explain ? new ExplainPresenter({ boot: true }) : null;
    if (flags.trace !== undefined || flags.explain) {
      const cats = flags.trace === undefined ? [] : parseTraceCategories(flags.trace);
      if (!Array.isArray(cats)) throw new UsageError({ source: '--trace', expected: 'categories among sched, syscall, proc, signal, vfs, mm, ns, cgroup, net, vmexit, explain (or "all")', found: cats.bad });
      const format = flags['trace-format'] === 'json' ? formatTraceJson : formatTraceText;
      if (flags['trace-file']) traceOut = createWriteStream(flags['trace-file']);
      const traced = new Set<string>(cats);
      const explainer = this.explainer;
      const write = (rec: TraceRecord): void => {
        if (this.replaying) return;
        if (explainer) for (const line of explainer.push(rec)) process.stderr.write(line);
        if (!traced.has(rec.cat)) return;
        const line = format(rec) + '\n';
        if (traceOut) traceOut.write(line);
        else process.stderr.write(line);
      };
      // The presenter also reads exec records (a PATH search that found its program).
      hostOpts.trace = { categories: flags.explain ? [...cats, 'explain', 'proc'] : cats, sink: write };
    }

    // What to run: -c SCRIPT [ARG0 ARGS…], FILE [ARGS…], or an interactive shell.
    let script: string | null = null;
    let shArgs: string[] = [];
    if (flags.command !== undefined) {
      script = toBytes(flags.command);
      shArgs = rest.map(toBytes);
    } else if (rest.length > 0) {
      const file = rest[0];
      script = readUserFile(file, (code) => new InputError({ source: file, expected: 'a readable script file', found: code, fix: 'check the path, or use -c to give the script inline' })).toString('latin1');
      shArgs = rest.map(toBytes);
    }

    if (flags.root !== undefined) {
      if (script === null) throw new UsageError({ source: '--root', expected: 'a script (-c or a file): an interactive shell on a kept host is not offered', fix: 'give -c SCRIPT' });
      if (flags.json) throw new UsageError({ source: '--json', expected: 'no --json with --root' });
      try {
        process.exitCode = this.runOnKeptHost(resolvePath(flags.root), hostOpts, script, shArgs, timeLimitNs, limits);
      } finally {
        this.flushExplain();
        if (traceOut) await new Promise<void>((r) => traceOut!.end(r));
      }
      return;
    }

    const host = createHost(hostOpts);
    // What init did while the host booted is not the person's command.
    this.explainer?.markStart();
    let status: number;
    try {
      const interactive = script === null && process.stdin.isTTY && process.stdout.isTTY && !flags.json;
      // The guard: at a prompt a person can press ^C, so there only memory counts.
      this.limits = limits;
      installGuard(host, limits, script === null);
      if (interactive) {
        status = await this.interactive(host, hostOpts);
      } else {
        status = await this.runScript(host, script, shArgs, flags.json, timeLimitNs);
      }
    } finally {
      this.flushExplain();
      if (traceOut) await new Promise<void>((r) => traceOut!.end(r));
    }
    process.exitCode = status;
  }

  /** The script on the kept host: replayed from its log, the script run live and recorded (tracing only the new part). */
  private runOnKeptHost(root: string, hostOpts: HostOptions, script: string, shArgs: string[], timeLimitNs: number | undefined, limits: GuardLimits): number {
    // Only the host flags given on the command line describe a new host (or are checked against the kept one).
    const given = (flag: string): boolean => this.argv.some((a) => a === flag || a.startsWith(`${flag}=`));
    const session = HostSession.open({
      root,
      shape: { ...(given('--cpus') ? { cpus: hostOpts.cpus } : {}), ...(given('--memory') ? { memoryBytes: hostOpts.memoryBytes } : {}), ...(given('--swap') ? { swapBytes: hostOpts.swapBytes } : {}) },
      seed: given('--seed') ? hostOpts.seed : undefined,
      version: this.config.version,
      limits,
    });
    let saved = false;
    try {
      if (hostOpts.trace) {
        session.host.engine.trace.enable(hostOpts.trace.categories);
        session.host.engine.trace.addSink(hostOpts.trace.sink);
      }
      this.explainer?.markStart();
      const stdin = process.stdin.isTTY ? '' : readStdinBytes('input for the script').toString('latin1');
      const applied = session.apply({ atNs: session.startTime(), argv: ['sh', '-c', script, ...shArgs], path: '/bin/sh', cwd: '/root', uploads: [], stdin }, timeLimitNs);
      saved = true;
      if (applied.ended === 'time-limit' && timeLimitNs === undefined) this.saidTimeLimit();
      return applied.status;
    } finally {
      session.close(this.config.version, saved);
    }
  }

  private async runScript(host: Host, script: string | null, shArgs: string[], json: boolean, timeLimitNs: number | undefined): Promise<number> {
    const argv = script === null ? ['sh'] : ['sh', '-c', script, ...shArgs];
    // A line the presenter holds back comes out before the output that followed it.
    const out = (b: string): void => {
      this.flushExplain();
      process.stdout.write(Buffer.from(b, 'latin1'));
    };
    const errw = (b: string): void => {
      this.flushExplain();
      process.stderr.write(Buffer.from(b, 'latin1'));
    };
    // Standard input: all of it up front when it is a file or pipe (reproducible); live from a terminal.
    const liveStdin = process.stdin.isTTY === true;
    const stdinText = liveStdin ? undefined : readStdinBytes('input for the shell').toString('latin1');
    if (json || !liveStdin) {
      const r = host.run(argv, { path: '/bin/sh', stdin: stdinText ?? '', stdout: json ? undefined : out, stderr: json ? undefined : errw, timeLimitNs: timeLimitNs ?? DEFAULT_TIME_LIMIT_NS });
      if (r.ended === 'time-limit' && timeLimitNs === undefined && !json) this.saidTimeLimit();
      if (json) {
        this.printJson({
          ctsim: this.config.version,
          seed: host.engine.seed,
          status: r.status,
          ended: r.ended,
          simulatedNs: r.elapsedNs,
          stdout: Buffer.from(r.stdout, 'latin1').toString('utf8'),
          stderr: Buffer.from(r.stderr, 'latin1').toString('utf8'),
        });
      }
      return r.status;
    }
    const input = new HostInput(host.kernel);
    const { task } = host.spawn(argv, { path: '/bin/sh', stdin: input, stdout: out, stderr: errw });
    return shellStatus(await runWithLiveInput(host, task, input, process.stdin));
  }

  /**
   * The interactive shell, with ctsim's own words at its prompt (src/cli/monitor.ts).
   * `boot` makes the session's machine; a restore calls it again for a new one from the
   * same seed, so the host of `run` is only the first.
   */
  private async interactive(first: Host, hostOpts: HostOptions): Promise<number> {
    const winsize = { rows: process.stdout.rows ?? 24, cols: process.stdout.columns ?? 80 };
    let booted = 0;
    const boot = (): TerminalAttachment => {
      const host = booted++ === 0 ? first : createHost(hostOpts);
      if (this.limits) installGuard(host, this.limits, true);
      const tty = host.openTerminal(() => undefined, winsize);
      // A login shell (argv[0] "-sh") reads /etc/profile, as at a Debian console.
      const task = host.spawnOnTerminal(['-sh'], tty, { path: '/bin/sh' });
      return { host, task, tty };
    };
    const monitor = new Monitor({ boot, replaying: (on) => (this.replaying = on) });
    const { host, task, tty } = monitor.start();
    // --explain's held lines are said before each prompt, then the monitor's own business.
    const hooks: TerminalHooks = {
      onShellLine: (line, print, prompt) => monitor.onShellLine(line, print, prompt),
      onPrompt: (print) => {
        this.flushExplain();
        monitor.onPrompt(print);
      },
      onStart: (control) => monitor.onStart(control),
      onTerminalInput: (what) => monitor.onTerminalInput(what),
    };
    return shellStatus(await runOnTerminal(host, task, tty, process.stdout, process.stdin, hooks));
  }

  /** Says why a script given no --time-limit stopped (one given is the user's own: timeout(1) says nothing either). */
  private saidTimeLimit(): void {
    this.flushExplain();
    process.stderr.write(`ctsim sh: stopped: the script was still running after ${DEFAULT_TIME_LIMIT_NS / 3.6e12} h of simulated time (the default --time-limit); give a longer one, e.g. --time-limit 10h\n`);
  }

  /** True while a restore replays the session: its trace was shown already. */
  private replaying = false;

  /** The guard limits of this run (set before the host runs). */
  private limits: GuardLimits | null = null;
}
