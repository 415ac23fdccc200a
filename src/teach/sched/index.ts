/**
 * The scheduling teaching tool's public surface: the CPU-scheduling policies of OSTEP
 * chapters 7–9 (FIFO, SJF, RR, MLFQ, lottery) and a teaching model of Linux CFS, as
 * pure functions from a workload to per-job metrics and a dispatch history.
 */
import type { CfsResult } from './cfs.js';
import type { FifoResult } from './fifo.js';
import type { LotteryResult } from './lottery.js';
import type { MlfqResult } from './mlfq.js';
import type { RrResult } from './rr.js';
import type { SjfResult } from './sjf.js';

export { POLICY_NAMES, MAX_RUN_TICKS, averagesOf, isPolicyName } from './types.js';
export type { Averages, JobMetrics, PolicyName, SchedResult, Slice } from './types.js';
export { scheduleFifo } from './fifo.js';
export type { FifoParams, FifoResult } from './fifo.js';
export { scheduleSjf } from './sjf.js';
export type { SjfParams, SjfResult } from './sjf.js';
export { RR_DEFAULT_QUANTUM_TICKS, scheduleRr } from './rr.js';
export type { RrParams, RrResult } from './rr.js';
export { MLFQ_DEFAULTS, mlfqTickBound, scheduleMlfq } from './mlfq.js';
export type { MlfqJobMetrics, MlfqJobSpec, MlfqParams, MlfqResult, MlfqSlice } from './mlfq.js';
export { LOTTERY_DEFAULT_TICKETS, scheduleLottery } from './lottery.js';
export type { LotteryJobMetrics, LotteryParams, LotteryResult, LotterySlice } from './lottery.js';
export { CFS_DEFAULTS, CFS_NS_PER_TICK, NICE_0_WEIGHT, niceToWeight, scheduleCfs } from './cfs.js';
export type { CfsJobMetrics, CfsParams, CfsResult, CfsSlice } from './cfs.js';
export { RANDOM_JOB_COUNT, randomLengths, randomMlfqJobs } from './random-jobs.js';

/** The result of any policy, discriminated by `policy`. */
export type AnySchedResult = FifoResult | SjfResult | RrResult | MlfqResult | LotteryResult | CfsResult;
