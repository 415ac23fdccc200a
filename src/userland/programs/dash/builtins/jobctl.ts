/**
 * dash's job builtins: `jobs`, `fg`, `bg`, `wait`, `kill`.
 *
 * `wait` with no operand waits for every job and returns 0; with PIDs or %jobs
 * it returns the status of the last, 127 for a PID that is not a child; a trapped
 * signal interrupts it with 128 + the signal (POSIX XCU wait).
 */
import * as sys from '../../../lib/sys.js';
import { SysError } from '../../../../kernel/errno.js';
import { SIG } from '../../../../kernel/proc/signals.js';
import { TIOCSPGRP } from '../../../../kernel/syscalls/abi.js';
import type { Shell, Gen } from '../shell.js';
import { JOBDONE, JOBRUNNING, formatJob, jobStatus, waitForJob, waitOne, dowait, type Job } from '../jobs.js';
import { pendingTrapSignal } from '../trap.js';
import { signalNames, decodeSignal, NSIG_DASH } from '../signames.js';
import { def, nextopt, number, type Builtin } from './table.js';

/**
 * Job slots dash's table holds before it grows: it grows four at a time, and a
 * `%n` within its size names slot n only, while a larger n is tried as a
 * command prefix (`%9` finds a job `9x &` when there are fewer than nine slots).
 * Simplification: the size is taken from the slots in use now; dash's table
 * never shrinks once grown.
 */
const JOB_TABLE_STEP = 4;

/** The jobs of the table, with their numbers. */
function liveJobs(sh: Shell): Job[] {
  return sh.jobs.slots.filter((j): j is Job => j !== null && j !== undefined);
}

/**
 * Resolves a job operand (dash(1) "Job control"; POSIX XCU 3.204 job ID): none, `%`,
 * `%%` or `%+` the current job; `%-` the previous one; `%n` job n; `%text` the
 * job whose (first) command starts with text; `%?text` the one whose command
 * contains it. Returns the job, or the message of the failure.
 */
function lookupJob(sh: Shell, name: string | undefined): Job | string {
  const order = sh.jobs.order;
  if (name === undefined || name === '%' || name === '%%' || name === '%+') return order[0] ?? 'No current job';
  if (name === '%-') return order[1] ?? 'No previous job';
  const missing = `No such job: ${name}`;
  if (name[0] !== '%') return missing;
  const spec = name.slice(1);
  const jobs = liveJobs(sh);
  if (/^[0-9]+$/.test(spec)) {
    const n = Number(spec);
    const size = Math.ceil(sh.jobs.slots.length / JOB_TABLE_STEP) * JOB_TABLE_STEP;
    if (n <= size) return jobs.find((j) => sh.jobs.number(j) === n) ?? missing;
  }
  const inside = spec[0] === '?';
  const text = inside ? spec.slice(1) : spec;
  const found = jobs.filter((j) => (inside ? j.procs[0].cmd.includes(text) : j.procs[0].cmd.startsWith(text)));
  if (found.length > 1) return `${name}: ambiguous`;
  return found[0] ?? missing;
}

/**
 * The job an operand of jobs/fg/bg/wait/kill names, or a raised error. fg and bg
 * (`needControl`) also need a job started under job control; dash names a missing
 * operand "(null)" in that message.
 */
function* resolveJob(sh: Shell, name: string | undefined, needControl: boolean): Gen<Job> {
  const job = lookupJob(sh, name);
  if (typeof job === 'string') throw yield* sh.error(job);
  if (needControl && !job.jobctl) throw yield* sh.error(`job ${name ?? '(null)'} not created under job control`);
  return job;
}

function* jobscmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'lp');
  let mode: 'normal' | 'pids' | 'pgid' = 'normal';
  for (const o of opts) mode = o === 'l' ? 'pids' : 'pgid';
  yield* dowait(sh, false, null);
  let out = '';
  if (first < argv.length) {
    for (let i = first; i < argv.length; i++) out += formatJob(sh, yield* resolveJob(sh, argv[i], false), mode);
  } else {
    for (const j of sh.jobs.order.slice()) out += formatJob(sh, j, mode);
  }
  sh.out(out);
  return 0;
}

function* fgcmd(sh: Shell, argv: string[]): Gen<number> {
  const fg = argv[0] === 'fg';
  const [, first] = yield* nextopt(sh, argv, '');
  const names = argv.slice(first);
  if (names.length === 0) names.push(undefined as unknown as string);
  let retval = 0;
  for (const name of names) {
    const jp = yield* resolveJob(sh, name, true);
    if (!fg) {
      sh.jobs.setCurrent(jp, false);
      sh.out(`[${sh.jobs.number(jp)}] `);
    }
    sh.out(jp.procs.map((p) => p.cmd).join(' | ') + '\n');
    yield* sh.flush();
    if (jp.state !== JOBDONE) {
      jp.state = JOBRUNNING;
      const pgid = jp.procs[0].pid;
      if (fg && sh.ttyFd >= 0) yield* sys.ioctl(sh.ttyFd, TIOCSPGRP, pgid);
      yield* sys.kill(-pgid, SIG.SIGCONT);
      for (const p of jp.procs) if ((p.status & 0xff) === 0x7f) p.status = -1;
    }
    retval = fg ? yield* waitForJob(sh, jp) : 0;
  }
  return retval;
}

/** Waits for `job` (or, with null, for every running job); returns 0, or 128+signal when a trap interrupts (dash's DOWAIT_WAITCMD). */
function* waitJob(sh: Shell, job: Job | null): Gen<number> {
  for (;;) {
    if (job ? job.state !== JOBRUNNING : !sh.jobs.order.some((j) => j.state === JOBRUNNING)) return 0;
    const sig = pendingTrapSignal(sh);
    if (sig) return 128 + sig;
    const pid = yield* waitOne(sh, true, job, true);
    if (pid === -2) return 128 + pendingTrapSignal(sh);
    if (pid < 0) return 0;
  }
}

function* waitcmd(sh: Shell, argv: string[]): Gen<number> {
  const [, first] = yield* nextopt(sh, argv, '');
  if (first >= argv.length) {
    for (const j of sh.jobs.order) if (j.state !== JOBRUNNING) j.waited = true;
    const r = yield* waitJob(sh, null);
    for (const j of sh.jobs.order) if (j.state !== JOBRUNNING) j.waited = true;
    return r;
  }
  let retval = 127;
  for (let i = first; i < argv.length; i++) {
    const a = argv[i];
    let job: Job | undefined;
    if (a[0] !== '%') {
      const pid = yield* number(sh, a);
      job = sh.jobs.order.find((j) => j.procs[j.procs.length - 1].pid === pid);
      if (!job) {
        retval = 127;
        continue;
      }
    } else job = yield* resolveJob(sh, a, false);
    const r = yield* waitJob(sh, job);
    if (r) return r;
    job.waited = true;
    retval = jobStatus(job);
  }
  return retval;
}

const KILL_USAGE = 'Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]';

function* killcmd(sh: Shell, argv: string[]): Gen<number> {
  if (argv.length <= 1) throw yield* sh.error(KILL_USAGE);
  let signo = -1;
  let list = false;
  let i = 1;
  if (argv[1][0] === '-') {
    signo = decodeSignal(argv[1].slice(1), true);
    if (signo < 0) {
      const [opts, next] = yield* nextopt(sh, argv, 'ls:');
      for (const o of opts) {
        if (o === 'l') list = true;
        else {
          signo = decodeSignal(o.slice(1), true);
          if (signo < 0) throw yield* sh.error(`invalid signal number or name: ${o.slice(1)}`);
        }
      }
      i = next;
    } else i = 2;
  }
  if (!list && signo < 0) signo = SIG.SIGTERM;
  if ((signo < 0 || i >= argv.length) !== list) throw yield* sh.error(KILL_USAGE);
  if (list) {
    if (i >= argv.length) {
      let out = '0\n';
      for (let s = 1; s < NSIG_DASH; s++) out += signalNames[s] + '\n';
      sh.out(out);
      return 0;
    }
    let s = yield* number(sh, argv[i]);
    if (s > 128) s -= 128;
    if (s > 0 && s < NSIG_DASH) sh.out(signalNames[s] + '\n');
    else throw yield* sh.error(`invalid signal number or exit status: ${argv[i]}`);
    return 0;
  }
  let status = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    let pid: number;
    if (a[0] === '%') pid = -(yield* resolveJob(sh, a, false)).procs[0].pid;
    else pid = a[0] === '-' ? -(yield* number(sh, a.slice(1))) : yield* number(sh, a);
    const r = yield* sys.kill(pid, signo);
    if (r instanceof SysError) {
      yield* sh.warn(`${r.message}\n`);
      status = 1;
    }
  }
  return status;
}

export const jobBuiltins: Builtin[] = [
  ...def('jobs', '', jobscmd),
  ...def('fg bg', '', fgcmd),
  ...def('wait', '', waitcmd),
  ...def('kill', '', killcmd),
];
