/**
 * A virtual CPU: a Cpu of a VirtualMachine that runs only while a physical CPU is
 * given to it (DESIGN.md "A vCPU runs only when it is given time").
 *
 *   online  ── the host CPU behind it runs it: its work advances with the clock
 *   offline ── preempted (its pending work waits and the wait is steal time),
 *              or halted (idle: the guest had nothing to do)
 *
 * Who gives it a physical CPU is the VcpuHost: under a type 2 hypervisor the host
 * kernel, when it runs the vCPU's thread (KVM_RUN); under a type 1 hypervisor the
 * VMM's own scheduler. The guest kernel never sees the difference except as time
 * that passed while it did not run (steal time in its /proc/stat).
 */
import type { Engine, Ns, SimEvent } from '../sim/engine.js';
import { Cpu } from '../hw/cpu.js';
import type { Tlb } from '../hw/tlb.js';
import type { KvmVcpu } from '../kernel/kvm/kvm-vcpu.js';

/** What runs virtual CPUs on physical ones (a host kernel's KVM, or a type 1 VMM's scheduler). */
export interface VcpuHost {
  /** The vCPU left guest mode by itself (HLT with nothing pending, pause, shutdown): its physical CPU is free. */
  released(v: VCpu): void;
  /** The vCPU got work (an interrupt) while it was not running: give it a physical CPU. */
  kicked(v: VCpu): void;
}

export class VCpu extends Cpu implements KvmVcpu {
  readonly index: number;
  /** True while a physical CPU runs this vCPU. */
  online = false;
  /** When the vCPU last went offline (or its offline time was last counted). */
  private offSince: Ns = 0;
  /** Why it is offline: its physical CPU went elsewhere (steal), or its VM is paused (neither steal nor idle). */
  private offReason: 'preempted' | 'paused' = 'preempted';
  /** Held back until the VM has booted (a secondary CPU waits for vCPU 0's INIT-SIPI). */
  held = false;
  /** An interrupt arrived while the vCPU was offline and halted: it must run when it comes back. */
  pendingIrq = false;
  /** Called once when the vCPU leaves guest mode by itself (KVM_RUN's caller). */
  private exitFn: (() => void) | null = null;
  /** Set by a host kernel's KVM: wakes the vCPU thread. */
  onKick: (() => void) | null = null;
  /** The host timer that wakes a halted vCPU at its guest timer's deadline. */
  wakeEvent: SimEvent | null = null;
  /** VMM work (exits, callouts, hypercalls) done on this vCPU's behalf not yet added to a kernel path. */
  pendingNs: Ns = 0;
  /** True while vCPU 0 runs the boot phases (firmware, kernel) before the guest kernel's init. */
  booting = false;
  /** The VM's entry point, run instead of the kernel's when the vCPU is due (VirtualMachine.step). */
  onStep: ((v: VCpu) => void) | null = null;
  /** The VM's state as it concerns a vCPU: running, paused (runs nothing) or stopped (KVM_RUN returns). */
  private readonly vmState: () => 'running' | 'paused' | 'stopped';

  constructor(engine: Engine, index: number, tlb: Tlb, vmState: () => 'running' | 'paused' | 'stopped') {
    super(engine, index, tlb);
    this.index = index;
    this.vmState = vmState;
    this.nextTime = Infinity;
  }

  override update(): void {
    if (!this.online) {
      this.nextTime = Infinity;
      return;
    }
    super.update();
    // An interrupt (the guest's timer) that fell due while the vCPU was offline is taken at once.
    const now = this.engine.now;
    if (this.nextTime < now) this.nextTime = now;
  }

  override step(): void {
    if (this.onStep) this.onStep(this);
    else super.step();
  }

  runnable(): boolean {
    if (this.vmState() !== 'running' || this.held) return false;
    return !this.halted || this.pendingIrq || this.timerDeadline <= this.engine.now;
  }

  shutDown(): boolean {
    return this.vmState() === 'stopped';
  }

  /** A physical CPU starts running this vCPU now. */
  enter(_hostCpu: Cpu, exit: () => void): void {
    this.exitFn = exit;
    this.goOnline();
  }

  /** The physical CPU is taken away (preemption, a signal to the vCPU thread). */
  leave(): void {
    this.exitFn = null;
    this.goOffline();
  }

  /** The vCPU leaves guest mode by itself (HLT, or `paused` when its VM is paused): tells whoever runs it. */
  exitGuest(paused = false): void {
    const fn = this.exitFn;
    this.exitFn = null;
    this.goOffline();
    if (paused) this.offReason = 'paused';
    if (fn) fn();
  }

  /** The VM was paused while this vCPU was already off its CPU: from now on its wait is no longer steal. */
  pauseOffline(): void {
    if (this.online) return;
    this.settle();
    this.offReason = 'paused';
  }

  /** The VM is powered on now: nothing before counts as waiting. */
  powerOn(): void {
    this.offSince = this.engine.now;
    this.offReason = 'preempted';
  }

  /**
   * Counts the time since the vCPU went offline (or since the last count): for a vCPU
   * with work, it is lost to the piece it was in (which ends that much later), and it
   * is steal time unless the VM was paused. A halted vCPU's offline time is idle time.
   */
  private settle(): void {
    const now = this.engine.now;
    const away = now - this.offSince;
    this.offSince = now;
    if (this.halted || away <= 0) return;
    this.lostNs += away;
    if (this.offReason !== 'paused') this.stealNs += away;
    if (this.busyUntil !== Infinity) this.busyUntil += away;
  }

  private goOnline(): void {
    if (this.online) return;
    const now = this.engine.now;
    this.settle();
    this.offReason = 'preempted';
    this.online = true;
    this.update();
    if (this.pendingIrq || (this.halted && this.timerDeadline <= now)) {
      this.pendingIrq = false;
      this.engine.poke(this, now);
    }
  }

  private goOffline(): void {
    if (!this.online) return;
    this.online = false;
    this.offSince = this.engine.now;
    this.offReason = 'preempted';
    this.update();
  }
}
