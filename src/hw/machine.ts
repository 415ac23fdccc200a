/**
 * The Machine interface: the hardware a kernel runs on (DESIGN.md decision 3).
 *
 * Every privileged action the kernel takes — entering the kernel for a system call,
 * switching address spaces, programming a CPU's timer, sending an inter-processor
 * interrupt, halting an idle CPU — goes through this interface and returns what it
 * cost in ns. A PhysicalMachine charges the native figure from the cost table; a
 * VirtualMachine (the hypervisor issue) charges what its virtualization technique
 * costs and counts the exits. The kernel never knows which one it has.
 *
 *    kernel ──privileged op──▶ Machine ──▶ cost (ns) + counters
 *                               │
 *                 PhysicalMachine | VirtualMachine
 */
import type { Engine, Ns } from '../sim/engine.js';
import type { Cpu } from './cpu.js';
import type { CostTable, CostSources } from './cost-table.js';
import type { PhysicalMemory } from './physical-memory.js';
import type { Mmu } from './mmu.js';
import type { ScsiHost } from './scsi.js';
import type { NicPort } from './nic.js';
import type { SerialPort } from './serial.js';

/** Privileged operations a machine counts. */
export type PrivilegedOp = 'syscallTrap' | 'switchAddressSpace' | 'programTimer' | 'ipi' | 'halt' | 'invlpg' | 'tlbFlush';

/** Kernel paths that are not system calls (Machine.kernelPath's `entry`); system calls use their numbers. */
export const KERNEL_ENTRY_NONE = -1;
export const KERNEL_ENTRY_PAGE_FAULT = 1000;
export const KERNEL_ENTRY_SCHEDULE = 1001;

export interface Machine {
  /** 'physical' or 'virtual': for reports only; the kernel must not branch on it. */
  readonly kind: 'physical' | 'virtual';
  /**
   * The CPUs have hardware virtualization (VMX/SVM) the kernel can use (KVM). A VM's
   * vCPUs do not: ctsim models no nested virtualization.
   */
  readonly vmx: boolean;
  /** A name for reports (`host`, a VM's name). */
  readonly name: string;
  readonly engine: Engine;
  readonly cpus: readonly Cpu[];
  /** Installed RAM in bytes. */
  readonly ramBytes: number;
  /** The cost table the machine charges native operations from. */
  readonly costs: CostTable;
  readonly costSources: CostSources;
  /** Counts of privileged operations by kind. */
  readonly privilegedOps: Record<PrivilegedOp, number>;

  /** The RAM as page frames, which the kernel allocates and its page tables live in. */
  readonly memory: PhysicalMemory;
  /** The page walker behind every CPU's TLB, with its counters (walks, memory references). */
  readonly mmu: Mmu;
  /** The SCSI host adapter and its disks, or null (ctsim's physical machines model none). */
  readonly scsi: ScsiHost | null;
  /**
   * The machine's NICs, or null for a physical machine, whose one NIC is cabled to the
   * simulated outside network (kernel/net/outside.ts).
   */
  readonly nics: readonly NicPort[] | null;
  /** Physical NICs beyond eth0 (eth1, eth2, …, uncabled at boot) when `nics` is null; 0 otherwise. */
  readonly extraNics: number;
  /** The serial port (COM1), or null (ctsim models no UART on a physical machine). */
  readonly serial: SerialPort | null;

  /** A system call instruction and its return (syscall/sysret): cost in ns. */
  syscallTrap(cpu: Cpu): Ns;
  /**
   * Loads the page-table root (CR3: the frame of a PML4) on `cpu` — which flushes its
   * TLB — unless that root is already loaded: cost in ns beyond the context switch.
   */
  switchAddressSpace(cpu: Cpu, root: number): Ns;
  /**
   * A user-mode access to virtual page `vpn` of the address space loaded on `cpu`:
   * the TLB, and on a miss the page walk (whose cost goes to `cpu.accessCostNs`).
   * Returns the frame, or WALK_NOT_PRESENT / WALK_PROTECTION (mmu.ts) for the kernel's
   * page-fault handler.
   */
  translate(cpu: Cpu, vpn: number, write: boolean): number;
  /** Drops `cpu`'s cached translation of `vpn` (INVLPG) after the kernel changed its entry: cost in ns. */
  invalidatePage(cpu: Cpu, vpn: number): Ns;
  /** Drops every cached translation of `cpu`: cost in ns. */
  flushTlb(cpu: Cpu): Ns;
  /** Arms `cpu`'s one-shot timer for absolute time `deadline` (Infinity disarms): cost in ns. */
  programTimer(cpu: Cpu, deadline: Ns): Ns;
  /** Sends an inter-processor interrupt from `from` to `to`, making `to` run at `at`: cost to the sender. */
  sendIpi(from: Cpu | null, to: Cpu, at: Ns): Ns;
  /** Halts `cpu` until its next interrupt (idle). */
  halt(cpu: Cpu): void;
  /** Wakes `cpu` (an interrupt): a halted CPU runs after its wake-up latency. Returns that latency in ns. */
  wake(cpu: Cpu): Ns;
  /**
   * The kernel finished a path of kernel code on `cpu` (a system call's handler, a page
   * fault, a context switch) that costs `nativeNs` natively; `entry` names the path
   * (KERNEL_ENTRY_* or a system call number; -1 when no kernel code ran). Returns the
   * extra ns the machine adds: nothing on a physical machine; under a hypervisor,
   * translating that code (binary translation), the hypercalls a paravirtual kernel
   * batched during it, and the traps and exits it caused.
   */
  kernelPath(cpu: Cpu, entry: number, nativeNs: Ns): Ns;
}
