// Case 6 of issue 10: the teaching tools against OSTEP's Python homework simulators,
// as whole processes (start-up included), on the same inputs, with the answers checked
// to be identical:
//
//   ctsim mem replay --policy P --frames 100 --trace-file T --summary
//     vs paging-policy.py -c -N -p P -C 100 -f T      (T: 10,000,000 accesses; ≥ 20×)
//   ctsim sched --policy rr --quantum 1 --jobs L
//     vs scheduler.py -p RR -q 1 -c -l L              (L: 10,000 jobs; ≥ 3×)
//
// It needs python3 and a checkout of the public ostep-homework repository, named by
// OSTEP_HOMEWORK=DIR; without them the case reports one skipped row. Their code is
// run from that checkout, never copied here.
//
// The trace and the job list come from a seeded generator below, so every run and
// every machine replays the same inputs. paging-policy.py's OPT rescans the rest of
// the trace for every resident page on each eviction (quadratic: hours on 10 M
// accesses), so OPT runs on the trace's first 20,000 accesses.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, now } from '../lib.js';

const ctsimBin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'run.js');
const FRAMES = 100;
const QUANTUM = 1;

/** xorshift32 from `seed`: uniform in [0, 1). */
function xorshift(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * Writes `accesses` page numbers, one per line (paging-policy.py -f's format), to
 * `path`. Locality: in each phase of 5,000 accesses 90% go to a window of 128 pages
 * (more than the 100 frames, so LRU and FIFO differ) and 10% anywhere in 10,000 pages.
 */
function writeTrace(path, accesses) {
  const random = xorshift(12345);
  const fd = openSync(path, 'w');
  let base = 0;
  let chunk = [];
  for (let i = 0; i < accesses; i++) {
    if (i % 5000 === 0) base = Math.floor(random() * 9900);
    chunk.push(random() < 0.9 ? base + Math.floor(random() * 128) : Math.floor(random() * 10000));
    if (chunk.length === 100_000 || i === accesses - 1) {
      writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  closeSync(fd);
}

/** `count` job lengths of 1..100 ticks (scheduler.py -m 100), comma-separated. */
function jobList(count) {
  const random = xorshift(777);
  return Array.from({ length: count }, () => 1 + Math.floor(random() * 100)).join(',');
}

/**
 * Runs a whole process with its stdout going to the file `outFile`; its wall time in
 * ms and its stdout. A file, not a pipe: scheduler.py -c prints a line per slice (25
 * MB for 10,000 jobs) and took 4 times longer writing them into spawnSync's pipe on a
 * busy machine, which would time the pipe rather than the program. A failure is a
 * bench error.
 */
function timed(cmd, args, outFile) {
  const fd = openSync(outFile, 'w');
  const t0 = now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  const ms = now() - t0;
  closeSync(fd);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`bench ostep: ${cmd} ${args.slice(0, 8).join(' ')} … exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, out: readFileSync(outFile, 'utf8') };
}

/**
 * ctsim `reps` times and the reference once (it is the slow one), interleaved; the
 * median of ctsim's times, the reference's time, and the last output of each.
 */
function race(ctsimArgs, refCmd, refArgs, reps, outFile) {
  const ctsimMs = [];
  let ctsimOut;
  let ref;
  for (let i = 0; i < reps; i++) {
    const c = timed(process.execPath, [ctsimBin, ...ctsimArgs], outFile);
    ctsimMs.push(c.ms);
    ctsimOut = c.out;
    if (i === 0) ref = timed(refCmd, refArgs, outFile);
  }
  return { ctsimMs: median(ctsimMs), refMs: ref.ms, ctsimOut, refOut: ref.out };
}

/** paging-policy.py's answer: "FINALSTATS hits H   misses M   hitrate R". */
function pagingAnswer(out) {
  const m = /^FINALSTATS hits (\d+) +misses (\d+) +hitrate (\S+)$/m.exec(out);
  return m ? `hits ${m[1]} misses ${m[2]} hitrate ${m[3]}` : 'no FINALSTATS line';
}

/** ctsim mem replay's answer: "hits H, misses M (C cold, …), hit rate R% of N accesses". */
function replayAnswer(out) {
  const m = /^hits (\d+), misses (\d+) \(\d+ cold[^)]*\), hit rate (\S+)% of \d+ accesses$/m.exec(out);
  return m ? `hits ${m[1]} misses ${m[2]} hitrate ${m[3]}` : 'no totals line';
}

/** scheduler.py's answer: every job's response, turnaround and wait, and the averages as printed. */
function schedulerAnswer(out) {
  const jobs = [...out.matchAll(/^ {2}Job +(\d+) -- Response: (\S+) +Turnaround (\S+) +Wait (\S+)$/gm)].map((m) => [m[1], m[2], m[3], m[4]].map(Number).join(' '));
  const avg = /Average -- Response: (\S+) +Turnaround (\S+) +Wait (\S+)/.exec(out);
  return { jobs, averages: avg ? avg.slice(1).join(' ') : 'none' };
}

/** ctsim sched's answer, from its table: "│ job │ length │ response │ turnaround │ wait │" and the Average row. */
function schedAnswer(out) {
  const jobs = [...out.matchAll(/^│ (\d+) +│ +\d+ │ +(\d+) │ +(\d+) │ +(\d+) │$/gm)].map((m) => [m[1], m[2], m[3], m[4]].map(Number).join(' '));
  const avg = /^│ Average +│ +│ +(\S+) │ +(\S+) │ +(\S+) │$/m.exec(out);
  return { jobs, averages: avg ? avg.slice(1).join(' ') : 'none' };
}

/** The row of one comparison. A wrong answer gives ratio 0, so smoke runs fail on it too. */
function row(id, what, r, same, answer, target, refLabel) {
  const speedUp = r.refMs / r.ctsimMs;
  return {
    id,
    case: `6. ${what}`,
    value: r.ctsimMs,
    unit: 'ms',
    reference: r.refMs,
    refLabel,
    ratio: same ? speedUp : 0,
    better: 'higher',
    target: `≥ ${target}× faster, same answer`,
    ok: same && speedUp >= target,
    extra: same ? `identical: ${answer}` : `ANSWERS DIFFER: ${answer}`,
  };
}

/** Why the case cannot run here, or undefined when python3 and both scripts are at hand. */
function missing(dir) {
  if (!dir) return 'set OSTEP_HOMEWORK=DIR (a checkout of github.com/remzi-arpacidusseau/ostep-homework) and have python3';
  for (const script of ['vm-beyondphys-policy/paging-policy.py', 'cpu-sched/scheduler.py']) {
    if (!existsSync(join(dir, script))) return `OSTEP_HOMEWORK=${dir} has no ${script}`;
  }
  const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (py.error || py.status !== 0) return 'python3 is not runnable';
  return undefined;
}

export default function ostep({ smoke }) {
  const dir = process.env.OSTEP_HOMEWORK;
  const why = missing(dir);
  if (why) {
    return [{ id: 'ostep.skipped', case: '6. teaching tools vs OSTEP paging-policy.py and scheduler.py', skipped: why }];
  }
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const pagingPy = join(dir, 'vm-beyondphys-policy/paging-policy.py');
  const schedulerPy = join(dir, 'cpu-sched/scheduler.py');
  const accesses = smoke ? 200_000 : 10_000_000;
  const optAccesses = smoke ? 2_000 : 20_000;
  const jobs = smoke ? 1_000 : 10_000;
  const reps = smoke ? 2 : 3;

  const tmp = mkdtempSync(join(tmpdir(), 'ctsim-ostep-'));
  const rows = [];
  try {
    const out = join(tmp, 'stdout.txt');
    const trace = join(tmp, 'trace.txt');
    writeTrace(trace, accesses);
    const optTrace = join(tmp, 'trace-opt.txt');
    writeTrace(optTrace, optAccesses);

    for (const [policy, file, n] of [
      ['lru', trace, accesses],
      ['fifo', trace, accesses],
      ['opt', optTrace, optAccesses],
    ]) {
      const P = policy.toUpperCase();
      const r = race(['mem', 'replay', '--policy', policy, '--frames', String(FRAMES), '--trace-file', file, '--summary'], 'python3', [pagingPy, '-c', '-N', '-p', P, '-C', String(FRAMES), '-f', file], reps, out);
      const mine = replayAnswer(r.ctsimOut);
      const theirs = pagingAnswer(r.refOut);
      const same = mine === theirs && !mine.startsWith('no ');
      rows.push(
        row(
          `ostep.replay.${policy}`,
          `mem replay --policy ${policy} --frames ${FRAMES} --summary vs paging-policy.py -p ${P} -C ${FRAMES} -c -N, ${n.toLocaleString('en-US')} accesses`,
          r,
          same,
          same ? mine : `ctsim ${mine}; paging-policy.py ${theirs}`,
          20,
          `paging-policy.py, ${python}`,
        ),
      );
    }

    const list = jobList(jobs);
    const r = race(['sched', '--policy', 'rr', '--quantum', String(QUANTUM), '--jobs', list], 'python3', [schedulerPy, '-p', 'RR', '-q', String(QUANTUM), '-c', '-l', list], reps, out);
    const mine = schedAnswer(r.ctsimOut);
    const theirs = schedulerAnswer(r.refOut);
    const complete = mine.jobs.length === jobs && theirs.jobs.length === jobs && mine.averages !== 'none';
    const differing = complete ? mine.jobs.findIndex((j, i) => j !== theirs.jobs[i]) : -1;
    const same = complete && differing === -1 && mine.averages === theirs.averages;
    const answer = same
      ? `${jobs} jobs' response, turnaround, wait and the averages ${mine.averages}`
      : `ctsim ${mine.jobs.length} jobs, averages ${mine.averages}; scheduler.py ${theirs.jobs.length} jobs, averages ${theirs.averages}` +
        (differing >= 0 ? `; first difference: ctsim "${mine.jobs[differing]}", scheduler.py "${theirs.jobs[differing]}"` : '');
    rows.push(
      row(
        'ostep.sched.rr',
        `sched --policy rr --quantum ${QUANTUM} vs scheduler.py -p RR -q ${QUANTUM} -c, ${jobs.toLocaleString('en-US')} jobs of 1..100 ticks`,
        r,
        same,
        answer,
        3,
        `scheduler.py, ${python}`,
      ),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
