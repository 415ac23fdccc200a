/**
 * `ctsim sched`: runs one CPU-scheduling policy of OSTEP chapters 7–9 (or the Linux
 * CFS teaching model) on a job list and prints per-job response, turnaround and wait,
 * their averages and a Gantt chart. FIFO, SJF, RR and MLFQ give the answers of OSTEP's
 * scheduler.py and mlfq.py on the same inputs.
 *
 * This file only parses and checks flags (every bad value is a UsageError naming the
 * flag, what was expected, what was found and a fix), calls src/teach/sched and hands
 * the result to src/report/sched-report.
 */
import { Flags } from '@oclif/core';
import { Rng, UsageError } from '../sim/index.js';
import {
  CFS_DEFAULTS,
  LOTTERY_DEFAULT_TICKETS,
  MAX_RUN_TICKS,
  MLFQ_DEFAULTS,
  POLICY_NAMES,
  RR_DEFAULT_QUANTUM_TICKS,
  isPolicyName,
  mlfqTickBound,
  randomLengths,
  randomMlfqJobs,
  scheduleCfs,
  scheduleFifo,
  scheduleLottery,
  scheduleMlfq,
  scheduleRr,
  scheduleSjf,
  type AnySchedResult,
  type MlfqJobSpec,
  type PolicyName,
} from '../teach/sched/index.js';
import { renderSchedReport } from '../report/sched-report.js';
import { BaseCommand } from './base.js';
import { parseSeed, parseWhole } from './flag-values.js';

/** Which policies each policy-specific flag applies to. */
const FLAG_POLICIES: Record<string, readonly PolicyName[]> = {
  quantum: ['rr', 'mlfq', 'lottery'],
  queues: ['mlfq'],
  quanta: ['mlfq'],
  allotment: ['mlfq'],
  allotments: ['mlfq'],
  boost: ['mlfq'],
  'io-time': ['mlfq'],
  'stay-after-io': ['mlfq'],
  'io-bump': ['mlfq'],
  tickets: ['lottery'],
  nice: ['cfs'],
  latency: ['cfs'],
  'min-granularity': ['cfs'],
};

/**
 * Parses a comma-separated list of whole numbers. Errors name the item: `job N` (from
 * 0, as job ids are) for per-job lists, `entry N` (from 1) otherwise.
 */
function parseWholeList(flag: string, raw: string, min: number, fix: string, what: string, max?: number): number[] {
  const perJob = flag === '--jobs' || flag === '--tickets' || flag === '--nice';
  if (raw.trim() === '') {
    throw new UsageError({ source: flag, expected: `a comma-separated list, each ${what}`, found: 'an empty value', fix });
  }
  return raw.split(',').map((item, i) => {
    try {
      return parseWhole(flag, item, min, fix, what, max);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      throw new UsageError({ ...e.facts, path: perJob ? `job ${i}` : `entry ${i + 1}` });
    }
  });
}

/** Parses mlfq.py's job list: `start,run,ioFreq:start,run,ioFreq:…`. */
function parseMlfqJobs(raw: string): MlfqJobSpec[] {
  const fix = 'give each job as start,run,ioFreq and separate jobs with ":", e.g. --jobs 0,100,0:0,50,5';
  if (raw.trim() === '') {
    throw new UsageError({ source: '--jobs', expected: 'at least one job start,run,ioFreq', found: 'an empty value', fix });
  }
  return raw.split(':').map((text, i) => {
    const fields = text.split(',');
    const path = `job ${i} ("${text}")`;
    if (fields.length !== 3) {
      throw new UsageError({
        source: '--jobs',
        path: `job ${i}`,
        expected: 'start,run,ioFreq (3 whole numbers of ticks)',
        found: `${fields.length} field${fields.length === 1 ? '' : 's'} in ${JSON.stringify(text)}`,
        fix,
      });
    }
    const field = (k: number, name: string, min: number): number => {
      try {
        return parseWhole('--jobs', fields[k], min, fix, `${name}: a whole number of ticks`);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        throw new UsageError({ ...e.facts, path });
      }
    };
    return { startTick: field(0, 'start', 0), runTicks: field(1, 'run', 1), ioFreqTicks: field(2, 'ioFreq (0 = never)', 0) };
  });
}

/** A per-job list flag whose length must match the number of jobs. */
function parsePerJob(flag: string, raw: string | undefined, jobs: number, fallback: number, parse: (raw: string) => number[]): number[] {
  if (raw === undefined) return new Array<number>(jobs).fill(fallback);
  const values = parse(raw);
  if (values.length !== jobs) {
    throw new UsageError({
      source: flag,
      expected: `${jobs} value${jobs === 1 ? '' : 's'} (one per job)`,
      found: `${values.length} (${JSON.stringify(raw)})`,
      fix: `give one value per job in --jobs order, e.g. ${flag} ${new Array<number>(jobs).fill(fallback).join(',')}`,
    });
  }
  return values;
}

export default class Sched extends BaseCommand {
  static override summary = 'Schedule jobs with FIFO, SJF, RR, MLFQ, lottery or a Linux CFS model and measure them.';

  static override description = [
    'Runs a list of CPU jobs under one scheduling policy and prints, for each job, its response time (first run - arrival), turnaround time (completion - arrival) and wait (time ready but not running), their averages and a Gantt chart. Times are in ticks.',
    "FIFO, SJF and RR follow OSTEP chapter 7 and give exactly the answers of OSTEP's cpu-sched/scheduler.py. MLFQ follows chapter 8 and cpu-sched-mlfq/mlfq.py, whose flags map as -l → --jobs, -n → --queues, -q/-Q → --quantum/--quanta, -a/-A → --allotment/--allotments, -B → --boost, -i → --io-time, -S → --stay-after-io, -I → --io-bump. Lottery (chapter 9) draws from ctsim's seeded RNG. CFS is a teaching model of Linux's fair scheduler with 1 tick = 1 ms.",
    'Without --jobs, 3 jobs are drawn at random from --seed. Job ids are positions in --jobs, from 0. In --json each slice is one scheduling decision: back-to-back slices of the same job are not merged.',
  ].join('\n\n');

  static override examples = [
    { description: 'OSTEP ch. 7: three equal jobs under FIFO (average turnaround 20).', command: '<%= config.bin %> sched --jobs 10,10,10' },
    { description: 'Shortest job first on a convoy.', command: '<%= config.bin %> sched --policy sjf --jobs 100,10,10' },
    { description: 'Round robin with a 5-tick quantum, as scheduler.py -p RR -q 5 -l 10,20,30.', command: '<%= config.bin %> sched --policy rr --jobs 10,20,30 --quantum 5' },
    { description: 'MLFQ as mlfq.py -l 0,200,0:100,20,1 -q 10 -B 50 (a long job and an interactive one).', command: '<%= config.bin %> sched --policy mlfq --jobs 0,200,0:100,20,1 --boost 50' },
    { description: 'MLFQ with per-queue quanta, highest priority first.', command: '<%= config.bin %> sched --policy mlfq --jobs 0,50,0:0,50,5 --quanta 2,4,8' },
    { description: 'Lottery, 3:1 tickets, reproducible with a seed.', command: '<%= config.bin %> sched --policy lottery --jobs 100,100 --tickets 300,100 --seed 7' },
    { description: 'CFS: a nice -5 job against two nice 0 jobs.', command: '<%= config.bin %> sched --policy cfs --jobs 30,30,30 --nice -5,0,0' },
    { description: 'Machine-readable output.', command: '<%= config.bin %> sched --policy rr --jobs 10,20,30 --quantum 5 --json' },
  ];

  static override flags = {
    help: Flags.help({ char: 'h', description: 'Show this help (-h, as OSTEP\'s scripts take it).' }),
    policy: Flags.string({ description: `Scheduling policy: ${POLICY_NAMES.join(', ')}. [default: fifo]`, helpValue: 'NAME' }),
    jobs: Flags.string({
      description: 'Job list. fifo/sjf/rr/lottery/cfs: CPU lengths in ticks, e.g. 10,20,30. mlfq: start,run,ioFreq per job separated by ":", e.g. 0,100,0:0,50,5 (ioFreq 0 = no I/O). [default: 3 random jobs from --seed]',
      helpValue: 'LIST',
    }),
    quantum: Flags.string({ description: 'Time slice in ticks: rr [default: 1, as scheduler.py], lottery [default: 1], mlfq, all queues [default: 10].', helpValue: 'TICKS' }),
    seed: Flags.string({ description: 'Seed of the lottery draws and of random jobs (when --jobs is omitted). [default: 0]', helpValue: 'N' }),
    queues: Flags.string({ description: 'mlfq: number of queues. [default: 3]', helpValue: 'N' }),
    quanta: Flags.string({ description: 'mlfq: time slice per queue in ticks, highest priority first, e.g. 10,20,40.', helpValue: 'LIST' }),
    allotment: Flags.string({ description: 'mlfq: slices a job may use at each level before it is demoted. [default: 1]', helpValue: 'N' }),
    allotments: Flags.string({ description: 'mlfq: allotment per queue, highest priority first, e.g. 1,2,4.', helpValue: 'LIST' }),
    boost: Flags.string({ description: 'mlfq: move every job back to the top queue every N ticks; 0 = never. [default: 0]', helpValue: 'TICKS' }),
    'io-time': Flags.string({ description: 'mlfq: how long each I/O takes, in ticks. [default: 5]', helpValue: 'TICKS' }),
    'stay-after-io': Flags.boolean({ description: 'mlfq: reset a job\'s slice and allotment when it issues an I/O (mlfq.py -S, the gameable rule).' }),
    'io-bump': Flags.boolean({ description: 'mlfq: a job whose I/O completes goes to the front of its queue (mlfq.py -I).' }),
    tickets: Flags.string({ description: `lottery: tickets per job, e.g. 300,100. [default: ${LOTTERY_DEFAULT_TICKETS} each]`, helpValue: 'LIST' }),
    nice: Flags.string({ description: 'cfs: nice value per job in -20..19, e.g. -5,0,0. [default: 0 each]', helpValue: 'LIST' }),
    latency: Flags.string({ description: `cfs: sched_latency in 1-ms ticks. [default: ${CFS_DEFAULTS.latencyTicks}, Linux's 6 ms]`, helpValue: 'TICKS' }),
    'min-granularity': Flags.string({ description: `cfs: shortest slice in 1-ms ticks. [default: ${CFS_DEFAULTS.minGranularityTicks}, Linux's 0.75 ms rounded up]`, helpValue: 'TICKS' }),
    json: Flags.boolean({ description: 'Print the result as JSON: {policy, params, jobs, averages, slices, …}.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Sched);
    const policyText = flags.policy ?? 'fifo';
    if (!isPolicyName(policyText)) {
      throw new UsageError({
        source: '--policy',
        expected: `one of ${POLICY_NAMES.join(', ')}`,
        found: JSON.stringify(policyText),
        fix: 'e.g. --policy rr',
      });
    }
    const policy: PolicyName = policyText;
    for (const [name, policies] of Object.entries(FLAG_POLICIES)) {
      const value = (flags as Record<string, unknown>)[name];
      if (value !== undefined && value !== false && !policies.includes(policy)) {
        throw new UsageError({
          source: `--${name}`,
          expected: `it only with --policy ${policies.join(' or ')}`,
          found: `--policy ${policy}`,
          fix: `drop --${name}, or use --policy ${policies[0]}`,
        });
      }
    }
    const jobsRandom = flags.jobs === undefined;
    if (flags.seed !== undefined && policy !== 'lottery' && !jobsRandom) {
      throw new UsageError({
        source: '--seed',
        expected: 'it only with --policy lottery or without --jobs (random jobs)',
        found: `--policy ${policy} with --jobs`,
        fix: 'drop --seed, or drop --jobs to draw random jobs',
      });
    }
    const seed = flags.seed === undefined ? 0 : parseSeed(flags.seed);
    const rng = new Rng(seed);
    const usesSeed = jobsRandom || policy === 'lottery';

    const result = this.schedule(policy, flags as Record<string, string | boolean | undefined>, rng);
    const info = { version: this.config.version, seed: usesSeed ? seed : undefined, jobsRandom };
    if (flags.json) {
      const { policy: name, ...rest } = result;
      this.printJson({ policy: name, version: info.version, ...(usesSeed ? { seed } : {}), ...rest });
    } else {
      this.out(renderSchedReport(result, info));
    }
  }

  /** Parses the policy's flags and runs it. */
  private schedule(policy: PolicyName, flags: Record<string, string | boolean | undefined>, rng: Rng): AnySchedResult {
    const str = (name: string): string | undefined => flags[name] as string | undefined;
    if (policy === 'mlfq') return scheduleMlfq(...this.mlfqInput(flags, rng));

    const jobsText = str('jobs');
    const lengths =
      jobsText === undefined
        ? randomLengths(rng.fork('sched.jobs'))
        : parseWholeList('--jobs', jobsText, 1, 'give CPU lengths in ticks, e.g. --jobs 10,20,30', 'a whole number of ticks');
    const total = lengths.reduce((a, b) => a + b, 0);
    if (total > MAX_RUN_TICKS) {
      throw new UsageError({
        source: '--jobs',
        expected: `at most ${MAX_RUN_TICKS} ticks of work in total`,
        found: `${total}`,
        fix: 'use shorter jobs (a teaching run needs only a few hundred ticks)',
      });
    }
    const quantum = (fallback: number): number =>
      str('quantum') === undefined ? fallback : parseWhole('--quantum', str('quantum')!, 1, 'e.g. --quantum 4', 'a whole number of ticks');
    switch (policy) {
      case 'fifo':
        return scheduleFifo(lengths);
      case 'sjf':
        return scheduleSjf(lengths);
      case 'rr':
        return scheduleRr(lengths, { quantumTicks: quantum(RR_DEFAULT_QUANTUM_TICKS) });
      case 'lottery': {
        const tickets = parsePerJob('--tickets', str('tickets'), lengths.length, LOTTERY_DEFAULT_TICKETS, (raw) =>
          parseWholeList('--tickets', raw, 1, 'e.g. --tickets 300,100', 'a whole number of tickets'),
        );
        return scheduleLottery(lengths, { quantumTicks: quantum(1), tickets }, rng.fork('sched.lottery'));
      }
      case 'cfs': {
        const nice = parsePerJob('--nice', str('nice'), lengths.length, 0, (raw) =>
          parseWholeList('--nice', raw, -20, 'nice values run from -20 (most CPU) to 19, e.g. --nice -5,0,0', 'a nice value', 19),
        );
        const ticks = (name: string, fallback: number): number =>
          str(name) === undefined ? fallback : parseWhole(`--${name}`, str(name)!, 1, `e.g. --${name} ${fallback}`, 'a whole number of 1-ms ticks');
        return scheduleCfs(lengths, {
          latencyTicks: ticks('latency', CFS_DEFAULTS.latencyTicks),
          minGranularityTicks: ticks('min-granularity', CFS_DEFAULTS.minGranularityTicks),
          nice,
        });
      }
    }
  }

  /** Parses the MLFQ flags the way mlfq.py reads -l, -n, -q/-Q, -a/-A, -B, -i, -S, -I. */
  private mlfqInput(flags: Record<string, string | boolean | undefined>, rng: Rng): Parameters<typeof scheduleMlfq> {
    const str = (name: string): string | undefined => flags[name] as string | undefined;
    const jobsText = str('jobs');
    const jobs = jobsText === undefined ? randomMlfqJobs(rng.fork('sched.jobs')) : parseMlfqJobs(jobsText);

    for (const [one, many] of [['quantum', 'quanta'], ['allotment', 'allotments']] as const) {
      if (str(one) !== undefined && str(many) !== undefined) {
        throw new UsageError({
          source: `--${many}`,
          expected: `either --${one} (same for every queue) or --${many} (one per queue)`,
          found: 'both',
          fix: `drop --${one}`,
        });
      }
    }
    const quantaText = str('quanta');
    const quantaList =
      quantaText === undefined ? undefined : parseWholeList('--quanta', quantaText, 1, 'e.g. --quanta 10,20,40', 'a whole number of ticks');
    const queuesText = str('queues');
    let queues: number;
    if (queuesText !== undefined) {
      queues = parseWhole('--queues', queuesText, 1, 'e.g. --queues 3', 'a whole number', 64);
    } else {
      queues = quantaList?.length ?? MLFQ_DEFAULTS.queues;
    }
    const perQueue = (flag: string, list: number[] | undefined, text: string | undefined, single: number): number[] => {
      if (list === undefined) return new Array<number>(queues).fill(single);
      if (list.length !== queues) {
        throw new UsageError({
          source: flag,
          expected: `${queues} value${queues === 1 ? '' : 's'} (one per queue, highest priority first)`,
          found: `${list.length} (${JSON.stringify(text)})`,
          fix: queuesText !== undefined ? `give ${queues} values, or change --queues` : `give ${queues} values, or set --queues`,
        });
      }
      return list;
    };
    const quantum =
      str('quantum') === undefined ? MLFQ_DEFAULTS.quantumTicks : parseWhole('--quantum', str('quantum')!, 1, 'e.g. --quantum 10', 'a whole number of ticks');
    const allotment =
      str('allotment') === undefined ? MLFQ_DEFAULTS.allotment : parseWhole('--allotment', str('allotment')!, 1, 'e.g. --allotment 2', 'a whole number of slices');
    const allotmentsText = str('allotments');
    const allotmentsList =
      allotmentsText === undefined ? undefined : parseWholeList('--allotments', allotmentsText, 1, 'e.g. --allotments 1,2,4', 'a whole number of slices');
    const quantaTicks = perQueue('--quanta', quantaList, quantaText, quantum);
    const allotments = perQueue('--allotments', allotmentsList, allotmentsText, allotment);
    const boostTicks = str('boost') === undefined ? MLFQ_DEFAULTS.boostTicks : parseWhole('--boost', str('boost')!, 0, 'e.g. --boost 50 (0 = no boost)', 'a whole number of ticks');
    const ioTimeTicks =
      str('io-time') === undefined ? MLFQ_DEFAULTS.ioTimeTicks : parseWhole('--io-time', str('io-time')!, 0, 'e.g. --io-time 5', 'a whole number of ticks');
    const bound = mlfqTickBound(jobs, ioTimeTicks);
    if (bound > MAX_RUN_TICKS) {
      throw new UsageError({
        source: '--jobs',
        expected: `a workload that ends within ${MAX_RUN_TICKS} ticks (last arrival + CPU + I/O time)`,
        found: `one that may take ${bound} ticks`,
        fix: 'use shorter jobs, earlier arrivals, rarer I/O or a shorter --io-time',
      });
    }
    return [
      jobs,
      {
        queues,
        quantaTicks,
        allotments,
        boostTicks,
        ioTimeTicks,
        stayAfterIo: flags['stay-after-io'] === true,
        ioBump: flags['io-bump'] === true,
      },
    ];
  }
}
