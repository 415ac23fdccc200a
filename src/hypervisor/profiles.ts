/**
 * Hypervisor profiles: presets that stand for one real hypervisor product of one era
 * and supply the defaults of a VM configuration (vm-config.ts) — how the CPU and
 * memory are virtualized, the hypervisor type, the NIC model, the MAC prefix — plus
 * the boot steps and per-VM VMM memory that ctsim charges for a VM of that product.
 *
 * Figures come from /work/shared/reference/VIRT-FIGURES.md (cited as "VIRT-FIGURES
 * §n"); where it has none, the `source` says "design choice" and why.
 *
 * Simplification: every profile boots the same generic Linux guest kernel; only the
 * firmware step and the virtualization technique change the boot figures.
 */
import type { CpuVirt, MemVirt, NicModel } from './vm-config.js';

const MS = 1_000_000;
const KIB = 1024;
const MIB = 1024 * 1024;

/** A hypervisor preset: defaults for a VM configuration and the costs of starting one. */
export interface Profile {
  /** The name a config's `hypervisor.profile` gives: 'kvm', 'firecracker', 'esxi', 'vmware-2006', 'xen-pv', 'virtualbox', 'hyperv'. */
  name: string;
  /** The product and technique, e.g. 'KVM/QEMU (Linux) with VT-x and EPT'. */
  product: string;
  /** The years the preset stands for, e.g. '2008–today'. */
  era: string;
  /** 1: bare-metal hypervisor; 2: hosted VMM (a host process whose vCPUs are host threads). */
  hypervisorType: 1 | 2;
  cpuVirt: CpuVirt;
  memVirt: MemVirt;
  nicModel: NicModel;
  /** Prefix of generated MACs, lower-case 'xx:xx:xx'. Invariant: unicast (bit 0 of the first octet clear). */
  macOui: string;
  /**
   * Boot steps charged when the VM starts: firmware (BIOS/UEFI, or 0 for direct kernel
   * boot), then kernel (entry to the exec of /sbin/init), then init (init's own start-up);
   * ns of simulated time each, with the source of each figure.
   */
  boot: { firmwareNs: number; kernelNs: number; initNs: number; source: string };
  /** VMM memory overhead per VM in bytes beyond guest RAM (the VMM process/monitor); its source is in `description`. */
  vmmOverheadBytes: number;
  /** One paragraph: what this preset stands for and why these choices. */
  description: string;
}

/**
 * The generic split of a QEMU/KVM boot, used wherever a guest boots through firmware:
 * VIRT-FIGURES §4/§9 give 500–700 ms (600 ms suggested) for the whole boot; ctsim splits
 * it (design choice) into firmware 200 ms + kernel 300 ms + init 100 ms.
 */
const FIRMWARE_NS = 200 * MS;
const KERNEL_NS = 300 * MS;
const INIT_NS = 100 * MS;
const GENERIC_SPLIT = 'split of the 600 ms total into firmware 200 + kernel 300 + init 100 ms is a ctsim design choice';

/** Every profile, in the order `ctsim` lists them. */
export const PROFILES: readonly Profile[] = [
  {
    name: 'kvm',
    product: 'KVM/QEMU (Linux) with VT-x and EPT',
    era: '2008–today',
    hypervisorType: 2,
    cpuVirt: 'hw',
    memVirt: 'nested',
    nicModel: 'virtio',
    macOui: '52:54:00',
    boot: {
      firmwareNs: FIRMWARE_NS,
      kernelNs: KERNEL_NS,
      initNs: INIT_NS,
      source: `SeaBIOS, then the kernel, then init: 600 ms in all, VIRT-FIGURES §4 (QEMU generic boot 500–700 ms, Bonzini 2015) and §9; the ${GENERIC_SPLIT}`,
    },
    vmmOverheadBytes: 130 * MIB,
    description:
      'The common Linux server VM: QEMU as the hosted VMM process with KVM, the kernel module that runs vCPUs with VT-x/AMD-V, so every vCPU is a host thread and sensitive instructions cause VM exits handled by the kernel or QEMU. Guest memory uses nested paging (EPT/NPT, two-dimensional walks, VIRT-FIGURES §2) and the NIC is virtio-net. KVM itself is part of the host kernel, but ctsim models QEMU/KVM as type 2 because the VMM and its vCPUs are scheduled as ordinary host processes. MACs use 52:54:00, the prefix QEMU and libvirt assign (§8). The VMM overhead of ~130 MB per VM is the QEMU figure of §9 (read as MiB).',
  },
  {
    name: 'firecracker',
    product: 'Firecracker microVM monitor on KVM',
    era: '2018–today',
    hypervisorType: 2,
    cpuVirt: 'hw',
    memVirt: 'nested',
    nicModel: 'virtio',
    macOui: 'aa:fc:00',
    boot: {
      firmwareNs: 0,
      kernelNs: 125 * MS,
      initNs: 0,
      source:
        'no firmware (Firecracker loads the kernel directly: no BIOS, no PCI, VIRT-FIGURES §4 device model); InstanceStart to /sbin/init ≤ 125 ms, §4 (Firecracker SPECIFICATION.md) and §9; init 0 ms is a ctsim design choice (the figure already ends at init, and a microVM\'s init is its workload); the VMM process start (≈12 ms, §4) is not a boot step',
    },
    vmmOverheadBytes: 5 * MIB,
    description:
      'A microVM: one small Rust VMM process per VM on KVM (type 2 like QEMU/KVM), with a minimal device model — virtio-net, virtio-block, a serial console — and direct kernel boot without firmware, built for serverless functions (AWS Lambda). Same hw + nested virtualization as kvm. Firecracker assigns no MAC of its own (the guest driver picks a random one); ctsim generates MACs in aa:fc:00, the prefix of Firecracker\'s examples (docs/mmds/mmds-user-guide.md), a locally administered unicast prefix. VMM overhead 5 MiB per VM, VIRT-FIGURES §4/§9 (SPECIFICATION.md).',
  },
  {
    name: 'esxi',
    product: 'VMware ESXi with VT-x and EPT',
    era: '2009–today',
    hypervisorType: 1,
    cpuVirt: 'hw',
    memVirt: 'nested',
    nicModel: 'e1000',
    macOui: '00:50:56',
    boot: {
      firmwareNs: FIRMWARE_NS,
      kernelNs: KERNEL_NS,
      initNs: INIT_NS,
      source: `VMware BIOS/EFI, then the kernel, then init; VIRT-FIGURES has no ESXi boot figure, so ctsim reuses the QEMU/KVM figure of §4/§9 (600 ms) and its split (design choice): the ${GENERIC_SPLIT}`,
    },
    vmmOverheadBytes: 32 * MIB,
    description:
      'VMware\'s bare-metal hypervisor (type 1) as run since hardware MMU virtualization arrived: VT-x with EPT (VMware measured up to +48% over its own shadow paging on MMU-heavy work, VIRT-FIGURES §2). The NIC is the emulated Intel e1000, the default that every guest has a driver for (the paravirtual vmxnet3 needs VMware Tools). MACs use 00:50:56, VMware\'s prefix for assigned addresses (§8). VMM overhead 32 MiB per VM is a design choice (the VMX process and monitor; VIRT-FIGURES has no figure).',
  },
  {
    name: 'vmware-2006',
    product: 'VMware Workstation software VMM (binary translation + shadow paging)',
    era: '1999–2006',
    hypervisorType: 2,
    cpuVirt: 'bt',
    memVirt: 'shadow',
    nicModel: 'e1000',
    macOui: '00:0c:29',
    boot: {
      firmwareNs: FIRMWARE_NS,
      kernelNs: 2 * KERNEL_NS,
      initNs: 3 * INIT_NS,
      source:
        'BIOS 200 ms as the generic split of VIRT-FIGURES §4/§9 (design choice); kernel 600 ms = 2× the generic 300 ms and init 300 ms = 3× the generic 100 ms are ctsim design choices for binary translation with shadow paging, whose kernel-heavy work runs 2–9× native (§1a nanobenchmarks, §7 lmbench VMW column) and whose process creation runs 6.2× native (§1b forkwait)',
    },
    vmmOverheadBytes: 32 * MIB,
    description:
      'The software VMM that Adams & Agesen (ASPLOS 2006, VIRT-FIGURES §1) compared with first-generation VT-x: VMware Workstation, a hosted VMM (type 2) that runs guest user code directly and translates guest kernel code, with shadow page tables kept in sync by tracing guest page-table writes (no EPT/NPT existed yet, so mem-virt nested is refused with bt). System calls and page faults cost far more than native while CPU-bound code runs near native. NIC e1000 (emulated); MACs in 00:0C:29, the prefix Workstation generates from the VM\'s UUID (§8). VMM overhead 32 MiB is a design choice (monitor, vmware-vmx process and shadow page tables; no figure in VIRT-FIGURES).',
  },
  {
    name: 'xen-pv',
    product: 'Xen with paravirtualized guests (XenoLinux)',
    era: '2003–today',
    hypervisorType: 1,
    cpuVirt: 'pv',
    memVirt: 'shadow',
    nicModel: 'virtio',
    macOui: '00:16:3e',
    boot: {
      firmwareNs: 0,
      kernelNs: KERNEL_NS,
      initNs: INIT_NS,
      source: `no firmware: Xen's domain builder loads the PV kernel directly (design choice from the PV boot protocol); kernel 300 + init 100 ms as the generic split of VIRT-FIGURES §4/§9 (600 ms total), which is a ctsim design choice`,
    },
    vmmOverheadBytes: 20 * KIB,
    description:
      'Xen as Barham et al. built it (SOSP 2003, VIRT-FIGURES §7): a bare-metal hypervisor (type 1) running guests whose kernels were ported to call it — page-table updates are batched, validated hypercalls, system calls can bypass Xen, interrupts become events and I/O goes through shared descriptor rings. Xen PV uses direct paging (the guest\'s own tables, validated and read-only), and so does ctsim: under cpu-virt pv, mem-virt shadow is direct paging (pinned tables, updates in batched mmu_update hypercalls). The split-driver network frontend (netfront) is modelled by the virtio model. MACs use 00:16:3E, XenSource\'s prefix (§8). Xen keeps a fixed 20 kB per domain (§4, Barham §4.5; read as 20 KiB): there is no per-VM VMM process.',
  },
  {
    name: 'virtualbox',
    product: 'Oracle VirtualBox with VT-x and EPT',
    era: '2008–today',
    hypervisorType: 2,
    cpuVirt: 'hw',
    memVirt: 'nested',
    nicModel: 'e1000',
    macOui: '08:00:27',
    boot: {
      firmwareNs: FIRMWARE_NS,
      kernelNs: KERNEL_NS,
      initNs: INIT_NS,
      source: `VirtualBox BIOS, then the kernel, then init; VIRT-FIGURES has no VirtualBox boot figure, so ctsim reuses the QEMU/KVM figure of §4/§9 (600 ms) and its split (design choice): the ${GENERIC_SPLIT}`,
    },
    vmmOverheadBytes: 130 * MIB,
    description:
      'The desktop hosted VMM (type 2): the VM runs in a host process with a kernel driver, using VT-x/AMD-V and nested paging. Its default NIC is an emulated Intel PRO/1000 (e1000). MACs use 08:00:27, VirtualBox\'s prefix (VIRT-FIGURES §8). VMM overhead 130 MiB borrows the QEMU figure of §9 (design choice: both are hosted VMM processes with a full device model; VIRT-FIGURES has no VirtualBox figure).',
  },
  {
    name: 'hyperv',
    product: 'Microsoft Hyper-V with VT-x and SLAT',
    era: '2008–today',
    hypervisorType: 1,
    cpuVirt: 'hw',
    memVirt: 'nested',
    nicModel: 'virtio',
    macOui: '00:15:5d',
    boot: {
      firmwareNs: FIRMWARE_NS,
      kernelNs: KERNEL_NS,
      initNs: INIT_NS,
      source: `UEFI (generation 2 VM), then the kernel, then init; VIRT-FIGURES has no Hyper-V boot figure, so ctsim reuses the QEMU/KVM figure of §4/§9 (600 ms) and its split (design choice): the ${GENERIC_SPLIT}`,
    },
    vmmOverheadBytes: 32 * MIB,
    description:
      'Microsoft\'s bare-metal hypervisor (type 1): the hypervisor owns the machine and a root partition (Windows) hosts a worker process per VM for device emulation. VT-x with SLAT (EPT/NPT). Its synthetic NIC talks over VMBus, a paravirtual channel that ctsim stands in for with the virtio model. MACs use 00:15:5D, Microsoft\'s prefix (VIRT-FIGURES §8). VMM overhead 32 MiB per VM is a design choice (the worker process; VIRT-FIGURES has no figure).',
  },
];

/** The profile named exactly `name`, or undefined. */
export function findProfile(name: string): Profile | undefined {
  return PROFILES.find((p) => p.name === name);
}
