/**
 * `ctsim oci …`: runc's command line on a simulated host that lasts between
 * invocations. Each invocation replays the host from its state directory (--root),
 * runs `runc COMMAND …` in it — ctsim's simulated runc, /usr/sbin/runc — with the
 * bundle (config.json and rootfs) copied in at the same absolute path, prints what
 * runc printed, records the command and exits with runc's status (1 for runc's
 * errors, as runc does).
 *
 *   ctsim oci [--root DIR] [--after 5s] [--cpus N --memory 4G --seed S] COMMAND [runc options] ARGS…
 */
import { readStdinBytes, readUserFile } from './input-files.js';
import { checkSeed, hostCpusFrom, hostMemoryFrom, hostSwapFrom } from './host-flags.js';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath, join } from 'node:path';
import { BaseCommand } from './base.js';
import { InputError, UsageError } from '../sim/input-error.js';
import { parseDurationNs } from '../sim/units.js';
import { StateStore, defaultStateDir } from '../cli/state-store.js';
import { HostSession } from '../cli/host-session.js';
import { guardLimitsFrom, type GuardFlagValues } from '../cli/guard-limits.js';
import type { Upload } from '../runtime/host-log.js';
import { commandNames, packBundle, packFile } from '../cli/rootfs-import.js';
import { formatRuncSpec, runcDefaultSpec } from '../runtime/oci/index.js';
import { defaultPrograms } from '../userland/index.js';

/** runc's global options that take a value (passed on to the simulated runc). */
const RUNC_GLOBAL_VALUE = new Set(['--log', '--log-format', '--rootless', '--criu']);
const RUNC_GLOBAL_BOOL = new Set(['--debug', '--systemd-cgroup']);

const COMMANDS_HELP = `COMMANDS (runc's, with runc's options)
  spec [-b BUNDLE] [--rootless]
      write runc's starter config.json into BUNDLE (default: .)
  create [-b BUNDLE] [--pid-file FILE] ID
      build the container; its init waits for start
  start ID          run the user's process in a created container
  run [-b BUNDLE] [-d] [--keep] ID
      create + start; in the foreground, exit with the container's status
  state ID          runc's state JSON
  list [-f table|json] [-q]
  ps [-f table|json] ID [PS ARGS]
  exec [-e K=V] [-u UID[:GID]] [--cwd DIR] [-d] [-p process.json] ID [--] CMD [ARGS]
  kill ID [SIGNAL]  default SIGTERM; KILL, SIGKILL and 9 all work
  pause ID, resume ID
      freeze and thaw the container's cgroup (cgroup.freeze)
  events --stats ID one statistics event as JSON
  delete [-f] ID    remove a stopped container (with -f, any)
  reset             forget the simulated host and every container in it

OPTIONS (before the command)
  --root DIR        where the simulated host is kept
                    (default: $XDG_STATE_HOME/ctsim/oci or ~/.local/state/ctsim/oci)
  --after DURATION  let this much simulated time pass first (e.g. 5s)
  --cpus N, --memory SIZE, --swap SIZE, --seed N
                    the simulated host's shape, when it is made (first command)
  --max-events N, --max-memory SIZE
                    the simulator's guard limits (default 1e9 events, and 2G or
                    half this machine's memory): a run that reaches one stops with
                    status 124 and is not recorded

The bundle is read from your machine when the container is created (later edits
do nothing, as with runc). Everything else happens inside the simulation: the same
commands give the same output, byte for byte.
`;

const USAGE = 'oci [--root DIR] [--after DURATION] [HOST OPTIONS] COMMAND [OPTIONS] ARGS...';
const HELP = `Run runc's commands on a simulated host that lasts between invocations.

USAGE
  $ ctsim ${USAGE}

${COMMANDS_HELP}`;

interface Parsed {
  root: string;
  afterNs: number;
  host: { cpus?: number; memoryBytes?: number; swapBytes?: number; seed?: number };
  runcGlobals: string[];
  /** The simulator's guard limits (--max-events, --max-memory). */
  guard: GuardFlagValues;
  command: string | undefined;
  args: string[];
}

function parseArgs(argv: string[]): Parsed {
  const p: Parsed = { root: defaultStateDir(), afterNs: 0, host: {}, runcGlobals: [], guard: {}, command: undefined, args: [] };
  let i = 0;
  const value = (flag: string): string => {
    const a = argv[i];
    const eq = a.indexOf('=');
    if (eq >= 0) return a.slice(eq + 1);
    if (i + 1 >= argv.length) throw new UsageError({ source: flag, expected: 'a value' });
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (!a.startsWith('-')) break;
    if (name === '--root') p.root = resolvePath(value('--root'));
    else if (name === '--after') {
      const v = value('--after');
      const ns = parseDurationNs(v);
      if (ns === null || ns < 0) throw new UsageError({ source: '--after', expected: 'a duration like 5s or 200ms', found: v });
      p.afterNs = ns;
    } else if (name === '--cpus') p.host.cpus = hostCpusFrom(name, value(name));
    else if (name === '--seed') {
      const v = value(name);
      if (!/^\d+$/.test(v)) throw new UsageError({ source: name, expected: `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`, found: v });
      p.host.seed = checkSeed(Number(v), name);
    } else if (name === '--memory') p.host.memoryBytes = hostMemoryFrom(name, value(name));
    else if (name === '--swap') p.host.swapBytes = hostSwapFrom(name, value(name));
    else if (name === '--max-events' || name === '--max-memory') {
      p.guard[name === '--max-events' ? 'max-events' : 'max-memory'] = value(name);
    } else if (RUNC_GLOBAL_VALUE.has(name)) {
      p.runcGlobals.push(`${name}=${value(name)}`);
    } else if (RUNC_GLOBAL_BOOL.has(name)) p.runcGlobals.push(name);
    else if (name === '-h' || name === '--help') {
      p.command = 'help';
      return p;
    } else if (name === '-v' || name === '--version') {
      p.command = '--version';
      return p;
    } else throw new UsageError({ source: a, expected: 'a global option (--root, --after, --cpus, --memory, --swap, --seed, --max-events, --max-memory) before the command', fix: 'put runc command options after the command' });
  }
  p.command = argv[i];
  p.args = argv.slice(i + 1);
  return p;
}

/** runc's create/run/exec options that take a value (the next argument, unless given with "="). */
const VALUE_OPTIONS = new Set(['-b', '--bundle', '--console-socket', '--pid-file', '--preserve-fds', '--cwd', '-e', '--env', '-u', '--user', '-g', '--additional-gids', '-p', '--process', '-c', '--cap', '--cgroup', '--process-label', '--apparmor']);

/** Where a command's first operand (the container id) is: options and their values come before it. */
function firstOperand(args: string[]): number {
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '--') i += VALUE_OPTIONS.has(args[i]) ? 2 : 1;
  return i;
}

/** The options (and their values) before a command's first operand. */
const optionsOf = (args: string[]): string[] => args.slice(0, firstOperand(args));

/** The bundle directory a create/run names (-b/--bundle, default the current directory), and the args with it made absolute. */
function bundleOf(args: string[]): { bundle: string; args: string[] } {
  const out: string[] = [];
  let bundle = '.';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-b' || a === '--bundle' || a === '-bundle') bundle = args[++i] ?? '.';
    else if (a.startsWith('--bundle=')) bundle = a.slice(9);
    else if (a.startsWith('-b') && a.length > 2 && !a.startsWith('--')) bundle = a.slice(2);
    else out.push(a);
  }
  const abs = resolvePath(bundle);
  return { bundle: abs, args: ['--bundle', abs, ...out] };
}

export default class Oci extends BaseCommand {
  static override summary = 'runc\'s commands (spec, create, start, run, state, list, ps, exec, kill, pause, resume, events, delete) on a simulated host kept in --root.';
  static override description = `Each invocation replays the simulated host kept in --root (default: $XDG_STATE_HOME/ctsim/oci, else ~/.local/state/ctsim/oci), runs ctsim's simulated runc in it with your bundle copied in, prints what runc printed, records the command and exits with runc's status. Options before the command: --root DIR, --after DURATION (let simulated time pass first), and --cpus/--memory/--swap/--seed when the host is made.

Commands, with runc's options: spec, create, start, run, state, list, ps, exec, kill, pause, resume, events --stats, delete, and reset (forget the host). Run "ctsim oci" alone for the list with their options.`;
  static override usage = USAGE;
  static override strict = false;
  static override examples = [
    '<%= config.bin %> image export busybox mybundle/rootfs',
    '<%= config.bin %> oci spec -b mybundle',
    '<%= config.bin %> oci --root /tmp/st create -b mybundle c1',
    '<%= config.bin %> oci --root /tmp/st start c1',
    '<%= config.bin %> oci --root /tmp/st exec c1 -- hostname',
    '<%= config.bin %> oci --root /tmp/st list --format json',
  ];

  async run(): Promise<void> {
    // runc's syntax (global options, then the command and its own options) is parsed here, not by oclif.
    (this as unknown as { parsed: boolean }).parsed = true;
    const p = parseArgs(this.argv);
    if (p.command === undefined || p.command === 'help') {
      this.out(HELP);
      return;
    }
    if (p.command === '--version') {
      this.out(`ctsim ${this.config.version}\nrunc version 1.4.0 (simulated)\nspec: 1.3.0\n`);
      return;
    }
    if (p.command === 'spec') return this.spec(p.args);
    if (p.command === 'reset') {
      const store = new StateStore(p.root);
      store.lock();
      try {
        store.reset();
      } finally {
        store.unlock();
      }
      return;
    }
    const session = HostSession.open({ root: p.root, shape: p.host, seed: p.host.seed, version: this.config.version, limits: guardLimitsFrom(p.guard) });
    let saved = false;
    try {
      process.exitCode = await this.runInHost(session, p);
      saved = true;
    } finally {
      session.close(this.config.version, saved);
    }
  }

  /** `spec` needs no host: it writes runc's starter config.json on this machine. */
  private spec(args: string[]): void {
    let bundle = '.';
    let rootless = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-b' || a === '--bundle') bundle = args[++i] ?? '.';
      else if (a.startsWith('--bundle=')) bundle = a.slice(9);
      else if (a === '--rootless') rootless = true;
      else throw new UsageError({ source: a, expected: 'spec [-b BUNDLE] [--rootless]' });
    }
    const path = join(bundle, 'config.json');
    if (existsSync(path)) {
      process.stderr.write('time="' + new Date().toISOString().replace(/\.\d+Z$/, 'Z') + '" level=error msg="File config.json exists. Remove it first"\n');
      process.exitCode = 1;
      return;
    }
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    try {
      writeFileSync(path, formatRuncSpec(runcDefaultSpec({ rootless, uid, gid })), { flag: 'wx' });
    } catch (e) {
      throw new InputError({ source: bundle, expected: 'a directory where config.json can be written', found: (e as NodeJS.ErrnoException).code ?? String(e), fix: 'create the bundle directory first (mkdir -p BUNDLE)' });
    }
  }

  private async runInHost(session: HostSession, p: Parsed): Promise<number> {
    let args = p.args;
    const uploads: Upload[] = [];
    if (p.command === 'create' || p.command === 'run') {
      const b = bundleOf(args);
      args = b.args;
      const packed = packBundle(b.bundle, commandNames(defaultPrograms()));
      for (const w of packed.warnings) process.stderr.write(`ctsim oci: ${w}\n`);
      for (const u of packed.uploads) uploads.push({ dest: u.dest, blob: session.putBlob(u.tar) });
    }
    if (p.command === 'exec') {
      // Only among the options before the container id: `exec c1 ls -p` is ls's -p.
      const end = firstOperand(args);
      const i = args.findIndex((a, j) => j < end && (a === '-p' || a === '--process' || a.startsWith('--process=')));
      if (i >= 0) {
        const inline = args[i].startsWith('--process=');
        const file = inline ? args[i].slice(10) : args[i + 1];
        const bytes = readUserFile(file, (code) => new InputError({ source: file, expected: 'a readable process.json', found: code }));
        const dest = '/run/ctsim/exec';
        uploads.push({ dest, blob: session.putBlob(packFile('process.json', bytes)) });
        args = [...args.slice(0, i), '--process', `${dest}/process.json`, ...args.slice(i + (inline ? 1 : 2))];
      }
    }
    // run and exec in the foreground pass standard input on, as runc does: piped input whole, a terminal's as it is typed.
    const attached = (p.command === 'run' || p.command === 'exec') && !optionsOf(args).some((a) => a === '-d' || a === '--detach');
    const entry = { atNs: session.startTime(p.afterNs), argv: ['runc', ...p.runcGlobals, p.command!, ...args], path: '/usr/sbin/runc', cwd: '/', uploads, stdin: '' };
    if (attached && process.stdin.isTTY === true) return await session.applyLive(entry);
    if (attached) entry.stdin = readStdinBytes("input for the container's process").toString('latin1');
    const applied = session.apply(entry);
    if (applied.ended === 'time-limit') process.stderr.write('ctsim oci: stopped waiting after 1 h of simulated time; the container goes on running (ctsim oci kill / delete -f)\n');
    return applied.status;
  }
}
