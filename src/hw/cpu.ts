/**
 * A CPU of a machine: a processor of the engine with a local one-shot timer.
 *
 * The CPU does not decide what runs: the kernel installs its per-CPU entry point
 * (`onRun`), which the engine calls whenever this CPU's next action is due — the
 * end of the current piece of work (`busyUntil`) or the timer deadline, whichever
 * comes first. The kernel keeps `busyUntil` up to date; the timer is programmed only
 * through the machine (a privileged action).
 */
import type { Engine, Ns, Processor } from '../sim/engine.js';
import type { Tlb } from './tlb.js';

export class Cpu implements Processor {
  /** CPU number, from 0. */
  readonly id: number;
  /** When the current piece of work ends (Infinity when halted). Owned by the kernel. */
  busyUntil: Ns = Infinity;
  /** The local timer's deadline (Infinity when disarmed). Set via Machine.programTimer. */
  timerDeadline: Ns = Infinity;
  /** min(busyUntil, timerDeadline), maintained by `update()`. */
  nextTime: Ns = Infinity;
  /** The kernel's per-CPU entry point; runs when the CPU's next action is due. */
  onRun: ((cpu: Cpu) => void) | null = null;
  /** True while the CPU is halted waiting for an interrupt (idle). */
  halted = true;
  /** Nanoseconds spent halted (idle), in user mode and in kernel mode; /proc/stat reads them. */
  idleNs: Ns = 0;
  /** Halted while a task that last ran here waited for I/O (iowait). */
  iowaitNs: Ns = 0;
  userNs: Ns = 0;
  systemNs: Ns = 0;
  /**
   * Time this CPU had work but was not running because the physical CPU behind it was
   * given to something else (steal time; only a virtual CPU has any). The kernel's
   * accounting leaves it out of the piece of work it interrupted.
   */
  stealNs: Ns = 0;
  /**
   * All the time this CPU had work but did not run it: steal time, and the time its VM
   * was paused (or in a file). The kernel's accounting leaves it out of the piece it
   * interrupted; only the steal part shows in /proc/stat.
   */
  lostNs: Ns = 0;
  /** Time this (host) CPU spent running a guest's virtual CPU (/proc/stat "guest"; also counted in userNs, as Linux does). */
  guestNs: Ns = 0;
  /**
   * What the CPU is executing, as the kernel last said (0 idle, 1 user mode, 2 kernel
   * mode with interrupts off): a hypervisor needs it to know whether an interrupt can
   * be injected at once or needs an interrupt window.
   */
  mode: 0 | 1 | 2 = 0;
  /** When the CPU last became halted (for idle accounting). */
  haltedSince: Ns = 0;
  readonly engine: Engine;
  /** The CPU's TLB (tlb.ts), in front of the machine's MMU. */
  readonly tlb: Tlb;
  /** The loaded page-table root (CR3) as a frame number; -1 before any was loaded. */
  cr3 = -1;
  /** What the memory accesses translated since the kernel last looked cost (walks), in ns. */
  accessCostNs: Ns = 0;

  constructor(engine: Engine, id: number, tlb: Tlb) {
    this.engine = engine;
    this.id = id;
    this.tlb = tlb;
  }

  /** Recomputes nextTime from busyUntil and the timer. */
  update(): void {
    const b = this.busyUntil;
    const t = this.timerDeadline;
    this.nextTime = b < t ? b : t;
  }

  step(): void {
    this.onRun!(this);
  }
}
