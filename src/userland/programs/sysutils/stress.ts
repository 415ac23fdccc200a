/**
 * stress: a load generator in the style of the classic stress(1) 1.0.4 (Amos
 * Waterland), with stress-ng's fork workers. It forks the workers and waits for
 * them: --cpu N workers spin on the CPU; --fork N workers fork children that exit
 * at once and reap them, in a loop. With --timeout T (seconds, or with a suffix
 * s, m, h, d or y) the parent's alarm fires after T and it ends the workers with
 * SIGTERM and reaps them. Messages follow stress's (`stress: info: [PID]
 * dispatching hogs: 2 cpu, 0 io, 0 vm, 0 hdd`, `successful run completed in
 * 10s`); -v adds the `dbug` lines, -q silences all but failures.
 *
 * Deliberate differences: stress's FAIL/WARN lines carry the C source line, which
 * ctsim omits; the classic workers time themselves out with SIGALRM, here the
 * parent ends them (SIGTERM) so that one place owns the timeout. --vm N workers
 * malloc --vm-bytes (default 256M), write a byte every --vm-stride bytes (default
 * 4096), read them back, and free, in a loop (--vm-keep: keep the memory and
 * redirty it; --vm-hang N: sleep N seconds holding it, 0 for ever; --vm-ops N, from
 * stress-ng: stop after N passes, so that a run does a fixed amount of work). I/O (--io) and
 * disk (--hdd) workers need the block-device model and are rejected for now.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { SIG } from '../../../kernel/proc/signals.js';
import { CLOCK_REALTIME } from '../../../kernel/syscalls/abi.js';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../../../kernel/proc/wstatus.js';
import * as sys from '../../lib/sys.js';
import { writeAll } from '../../lib/io.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { Heap, PAGE_SIZE, touch } from '../../lib/mem.js';

/**
 * One CPU worker's burst between checks, in ns — a design choice: short enough
 * that the scheduler can preempt and account it finely, like stress's tight
 * sqrt(rand()) loop.
 */
export const CPU_BURST_NS = 10_000;
/** User CPU a fork worker spends between two forks — a design choice. */
const FORK_LOOP_NS = 2_000;
/** stress's default backoff before a worker starts, per worker forked (µs). */
const BACKOFF_US = 3000;
/** User CPU of the parent's setup — a design choice. */
const STRESS_SETUP_NS = 50_000;

const NS_PER_SEC = 1_000_000_000;
const USAGE = `\`stress' imposes certain types of compute stress on your system

Usage: stress [OPTION [ARG]] ...
 -?, --help         show this help statement
     --version      show version statement
 -v, --verbose      be verbose
 -q, --quiet        be quiet
 -n, --dry-run      show what would have been done
 -t, --timeout N    timeout after N seconds
     --backoff N    wait factor of N microseconds before work starts
 -c, --cpu N        spawn N workers spinning on sqrt()
 -f, --fork N       spawn N workers spinning on fork() and wait()

Example: stress --cpu 8 --fork 4 --timeout 10s

Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).
`;

/** Parses stress's time argument: N with an optional suffix s, m, h, d or y; null if invalid. */
export function parseStressTime(text: string): number | null {
  const m = /^(\d+)([smhdy]?)$/.exec(text);
  if (!m) return null;
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400, y: 31536000 }[m[2]]!;
  return Number(m[1]) * mult;
}

/** Parses stress's size argument: N with an optional suffix b, k, m or g (powers of 1024); a message if invalid. */
export function parseStressSize(text: string): number | string {
  const m = /^(\d+)(.?)$/.exec(text);
  if (!m) return `unrecognized suffix: ${text.replace(/^\d+/, '')}`;
  const mult: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  const f = mult[m[2].toLowerCase()];
  if (f === undefined) return `unrecognized suffix: ${m[2]}`;
  return Number(m[1]) * f;
}

interface VmOptions {
  bytes: number;
  stride: number;
  /** Seconds to hold the memory; 0 for ever; -1 not at all. */
  hang: number;
  keep: boolean;
  /** Passes (write, then read back) before the worker ends; 0: no end (stress-ng's --vm-ops). */
  ops: number;
}

/** Touches every `stride`-th byte of [p, p + bytes): the pages those bytes are in. */
function* strided(p: number, bytes: number, stride: number, write: boolean): Generator<import('../../../kernel/proc/program.js').Op, number | SysError, unknown> {
  if (stride <= PAGE_SIZE) return yield* touch(p, bytes, write);
  for (let i = 0; i < bytes; i += stride) {
    const r = yield* touch(p + i, 1, write);
    if (r instanceof SysError) return r;
  }
  return 0;
}

function vmWorker(o: VmOptions, say: (kind: 'dbug' | 'FAIL', msg: string) => Generator<import('../../../kernel/proc/program.js').Op, void, unknown>): () => Program {
  return function* (): Program {
    const heap = new Heap();
    let p = 0;
    let doMalloc = true;
    let passes = 0;
    for (;;) {
      if (doMalloc) {
        yield* say('dbug', `allocating ${o.bytes} bytes ...`);
        const q = yield* heap.alloc(o.bytes);
        if (q instanceof SysError) {
          yield* say('FAIL', `hogvm malloc failed: ${q.message}`);
          return 1;
        }
        p = q;
        if (o.keep) doMalloc = false;
      }
      yield* say('dbug', `touching bytes in strides of ${o.stride} bytes ...`);
      yield* strided(p, o.bytes, o.stride, true);
      if (o.hang === 0) {
        yield* say('dbug', 'sleeping forever with allocated memory');
        for (;;) yield* sys.nanosleep(1024 * NS_PER_SEC);
      } else if (o.hang > 0) {
        yield* say('dbug', `sleeping for ${o.hang}s with allocated memory`);
        yield* sys.nanosleep(o.hang * NS_PER_SEC);
      }
      // Reading the bytes back checks them (the simulated memory keeps what was written).
      yield* strided(p, o.bytes, o.stride, false);
      if (doMalloc) {
        yield* heap.free(p);
        yield* say('dbug', `freed ${o.bytes} bytes`);
      }
      if (o.ops > 0 && ++passes >= o.ops) return 0;
    }
  };
}

function* cpuWorker(): Program {
  for (;;) yield CPU_BURST_NS;
}

function* exitAtOnce(): Program {
  return 0;
}

function* forkWorker(): Program {
  for (;;) {
    yield FORK_LOOP_NS;
    const pid = yield* sys.fork(exitAtOnce);
    if (pid instanceof SysError) {
      yield* sys.nanosleep(1_000_000);
      continue;
    }
    yield* sys.wait4(pid);
  }
}

export function* stressMain({ argv }: ProgramArgs): Program {
  yield STRESS_SETUP_NS;
  const self = (yield* sys.getpid()) as number;
  let level = 2;
  /** A message at a verbosity level, tagged with the speaker's PID (the parent's, unless a worker gives its own). */
  const say = function* (kind: 'info' | 'dbug' | 'FAIL' | 'WARN', msg: string, pid = self): Generator<import('../../../kernel/proc/program.js').Op, void, unknown> {
    const need = kind === 'info' ? 2 : kind === 'dbug' ? 3 : kind === 'WARN' ? 1 : 0;
    if (level < need) return;
    yield* writeAll(kind === 'FAIL' || kind === 'WARN' ? 2 : 1, `stress: ${kind}: [${pid}] ${msg}\n`);
  };
  let parsed;
  try {
    parsed = getopt('stress', argv.slice(1), [
      { short: '?', long: 'help' },
      { long: 'version' },
      { short: 'v', long: 'verbose' },
      { short: 'q', long: 'quiet' },
      { short: 'n', long: 'dry-run' },
      { short: 't', long: 'timeout', arg: 'required' },
      { long: 'backoff', arg: 'required' },
      { short: 'c', long: 'cpu', arg: 'required' },
      { short: 'f', long: 'fork', arg: 'required' },
      { short: 'm', long: 'vm', arg: 'required' },
      { long: 'vm-bytes', arg: 'required' },
      { long: 'vm-stride', arg: 'required' },
      { long: 'vm-hang', arg: 'required' },
      { long: 'vm-keep' },
      { long: 'vm-ops', arg: 'required' },
      { short: 'i', long: 'io', arg: 'required' },
      { short: 'd', long: 'hdd', arg: 'required' },
      { long: 'hdd-bytes', arg: 'required' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* writeAll(2, `${e.message}\n`);
    yield* writeAll(1, USAGE);
    return 1;
  }
  if (argv.length < 2 || parsed.values.has('help')) {
    yield* writeAll(1, USAGE);
    return argv.length < 2 ? 1 : 0;
  }
  if (parsed.values.has('version')) {
    yield* writeAll(1, 'stress 1.0.4\n');
    return 0;
  }
  let cpus = 0;
  let forks = 0;
  let vms = 0;
  const vm: VmOptions = { bytes: 256 * 1024 * 1024, stride: PAGE_SIZE, hang: -1, keep: false, ops: 0 };
  let timeout = 0;
  let backoffUs = BACKOFF_US;
  const count = function* (name: string, v: string): Generator<import('../../../kernel/proc/program.js').Op, number | null, unknown> {
    if (!/^\d+$/.test(v)) {
      yield* say('FAIL', `invalid number in ${name}: ${v}`);
      return null;
    }
    return Number(v);
  };
  for (const [k, v] of parsed.list) {
    const val = String(v);
    switch (k) {
      case 'verbose': level = 3; break;
      case 'quiet': level = 0; break;
      case 'cpu': { const n = yield* count('--cpu', val); if (n === null) return 1; cpus = n; break; }
      case 'fork': { const n = yield* count('--fork', val); if (n === null) return 1; forks = n; break; }
      case 'backoff': { const n = yield* count('--backoff', val); if (n === null) return 1; backoffUs = n; break; }
      case 'timeout': {
        const t = parseStressTime(val);
        if (t === null) {
          yield* say('FAIL', `invalid time suffix in --timeout: ${val}`);
          return 1;
        }
        timeout = t;
        break;
      }
      case 'vm': { const n = yield* count('--vm', val); if (n === null) return 1; vms = n; break; }
      case 'vm-bytes': case 'vm-stride': {
        const size = parseStressSize(val);
        if (typeof size === 'string') {
          yield* say('FAIL', size);
          return 1;
        }
        if (k === 'vm-stride' && size === 0) {
          yield* say('FAIL', `invalid stride value: ${val}`);
          return 1;
        }
        if (k === 'vm-bytes') vm.bytes = size;
        else vm.stride = size;
        break;
      }
      case 'vm-hang': {
        const t = parseStressTime(val);
        if (t === null) {
          yield* say('FAIL', `invalid time suffix in --vm-hang: ${val}`);
          return 1;
        }
        vm.hang = t;
        break;
      }
      case 'vm-keep': vm.keep = true; break;
      case 'vm-ops': { const n = yield* count('--vm-ops', val); if (n === null) return 1; vm.ops = n; break; }
      case 'io':
        yield* writeAll(2, 'stress: FAIL: --io workers are not available yet: ctsim has no block devices to sync\n');
        return 1;
      case 'hdd': case 'hdd-bytes':
        yield* writeAll(2, 'stress: FAIL: --hdd workers are not available yet: ctsim has no block devices to write\n');
        return 1;
      default: break;
    }
  }
  const dryRun = parsed.values.has('dry-run');
  const started = yield* sys.clockGettime(CLOCK_REALTIME);
  const startSec = Math.floor((started as number) / NS_PER_SEC);
  const backoff = backoffUs * (cpus + forks + vms);
  yield* say('dbug', `using backoff sleep of ${backoff}us`);
  if (timeout) yield* say('dbug', `setting timeout to ${timeout}s`);
  else yield* say('dbug', 'timeout not set');
  yield* say('info', `dispatching hogs: ${cpus} cpu, 0 io, ${vms} vm, 0 hdd${forks ? `, ${forks} fork` : ''}`);

  // The parent's alarm ends the run: its handler only notes that it fired.
  let timedOut = false;
  yield* sys.sigaction(SIG.SIGALRM, {
    handler: function* (): Program {
      timedOut = true;
      return 0;
    },
  });
  const workers: number[] = [];
  const start = function* (kind: string, index: number, body: () => Program): Generator<import('../../../kernel/proc/program.js').Op, void, unknown> {
    const pid = yield* sys.fork(function* (): Program {
      if (backoff) yield* sys.nanosleep(backoff * 1000);
      if (dryRun) return 0;
      return yield* body();
    });
    if (pid instanceof SysError) {
      yield* say('FAIL', `fork failed: ${pid.message}`);
      return;
    }
    yield* say('dbug', `--> ${kind} worker ${index} [${pid}] forked`);
    workers.push(pid);
  };
  for (let i = cpus; i > 0; i--) yield* start('hogcpu', i, cpuWorker);
  for (let i = forks; i > 0; i--) yield* start('hogfork', i, forkWorker);
  // A worker speaks with its own PID, as stress's workers do.
  const workerSay = function* (kind: 'dbug' | 'FAIL', msg: string): Generator<import('../../../kernel/proc/program.js').Op, void, unknown> {
    yield* say(kind, msg, (yield* sys.getpid()) as number);
  };
  for (let i = vms; i > 0; i--) yield* start('hogvm', i, vmWorker(vm, workerSay));
  if (timeout) yield* sys.alarm(timeout);

  let failures = 0;
  let signalled = false;
  // After a failed worker stress ends the rest: SIGUSR1 to its process group, which
  // exists only when stress leads one (from an interactive shell); run from a script
  // the kill fails with ESRCH, as the real stress reports.
  let reaping = false;
  const reapWorkers = function* (): Generator<import('../../../kernel/proc/program.js').Op, void, unknown> {
    if (reaping) return;
    reaping = true;
    yield* say('WARN', 'now reaping child worker processes');
    yield* sys.sigaction(SIG.SIGUSR1, { handler: 'ignore' });
    const k = yield* sys.kill(-self, SIG.SIGUSR1);
    if (k instanceof SysError) yield* say('FAIL', `kill error: ${k.message}`);
  };
  while (workers.length > 0) {
    if (timedOut && !signalled) {
      signalled = true;
      for (const pid of workers) yield* sys.kill(pid, SIG.SIGTERM);
    }
    const r = yield* sys.wait4(-1);
    if (r instanceof SysError) {
      if (r.errno === 'EINTR') continue;
      yield* say('FAIL', `error waiting for worker: ${r.message}`);
      failures++;
      break;
    }
    const i = workers.indexOf(r.pid);
    if (i < 0) continue;
    workers.splice(i, 1);
    if (WIFEXITED(r.status)) {
      if (WEXITSTATUS(r.status) === 0) yield* say('dbug', `<-- worker ${r.pid} returned normally`);
      else {
        yield* say('FAIL', `<-- worker ${r.pid} returned error ${WEXITSTATUS(r.status)}`);
        failures++;
        yield* reapWorkers();
      }
    } else if (WIFSIGNALED(r.status)) {
      const sig = WTERMSIG(r.status);
      if (sig === SIG.SIGTERM && signalled) yield* say('dbug', `<-- worker ${r.pid} signalled normally`);
      else {
        yield* say('FAIL', `<-- worker ${r.pid} got signal ${sig}`);
        failures++;
        yield* reapWorkers();
      }
    }
  }
  const stopped = yield* sys.clockGettime(CLOCK_REALTIME);
  const runtime = Math.floor((stopped as number) / NS_PER_SEC) - startSec;
  if (failures) {
    yield* say('FAIL', `failed run completed in ${runtime}s`);
    return 1;
  }
  yield* say('info', `successful run completed in ${runtime}s`);
  return 0;
}
