/** Hosted VMMs (type 2 hypervisors): one program under the names of the products ctsim's profiles stand for. */
import type { ProgramGroup } from '../../index.js';
import { vmmMain } from './vmm.js';

/** The VMM command of each hosted product (profiles.ts). */
export const VMM_COMMANDS: Readonly<Record<string, string>> = {
  kvm: '/usr/bin/qemu-system-x86_64',
  firecracker: '/usr/bin/firecracker',
  'vmware-2006': '/usr/lib/vmware/bin/vmware-vmx',
  virtualbox: '/usr/lib/virtualbox/VBoxHeadless',
};

export const registerVmm: ProgramGroup = (t) => {
  t.add({ name: 'qemu-system-x86_64', main: vmmMain, paths: [VMM_COMMANDS.kvm], summary: 'a hosted VMM on /dev/kvm: -name -smp -m -overhead (started by ctsim vm start)' });
  t.add({ name: 'firecracker', main: vmmMain, paths: [VMM_COMMANDS.firecracker], summary: 'a hosted VMM on /dev/kvm, as Firecracker (started by ctsim vm start)' });
  t.add({ name: 'vmware-vmx', main: vmmMain, paths: [VMM_COMMANDS['vmware-2006']], summary: 'a hosted VMM, as VMware Workstation (started by ctsim vm start)' });
  t.add({ name: 'VBoxHeadless', main: vmmMain, paths: [VMM_COMMANDS.virtualbox], summary: 'a hosted VMM, as VirtualBox (started by ctsim vm start)' });
};
