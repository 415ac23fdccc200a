/**
 * The VMs of a comparison, started as their users start them: on a Linux host (type 2)
 * as `ctsim vm create` + `start` boots one — a VMM process of the host, then firmware,
 * kernel and init; on a type 1 host as `xl create` boots a guest domain — no process
 * anywhere, its whole memory reserved by the hypervisor, its disks files in Domain-0
 * and its NIC's back end a vif on Domain-0's bridge. Both are configured by the same
 * document (the Firecracker-like JSON of `ctsim vm create`), so "the same VM" is the
 * same file on either kind of host.
 *
 *   vmDocument ──▶ host.vms.create + start (type 2) │ parseVmConfig + Type1Hypervisor.createVm (type 1)
 *             ──▶ boot phases as start-up steps, memory by kind, cpuVirt/memVirt counters
 */
import type { Host } from '../host.js';
import type { HostedVm } from '../hypervisor/kvm-host.js';
import type { Type1Hypervisor } from '../hypervisor/type1.js';
import type { Vm } from '../hypervisor/vm.js';
import { parseVmConfig, type VmConfig } from '../hypervisor/vm-config.js';
import { makeDriveImages } from '../hypervisor/vm-manager.js';
import { findProfile } from '../hypervisor/profiles.js';
import { defaultPrograms } from '../userland/index.js';
import { InputError } from '../sim/input-error.js';
import { engineTime, memSnapshot, PAGE, sum, withTiming, type Instance, type VmmMark } from './instances.js';
import type { MemoryParts, StartupStep } from './report.js';
import type { ScenarioInstance } from './scenario.js';

/** A VM's own devices: a data drive (for disk workloads) and a NIC on `bridge` of the host (or Domain-0). */
export interface VmWiring {
  dataDisk: boolean;
  bridge: string | null;
}

/** The profile a VM gets when its settings name none: KVM's on a Linux host, Xen's (PV) on a type 1 host. */
export function defaultProfile(hypervisor: 1 | 2): string {
  return hypervisor === 1 ? 'xen-pv' : 'kvm';
}

/** The VM's configuration document (the Firecracker-like JSON of `ctsim vm create`). */
export function vmDocument(spec: ScenarioInstance, name: string, opts: VmWiring, hypervisor: 1 | 2 = 2): Record<string, unknown> {
  const s = spec.settings;
  const doc: Record<string, unknown> = {
    'machine-config': { vcpu_count: (s.vcpus as number | undefined) ?? 1, mem_size_mib: Math.floor(((s.memory as number | undefined) ?? 256 * 1024 * 1024) / (1024 * 1024)) },
    'boot-source': { kernel_image_path: 'vmlinux' },
    hypervisor: { profile: (s.profile as string | undefined) ?? defaultProfile(hypervisor) },
  };
  if (s.cpuVirt !== undefined) doc['cpu-virt'] = s.cpuVirt;
  if (s.memVirt !== undefined) doc['mem-virt'] = s.memVirt;
  const drives: Record<string, unknown>[] = [];
  if (s.disk !== undefined) drives.push({ drive_id: 'rootfs', path_on_host: `/var/lib/ctsim/images/${name}-root.img`, is_root_device: true });
  if (opts.dataDisk) drives.push({ drive_id: 'data', path_on_host: `/var/lib/ctsim/images/${name}-data.img`, is_root_device: false });
  if (drives.length > 0) doc.drives = drives;
  if (opts.bridge !== null) doc['network-interfaces'] = [{ iface_id: 'eth0', ...(s.nic === undefined ? {} : { model: s.nic }), switch: opts.bridge }];
  return doc;
}

/**
 * The start-up of a VM asked to start at `t0` whose first command ran at `t0 + ns`: what
 * came before the first boot phase (`before`: the VMM process starting, or `xl create`
 * building the domain), the boot phases, then the first command's exec.
 */
function bootSteps(vm: Vm, t0: number, ns: number, before: string): StartupStep[] {
  const steps: StartupStep[] = [];
  const phases = vm.machine.bootPhases;
  if (phases.length > 0 && phases[0].startNs > t0) steps.push({ name: before, startNs: 0, endNs: phases[0].startNs - t0 });
  for (const p of phases) if (p.endNs > p.startNs) steps.push({ name: p.phase, startNs: p.startNs - t0, endNs: p.endNs - t0 });
  const last = steps.length > 0 ? steps[steps.length - 1].endNs : 0;
  if (ns > last) steps.push({ name: 'exec', startNs: last, endNs: ns });
  return steps;
}

/** The virtualization work done for `vm` so far (cumulative): exits, callouts, hypercalls, translation, page-walk counters. */
function vmmCounters(vm: Vm, config: VmConfig): () => VmmMark {
  const cv = vm.machine.cpuVirt;
  const costs = vm.machine.costs;
  return () => {
    const c = cv.counters;
    const calloutN = sum(c.callouts);
    const hyper = sum(c.hypercalls);
    const counters: Record<string, number> = {};
    for (const [r, n] of Object.entries(c.exits)) counters[`exit:${r}`] = n;
    for (const [r, n] of Object.entries(c.exitNs)) counters[`exitNs:${r}`] = n;
    for (const [r, n] of Object.entries(c.callouts)) counters[`callout:${r}`] = n;
    for (const [r, n] of Object.entries(c.hypercalls)) counters[`hypercall:${r}`] = n;
    counters.translations = c.tcMisses;
    const mv = vm.machine.memVirt.counters as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(mv)) if (typeof v === 'number') counters[`mmu:${k}`] = v;
    // Time that is not the VMM's but the hardware's: the nested tables' part of 2-D walks.
    counters['ns:nestedWalk'] = config.memVirt === 'nested' ? vm.machine.memVirt.counters.hostRefs * costs.ptRef : 0;
    counters['ns:callouts'] = calloutN * costs.btCallout;
    counters['ns:hypercalls'] = hyper * costs.hypercall;
    counters['ns:translation'] = c.translateNs;
    return { vmm: sum(c.exitNs) + calloutN * costs.btCallout + hyper * costs.hypercall, translation: c.translateNs, counters };
  };
}

/**
 * What `vm`'s guest has touched, by kind (bytes): the host frames backing its pages, the
 * frames of the tables the VMM (or hypervisor) keeps for it, and those split into guest
 * kernel, page tables (the guest's and the VMM's), page cache and application.
 */
function touched(vm: Vm): { backed: number; vmmTables: number; parts: Pick<MemoryParts, 'guestKernel' | 'pageTables' | 'pageCache' | 'application'> } {
  const g = memSnapshot(vm.kernel);
  const backed = vm.machine.memVirt.counters.backedPages * PAGE;
  const vmmTables = vm.machine.memVirt.counters.vmmTablePages * PAGE;
  const application = g.anon + g.stacks;
  return { backed, vmmTables, parts: { guestKernel: Math.max(0, backed - application - g.file - g.tables), pageTables: g.tables + vmmTables, pageCache: g.file, application } };
}

/** "firecracker: hw + nested, virtio-net". */
function describeVm(config: VmConfig): string {
  return `${config.profile}: ${config.cpuVirt} + ${config.memVirt}${config.nics.length > 0 ? `, ${config.nics[0].model === 'virtio' ? 'virtio-net' : 'e1000'}` : ''}`;
}

/** The size a VM's `disk` setting gives its root image (by drive id, as vmDocument names it). */
function diskSizes(spec: ScenarioInstance): Record<string, number> {
  return spec.settings.disk === undefined ? {} : { rootfs: spec.settings.disk as number };
}

/** A VM booted as `ctsim vm start` boots it: a VMM process on the host, then firmware, kernel and init. */
export function startVm(host: Host, spec: ScenarioInstance, name: string, opts: VmWiring): Instance & { hosted: HostedVm } {
  const config = host.vms.create(name, vmDocument(spec, name, opts), diskSizes(spec));
  const before = memSnapshot(host.kernel);
  const t0 = host.now;
  const h = host.vms.start(name);
  const first = h.vm.sh('date +%s%N');
  const ns = engineTime(host.kernel, first.stdout) - t0;
  const after = memSnapshot(host.kernel);
  const t = touched(h.vm);
  const memory: MemoryParts = {
    ...t.parts,
    vmm: Math.max(0, after.used - before.used - t.backed - t.vmmTables) + Math.max(0, after.stacks - before.stacks),
    untouched: 0,
  };
  return {
    name,
    kind: 'vm',
    host,
    detail: describeVm(config),
    startup: { ns, steps: bootSteps(h.vm, t0, ns, 'vmm') },
    memory,
    ...withTiming(name, (s) => h.vm.sh(s), vmmCounters(h.vm, config)),
    vmm: vmmCounters(h.vm, config),
    hostPid: h.vmm?.tgid ?? null,
    guest: h.vm.kernel,
    hosted: h,
  };
}

/**
 * A guest domain booted as `xl create` boots it on a type 1 host: its disk images made
 * in Domain-0 first (as `ctsim vm create` makes them on a Linux host), its whole memory
 * taken from the machine, then its kernel and init. Memory is what the hypervisor gave
 * it — there is no VMM process — split into what the guest has touched (by kind) and
 * the rest, reserved but untouched.
 */
export function startDomain(hv: Type1Hypervisor, spec: ScenarioInstance, name: string, opts: VmWiring, hostName: string): Instance & { domain: Vm } {
  const doc = vmDocument(spec, name, opts, 1);
  const profile = findProfile((doc.hypervisor as { profile: string }).profile);
  if (profile && profile.hypervisorType !== 1) {
    throw new InputError({ source: `instance ${name}`, path: 'profile', expected: `a type 1 profile (xen-pv, esxi, hyperv): host ${hostName} is a type 1 host, whose VMs are domains of its bare-metal hypervisor`, found: `"${profile.name}", a hosted (type 2) VMM` });
  }
  const config = parseVmConfig(doc, `${name} config`, { name });
  const dom0 = hv.dom0;
  makeDriveImages(dom0.kernel, config, defaultPrograms, diskSizes(spec));
  const t0 = dom0.now;
  const vm = hv.createVm(config);
  hv.waitForBoot(vm);
  const first = vm.sh('date +%s%N');
  const ns = engineTime(vm.kernel, first.stdout) - t0;
  const t = touched(vm);
  const memory: MemoryParts = { ...t.parts, vmm: 0, untouched: Math.max(0, hv.memoryGiven(vm) - t.backed - t.vmmTables) };
  const domid = hv.list().find((d) => d.name === name)!.id;
  return {
    name,
    kind: 'vm',
    host: dom0,
    detail: `domain ${domid} (xl create), ${describeVm(config)}`,
    startup: { ns, steps: bootSteps(vm, t0, ns, 'xl create') },
    memory,
    ...withTiming(name, (s) => vm.sh(s), vmmCounters(vm, config)),
    vmm: vmmCounters(vm, config),
    hostPid: null,
    guest: vm.kernel,
    domid,
    domain: vm,
  };
}
