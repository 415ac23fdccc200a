/** The hypervisor: virtual machines that boot the same kernel (README.md). */
export { VirtualMachine, DedicatedCpus } from './virtual-machine.js';
export type { VirtualMachineConfig, VmState, BootPhase } from './virtual-machine.js';
export { VCpu } from './vcpu.js';
export type { VcpuHost } from './vcpu.js';
export { CpuVirt, CpuVirtCounters, TranslationCache, EXIT_REASONS, CALLOUT_KINDS, HYPERCALLS } from './cpu-virt.js';
export type { ExitReason, CpuVirtMode } from './cpu-virt.js';
export { NestedPaging, MemVirtCounters } from './mem-virt.js';
export { ShadowPaging, DirectPaging } from './mem-virt-shadow.js';
export { GuestMemory } from './guest-memory.js';
export { DirectBacking } from './backing.js';
export type { HostBacking } from './backing.js';
export { bootVm, Vm } from './vm.js';
export { parseVmConfig, parseVmConfigText, toVmConfigDoc, generateMac } from './vm-config.js';
export type { VmConfig, VmDrive, VmNic } from './vm-config.js';
export { PROFILES, findProfile } from './profiles.js';
export type { Profile } from './profiles.js';
