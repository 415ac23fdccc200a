/**
 * The OOM killer (mm/oom_kill.c): when no page can be freed, pick the process whose
 * death frees the most memory, log why, kill it with SIGKILL and reap its memory at
 * once (the OOM reaper), so that the allocation that ran out can go on.
 *
 * Badness (oom_badness()): resident pages + swap entries + page-table pages, plus
 * oom_score_adj × ((RAM + swap pages) / 1000). Init, processes already exiting and
 * those at oom_score_adj -1000 are never chosen; among equals the later one in the task list wins, as in Linux's scan.
 * The log lines are Linux 6.1's (dmesg shows them).
 *
 * A memory cgroup at memory.max (mm/memcg.ts) runs the same killer over its own
 * processes only (CONSTRAINT_MEMCG, CGR-03): the victim's group and its ancestors count
 * an oom_kill in memory.events, and with memory.oom.group the victim's whole group dies.
 *
 * Simplification: the Mem-Info and memory-cgroup statistics dumps Linux prints
 * between the header and the task list are left out.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { SIG } from '../proc/signals.js';
import { sendSignal } from '../proc/task-signal.js';
import { teardown } from './vm.js';
import type { MemCounter } from './memcg.js';
import { cgroupPathFrom } from '../cgroup/cgroup.js';

const kb = (pages: number): number => pages * 4;

/** OOM_SCORE_ADJ_MIN: a process with this oom_score_adj is never chosen. */
export const OOM_SCORE_ADJ_MIN = -1000;
export const OOM_SCORE_ADJ_MAX = 1000;

/** RAM + swap in pages: what badness is measured against for a global OOM. */
function totalPages(k: Kernel): number {
  return k.mem.totalFrames + k.mem.swap.slots;
}

/**
 * oom_badness(): resident + swapped-out + page-table pages, plus oom_score_adj
 * thousandths of memory; null (LONG_MIN) for a process that may not be chosen —
 * init, one without memory, one already dying, or one at OOM_SCORE_ADJ_MIN.
 */
export function badness(k: Kernel, t: Task): number | null {
  const mm = t.mm;
  if (t.tid === 1 || !mm || mm.dead || t.exiting || t.oomScoreAdj === OOM_SCORE_ADJ_MIN) return null;
  return mm.rss + mm.swapEnts + mm.ptPages + t.oomScoreAdj * Math.floor(totalPages(k) / 1000);
}

/** /proc/PID/oom_score: badness scaled into 0..2000 and then by 2/3, as fs/proc/base.c does. */
export function oomScore(k: Kernel, t: Task): number {
  const b = badness(k, t);
  if (b === null) return 0;
  return Math.trunc(((1000 + Math.trunc((b * 1000) / totalPages(k))) * 2) / 3);
}

/**
 * Kills a process to free memory — of the whole machine, or of memory cgroup `scope`'s
 * subtree when it is at memory.max; false when no process can be chosen.
 */
export function outOfMemory(k: Kernel, scope: MemCounter | null = null): boolean {
  const trigger = k.current;
  let victim: Task | null = null;
  let best = -Infinity;
  const candidates = k.allTasks().filter((t) => t.tid !== 1 && !t.exiting && t.mm !== null && !t.mm.dead && (scope === null || t.cgroup.mem.isWithin(scope)));
  for (const t of candidates) {
    const points = badness(k, t);
    if (points !== null && points >= best) {
      best = points;
      victim = t;
    }
  }
  const who = trigger ?? victim;
  if (who) k.printk(`${who.comm} invoked oom-killer: gfp_mask=${scope ? '0xcc0(GFP_KERNEL)' : '0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)'}, order=0, oom_score_adj=${who.oomScoreAdj}`);
  const path = (m: MemCounter): string => cgroupPathFrom(k.cgroupRoot, m.cgroup);
  if (scope) {
    k.printk(`memory: usage ${kb(scope.pages)}kB, limit ${kb(scope.maxPages)}kB, failcnt ${scope.events.max}`);
    k.printk(`swap: usage ${kb(scope.swapPages)}kB, limit ${scope.swapMaxPages === Infinity ? 9007199254740988 : kb(scope.swapMaxPages)}kB, failcnt 0`);
  }
  if (!victim) {
    // Linux panics here ("System is deadlocked on memory"). Simplification: ctsim
    // logs it and fails the allocation, so the faulting process is killed instead.
    k.printk('Out of memory and no killable processes...');
    return false;
  }
  const mm = victim.mm!;
  k.printk('Tasks state (memory values in pages):');
  k.printk('[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name');
  for (const t of candidates) {
    const m = t.mm!;
    k.printk(
      `[${String(t.tid).padStart(7)}] ${String(t.creds.uid).padStart(5)} ${String(t.tid).padStart(5)} ${String(m.totalVm()).padStart(8)} ${String(m.rss).padStart(8)} ${String(m.ptPages * 4096).padStart(8)} ${String(m.swapEnts).padStart(8)}         ${String(t.oomScoreAdj).padStart(5)} ${t.comm}`,
    );
  }
  const taskMemcg = path(victim.cgroup.mem);
  if (scope) {
    k.printk(`oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${path(scope)},task_memcg=${taskMemcg},task=${victim.comm},pid=${victim.tid},uid=${victim.creds.uid}`);
  } else {
    k.printk(`oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=${taskMemcg},task=${victim.comm},pid=${victim.tid},uid=${victim.creds.uid}`);
  }
  k.printk(
    `${scope ? 'Memory cgroup out of memory' : 'Out of memory'}: Killed process ${victim.tid} (${victim.comm}) total-vm:${kb(mm.totalVm())}kB, anon-rss:${kb(mm.rssAnon)}kB, file-rss:${kb(mm.rssFile)}kB, shmem-rss:0kB, UID:${victim.creds.uid} pgtables:${kb(mm.ptPages)}kB oom_score_adj:${victim.oomScoreAdj}`,
  );
  if (k.engine.trace.on('explain')) {
    const why = scope
      ? `cgroup ${path(scope)} reached its memory.max: ${kb(scope.pages)} kB used of ${kb(scope.maxPages)} kB and nothing left to reclaim`
      : `the machine ran out of memory: ${kb(k.mem.freeFrames)} kB free, nothing left to reclaim or swap out`;
    const others = candidates.length - 1;
    k.engine.trace.emit('explain', 'oom-kill', {
      pid: victim.tid,
      comm: victim.comm,
      ...(k.machine.kind === 'virtual' ? { vm: k.machine.name } : {}),
      reason: `${why}; of the ${candidates.length} process${candidates.length === 1 ? '' : 'es'} it could kill, ${victim.comm} had the highest badness, ${best} pages (rss ${mm.rss} + swap ${mm.swapEnts} + page tables ${mm.ptPages}, oom_score_adj ${victim.oomScoreAdj})${others > 0 ? '' : ', and was the only one'}`,
    });
  }
  k.mem.events.oomKill++;
  victim.cgroup.mem.event('oom_kill');
  // memory.oom.group: the highest group with it set, up to the one that ran out, dies as a whole.
  let group: MemCounter | null = null;
  for (let m: MemCounter | null = victim.cgroup.mem; m !== null; m = m.parent) {
    if (m.oomGroup) group = m;
    if (m === scope) break;
  }
  const doomed = new Set<Task>([victim]);
  if (group) {
    group.event('oom_group_kill');
    for (const t of k.allTasks()) if (t.tid !== 1 && t.cgroup.mem.isWithin(group) && t.oomScoreAdj !== OOM_SCORE_ADJ_MIN) doomed.add(t);
  }
  for (const d of doomed) {
    // Every process sharing the address space dies with it (__oom_kill_process).
    const dm = d.mm;
    for (const t of k.allTasks()) if (t === d || (dm && t.mm === dm)) sendSignal(k, t, SIG.SIGKILL, false);
    if (dm && !dm.dead) teardown(k, dm);
  }
  k.printk(`oom_reaper: reaped process ${victim.tid} (${victim.comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`);
  if (k.engine.trace.on('mm')) k.engine.trace.emit('mm', 'oom-kill', { pid: victim.tid, comm: victim.comm, badness: best, ...(scope ? { memcg: path(scope) } : {}) });
  if (scope && k.engine.trace.on('cgroup')) k.engine.trace.emit('cgroup', 'oom-kill', { cgroup: path(scope), pid: victim.tid, comm: victim.comm });
  return true;
}
