/**
 * The host kernel's side of running a virtual CPU (Linux's KVM_RUN): what a type 2
 * hypervisor (src/hypervisor) gives the host kernel for each vCPU, and the value a
 * KVM_RUN handler returns to put the calling thread's CPU into guest mode.
 *
 *   VMM vCPU thread ──ioctl(KVM_RUN)──▶ host kernel ──GuestEntry──▶ cpu-loop: Piece.Guest
 *        ▲                                   │                         (the guest's vCPU runs
 *        └── sleeps while the vCPU is halted ┘                          while this piece lasts)
 *
 * The host CPU stays in a guest piece until the guest leaves (HLT with nothing
 * pending, the VM paused or stopped) or the host takes the CPU back (its scheduler
 * preempts the thread, a signal arrives) — so host load and the VMM's cgroup decide
 * when the guest runs (DESIGN.md "A vCPU runs only when it is given time").
 */
import type { Cpu } from '../../hw/cpu.js';

export interface KvmVcpu {
  /** The vCPU's number in its VM. */
  readonly index: number;
  /** True when the vCPU has work: it is not halted, or an interrupt is pending for it. */
  runnable(): boolean;
  /** True once the VM is stopped: KVM_RUN returns (KVM_EXIT_SHUTDOWN) instead of running it. */
  shutDown(): boolean;
  /**
   * Host CPU `hostCpu` runs this vCPU from now on; the vCPU calls `exit` once when it
   * leaves guest mode by itself (HLT with nothing pending, pause, shutdown).
   */
  enter(hostCpu: Cpu, exit: () => void): void;
  /** The host takes its CPU back (preemption, a signal): the vCPU stops where it is. */
  leave(): void;
  /** Set by the host kernel: called when the vCPU gets work while it is not running. */
  onKick: (() => void) | null;
}

/** What a KVM_RUN handler returns to run the guest on the calling thread's CPU. */
export class GuestEntry {
  constructor(readonly vcpu: KvmVcpu) {}
}
