/**
 * Multi-level feedback queue scheduling, OSTEP ch. 8: several round-robin queues of
 * decreasing priority; a job that uses up its allotment at a level is demoted, a job
 * that gives up the CPU for I/O keeps its level, and a periodic boost moves every job
 * back to the top. Matches `mlfq.py -c` of OSTEP's homework tick for tick, quirks
 * included (see /work/shared/reference/OSTEP-SEMANTICS.md, "MLFQ").
 *
 * Priorities are numbered as mlfq.py prints them: `queues - 1` is the highest, 0 the
 * lowest. Time moves in 1-tick steps; each tick does, in order:
 *
 *   1. boost (t > 0, t % boost == 0)   lower queues → tail of top queue, lowest first;
 *                                       every unfinished job: top level, fresh slice
 *   2. events due at t                 arrivals (id order) before I/O completions;
 *                                       append to own level (--io-bump: I/O → front)
 *   3. run head of highest non-empty queue for one tick (or idle)
 *   4. after the tick: finish │ block for I/O (every ioFreq ticks of CPU)
 *   5. slice used up → allotment - 1 → 0 ? demote one level : fresh slice, same level
 *
 *   prio 2  [A B]   ← arrivals, boosted jobs
 *   prio 1  [C]     ← jobs that used their allotment at 2
 *   prio 0  [D E]   ← the bottom queue is plain round robin
 */
import { assertWhole, averagesOf, MAX_RUN_TICKS, type JobMetrics, type SchedResult, type Slice } from './types.js';

/** One MLFQ job, as mlfq.py's `-l start,run,ioFreq` gives it (all in ticks). */
export interface MlfqJobSpec {
  /** Tick at which the job arrives. */
  startTick: number;
  /** CPU time the job needs, in ticks (>= 1). */
  runTicks: number;
  /** The job issues an I/O after every `ioFreqTicks` ticks of CPU; 0 means never. */
  ioFreqTicks: number;
}

/** MLFQ parameters; the defaults are mlfq.py's. */
export interface MlfqParams {
  /** Number of queues (mlfq.py -n). */
  queues: number;
  /** Time slice per queue in ticks, highest priority first (mlfq.py -q / -Q). */
  quantaTicks: number[];
  /** Slices a job may use at a level before demotion, highest priority first (-a / -A). */
  allotments: number[];
  /** Period of the priority boost in ticks; 0 means no boost (-B). */
  boostTicks: number;
  /** How long every I/O takes, in ticks (-i). */
  ioTimeTicks: number;
  /** Reset slice and allotment when a job issues an I/O (-S: the gameable rule). */
  stayAfterIo: boolean;
  /** A job whose I/O completes goes to the front of its queue (-I). */
  ioBump: boolean;
}

/** mlfq.py's defaults: 3 queues, quantum 10, allotment 1, no boost, I/O time 5. */
export const MLFQ_DEFAULTS = {
  queues: 3,
  quantumTicks: 10,
  allotment: 1,
  boostTicks: 0,
  ioTimeTicks: 5,
} as const;

/** Per-job MLFQ metrics; response and turnaround count from the job's arrival. */
export interface MlfqJobMetrics extends JobMetrics {
  /** Arrival tick (mlfq.py's startTime). */
  start: number;
  /** I/O frequency in ticks of CPU; 0 means never. */
  ioFreq: number;
  /** Tick at which the job first ran. */
  firstRun: number;
  /** Tick at which the job completed. */
  end: number;
  /**
   * Ticks spent blocked in I/O. Invariant: wait = turnaround - length - ioTicks.
   * mlfq.py prints no wait; ctsim's is the time spent ready in a queue but not running.
   */
  ioTicks: number;
}

/** A dispatch at one priority level. */
export interface MlfqSlice extends Slice {
  /** The level the job ran at (queues - 1 is the highest). */
  priority: number;
}

export interface MlfqResult extends SchedResult<'mlfq', MlfqParams, MlfqJobMetrics, MlfqSlice> {
  /** The job that ran in each tick, or null when the CPU was idle. Length = makespan. */
  timeline: (number | null)[];
  /** Each I/O a job waited for: from the tick it blocked, for ioTimeTicks ticks. */
  io: Slice[];
}

type EventKind = 'arrival' | 'io-done';

/** A job's scheduling state (mlfq.py's per-job dictionary). */
interface JobState {
  priority: number;
  /** Ticks left in the current slice. */
  sliceLeft: number;
  /** Slices left at the current level before demotion. */
  allotLeft: number;
  /** CPU ticks still needed. */
  remaining: number;
  firstRun: number;
  end: number;
  /** Tick at which the job last became ready (arrival or I/O completion). */
  readySince: number;
  /** Ticks spent ready (queued, running or not) in finished ready periods. */
  readyTicks: number;
  ioTicks: number;
}

/**
 * An upper bound on the makespan: idle ticks can only happen before the last arrival
 * or while jobs are blocked, so makespan <= last arrival + total CPU + total I/O time.
 */
export function mlfqTickBound(jobs: readonly MlfqJobSpec[], ioTimeTicks: number): number {
  let bound = 0;
  for (const j of jobs) {
    bound = Math.max(bound, j.startTick);
  }
  for (const j of jobs) {
    const ios = j.ioFreqTicks > 0 ? Math.floor((j.runTicks - 1) / j.ioFreqTicks) : 0;
    bound += j.runTicks + ios * ioTimeTicks;
  }
  return bound;
}

function checkParams(jobs: readonly MlfqJobSpec[], p: MlfqParams): void {
  if (jobs.length === 0) throw new RangeError('a workload needs at least one job');
  jobs.forEach((j, i) => {
    assertWhole(j.startTick, 0, `job ${i} startTick`);
    assertWhole(j.runTicks, 1, `job ${i} runTicks`);
    assertWhole(j.ioFreqTicks, 0, `job ${i} ioFreqTicks`);
  });
  assertWhole(p.queues, 1, 'queues');
  if (p.quantaTicks.length !== p.queues || p.allotments.length !== p.queues) {
    throw new RangeError(`quantaTicks and allotments need ${p.queues} entries (one per queue)`);
  }
  p.quantaTicks.forEach((q) => assertWhole(q, 1, 'quantum'));
  p.allotments.forEach((a) => assertWhole(a, 1, 'allotment'));
  assertWhole(p.boostTicks, 0, 'boostTicks');
  assertWhole(p.ioTimeTicks, 0, 'ioTimeTicks');
  const bound = mlfqTickBound(jobs, p.ioTimeTicks);
  if (bound > MAX_RUN_TICKS) {
    throw new RangeError(`the workload may run for ${bound} ticks, over the limit of ${MAX_RUN_TICKS}`);
  }
}

/** Schedules `specs` with a multi-level feedback queue configured by `params`. */
export function scheduleMlfq(specs: readonly MlfqJobSpec[], params: MlfqParams): MlfqResult {
  checkParams(specs, params);
  const top = params.queues - 1;
  // Parameters are given highest priority first; priority p is entry top - p.
  const quantumAt = (p: number): number => params.quantaTicks[top - p];
  const allotmentAt = (p: number): number => params.allotments[top - p];

  const state: JobState[] = specs.map((s) => ({
    priority: top,
    sliceLeft: quantumAt(top),
    allotLeft: allotmentAt(top),
    remaining: s.runTicks,
    firstRun: -1,
    end: -1,
    readySince: -1,
    readyTicks: 0,
    ioTicks: 0,
  }));
  // queues[p] holds the ready jobs at priority p, head first.
  const queues: number[][] = Array.from({ length: params.queues }, () => []);
  // Events by tick, in creation order: all arrivals are created before the run starts,
  // so at any tick they come before I/O completions, in job-id order.
  const events = new Map<number, { job: number; kind: EventKind }[]>();
  const addEvent = (tick: number, job: number, kind: EventKind): void => {
    const due = events.get(tick);
    if (due) due.push({ job, kind });
    else events.set(tick, [{ job, kind }]);
  };
  specs.forEach((s, id) => addEvent(s.startTick, id, 'arrival'));

  const timeline: (number | null)[] = [];
  const slices: MlfqSlice[] = [];
  const io: Slice[] = [];
  // The slice being extended, or null when the next tick must open a new one.
  let open: MlfqSlice | null = null;
  let finished = 0;
  let now = 0;

  while (finished < specs.length) {
    // 1. Priority boost.
    if (params.boostTicks > 0 && now > 0 && now % params.boostTicks === 0) {
      for (let p = 0; p < top; p++) {
        for (const id of queues[p]) queues[top].push(id);
        queues[p] = [];
      }
      // Every unfinished job, ready, running or blocked, gets the top level afresh.
      for (const s of state) {
        if (s.remaining > 0) {
          s.priority = top;
          s.sliceLeft = quantumAt(top);
          s.allotLeft = allotmentAt(top);
        }
      }
      open = null; // the running job's slice starts over
    }

    // 2. Arrivals and I/O completions due now.
    for (const ev of events.get(now) ?? []) {
      const q = queues[state[ev.job].priority];
      state[ev.job].readySince = now;
      if (params.ioBump && ev.kind === 'io-done') q.unshift(ev.job);
      else q.push(ev.job);
    }
    events.delete(now);

    // 3. Run the head of the highest non-empty queue for one tick.
    let level = top;
    while (level >= 0 && queues[level].length === 0) level--;
    if (level < 0) {
      timeline.push(null);
      open = null;
      now++;
      continue;
    }
    const id = queues[level][0];
    const job = state[id];
    if (job.firstRun < 0) job.firstRun = now;
    job.remaining--;
    job.sliceLeft--;
    timeline.push(id);
    if (open === null || open.job !== id) {
      open = { job: id, start: now, duration: 0, priority: level };
      slices.push(open);
    }
    open.duration++;
    now++;

    // 4. After the tick: completion takes precedence over a due I/O.
    if (job.remaining === 0) {
      job.end = now;
      job.readyTicks += now - job.readySince;
      finished++;
      queues[level].shift();
      open = null;
      continue;
    }
    const spec = specs[id];
    const cpuUsed = spec.runTicks - job.remaining;
    const sliceUsedUp = job.sliceLeft === 0; // judged before any -S reset below
    let blocked = false;
    if (spec.ioFreqTicks > 0 && cpuUsed % spec.ioFreqTicks === 0) {
      blocked = true;
      queues[level].shift();
      job.readyTicks += now - job.readySince;
      job.ioTicks += params.ioTimeTicks;
      if (params.ioTimeTicks > 0) io.push({ job: id, start: now, duration: params.ioTimeTicks });
      if (params.stayAfterIo) {
        job.sliceLeft = quantumAt(level);
        job.allotLeft = allotmentAt(level);
      }
      addEvent(now + params.ioTimeTicks, id, 'io-done');
      open = null;
    }

    // 5. Slice check. Quirk kept from mlfq.py: with -S an I/O on the last tick of the
    // slice resets the allotment above and is then still charged here.
    if (sliceUsedUp) {
      if (!blocked) queues[level].shift();
      job.allotLeft--;
      if (job.allotLeft === 0) {
        job.priority = Math.max(level - 1, 0);
        job.sliceLeft = quantumAt(job.priority);
        job.allotLeft = allotmentAt(job.priority);
      } else {
        job.sliceLeft = quantumAt(level);
      }
      if (!blocked) queues[job.priority].push(id);
      open = null;
    }
  }

  const jobs: MlfqJobMetrics[] = specs.map((s, id) => {
    const st = state[id];
    return {
      job: id,
      length: s.runTicks,
      response: st.firstRun - s.startTick,
      turnaround: st.end - s.startTick,
      wait: st.readyTicks - s.runTicks,
      start: s.startTick,
      ioFreq: s.ioFreqTicks,
      firstRun: st.firstRun,
      end: st.end,
      ioTicks: st.ioTicks,
    };
  });
  return {
    policy: 'mlfq',
    params: {
      ...params,
      quantaTicks: [...params.quantaTicks],
      allotments: [...params.allotments],
    },
    jobs,
    averages: averagesOf(jobs),
    slices,
    makespan: now,
    timeline,
    io,
  };
}
