/**
 * /dev/kvm (misc device 10:232): the host kernel's interface for a type 2 VMM, with
 * the ioctls of Documentation/virt/kvm/api.rst that a VMM needs to run a guest:
 *
 *   kvm  = open("/dev/kvm")
 *   ioctl(kvm, KVM_GET_API_VERSION)                → 12
 *   vm   = ioctl(kvm, KVM_CREATE_VM, 0)            → a VM descriptor ("anon_inode:kvm-vm")
 *   ioctl(vm, KVM_SET_USER_MEMORY_REGION, {slot, guest_phys_addr, memory_size, userspace_addr})
 *   vcpu = ioctl(vm, KVM_CREATE_VCPU, N)           → a vCPU descriptor ("anon_inode:kvm-vcpu:N")
 *   ioctl(vcpu, KVM_RUN)                           → runs the guest on the caller's CPU
 *
 * KVM_RUN puts the calling task's CPU in guest mode (cpu-loop's Guest piece) until
 * the vCPU halts — the task then sleeps in KVM_RUN until the vCPU has an interrupt —
 * or the host takes the CPU back. It returns 0 only when the VM has shut down, and
 * EINTR when a signal interrupts it, as KVM does.
 *
 * Which VM a process creates is decided by the hypervisor that started it: it
 * announces the VM for the VMM's PID (`expectVmm`) before the VMM runs.
 * Simplification: one memory slot, guest-physical address 0; no KVM_GET/SET_REGS,
 * no kvm_run shared page (the exit reason is not reported to the VMM: exits are
 * handled in the kernel, and I/O exits come with devices).
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { BLOCK, OpenFile, type FileOps } from '../vfs/file.js';
import { err } from '../errno.js';
import { WaitQueue } from '../proc/wait-queue.js';
import { installFile } from '../syscalls/sys-file.js';
import { makedev } from '../vfs/types.js';
import { GuestEntry, type KvmVcpu } from './kvm-vcpu.js';
import { pinUserPage } from './kvm-mm.js';
import { sendSignal } from '../proc/task-signal.js';
import { SIG } from '../proc/signals.js';

export const KVM_GET_API_VERSION = 0xae00;
export const KVM_CREATE_VM = 0xae01;
export const KVM_CREATE_VCPU = 0xae41;
export const KVM_SET_USER_MEMORY_REGION = 0x4020ae46;
export const KVM_RUN = 0xae80;
/** KVM_API_VERSION in linux/kvm.h. */
export const KVM_API_VERSION = 12;
export const KVM_MINOR = 232;

/** A guest's memory as the host sees it: the VMM's mapping of guest RAM. */
export interface KvmMemory {
  /** The host frame backing guest page `gfn` (faulted into the VMM and pinned), and what that cost; null when the host has none. */
  pin(gfn: number): { frame: number; ns: number } | null;
}

/** What the hypervisor gives the host kernel for one VM. */
export interface KvmVmBinding {
  readonly vcpus: readonly KvmVcpu[];
  /** Guest RAM size in bytes (the one memory slot must cover it). */
  readonly memBytes: number;
  /** KVM_SET_USER_MEMORY_REGION: guest RAM is the VMM's memory from here on. */
  attachMemory(mem: KvmMemory): void;
  /** The VMM's last descriptor of the VM closed (it exited or was killed): the VM stops, unless it has left. */
  vmReleased(): void;
  /** One of the VMM's tasks died while the VM was still its (killed, crashed): the VM stops. */
  vmmDied(): void;
  /** True once the VM has left this VMM (migrated, or moved by a restore): KVM_RUN returns 0. */
  readonly gone: boolean;
  /** Set by the host kernel: wakes every vCPU thread of this VMM (to see that the VM is gone). */
  onGone: (() => void) | null;
}

export interface KvmRegistry {
  /** VMs announced for the process (thread-group leader PID) that will create them. */
  readonly expected: Map<number, KvmVmBinding>;
}

interface VmHandle {
  binding: KvmVmBinding;
  task: Task;
  vcpuFds: Set<number>;
  hva: number;
  /** The wait queues of its vCPU threads. */
  waits: WaitQueue[];
  /** The VMM's tasks (the one that created the VM, and each vCPU thread). */
  members: Set<Task>;
}

interface VcpuHandle {
  vm: VmHandle;
  vcpu: KvmVcpu;
  /** The vCPU thread sleeps here while the vCPU is halted. */
  wait: WaitQueue;
  /** What wakes it (the vCPU's onKick while this VMM has it). */
  kick: () => void;
}

/** Announces that process `pid` (a VMM about to run) will create VM `binding`. */
export function expectVmm(k: Kernel, pid: number, binding: KvmVmBinding): void {
  kvmRegistry(k).expected.set(pid, binding);
}

export function kvmRegistry(k: Kernel): KvmRegistry {
  k.kvm ??= { expected: new Map() };
  return k.kvm;
}

/** Registers /dev/kvm on a kernel whose machine has hardware virtualization (VMX). */
export function registerKvm(k: Kernel): void {
  k.chrdevs.set(makedev(10, KVM_MINOR), { name: 'kvm', open: () => ({ ops: kvmOps }) });
}

const kvmOps: FileOps = {
  ioctl(k, t, _f, cmd) {
    if (cmd === KVM_GET_API_VERSION) return KVM_API_VERSION;
    if (cmd !== KVM_CREATE_VM) return err('EINVAL', `ioctl 0x${cmd.toString(16)} is not one /dev/kvm answers (KVM_GET_API_VERSION, KVM_CREATE_VM)`);
    const reg = kvmRegistry(k);
    const binding = reg.expected.get(t.tgid);
    if (!binding) return err('ENODEV', 'no VM was announced for this process: ctsim starts VMMs itself (ctsim vm start)');
    reg.expected.delete(t.tgid);
    const vm: VmHandle = { binding, task: t, vcpuFds: new Set(), hva: -1, waits: [], members: new Set([t]) };
    binding.onGone = () => {
      for (const w of vm.waits) k.wakeAll(w);
    };
    // The VMM's tasks live and die together, as one process's threads: when one of them
    // exits while the VM is still its, the VM stops and the others are killed.
    const hook = (dead: Task): void => {
      if (!vm.members.delete(dead)) return;
      if (!binding.gone) {
        binding.vmmDied();
        for (const m of vm.members) sendSignal(k, m, SIG.SIGKILL, false);
      }
      if (vm.members.size === 0) k.exitHooks.delete(hook);
    };
    k.exitHooks.add(hook);
    return installFile(t, new OpenFile(vmOps, 2, null, null, 'anon_inode:kvm-vm', vm), true);
  },
};

const vmOps: FileOps = {
  ioctl(k, t, f, cmd, arg) {
    const vm = f.priv as VmHandle;
    if (cmd === KVM_SET_USER_MEMORY_REGION) {
      const a = arg as { slot?: number; guest_phys_addr?: number; memory_size?: number; userspace_addr?: number } | undefined;
      if (!a || a.guest_phys_addr !== 0 || a.memory_size !== vm.binding.memBytes || typeof a.userspace_addr !== 'number' || a.userspace_addr % 4096 !== 0) {
        return err('EINVAL', `ctsim's KVM takes one memory slot at guest-physical 0 covering all ${vm.binding.memBytes} bytes of guest RAM at a page-aligned address`);
      }
      // Simplification: one slot, set once (KVM would let a VMM change or delete slots).
      if (vm.hva >= 0) return err('EEXIST', 'guest RAM is already mapped (ctsim\'s KVM has one memory slot, set once)');
      vm.hva = a.userspace_addr;
      const task = t;
      vm.binding.attachMemory({ pin: (gfn) => pinUserPage(k, task, vm.hva + gfn * 4096) });
      return 0;
    }
    if (cmd === KVM_CREATE_VCPU) {
      const i = typeof arg === 'number' ? arg : -1;
      const vcpu = vm.binding.vcpus[i];
      if (!vcpu) return err('EINVAL', `the VM has vCPUs 0..${vm.binding.vcpus.length - 1}; asked for ${String(arg)}`);
      if (vm.vcpuFds.has(i)) return err('EEXIST', `vCPU ${i} exists already`);
      vm.vcpuFds.add(i);
      const h: VcpuHandle = { vm, vcpu, wait: new WaitQueue(), kick: () => undefined };
      h.kick = () => k.wakeAll(h.wait);
      vm.waits.push(h.wait);
      vm.members.add(t);
      vcpu.onKick = h.kick;
      return installFile(t, new OpenFile(vcpuOps, 2, null, null, `anon_inode:kvm-vcpu:${i}`, h), true);
    }
    return err('EINVAL', `ioctl 0x${cmd.toString(16)} is not one a KVM VM descriptor answers (KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU)`);
  },
  release(_k, f) {
    (f.priv as VmHandle).binding.vmReleased();
  },
};

const vcpuOps: FileOps = {
  ioctl(k, t, f, cmd) {
    const h = f.priv as VcpuHandle;
    if (cmd !== KVM_RUN) return err('EINVAL', `ioctl 0x${cmd.toString(16)} is not one a vCPU descriptor answers (KVM_RUN)`);
    if (h.vm.hva < 0) return err('EFAULT', 'KVM_RUN before KVM_SET_USER_MEMORY_REGION: the guest has no memory');
    if (h.vm.binding.gone || h.vcpu.shutDown()) return 0;
    if (h.vcpu.runnable()) return new GuestEntry(h.vcpu);
    // HLT with nothing pending: sleep until the vCPU has an interrupt (kvm_vcpu_block).
    k.sleepOn(t, h.wait);
    return BLOCK;
  },
  release(_k, f) {
    const h = f.priv as VcpuHandle;
    // Only this VMM's wake-up goes: the vCPU may belong to another VMM by now (migration).
    if (h.vcpu.onKick === h.kick) h.vcpu.onKick = null;
  },
};

