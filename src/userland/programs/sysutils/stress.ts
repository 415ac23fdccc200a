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
 * parent ends them (SIGTERM) so that one place owns the timeout. Memory (--vm),
 * I/O (--io) and disk (--hdd) workers need the virtual-memory and block-device
 * models and are rejected for now.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { SIG } from '../../../kernel/proc/signals.js';
import { CLOCK_REALTIME } from '../../../kernel/syscalls/abi.js';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../../../kernel/proc/wstatus.js';
import * as sys from '../../lib/sys.js';
import { writeAll } from '../../lib/io.js';
import { getopt, GetoptError } from '../../lib/getopt.js';

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
  const say = function* (kind: 'info' | 'dbug' | 'FAIL' | 'WARN', msg: string): Generator<import('../../../kernel/proc/program.js').Op, void, unknown> {
    const need = kind === 'info' ? 2 : kind === 'dbug' ? 3 : kind === 'WARN' ? 1 : 0;
    if (level < need) return;
    yield* writeAll(kind === 'FAIL' || kind === 'WARN' ? 2 : 1, `stress: ${kind}: [${self}] ${msg}\n`);
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
      case 'vm': case 'vm-bytes': case 'vm-stride': case 'vm-hang': case 'vm-keep':
        yield* writeAll(2, 'stress: FAIL: --vm workers are not available yet: ctsim has no virtual-memory model to stress (it comes with the virtual-memory issue)\n');
        return 1;
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
  const backoff = backoffUs * (cpus + forks);
  yield* say('dbug', `using backoff sleep of ${backoff}us`);
  if (timeout) yield* say('dbug', `setting timeout to ${timeout}s`);
  else yield* say('dbug', 'timeout not set');
  yield* say('info', `dispatching hogs: ${cpus} cpu, 0 io, 0 vm, 0 hdd${forks ? `, ${forks} fork` : ''}`);

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
  if (timeout) yield* sys.alarm(timeout);

  let failures = 0;
  let signalled = false;
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
      }
    } else if (WIFSIGNALED(r.status)) {
      const sig = WTERMSIG(r.status);
      if (sig === SIG.SIGTERM && signalled) yield* say('dbug', `<-- worker ${r.pid} signalled normally`);
      else {
        yield* say('FAIL', `<-- worker ${r.pid} got signal ${sig}`);
        failures++;
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
