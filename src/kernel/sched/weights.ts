/**
 * CFS load weights: Linux's sched_prio_to_weight table (kernel/sched/core.c). Nice 0
 * is 1024; each nice step changes a task's share of CPU by about 10% (×1.25 weight).
 */
export const NICE_0_WEIGHT = 1024;

const SCHED_PRIO_TO_WEIGHT = [
  /* -20 */ 88761, 71755, 56483, 46273, 36291,
  /* -15 */ 29154, 23254, 18705, 14949, 11916,
  /* -10 */ 9548, 7620, 6100, 4904, 3906,
  /*  -5 */ 3121, 2501, 1991, 1586, 1277,
  /*   0 */ 1024, 820, 655, 526, 423,
  /*   5 */ 335, 272, 215, 172, 137,
  /*  10 */ 110, 87, 70, 56, 45,
  /*  15 */ 36, 29, 23, 18, 15,
];

/** The load weight of a nice value (clamped to -20..19). */
export function niceToWeight(nice: number): number {
  const n = Math.max(-20, Math.min(19, Math.trunc(nice)));
  return SCHED_PRIO_TO_WEIGHT[n + 20];
}
