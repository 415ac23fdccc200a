/**
 * A hosted VMM (type 2 hypervisor) as a host process, in the shape of QEMU/KVM,
 * Firecracker, VMware Workstation's vmware-vmx or VirtualBox's VBoxHeadless:
 *
 *   qemu-system-x86_64 -name NAME -smp N -m MIB [-overhead BYTES]
 *
 * It opens /dev/kvm, creates its VM, maps the guest's RAM as anonymous memory of its
 * own (MAP_NORESERVE: pages are used only when the guest touches them), touches
 * `-overhead` bytes of its own (the VMM's code, device models and buffers), and runs
 * one vCPU per "thread": vCPU 0 in this process, the others in children that share
 * its address space (CLONE_VM). Each loops on ioctl(KVM_RUN) until the VM shuts down.
 *
 * Simplification: ctsim has no CLONE_THREAD, so vCPU threads are processes sharing
 * the VMM's memory (ps shows them as separate PIDs of the same command); there is no
 * device thread (device emulation comes with the devices).
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { CLONE_FILES, CLONE_FS, CLONE_VM } from '../../../kernel/syscalls/abi.js';
import { SIG } from '../../../kernel/proc/signals.js';
import { O_RDWR } from '../../../kernel/vfs/types.js';
import { KVM_CREATE_VCPU, KVM_CREATE_VM, KVM_RUN, KVM_SET_USER_MEMORY_REGION } from '../../../kernel/kvm/kvm-dev.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, mmap, touch } from '../../lib/mem.js';

const MAP_NORESERVE = 0x4000;

/** One vCPU's loop: KVM_RUN until the VM is shut down (0); a signal (EINTR) just runs it again. */
function* runVcpu(prog: string, vmfd: number, index: number): Program {
  const fd = yield* sys.ioctl(vmfd, KVM_CREATE_VCPU, index);
  if (fd instanceof SysError) {
    yield* errOut(`${prog}: KVM_CREATE_VCPU ${index}: ${fd.message}\n`);
    return 1;
  }
  for (;;) {
    const r = yield* sys.ioctl(fd as number, KVM_RUN);
    if (r instanceof SysError) {
      if (r.errno === 'EINTR') continue;
      yield* errOut(`${prog}: KVM_RUN: ${r.message}\n`);
      return 1;
    }
    return 0;
  }
}

export function* vmmMain({ argv }: ProgramArgs): Program {
  const prog = (argv[0] ?? 'vmm').replace(/.*\//, '');
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const vcpus = Number(opt('-smp') ?? '1');
  const memMib = Number(opt('-m') ?? '128');
  const overhead = Number(opt('-overhead') ?? '0');
  if (!Number.isSafeInteger(vcpus) || vcpus < 1 || !Number.isSafeInteger(memMib) || memMib < 1 || !Number.isSafeInteger(overhead) || overhead < 0) {
    yield* errOut(`${prog}: usage: ${prog} -name NAME -smp N -m MIB [-overhead BYTES]\n`);
    return 2;
  }
  const kvm = yield* sys.open('/dev/kvm', O_RDWR);
  if (kvm instanceof SysError) {
    yield* errOut(`Could not access KVM kernel module: ${kvm.message}\n${prog}: failed to initialize kvm: ${kvm.message}\n`);
    return 1;
  }
  const vmfd = yield* sys.ioctl(kvm, KVM_CREATE_VM, 0);
  if (vmfd instanceof SysError) {
    yield* errOut(`${prog}: KVM_CREATE_VM: ${vmfd.message}\n`);
    return 1;
  }
  // The VMM's own memory (device models, buffers) is set up before the guest runs.
  if (overhead > 0) {
    const own = yield* mmap(0, overhead, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (own instanceof SysError) {
      yield* errOut(`${prog}: cannot allocate ${overhead} bytes: ${own.message}\n`);
      return 1;
    }
    yield* touch(own, overhead, true);
  }
  const size = memMib * 1024 * 1024;
  const ram = yield* mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
  if (ram instanceof SysError) {
    yield* errOut(`${prog}: cannot map ${memMib} MiB of guest RAM: ${ram.message}\n`);
    return 1;
  }
  const set = yield* sys.ioctl(vmfd as number, KVM_SET_USER_MEMORY_REGION, { slot: 0, guest_phys_addr: 0, memory_size: size, userspace_addr: ram });
  if (set instanceof SysError) {
    yield* errOut(`${prog}: KVM_SET_USER_MEMORY_REGION: ${set.message}\n`);
    return 1;
  }
  const children: number[] = [];
  for (let i = 1; i < vcpus; i++) {
    const pid = yield* sys.clone(() => runVcpu(prog, vmfd as number, i), CLONE_VM | CLONE_FS | CLONE_FILES, SIG.SIGCHLD);
    if (pid instanceof SysError) {
      yield* errOut(`${prog}: cannot start vCPU thread ${i}: ${pid.message}\n`);
      return 1;
    }
    children.push(pid);
  }
  const status = yield* runVcpu(prog, vmfd as number, 0);
  for (const pid of children) yield* sys.wait4(pid);
  return status;
}
