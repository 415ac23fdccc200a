/**
 * The per-CPU run loop (DESIGN.md "Execution and time model"). The engine calls
 * `runCpu` when a CPU's next action is due; the CPU then executes *pieces* of work —
 * a user-mode burst, a kernel path (a system call's cost), a context switch — each
 * ending at a time, until its next action is not before the engine's horizon.
 *
 *   piece ends ─▶ account time ─▶ timer? tick ─▶ resched? schedule() : continueTask()
 *                                                    │                   │
 *                                      switch to next task      resume the program,
 *                                       (contextSwitch cost)    run its next op
 *
 * User bursts are preemptible: an interrupt that finds `needResched` splits the
 * burst and the rest runs when the task is next dispatched. Kernel pieces are not
 * (a kernel without full preemption): a reschedule waits for their end.
 */
import type { CpuControl } from './cgroup/cpu-control.js';
import type { Cpu } from '../hw/cpu.js';
import type { Ns } from '../sim/engine.js';
import { err, SysError } from './errno.js';
import type { Kernel } from './kernel.js';
import { TaskState, abandonSyscallState, type Task } from './proc/task.js';
import { VforkWait } from './proc/task-clone.js';
import type { CpuRunState } from './sched/scheduler.js';
import { BLOCK } from './vfs/file.js';
import { O_NONBLOCK } from './vfs/types.js';
import { SYSCALL_TABLE } from './syscalls/dispatch.js';
import { deliverSignals, hasDeliverableSignal, forceFaultSignal, sigreturn, type SignalOutcome } from './proc/task-signal.js';
import { SIG } from './proc/signals.js';
import { doExit } from './proc/task-exit.js';
import { exitedStatus } from './proc/wstatus.js';
import { MEM_ACCESS_NR, NR, STRACE_NR, SYSCALL_NAMES } from './syscalls/numbers.js';
import { memAccess, type MemAccessRequest } from './syscalls/sys-mm.js';
import type { SigSet } from './proc/signals.js';
import type { Op, SyscallRequest } from './proc/program.js';
import { KERNEL_ENTRY_NONE, KERNEL_ENTRY_PAGE_FAULT, KERNEL_ENTRY_SCHEDULE } from '../hw/machine.js';
import { GuestEntry, type KvmVcpu } from './kvm/kvm-vcpu.js';
import { traceNoReturn, traceSyscallEntry, traceSyscallExit } from './trace/tracer.js';
import { decodeSyscall } from './trace/strace-format.js';

/** What a CPU is doing between two actions. */
export const enum Piece {
  Idle = 0,
  User = 1,
  Kernel = 2,
  Switch = 3,
  /** A host thread running a guest's virtual CPU (KVM_RUN): preemptible like user mode. */
  Guest = 4,
}

/** The kernel's per-CPU state (Linux's struct rq, minus the queues, which are shared). */
export class PerCpu implements CpuRunState {
  readonly id: number;
  readonly cpu: Cpu;
  current: Task | null = null;
  needResched = false;
  /** Set when a signal was sent to the running task: interrupt its user burst to handle it. */
  interrupt = false;
  /** An idle CPU already chosen to wake for a task (so a second wake-up picks another). */
  reserved = false;
  piece: Piece = Piece.Idle;
  pieceStart: Ns = 0;
  /** Context switches on this CPU (/proc/stat "ctxt"). */
  switches = 0;
  /** Tasks that went to sleep for I/O from this CPU: its idle time counts as iowait meanwhile. */
  nrIowait = 0;
  /** Where CPU time is charged to cgroups (set by the kernel). */
  cpuControl: CpuControl | null = null;
  /** The CPU's steal time when the piece's clock last started (stolen time is not the piece's). */
  stealMark: Ns = 0;
  /** The virtual CPU a Guest piece is running. */
  guest: KvmVcpu | null = null;

  constructor(cpu: Cpu) {
    this.id = cpu.id;
    this.cpu = cpu;
  }
}

/**
 * A task's user and system CPU time up to now, including the piece of work it is in
 * the middle of (accounting is otherwise brought up to date only when a piece ends).
 */
export function taskTimes(k: Kernel, t: Task): { utimeNs: Ns; stimeNs: Ns } {
  let u = t.utimeNs;
  let s = t.stimeNs;
  if (t.cpu !== null) {
    const pc = k.percpu[t.cpu.id];
    if (pc.current === t) {
      const open = Math.max(0, k.now - pc.pieceStart - (pc.cpu.lostNs - pc.stealMark));
      if (pc.piece === Piece.User || pc.piece === Piece.Guest) u += open;
      else if (pc.piece === Piece.Kernel) s += open;
    }
  }
  return { utimeNs: u, stimeNs: s };
}

/** Charges the time since the piece started to its owner (and its cgroups), and restarts the piece's clock. */
function account(pc: PerCpu, now: Ns): void {
  let elapsed = now - pc.pieceStart;
  if (elapsed <= 0) return;
  pc.pieceStart = now;
  const cpu = pc.cpu;
  if (cpu.lostNs !== pc.stealMark) {
    // A virtual CPU whose physical CPU ran something else meanwhile: that time was stolen.
    elapsed -= cpu.lostNs - pc.stealMark;
    pc.stealMark = cpu.lostNs;
    if (elapsed <= 0) return;
  }
  switch (pc.piece) {
    case Piece.User:
      cpu.userNs += elapsed;
      pc.current!.utimeNs += elapsed;
      pc.cpuControl!.charge(pc.current!, elapsed, true);
      break;
    case Piece.Guest:
      cpu.userNs += elapsed;
      cpu.guestNs += elapsed;
      pc.current!.utimeNs += elapsed;
      pc.cpuControl!.charge(pc.current!, elapsed, true);
      break;
    case Piece.Kernel:
      cpu.systemNs += elapsed;
      pc.current!.stimeNs += elapsed;
      pc.cpuControl!.charge(pc.current!, elapsed, false);
      break;
    case Piece.Switch:
      cpu.systemNs += elapsed;
      break;
    case Piece.Idle:
      if (pc.nrIowait > 0) cpu.iowaitNs += elapsed;
      else cpu.idleNs += elapsed;
      break;
  }
}

/** Brings an idle CPU's idle/iowait accounting up to now (before its iowait count changes). */
export function accountIdle(pc: PerCpu, now: Ns): void {
  if (pc.piece === Piece.Idle) account(pc, now);
}

function startPiece(pc: PerCpu, kind: Piece, now: Ns, durationNs: Ns): void {
  pc.piece = kind;
  pc.pieceStart = now;
  const cpu = pc.cpu;
  pc.stealMark = cpu.lostNs;
  cpu.mode = kind === Piece.User ? 1 : 2;
  cpu.busyUntil = now + (durationNs > 0 ? durationNs : 1);
}

/** Runs virtual CPU `vcpu` on this CPU for task `t` until the guest leaves or the host takes the CPU back. */
function enterGuest(k: Kernel, pc: PerCpu, t: Task, now: Ns, vcpu: KvmVcpu): void {
  const cpu = pc.cpu;
  pc.piece = Piece.Guest;
  pc.pieceStart = now;
  pc.stealMark = cpu.lostNs;
  pc.guest = vcpu;
  cpu.mode = 1;
  cpu.busyUntil = Infinity;
  vcpu.enter(cpu, () => {
    if (pc.guest !== vcpu || pc.current !== t) return;
    const at = k.engine.now;
    cpu.busyUntil = at;
    cpu.update();
    k.engine.poke(cpu, at);
  });
}

/** The engine's entry into a CPU: run actions while they are due before the horizon. */
export function runCpu(k: Kernel, pc: PerCpu): void {
  const cpu = pc.cpu;
  const engine = k.engine;
  k.currentCpu = pc;
  for (;;) {
    const now = cpu.nextTime;
    engine.now = now;
    engine.actions++;
    // Fast path: a user burst ended on time, nothing else is due, and the program's
    // next operation is another burst. Accounting waits for the end of user mode.
    if (pc.piece === Piece.User && now === cpu.busyUntil && now < cpu.timerDeadline && !pc.needResched && !pc.interrupt) {
      const t = pc.current!;
      if (t.burstLeftNs === 0 && t.pendingSyscall === null && (t.sigPending.lo | t.sigPending.hi) === 0) {
        k.current = t;
        let r: IteratorResult<Op, number | void>;
        try {
          r = t.top!.next(t.resumeValue);
        } catch (e) {
          r = crashed(k, t, e);
        }
        t.resumeValue = undefined;
        const op = r.value;
        if (r.done !== true && typeof op === 'number') {
          const end = now + (op > 0 ? op : 1);
          cpu.busyUntil = end;
          const next = end < cpu.timerDeadline ? end : cpu.timerDeadline;
          cpu.nextTime = next;
          // The step also ends where the engine must look at its guard limits.
          if (next < engine.horizon && engine.actions < engine.checkAt) continue;
          break;
        }
        account(pc, now);
        continueTask(k, pc, t, now, r);
        cpu.update();
        if (!(cpu.nextTime < engine.horizon) || engine.actions >= engine.checkAt) break;
        continue;
      }
    }
    account(pc, now);
    if (k.workQueue.length > 0) k.runQueuedWork();
    if (now >= cpu.timerDeadline) {
      cpu.timerDeadline = Infinity;
      timerTick(k, pc, now);
    }
    if (pc.piece === Piece.Guest && now >= cpu.busyUntil) pc.guest = null;
    if (pc.piece === Piece.Idle) {
      schedule(k, pc, now);
    } else if (now < cpu.busyUntil) {
      // An interrupt in the middle of a piece. Only a user burst (or a guest) can be cut short.
      if ((pc.piece === Piece.User || pc.piece === Piece.Guest) && (pc.needResched || pc.interrupt)) {
        const t = pc.current!;
        if (pc.piece === Piece.Guest) {
          // The vCPU stops where it is; the thread's KVM_RUN runs again when it is next
          // dispatched (or fails with EINTR if a signal is what interrupted it).
          pc.guest!.leave();
          pc.guest = null;
        } else {
          t.burstLeftNs = cpu.busyUntil - now;
        }
        cpu.busyUntil = now;
        if (pc.needResched) schedule(k, pc, now);
        else continueTask(k, pc, t, now);
      }
    } else if (pc.needResched || pc.current === null || pc.current.state !== TaskState.Running) {
      schedule(k, pc, now);
    } else {
      continueTask(k, pc, pc.current, now);
    }
    cpu.update();
    if (!(cpu.nextTime < engine.horizon) || engine.actions >= engine.checkAt) break;
  }
  k.currentCpu = null;
  k.current = null;
}

/** The timer interrupt: charge the running task and decide whether its slice is over. */
function timerTick(k: Kernel, pc: PerCpu, now: Ns): void {
  const cur = pc.current;
  if (!cur || cur.state !== TaskState.Running) return;
  k.sched.updateCurr(cur, now);
  // A group out of cpu.max quota (or frozen) stops here.
  if (k.cpuControl.mustStop(cur) || k.sched.tickWantsSwitch(cur, now - cur.sliceStart)) {
    pc.needResched = true;
  } else {
    const left = Math.min(k.sched.queued > 0 ? k.sched.remainingSlice(cur, now) : Infinity, k.cpuControl.quotaLeft(cur));
    if (left !== Infinity) k.machine.programTimer(pc.cpu, now + left);
  }
}

/** Picks the next task for this CPU and switches to it (__schedule()). */
export function schedule(k: Kernel, pc: PerCpu, now: Ns): void {
  const prev = pc.current;
  const involuntary = pc.needResched;
  pc.needResched = false;
  pc.interrupt = false;
  pc.reserved = false;
  if (prev !== null) {
    k.sched.updateCurr(prev, now);
    const yielded = prev.yieldPending;
    prev.yieldPending = false;
    prev.cpu = null;
    pc.current = null;
    if (prev.state === TaskState.Running && !prev.exiting) {
      k.sched.enqueue(prev, yielded ? 'yield' : 'preempted');
      prev.lastStateChange = now;
    }
  }
  const next = k.sched.pickNext();
  const cpu = pc.cpu;
  if (next === null) {
    pc.piece = Piece.Idle;
    pc.pieceStart = now;
    pc.stealMark = cpu.lostNs;
    cpu.mode = 0;
    if (cpu.timerDeadline !== Infinity) k.machine.programTimer(cpu, Infinity);
    k.machine.halt(cpu);
    if (prev !== null && k.engine.trace.on('sched')) k.engine.trace.emit('sched', 'idle', { cpu: pc.id, prev: prev.tid });
    if (prev !== null && prev.state !== TaskState.Running) prev.nvcsw++;
    return;
  }
  if (cpu.halted) cpu.halted = false;
  next.runDelayNs += now - next.lastStateChange;
  next.cpu = cpu;
  next.lastCpu = pc.id;
  pc.current = next;
  let cost = 0;
  if (next !== prev) {
    if (prev !== null) {
      if (prev.state === TaskState.Running && involuntary) prev.nivcsw++;
      else if (prev.state !== TaskState.Running || !involuntary) prev.nvcsw++;
    }
    pc.switches++;
    cost = k.costs.contextSwitch + k.machine.switchAddressSpace(cpu, next.mm?.root ?? -1);
    cost += k.machine.kernelPath(cpu, KERNEL_ENTRY_SCHEDULE, cost);
    if (k.engine.trace.on('sched')) {
      k.engine.trace.emit('sched', 'switch', { cpu: pc.id, prev: prev?.tid ?? 0, next: next.tid, comm: next.comm });
    }
  }
  next.execStart = now + cost;
  next.sliceStart = now + cost;
  // Arm the tick only when someone else is waiting (tickless otherwise, like NO_HZ), or
  // when the task's cgroup quota (cpu.max) will run out.
  const slice = Math.min(k.sched.queued > 0 ? k.sched.sliceFor(next) : Infinity, k.cpuControl.quotaLeft(next));
  const deadline = slice === Infinity ? Infinity : now + cost + slice;
  if (deadline !== cpu.timerDeadline) cost += k.machine.programTimer(cpu, deadline);
  if (cost > 0 && next !== prev) {
    startPiece(pc, Piece.Switch, now, cost);
    return;
  }
  continueTask(k, pc, next, now);
}

/**
 * Runs the task's program from where it stopped until it starts a piece of work or
 * leaves the CPU. `fetched` is the program's next operation when the caller already
 * resumed it (the fast path).
 */
function continueTask(k: Kernel, pc: PerCpu, t: Task, now: Ns, fetched?: IteratorResult<Op, number | void>): void {
  k.current = t;
  pc.interrupt = false;
  for (;;) {
    if (fetched !== undefined) {
      const r = fetched;
      fetched = undefined;
      if (!handleResult(k, pc, t, now, r)) return;
      continue;
    }
    if (t.burstLeftNs > 0) {
      const left = t.burstLeftNs;
      t.burstLeftNs = 0;
      startPiece(pc, Piece.User, now, left);
      return;
    }
    // A memory access that waited for swap finishes before any signal is taken (the
    // fault is uninterruptible; a fatal signal makes it give up at once).
    // So does vfork's wait once it ended: the child's PID is returned before any signal
    // is acted on (only a fatal signal ends that sleep early; see vforkWait).
    if (t.pendingSyscall !== null && (t.pendingSyscall.nr === MEM_ACCESS_NR || t.syscallState instanceof VforkWait)) {
      const req = t.pendingSyscall;
      t.pendingSyscall = null;
      if (!runSyscall(k, pc, t, now, req, true)) return;
      continue;
    }
    if (!t.sigPending.isEmpty()) {
      if (t.pendingSyscall !== null && hasDeliverableSignal(t)) interruptSyscall(t);
      const outcome: SignalOutcome = deliverSignals(k, t);
      if (outcome === 'gone') {
        leaveCpu(k, pc, now);
        return;
      }
    }
    if (t.pendingSyscall !== null) {
      // A system call that slept runs again now that the task woke up.
      const req = t.pendingSyscall;
      t.pendingSyscall = null;
      if (!runSyscall(k, pc, t, now, req, true)) return;
      continue;
    }
    let r: IteratorResult<Op, number | void>;
    try {
      r = t.top!.next(t.resumeValue);
    } catch (e) {
      r = crashed(k, t, e);
    }
    t.resumeValue = undefined;
    if (!handleResult(k, pc, t, now, r)) return;
  }
}

/**
 * Acts on what the program yielded or returned. Returns true when the task should
 * keep running now (a handler frame returned, or a system call finished at no cost).
 */
function handleResult(k: Kernel, pc: PerCpu, t: Task, now: Ns, r: IteratorResult<Op, number | void>): boolean {
  if (r.done === true) {
    if (t.frames.length > 1) {
      sigreturn(t);
      return true;
    }
    k.pendingCost = 0;
    k.kernelEntry = NR.exit;
    const code = typeof r.value === 'number' ? r.value : 0;
    // Returning from main is libc's exit(3): an exit_group(2) a tracer sees.
    if (t.tracer !== null) traceNoReturn(t, { nr: NR.exit_group, status: code & 0xff });
    doExit(k, t, exitedStatus(code));
    finishSyscall(k, pc, t, now);
    return false;
  }
  const op = r.value;
  if (typeof op === 'number') {
    startPiece(pc, Piece.User, now, op);
    return false;
  }
  return runSyscall(k, pc, t, now, op, false);
}

/** Traps into the kernel for `req`, runs its handler and charges its cost. Returns true to keep running the task now. */
function runSyscall(k: Kernel, pc: PerCpu, t: Task, now: Ns, req: SyscallRequest, restarted: boolean): boolean {
  if (req.nr === MEM_ACCESS_NR) {
    // Loads and stores: no trap into the kernel unless they fault.
    k.pendingCost = 0;
    k.kernelEntry = KERNEL_ENTRY_PAGE_FAULT;
    const r = memAccess(k, t, req as unknown as MemAccessRequest);
    if (r === BLOCK) {
      t.pendingSyscall = req;
    } else {
      t.resumeValue = r;
      t.syscallState = undefined;
    }
    return finishSyscall(k, pc, t, now);
  }
  k.pendingCost = restarted ? 0 : k.machine.syscallTrap(pc.cpu);
  k.kernelEntry = req.nr;
  t.syscalls++;
  if (t.tracer !== null && req.nr !== STRACE_NR) {
    if (req.nr === NR.exit_group || req.nr === NR.exit) traceNoReturn(t, req);
    else if (!restarted && traceSyscallEntry(k, t, req)) {
      // Syscall-entry-stop: the call runs (as a restarted one) once strace has printed its entry.
      t.pendingSyscall = req;
      return finishSyscall(k, pc, t, now);
    }
  }
  const handler = SYSCALL_TABLE[req.nr];
  const res = handler !== undefined ? handler(k, t, req) : err('ENOSYS', `system call ${SYSCALL_NAMES[req.nr] ?? req.nr} is not modelled by ctsim`);
  if (res instanceof GuestEntry) {
    // KVM_RUN: the thread's CPU runs the guest now; the call runs again (restarted)
    // whenever the thread comes back from guest mode.
    t.pendingSyscall = req;
    k.pendingCost = 0;
    k.kernelEntry = KERNEL_ENTRY_NONE;
    enterGuest(k, pc, t, now, res.vcpu);
    return false;
  }
  if (res === BLOCK) {
    t.pendingSyscall = req;
  } else {
    t.resumeValue = res;
    t.syscallState = undefined;
  }
  if (k.engine.trace.on('syscall')) traceSyscall(k, t, req, res);
  if (t.tracer !== null && req.nr !== NR.exit_group && req.nr !== NR.exit && req.nr !== STRACE_NR) traceSyscallExit(k, t, req, res);
  if (res instanceof SysError && k.engine.trace.on('explain')) explainError(k, t, req, res);
  return finishSyscall(k, pc, t, now);
}

/** After a handler: start the kernel piece, or leave the CPU. Returns true to keep running the task now. */
function finishSyscall(k: Kernel, pc: PerCpu, t: Task, now: Ns): boolean {
  let cost = k.pendingCost;
  k.pendingCost = 0;
  const entry = k.kernelEntry;
  k.kernelEntry = KERNEL_ENTRY_NONE;
  cost += k.machine.kernelPath(pc.cpu, cost > 0 ? entry : KERNEL_ENTRY_NONE, cost);
  if (t.state !== TaskState.Running || t.exiting) {
    if (cost > 0) startPiece(pc, Piece.Kernel, now, cost);
    else leaveCpu(k, pc, now);
    return false;
  }
  if (pc.needResched) {
    if (cost > 0) startPiece(pc, Piece.Kernel, now, cost);
    else schedule(k, pc, now);
    return false;
  }
  if (cost > 0) {
    startPiece(pc, Piece.Kernel, now, cost);
    return false;
  }
  return true;
}

function leaveCpu(k: Kernel, pc: PerCpu, now: Ns): void {
  schedule(k, pc, now);
}

/** A signal arrived while the task slept in a system call: fail it with EINTR or restart it. */
function interruptSyscall(t: Task): void {
  const req = t.pendingSyscall!;
  t.pendingSyscall = null;
  t.tracer?.interrupted(t, req);
  t.resumeValue = err('EINTR', `a signal arrived while ${SYSCALL_NAMES[req.nr] ?? req.nr} was sleeping`);
  // What the call registered before sleeping is undone; a restart begins afresh.
  abandonSyscallState(t);
  if (req.nr === NR.rt_sigsuspend) {
    // sigsuspend never restarts; the caller's mask comes back after the handler.
    t.savedSigmask = (t.syscallState as { old: SigSet }).old;
    t.syscallState = undefined;
    return;
  }
  t.interruptedSyscall = req;
}

/**
 * Explain mode: a failed system call, with the reason the kernel gave where it decided,
 * and the call's plain arguments (numbers, strings, booleans) so that a presenter can
 * say which path or descriptor it was about (src/report/explain.ts).
 */
function explainError(k: Kernel, t: Task, req: SyscallRequest, e: SysError): void {
  // The path the call named, when it named one: a live session's explain groups a shell's PATH search by it.
  const path = typeof req.path === 'string' ? { path: req.path } : {};
  const args: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(req)) {
    const v = req[key];
    if (key === 'nr') continue;
    if (typeof v === 'number' || typeof v === 'boolean') args[key] = v;
    else if (typeof v === 'string') args[key] = v.length > 64 ? v.slice(0, 64) + '...' : v;
  }
  // A guest kernel shares its host's trace: its records say which VM they come from.
  const vm = k.machine.kind === 'virtual' ? { vm: k.machine.name } : {};
  // EAGAIN on an O_NONBLOCK descriptor is "not yet" (a presenter may leave it out).
  const f = typeof req.fd === 'number' ? t.files.get(req.fd) : undefined;
  const nonblock = e.errno === 'EAGAIN' && f !== undefined && (f.flags & O_NONBLOCK) !== 0 ? { nonblock: true } : {};
  k.engine.trace.emit('explain', SYSCALL_NAMES[req.nr] ?? String(req.nr), { pid: t.tid, comm: t.comm, ...vm, errno: e.errno, reason: e.reason, args, ...path, ...nonblock });
}

/**
 * The `syscall` trace category: each call as strace decodes it (the same table), with
 * its result; a call that went to sleep is recorded with ret "blocked" and again when
 * it is re-run.
 */
function traceSyscall(k: Kernel, t: Task, req: SyscallRequest, res: unknown): void {
  const c = decodeSyscall(req, res === BLOCK ? undefined : res, 64);
  k.engine.trace.emit('syscall', c.name, {
    pid: t.tid,
    comm: t.comm,
    args: (res === BLOCK ? c.args.slice(0, c.entry) : c.args).join(', '),
    ret: res === BLOCK ? 'blocked' : c.ret,
  });
}

/**
 * A JavaScript exception raised by a program (caught around each resume) is a bug in
 * ctsim's program, not in the simulated system: the process dies of SIGSEGV (the
 * shell says "Segmentation fault", status 139) with a kernel log line saying what
 * happened, and the simulation goes on — one broken program must not stop the host.
 */
function crashed(k: Kernel, t: Task, e: unknown): IteratorResult<Op, number | void> {
  k.printk(`ctsim: ${t.comm}[${t.tid}]: internal error in the simulated program: ${e instanceof Error ? e.message : String(e)} (a ctsim bug; please report it)`);
  // A crash is a fault of the program itself: its handler, if any, is not asked.
  t.sighand.actions[SIG.SIGSEGV] = undefined;
  forceFaultSignal(k, t, SIG.SIGSEGV);
  // A zero-length burst: the signal is taken on the way back to user mode.
  return { done: false, value: 0 };
}
