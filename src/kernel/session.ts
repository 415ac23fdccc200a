/**
 * A booted kernel driven from outside: start commands in it, run the simulation until
 * they finish, open terminals. The host (src/host.ts) and each VM's guest are one.
 */
import type { Engine, Ns } from '../sim/engine.js';
import type { Kernel } from './kernel.js';
import type { Console } from './fs/console.js';
import { spawnUserProcess } from './exec/usermode-helper.js';
import { HostInput, HostOutput, hostInputOps, hostOutputOps } from './tty/host-stream.js';
import { OpenFile } from './vfs/file.js';
import { SysError } from './errno.js';
import { shellStatus } from './proc/wstatus.js';
import type { Task } from './proc/task.js';
import { createTerminal, setControllingTty, type Tty, type WinSize } from './tty/tty.js';
import { resolve } from './vfs/namei.js';
import { openVnode } from './syscalls/sys-file.js';
import { O_NOCTTY, O_RDWR } from './vfs/types.js';
import { releaseFile } from './vfs/file-ops.js';

export interface RunOptions {
  /** The file to execute; argv[0] when absent. */
  path?: string;
  /** Standard input: bytes, or a HostInput the caller feeds (interactive use). Default: empty. */
  stdin?: string | HostInput;
  /** Where output goes as it is written; by default it is collected into the result. */
  stdout?: (bytes: string) => void;
  stderr?: (bytes: string) => void;
  /** Environment (default: a root login's). */
  env?: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Stop after this much simulated time (ns) even if the command is still running. */
  timeLimitNs?: Ns;
  /** Stop after this many engine steps (a guard against runaway simulations). */
  maxSteps?: number;
}

export interface RunResult {
  /** The shell-style status: the exit code, or 128 + signal. */
  status: number;
  /** The raw wait status word. */
  waitStatus: number;
  stdout: string;
  stderr: string;
  /** The command's PID. */
  pid: number;
  /** Simulated ns from the command's start to its exit. */
  elapsedNs: Ns;
  /** Why the run ended: 'exit', or a limit that stopped it ('time-limit', 'max-steps', 'idle'). */
  ended: 'exit' | 'time-limit' | 'max-steps' | 'idle';
  /** CPU time of the command and of the children it waited for (getrusage RUSAGE_SELF + RUSAGE_CHILDREN), ns. */
  userNs: Ns;
  systemNs: Ns;
}

export const ROOT_ENV = [
  'HOME=/root',
  'LOGNAME=root',
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'SHELL=/bin/sh',
  'USER=root',
  'PWD=/root',
];

export class KernelSession {
  readonly engine: Engine;
  readonly kernel: Kernel;
  readonly console: Console;

  constructor(engine: Engine, booted: { kernel: Kernel; console: Console }) {
    this.engine = engine;
    this.kernel = booted.kernel;
    this.console = booted.console;
  }

  /** Simulated time since boot. */
  get now(): Ns {
    return this.engine.now;
  }

  /** Starts `argv` (argv[0] is the file) as a child of init without running the simulation. */
  spawn(argv: string[], opts: RunOptions = {}): { task: Task; stdout: () => string; stderr: () => string; input: HostInput } {
    const k = this.kernel;
    let outText = '';
    let errText = '';
    const input = opts.stdin instanceof HostInput ? opts.stdin : new HostInput(k);
    if (typeof opts.stdin === 'string' || opts.stdin === undefined) {
      if (opts.stdin) input.push(opts.stdin);
      input.end();
    }
    const stdout = new HostOutput(k, opts.stdout ?? ((b) => (outText += b)));
    const stderr = new HostOutput(k, opts.stderr ?? ((b) => (errText += b)));
    const f0 = new OpenFile(hostInputOps, 0, null, null, 'pipe:[stdin]', input);
    const f1 = new OpenFile(hostOutputOps, 1, null, null, 'pipe:[stdout]', stdout);
    const f2 = new OpenFile(hostOutputOps, 1, null, null, 'pipe:[stderr]', stderr);
    const env = opts.env ?? ROOT_ENV;
    const home = env.find((e) => e.startsWith('HOME='))?.slice(5) ?? '/';
    const task = spawnUserProcess(k, {
      path: opts.path ?? argv[0],
      argv,
      envp: env,
      cwd: opts.cwd ?? home,
      stdio: [f0, f1, f2],
      uid: opts.uid,
      gid: opts.gid,
    });
    // The spawner's own references are dropped: the child holds the only ones.
    for (const f of [f0, f1, f2]) f.refs--;
    if (task instanceof SysError) throw new Error(`cannot start ${argv[0]}: ${task.message}`);
    return { task, stdout: () => outText, stderr: () => errText, input };
  }

  /**
   * Opens a new terminal (/dev/pts/N) whose output goes to `sink`, for an interactive
   * session driven from outside (the CLI's `ctsim sh` at a real terminal).
   */
  openTerminal(sink: (bytes: string) => void, winsize?: WinSize): Tty {
    const tty = createTerminal(this.kernel, sink);
    if (winsize) tty.winsize = winsize;
    return tty;
  }

  /**
   * Starts `argv` in a new session whose controlling terminal is `tty`, with the
   * terminal as descriptors 0, 1 and 2 and its process group in the foreground —
   * what login(1) does before it runs a user's shell.
   */
  spawnOnTerminal(argv: string[], tty: Tty, opts: RunOptions = {}): Task {
    const k = this.kernel;
    const init = k.initPidNs.init!;
    const saved = k.current;
    k.current = init;
    const p = resolve(k, init, `/dev/${tty.name}`, { follow: true });
    const f = p instanceof SysError ? p : openVnode(k, init, p.mnt, p.vn, O_RDWR | O_NOCTTY, `/dev/${tty.name}`);
    k.current = saved;
    k.pendingCost = 0;
    if (f instanceof SysError) throw new Error(`cannot open /dev/${tty.name}: ${f.message}`);
    const env = opts.env ?? [...ROOT_ENV, 'TERM=xterm-256color'];
    const home = env.find((e) => e.startsWith('HOME='))?.slice(5) ?? '/';
    const task = spawnUserProcess(k, { path: opts.path ?? argv[0], argv, envp: env, cwd: opts.cwd ?? home, stdio: [f, f, f], uid: opts.uid, gid: opts.gid });
    releaseFile(k, f);
    if (task instanceof SysError) throw new Error(`cannot start ${argv[0]}: ${task.message}`);
    setControllingTty(k, task, tty);
    return task;
  }

  /** Runs `argv` to completion (or a limit) and returns its status and output. */
  run(argv: string[], opts: RunOptions = {}): RunResult {
    const started = this.engine.now;
    const { task, stdout, stderr } = this.spawn(argv, opts);
    let exited = false;
    const hook = (t: Task): void => {
      if (t === task) {
        exited = true;
        this.engine.stop();
      }
    };
    this.kernel.exitHooks.add(hook);
    let ended: RunResult['ended'] = 'exit';
    try {
      const until = opts.timeLimitNs !== undefined ? started + opts.timeLimitNs : undefined;
      const why = this.engine.run({ until, maxSteps: opts.maxSteps });
      if (!exited) ended = why === 'until' ? 'time-limit' : why === 'max-steps' ? 'max-steps' : 'idle';
    } finally {
      this.kernel.exitHooks.delete(hook);
    }
    const ws = exited ? task.exitStatus : 0;
    return {
      status: exited ? shellStatus(ws) : 124,
      waitStatus: ws,
      stdout: stdout(),
      stderr: stderr(),
      pid: task.tid,
      elapsedNs: this.engine.now - started,
      ended,
      userNs: task.utimeNs + task.cutimeNs,
      systemNs: task.stimeNs + task.cstimeNs,
    };
  }

  /** Runs a shell script as `sh -c SCRIPT ARGS…` (argv[0] "sh", file /bin/sh), as `ctsim sh -c` does. */
  sh(script: string, opts: RunOptions = {}, args: string[] = []): RunResult {
    return this.run(['sh', '-c', script, ...args], { path: '/bin/sh', ...opts });
  }
}

