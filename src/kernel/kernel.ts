/**
 * The simulated kernel: one instance per booted machine (the host, or a guest inside
 * a VM — the same code either way; everything privileged goes through `machine`).
 *
 * It owns the task table, PID and mount namespaces, the scheduler and the per-CPU
 * run loop (cpu-loop.ts), and the primitives system calls are built from: sleeping
 * on a wait queue, waking, charging time, sending signals.
 *
 *    programs ──yield──▶ cpu-loop ──▶ syscalls/* ──▶ proc · vfs · fs · sched
 *                           │
 *                        Machine (costs of privileged operations)
 */
import type { Engine, Ns } from '../sim/engine.js';
import type { Rng } from '../sim/rng.js';
import type { Machine } from '../hw/machine.js';
import type { Cpu } from '../hw/cpu.js';
import type { CostTable } from '../hw/cost-table.js';
import { Scheduler, defaultTunables, type SchedTunables } from './sched/scheduler.js';
import { Task, TaskState } from './proc/task.js';
import { PidNamespace } from './proc/pid-namespace.js';
import type { WaitQueue } from './proc/wait-queue.js';
import { BLOCK, type Block } from './vfs/file.js';
import { MountNamespace, MountTable } from './vfs/mount.js';
import { PerCpu, accountIdle, runCpu } from './cpu-loop.js';
import type { ProgramTable } from './exec/program-table.js';
import { KernelPanic } from './panic.js';
import type { CharDevice } from './fs/chrdev.js';
import { FifoTable } from './fs/fifo.js';
import type { Tty } from './tty/tty.js';
import type { SimFs } from './fs/simfs.js';
import { isRt } from './sched/scheduler.js';
import { MemoryManager, type SwapPolicy } from './mm/memory.js';
import { outOfMemory } from './mm/oom.js';
import { tlbShootdown } from './mm/vm.js';
import { nsGet } from './ns/namespace.js';
import { UserNamespace } from './ns/user-ns.js';
import { TimeNamespace, UtsNamespace } from './ns/uts-ns.js';
import { IpcNamespace } from './ns/ipc-ns.js';
import { NetNamespace } from './ns/net-ns.js';
import { NetStack } from './net/stack.js';
import { CgroupNamespace } from './ns/cgroup-ns.js';
import { Nsproxy } from './ns/nsproxy.js';
import { NsFs } from './ns/nsfs.js';
import { CpuControl } from './cgroup/cpu-control.js';
import { Cgroup } from './cgroup/cgroup.js';
import { makedev } from './vfs/types.js';
import { threadsMax } from './proc/task-clone.js';
import type { KvmRegistry } from './kvm/kvm-dev.js';
import { Writeback } from './fs/writeback.js';

/** Boot-time settings of a kernel. */
export interface KernelConfig {
  /** The host name at boot (/etc/hostname is written from it). */
  hostname: string;
  /** CLOCK_REALTIME at boot, in ns since the Unix epoch. */
  bootEpochNs: Ns;
  /**
   * The engine's time when this kernel booted (default 0): a guest booted later than
   * its host counts CLOCK_MONOTONIC and /proc/uptime from its own boot, and its
   * CLOCK_REALTIME (kvmclock) agrees with the host's.
   */
  bootNs?: Ns;
  /** The programs exec can run, by name. */
  programs: ProgramTable;
  /** Scheduler tunables; Linux's defaults for the CPU count when absent. */
  sched?: Partial<SchedTunables>;
  /**
   * The scheduling policy of init, which every process inherits unless it changes its
   * own (as if init had run `chrt`): SCHED_OTHER (CFS) by default, or SCHED_RR/SCHED_FIFO
   * at priority 1 to watch a whole system scheduled round-robin or first-come-first-served.
   */
  defaultPolicy?: 'cfs' | 'rr' | 'fifo';
  /** The kernel command line (/proc/cmdline); DEFAULT_CMDLINE when absent. */
  cmdline?: string;
  /** Size of the swap device in bytes (0: no swap). */
  swapBytes?: number;
  /** The page-replacement policy (default clock). */
  swapPolicy?: SwapPolicy;
  /**
   * The disk to mount the root file system from (the command line's `root=/dev/sda`,
   * and `ro`). Absent: the tree built into the kernel, as an initramfs whose /init runs
   * (Linux then never looks at root=) — the physical host's, and a VM's without a root drive.
   */
  root?: { device: string; readOnly: boolean };
}

/** uname(2)'s fixed fields. */
export const UTS_SYSNAME = 'Linux';
export const UTS_RELEASE = '6.1.0-ctsim';
export const UTS_VERSION = '#1 SMP PREEMPT_DYNAMIC ctsim';
export const UTS_MACHINE = 'x86_64';
const NO_TASKS: ReadonlySet<Task> = new Set();

/** The command line a host boots with (GRUB's on Debian). */
export const DEFAULT_CMDLINE = `BOOT_IMAGE=/boot/vmlinuz-${UTS_RELEASE} root=/dev/sda1 ro quiet`;

/** A kernel log line as dmesg and the console print it: "[seconds.micros] text". */
export function formatPrintk(l: { t: Ns; text: string }): string {
  return `[${(Math.floor(l.t / 1000) / 1e6).toFixed(6).padStart(12)}] ${l.text}\n`;
}

/** Initial namespace inode numbers, as Linux assigns them (namespaces(7), NS-01). */
export const INITIAL_NS_INUM = {
  ipc: 4026531839,
  uts: 4026531838,
  user: 4026531837,
  pid: 4026531836,
  cgroup: 4026531835,
  time: 4026531834,
  net: 4026531833,
  mnt: 4026531832,
} as const;

export class Kernel {
  readonly machine: Machine;
  readonly engine: Engine;
  readonly costs: CostTable;
  readonly config: KernelConfig;
  readonly sched: Scheduler<PerCpu>;
  readonly percpu: PerCpu[];
  /** Every task that has not been reaped, by global tid (in creation order: Task.seq). */
  readonly tasks = new Map<number, Task>();
  /** The next Task.seq (init has 0). */
  nextTaskSeq = 1;
  /**
   * The tasks of `tasks` by process group (global pgid), so that setsid and setpgid do
   * not scan every task. Invariant: each task of `tasks` is in the set of its pgid and
   * in no other; change a task's pgid only with setPgid.
   */
  private readonly pgroups = new Map<number, Set<Task>>();

  /** The unreaped tasks of process group `pgid` (global id), in no particular order. */
  groupTasks(pgid: number): ReadonlySet<Task> {
    return this.pgroups.get(pgid) ?? NO_TASKS;
  }

  /** Files a task that just joined `tasks` under its process group. */
  fileTaskGroup(t: Task): void {
    let set = this.pgroups.get(t.pgid);
    if (!set) this.pgroups.set(t.pgid, (set = new Set()));
    set.add(t);
  }

  /** Takes a task leaving `tasks` (reaped) out of its process group. */
  unfileTaskGroup(t: Task): void {
    const set = this.pgroups.get(t.pgid);
    if (!set) return;
    set.delete(t);
    if (set.size === 0) this.pgroups.delete(t.pgid);
  }

  /** Moves `t` into process group `pgid` (setpgid, setsid). */
  setPgid(t: Task, pgid: number): void {
    if (t.pgid === pgid) return;
    const filed = this.pgroups.get(t.pgid)?.has(t) ?? false;
    if (filed) this.unfileTaskGroup(t);
    t.pgid = pgid;
    if (filed) this.fileTaskGroup(t);
  }
  readonly initUserNs: UserNamespace;
  readonly initPidNs: PidNamespace;
  readonly initMntNs: MountNamespace;
  /** The root of the cgroup v2 hierarchy. */
  readonly cgroupRoot: Cgroup;
  /** The cpu controller and freezer (cgroup/cpu-control.ts). */
  readonly cpuControl: CpuControl;
  private nextCgroupId = 2;
  /** The internal file system of /proc/PID/ns files. */
  readonly nsfs: NsFs;
  /** The namespaces init starts in (each holds a reference for the kernel, so it never dies). */
  readonly initNsproxy: Nsproxy;
  /** The task running on the CPU being simulated right now, if any. */
  current: Task | null = null;
  /** The CPU being simulated right now, if any. */
  currentCpu: PerCpu | null = null;
  /** Extra ns the running system call costs (added by handlers through `charge`). */
  pendingCost: Ns = 0;
  /** KVM's state (/dev/kvm), on a machine with hardware virtualization. */
  kvm: KvmRegistry | null = null;
  /** The kernel path being run (a system call number or KERNEL_ENTRY_*), for Machine.kernelPath. */
  kernelEntry = -1;
  /** Next inode number for namespaces and anonymous objects (pipes), as nsfs/pipefs count. */
  private nextAnonIno = 4026532000;
  private nextAnonMinor = 20;
  /** Every mount of every mount namespace, and the mount and peer-group ID counters. */
  readonly mounts = new MountTable();
  /** Processes forked since boot (the "processes" line of /proc/stat). */
  forks = 0;
  /** The kernel's entropy pool: /dev/urandom and getrandom(2), seeded from the engine. */
  readonly entropy: Rng;
  /** Character devices by device number (makedev(major, minor)). */
  readonly chrdevs = new Map<number, CharDevice>();
  /** Block devices by device number (the sd driver's disks). */
  readonly blkdevs = new Map<number, CharDevice>();
  /** The pipes of open FIFOs, by inode (fs/fifo.ts). */
  readonly fifos = new FifoTable();
  /** The devpts instance where /dev/pts/N nodes of new terminals appear. */
  devpts: SimFs | null = null;
  /** Terminals by index (/dev/pts/N). */
  readonly ttys: Tty[] = [];
  /** Serial lines by port (/dev/ttyS0…), made by the 8250 driver at boot. */
  readonly serialTtys: Tty[] = [];
  /** The console printk writes to once one is registered (console=ttyS0), or null. */
  printkConsole: ((line: string) => void) | null = null;
  /** Controlling terminals by session (global id of the session leader). */
  readonly sessionTty = new Map<number, Tty>();
  /** Called when a task exits (after it became a zombie): the harness watches commands it started. */
  readonly exitHooks = new Set<(t: Task) => void>();
  /** Kernel log lines with their time (dmesg). */
  readonly log: { t: Ns; text: string }[] = [];
  /** The disk file systems and when their dirty data is written back. */
  readonly writeback: Writeback = new Writeback(this);
  /**
   * Work queued for a CPU of this machine to run in kernel context (a workqueue: the
   * flusher's writeback). A CPU runs it when it next enters the kernel.
   */
  readonly workQueue: (() => void)[] = [];
  /** Page frames, swap and page replacement (mm/). */
  readonly mem: MemoryManager;
  /** The network stack: devices of every network namespace and the packet path (net/stack.ts). */
  readonly net: NetStack;

  constructor(machine: Machine, config: KernelConfig) {
    this.machine = machine;
    this.engine = machine.engine;
    this.costs = machine.costs;
    this.config = config;
    this.entropy = this.engine.rng.fork(`kernel:${machine.name}:entropy`);
    this.percpu = machine.cpus.map((c) => new PerCpu(c));
    this.sched = new Scheduler(this.percpu, { ...defaultTunables(machine.cpus.length), ...config.sched });
    // The initial namespaces (namespaces(7) NS-01), owned by the initial user namespace.
    this.net = new NetStack(this);
    const user = nsGet(new UserNamespace(INITIAL_NS_INUM.user, null, 0, 0, true, Math.floor(threadsMax(machine.ramBytes) / 2)));
    this.initUserNs = user;
    this.initPidNs = nsGet(new PidNamespace(null, INITIAL_NS_INUM.pid, user));
    this.initMntNs = nsGet(new MountNamespace(INITIAL_NS_INUM.mnt, user, this.mounts));
    this.cgroupRoot = new Cgroup('', null);
    this.initNsproxy = new Nsproxy({
      uts: new UtsNamespace(INITIAL_NS_INUM.uts, user, config.hostname, '(none)'),
      ipc: new IpcNamespace(INITIAL_NS_INUM.ipc, user),
      net: new NetNamespace(INITIAL_NS_INUM.net, user, this.net),
      cgroup: new CgroupNamespace(INITIAL_NS_INUM.cgroup, user, this.cgroupRoot),
      time: new TimeNamespace(INITIAL_NS_INUM.time, user),
    });
    for (const ns of this.initNsproxy.all()) nsGet(ns);
    this.net.setUp(this.initNsproxy.net.lo, true);
    this.nsfs = new NsFs(this);
    this.cpuControl = new CpuControl(this);
    this.sched.group = this.cpuControl;
    for (const pc of this.percpu) pc.cpuControl = this.cpuControl;
    for (const pc of this.percpu) {
      pc.cpu.onRun = (cpu: Cpu) => runCpu(this, this.percpu[cpu.id]);
    }
    this.printk(`Linux version ${UTS_RELEASE} (ctsim) ${UTS_VERSION}`);
    this.printk(`smpboot: Allowing ${machine.cpus.length} CPUs`);
    this.printk(`Kernel command line: ${this.cmdline}`);
    this.mem = new MemoryManager({
      memory: machine.memory,
      swapBytes: config.swapBytes ?? 0,
      policy: config.swapPolicy ?? 'clock',
      rng: this.engine.rng.fork(`kernel:${machine.name}:reclaim`),
      shootdown: (mm, vpn) => tlbShootdown(this, mm, vpn),
      outOfMemory: () => outOfMemory(this),
      // Pages of processes outside the root cgroup are charged to their memory cgroup.
      memcgOf: (owner) => {
        const t = this.tasks.get(owner);
        return t && t.cgroup.parent ? t.cgroup.mem : null;
      },
      memcgOutOfMemory: (scope) => outOfMemory(this, scope),
    });
    this.printk(`Memory: ${this.mem.totalFrames * 4}K/${Math.floor(machine.ramBytes / 1024)}K available (${this.mem.reservedFrames * 4}K reserved)`);
    if (this.mem.swap.slots > 0) this.printk(`Adding ${this.mem.swap.slots * 4}k swap on /dev/sda2.  Priority:-2 extents:1 across:${this.mem.swap.slots * 4}k SS`);
  }

  /** The current simulated time in ns. */
  get now(): Ns {
    return this.engine.now;
  }

  /** CLOCK_MONOTONIC (and CLOCK_BOOTTIME): ns since this kernel booted. */
  get uptimeNs(): Ns {
    return this.engine.now - (this.config.bootNs ?? 0);
  }

  /** CLOCK_REALTIME now, in ns since the epoch. */
  get realtimeNs(): Ns {
    return this.config.bootEpochNs + this.uptimeNs;
  }

  /** The kernel command line (/proc/cmdline). */
  get cmdline(): string {
    return this.config.cmdline ?? DEFAULT_CMDLINE;
  }

  /** Appends a kernel log line (dmesg) and writes it to the console, if one is registered. */
  printk(text: string): void {
    const line = { t: this.engine.now, text };
    this.log.push(line);
    this.printkConsole?.(formatPrintk(line));
  }

  /** A device number for a file system without a device (tmpfs, proc): 0:N, as get_anon_bdev hands out. */
  allocAnonDev(): number {
    return makedev(0, this.nextAnonMinor++);
  }

  /** A number for a new cgroup (its inodes in cgroupfs). */
  allocCgroupId(): number {
    return this.nextCgroupId++;
  }

  /** A fresh inode number for a namespace or an anonymous object. */
  allocAnonIno(): number {
    return this.nextAnonIno++;
  }

  /** Adds `ns` to what the running system call costs. */
  charge(ns: Ns): void {
    this.pendingCost += ns;
  }

  /** The live task with PID `pid` in namespace `ns`, or undefined. */
  taskByPid(ns: PidNamespace, pid: number): Task | undefined {
    return ns.tasks.get(pid);
  }

  /**
   * Puts `t` to sleep on `wq` (or on nothing: a timer or a signal will wake it) and
   * returns BLOCK: the system call is re-run when the task wakes.
   */
  sleepOn(t: Task, wq: WaitQueue | null, state: TaskState = TaskState.Sleeping): Block {
    if (state === TaskState.DiskSleep && t.iowaitCpu < 0) {
      // Waiting for I/O: the CPU it ran on counts its idle time as iowait (/proc/stat).
      const pc = this.percpu[t.lastCpu] ?? this.percpu[0];
      accountIdle(pc, this.engine.now);
      pc.nrIowait++;
      t.iowaitCpu = pc.id;
    }
    t.state = state;
    t.lastStateChange = this.engine.now;
    if (wq) {
      wq.add(t);
      t.waitingOn.push(wq);
    }
    return BLOCK;
  }

  /**
   * Puts `t` in a killable sleep on `wq` (TASK_KILLABLE): D in ps and counted in the load
   * average like I/O, but not iowait; only a signal that will kill it wakes it (SIGKILL,
   * or one not caught whose default action kills: sendSignal, isFatal).
   */
  sleepKillable(t: Task, wq: WaitQueue): Block {
    t.wakeKill = true;
    t.state = TaskState.DiskSleep;
    t.lastStateChange = this.engine.now;
    wq.add(t);
    t.waitingOn.push(wq);
    return BLOCK;
  }

  /** Sleeps until absolute time `at` (or an earlier wake-up); DiskSleep for I/O no signal interrupts. */
  sleepUntil(t: Task, at: Ns, wq: WaitQueue | null = null, state: TaskState = TaskState.Sleeping): Block {
    this.engine.cancel(t.wakeTimer);
    t.wakeTimer = this.engine.at(at, () => {
      t.wakeTimer = null;
      this.wakeUp(t);
    });
    return this.sleepOn(t, wq, state);
  }

  /** Wakes every task sleeping on `wq`. */
  wakeAll(wq: WaitQueue): void {
    if (wq.isEmpty) return;
    for (const t of wq.sleepers) this.wakeUp(t);
  }

  /** Makes a sleeping task runnable (try_to_wake_up()). */
  wakeUp(t: Task): void {
    if (t.state !== TaskState.Sleeping && t.state !== TaskState.DiskSleep) return;
    if (t.iowaitCpu >= 0) {
      const pc = this.percpu[t.iowaitCpu];
      accountIdle(pc, this.engine.now);
      pc.nrIowait--;
      t.iowaitCpu = -1;
    }
    for (const wq of t.waitingOn) wq.remove(t);
    t.waitingOn.length = 0;
    this.engine.cancel(t.wakeTimer);
    t.wakeTimer = null;
    t.wakeKill = false;
    t.state = TaskState.Running;
    t.lastStateChange = this.engine.now;
    // Still on its CPU finishing the system call that slept: it simply carries on.
    if (t.cpu !== null) return;
    this.sched.enqueue(t, 'wakeup');
    this.kick(t);
  }

  /** Makes a runnable, queued task run soon: wake an idle CPU or preempt a busy one. */
  kick(t: Task): void {
    const idle = this.pickIdleCpu(t);
    if (idle) {
      idle.reserved = true;
      this.machine.wake(idle.cpu);
      return;
    }
    const victim = isRt(t) ? this.sched.rtVictim(t) : this.percpu[t.lastCpu] ?? this.percpu[0];
    if (victim === null) return;
    if (this.sched.wakeupPreempts(victim.current, t)) this.resched(victim);
    else this.ensureTick(victim);
  }

  private pickIdleCpu(t: Task): PerCpu | null {
    const last = this.percpu[t.lastCpu];
    if (last && last.current === null && !last.reserved) return last;
    for (const pc of this.percpu) if (pc.current === null && !pc.reserved) return pc;
    return null;
  }

  /** Asks CPU `pc` to reschedule at the next opportunity (an IPI unless it is this CPU). */
  resched(pc: PerCpu): void {
    pc.needResched = true;
    if (pc !== this.currentCpu) {
      const cost = this.machine.sendIpi(this.currentCpu?.cpu ?? null, pc.cpu, this.engine.now);
      if (this.currentCpu) this.charge(cost);
    }
  }

  /** Makes sure CPU `pc` will look at its runqueue again when its task's slice ends. */
  ensureTick(pc: PerCpu): void {
    const cur = pc.current;
    if (!cur || pc.cpu.timerDeadline !== Infinity) return;
    const left = this.sched.remainingSlice(cur, this.engine.now);
    if (left === Infinity) return;
    this.machine.programTimer(pc.cpu, this.engine.now + left);
  }

  /**
   * Queues `work` for a CPU: an idle one is woken for it, else CPU 0 is interrupted. On
   * a paused VM it waits until the VM runs; on a powered-off one it never runs.
   */
  queueWork(work: () => void): void {
    this.workQueue.push(work);
    const idle = this.percpu.find((pc) => pc.current === null);
    if (idle) {
      this.machine.wake(idle.cpu);
      return;
    }
    const pc = this.percpu[0];
    pc.interrupt = true;
    this.machine.sendIpi(this.currentCpu?.cpu ?? null, pc.cpu, this.now);
  }

  /** Runs the queued work (on the current CPU, from its run loop). */
  runQueuedWork(): void {
    for (const work of this.workQueue.splice(0)) work();
  }

  /** A broken invariant: stop the simulation with the facts. */
  panic(message: string, facts: Record<string, unknown> = {}): never {
    throw new KernelPanic(message, facts);
  }

  /** Tasks in global tid order. */
  allTasks(): Task[] {
    return [...this.tasks.values()].sort((a, b) => a.tid - b.tid);
  }
}
