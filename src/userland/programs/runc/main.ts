/**
 * runc(8) as ctsim's simulated userland has it: the OCI reference runtime's command
 * line (global options, then a command with its options and arguments), errors as
 * logrus lines on standard error with exit status 1, and the container state kept
 * under --root (default /run/runc).
 *
 *   runc [--root DIR] [--debug] [--log FILE] [--log-format text|json] COMMAND [OPTIONS] ARGS…
 *
 * --log FILE takes runc's final error (log.ts); --log-format text|json its form.
 *
 * Simplification: --systemd-cgroup/--rootless are accepted and ignored; checkpoint, restore, update and features are not offered.
 */
import type { Program, ProgramArgs, Op } from '../../../kernel/proc/program.js';
import { getopt, GetoptError, type OptionSpec } from '../../lib/getopt.js';
import { readFile, fromUtf8 } from '../../lib/io.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { isValidContainerId, validateProcess, formatConfigIssue, type OciProcess } from '../../../runtime/oci/index.js';
import { DEFAULT_ROOT } from './container-state.js';
import { createContainer, destroyContainer, startContainer, waitInit } from './create.js';
import { print, cmdDelete, cmdEvents, cmdKill, cmdList, cmdPause, cmdPs, cmdResume, cmdSpec, cmdState, mustLoad } from './commands.js';
import { execInContainer } from './exec.js';
import { statusOf } from './container-state.js';
import { logError, openLog, RuncError, type RuncLog } from './log.js';

type Gen<T> = Generator<Op, T, unknown>;

const VERSION = 'runc version 1.4.0\ncommit: ctsim\nspec: 1.3.0\ngo: none (simulated by ctsim)\n';

interface CommandDef {
  usage: string;
  summary: string;
  options: OptionSpec[];
  /** Exact (n), minimum (-n) or any (undefined) number of arguments. */
  args?: number;
}

const CREATE_OPTS: OptionSpec[] = [
  { short: 'b', long: 'bundle', arg: 'required' },
  { long: 'console-socket', arg: 'required' },
  { long: 'pid-file', arg: 'required' },
  { long: 'no-pivot' },
  { long: 'no-new-keyring' },
  { long: 'preserve-fds', arg: 'required' },
];

const COMMANDS: Record<string, CommandDef> = {
  create: { usage: 'create [command options] <container-id>', summary: 'create a container', options: CREATE_OPTS, args: 1 },
  start: { usage: 'start <container-id>', summary: 'executes the user defined process in a created container', options: [], args: 1 },
  run: {
    usage: 'run [command options] <container-id>',
    summary: 'create and run a container',
    options: [...CREATE_OPTS, { short: 'd', long: 'detach' }, { long: 'keep' }, { long: 'no-subreaper' }],
    args: 1,
  },
  state: { usage: 'state <container-id>', summary: 'output the state of a container', options: [], args: 1 },
  list: {
    usage: 'list [command options]',
    summary: 'lists containers started by runc with the given root',
    options: [{ short: 'f', long: 'format', arg: 'required' }, { short: 'q', long: 'quiet' }],
    args: 0,
  },
  ps: { usage: 'ps [command options] <container-id> [ps options]', summary: 'ps displays the processes running inside a container', options: [{ short: 'f', long: 'format', arg: 'required' }], args: -1 },
  exec: {
    usage: 'exec [command options] <container-id> <command> [command options]  || -p process.json <container-id>',
    summary: 'execute new process inside the container',
    options: [
      { long: 'console-socket', arg: 'required' },
      { long: 'cwd', arg: 'required' },
      { short: 'e', long: 'env', arg: 'required' },
      { short: 't', long: 'tty' },
      { short: 'u', long: 'user', arg: 'required' },
      { short: 'g', long: 'additional-gids', arg: 'required' },
      { short: 'p', long: 'process', arg: 'required' },
      { short: 'd', long: 'detach' },
      { long: 'pid-file', arg: 'required' },
      { long: 'no-new-privs' },
      { short: 'c', long: 'cap', arg: 'required' },
      { long: 'ignore-paused' },
      { long: 'preserve-fds', arg: 'required' },
      { long: 'cgroup', arg: 'required' },
    ],
    args: -1,
  },
  kill: { usage: 'kill [command options] <container-id> [signal]', summary: 'kill sends the specified signal (default: SIGTERM) to the container\'s init process', options: [{ short: 'a', long: 'all' }], args: -1 },
  delete: { usage: 'delete [command options] <container-id>', summary: 'delete any resources held by the container often used with detached container', options: [{ short: 'f', long: 'force' }], args: 1 },
  pause: { usage: 'pause <container-id>', summary: 'pause suspends all processes inside the container', options: [], args: 1 },
  resume: { usage: 'resume <container-id>', summary: 'resumes all processes that have been previously paused', options: [], args: 1 },
  events: {
    usage: 'events [command options] <container-id>',
    summary: 'display container events such as OOM notifications, cpu, memory, and IO usage statistics',
    options: [{ long: 'interval', arg: 'required' }, { long: 'stats' }],
    args: 1,
  },
  spec: { usage: 'spec [command options]', summary: 'create a new specification file', options: [{ short: 'b', long: 'bundle', arg: 'required' }, { long: 'rootless' }], args: 0 },
};

const HELP = `NAME:
   runc - Open Container Initiative runtime

USAGE:
   runc [global options] command [command options] [arguments...]

COMMANDS:
${Object.entries(COMMANDS)
  .map(([n, c]) => `   ${n.padEnd(10)} ${c.summary}`)
  .join('\n')}
   help, h    Shows a list of commands or help for one command

GLOBAL OPTIONS:
   --debug             enable debug logging
   --log value         set the log file to write runc logs to (default is '/dev/stderr')
   --log-format value  set the log format ('text' (default), or 'json') (default: "text")
   --root value        root directory for storage of container state (this should be located in tmpfs) (default: "/run/runc")
   --systemd-cgroup    enable systemd cgroup support
   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: "auto")
   --help, -h          show help
   --version, -v       print the version
`;

const commandHelp = (name: string, c: CommandDef): string => `NAME:\n   runc ${name} - ${c.summary}\n\nUSAGE:\n   runc ${c.usage}\n`;

/** exec's process: -p process.json, or config.json's process with the command and the flags' changes. */
function* execProcess(base: OciProcess, v: Map<string, string | true>, list: [string, string | true][], cmd: string[]): Gen<OciProcess> {
  const file = v.get('process');
  if (typeof file === 'string') {
    const text = yield* readFile(file);
    if (text instanceof SysError) throw new RuncError(`open ${file}: ${text.message.toLowerCase()}`, 255);
    let doc: unknown;
    try {
      doc = JSON.parse(fromUtf8(text));
    } catch (e) {
      throw new RuncError(`${file}: ${(e as Error).message}`, 255);
    }
    const errs = validateProcess(doc).errors;
    if (errs.length) throw new RuncError(errs.map((e) => formatConfigIssue(file, e)).join('; '), 255);
    return doc as OciProcess;
  }
  if (cmd.length === 0) throw new RuncError('exec failed: process args cannot be empty', 255);
  const user = { uid: 0, gid: 0, ...base.user };
  const p: OciProcess = { ...base, args: cmd, env: [...(base.env ?? [])], user };
  for (const [k, val] of list) {
    if (typeof val !== 'string') continue;
    if (k === 'env') p.env!.push(val);
    else if (k === 'cwd') p.cwd = val;
    else if (k === 'user') {
      const [u, g] = val.split(':');
      user.uid = Number(u);
      if (g !== undefined) user.gid = Number(g);
      if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid)) throw new RuncError(`parsing ${val} as uid[:gid]: invalid syntax`, 255);
    } else if (k === 'additional-gids') user.additionalGids = [...(user.additionalGids ?? []), Number(val)];
    else if (k === 'cap' && p.capabilities) {
      const c = p.capabilities;
      for (const set of ['bounding', 'effective', 'permitted', 'ambient'] as const) c[set] = [...(c[set] ?? []), val];
    }
  }
  if (v.has('no-new-privs')) p.noNewPrivileges = true;
  if (v.has('tty')) p.terminal = true;
  return p;
}

/** Runs `g`, putting runc's "runc create failed: " (or run) in front of its error. */
function* failedAs<T>(prefix: string, g: Gen<T>): Gen<T> {
  try {
    return yield* g;
  } catch (e) {
    if (e instanceof RuncError) throw new RuncError(`${prefix}: ${e.message}`, e.status);
    throw e;
  }
}

function* dispatch(args: string[], log: RuncLog): Gen<number> {
  const g = getopt('runc', args, [
    { long: 'root', arg: 'required' },
    { long: 'debug' },
    { long: 'log', arg: 'required' },
    { long: 'log-format', arg: 'required' },
    { long: 'systemd-cgroup' },
    { long: 'rootless', arg: 'required' },
    { long: 'criu', arg: 'required' },
    { short: 'h', long: 'help' },
    { short: 'v', long: 'version' },
  ], { stopAtOperand: true });
  // runc's configLogrus, before any command: the format is checked and the file opened.
  const format = (g.values.get('log-format') as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new RuncError(`invalid log-format: ${format}`);
  log.json = format === 'json';
  const file = g.values.get('log') as string | undefined;
  if (file !== undefined && file !== '') {
    log.file = file;
    const fd = yield* openLog(log);
    if (fd instanceof SysError) {
      log.file = null;
      throw new RuncError(`open ${file}: ${fd.message.toLowerCase()}`);
    }
    yield* sys.close(fd);
  }
  if (g.values.has('version')) return yield* print(VERSION);
  const [name, ...rest] = g.operands;
  if (g.values.has('help') || name === undefined || name === 'help' || name === 'h') {
    const which = name === 'help' || name === 'h' ? rest[0] : undefined;
    if (which && COMMANDS[which]) return yield* print(commandHelp(which, COMMANDS[which]));
    return yield* print(HELP);
  }
  const root = (g.values.get('root') as string | undefined) ?? DEFAULT_ROOT;
  const def = COMMANDS[name];
  if (!def) throw new RuncError(`No help topic for '${name}'\n`, 3);
  const c = getopt(`runc ${name}`, rest, [...def.options, { short: 'h', long: 'help' }], { stopAtOperand: true });
  if (c.values.has('help')) return yield* print(commandHelp(name, def));
  const ops = c.operands;
  const bad =
    def.args === undefined ? false : def.args >= 0 ? ops.length !== def.args : ops.length < -def.args;
  if (bad) {
    yield* print(`Incorrect Usage.\n\n${commandHelp(name, def)}`);
    const n = Math.abs(def.args!);
    throw new RuncError(`runc: ${JSON.stringify(name)} requires ${def.args! >= 0 ? 'exactly' : 'a minimum of'} ${n} argument(s)`);
  }
  // Every command that names a container checks the id first (libcontainer's Load): "../x" is no container.
  if (name !== 'create' && name !== 'run' && name !== 'list' && name !== 'spec' && ops.length > 0 && !isValidContainerId(ops[0])) {
    throw new RuncError('invalid container ID format', name === 'exec' ? 255 : 1);
  }
  const v = c.values;
  const str = (k: string): string | undefined => (typeof v.get(k) === 'string' ? (v.get(k) as string) : undefined);
  switch (name) {
    case 'create':
      yield* failedAs('runc create failed', createContainer({ root, id: ops[0], bundle: str('bundle') ?? '.', pidFile: str('pid-file'), consoleSocket: str('console-socket'), foreground: false }));
      return 0;
    case 'start':
      yield* startContainer(root, ops[0]);
      return 0;
    case 'run': {
      const detach = v.has('detach');
      const rec = yield* failedAs('runc run failed', createContainer({ root, id: ops[0], bundle: str('bundle') ?? '.', pidFile: str('pid-file'), consoleSocket: str('console-socket'), foreground: !detach }));
      yield* failedAs('runc run failed', startContainer(root, ops[0]));
      if (detach) return 0;
      const status = yield* waitInit(rec.initPid);
      if (!v.has('keep')) yield* destroyContainer(root, rec);
      return status;
    }
    case 'state':
      return yield* cmdState(root, ops[0]);
    case 'list':
      return yield* cmdList(root, str('format') ?? 'table', v.has('quiet'));
    case 'ps':
      return yield* cmdPs(root, ops[0], str('format') ?? 'table', ops.slice(1));
    case 'kill':
      if (ops.length > 2) {
        yield* print(`Incorrect Usage.\n\n${commandHelp(name, def)}`);
        throw new RuncError(`runc: "kill" requires a maximum of 2 argument(s)`);
      }
      return yield* cmdKill(root, ops[0], ops[1], v.has('all'));
    case 'delete':
      return yield* cmdDelete(root, ops[0], v.has('force'));
    case 'pause':
      return yield* cmdPause(root, ops[0]);
    case 'resume':
      return yield* cmdResume(root, ops[0]);
    case 'events':
      return yield* cmdEvents(root, ops[0], v.has('stats'));
    case 'spec':
      return yield* cmdSpec(str('bundle') ?? '.', v.has('rootless'));
    case 'exec': {
      const rec = yield* mustLoad(root, ops[0]);
      const status = yield* statusOf(root, rec);
      if (status === 'stopped') throw new RuncError('exec failed: cannot exec in a stopped container', 255);
      if (status === 'paused' && !v.has('ignore-paused')) throw new RuncError('exec failed: cannot exec in a paused container (use --ignore-paused to override)', 255);
      // `runc exec ID -- CMD …`: the "--" only separates runc's arguments from the command's.
      const cmd = ops[1] === '--' ? ops.slice(2) : ops.slice(1);
      const p = yield* execProcess(rec.config.process!, v, c.list, cmd);
      const pid = yield* execInContainer(rec, p, str('pid-file'));
      if (v.has('detach')) return 0;
      return yield* waitInit(pid);
    }
  }
  return 0;
}

export function* runcMain({ argv }: ProgramArgs): Program {
  const log: RuncLog = { file: null, json: false };
  try {
    return yield* dispatch(argv.slice(1), log);
  } catch (e) {
    if (e instanceof GetoptError) {
      yield* logError(e.message.replace(/^runc( \w+)?: /, ''), log);
      return 1;
    }
    if (!(e instanceof RuncError)) throw e;
    yield* logError(e.message, log);
    return e.status;
  }
}
