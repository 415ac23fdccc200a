// Case 4 — VM scale: what each idle VM costs this Node process. N VMs of 1 vCPU and
// 256 MiB are defined and started one after another on one host, as `ctsim vm create`
// and `ctsim vm start` do (Host.vms), then left idle for a simulated second. The figure
// is the host memory (JS heap + typed-array buffers, after a full collection) each VM
// adds, less 4 KiB for every guest page whose contents ctsim stores — the pages the
// guest wrote data to. A touched page of zeros costs ctsim no 4 KiB (physical memory
// stores only non-zero contents), so it is not subtracted; what it does cost (a few
// dozen bytes of per-frame tables in the guest and on the host) counts against the VM.
//
// The rows use the firecracker profile (a microVM: a 5 MiB VMM); a third row, reported
// only, uses the default kvm profile, whose VMM (qemu) touches 130 MiB of host memory
// of its own — 33,000 host frames of per-frame tables on top.
import { createHost } from '../../dist/index.js';
import { memoryUsed, now } from '../lib.js';

const TARGET_KIB = 1024;

const config = (profile) => ({
  'machine-config': { vcpu_count: 1, mem_size_mib: 256 },
  'boot-source': { kernel_image_path: 'vmlinux' },
  hypervisor: { profile },
});

/** Starts `n` VMs on a fresh host (after one to warm up), idles them a simulated second; what each cost. */
function measure(n, profile) {
  const host = createHost({ cpus: 2, seed: 1, memoryBytes: (profile === 'kvm' ? 8 : 4) * 1024 ** 3 + n * 160 * 1024 ** 2 });
  const start = (name) => {
    host.vms.create(name, config(profile));
    host.vms.start(name);
  };
  // One VM first, so that what every VM shares (loaded fixtures, compiled code) is in the baseline.
  start('warm');
  const before = memoryUsed();
  const t0 = now();
  for (let i = 0; i < n; i++) start(`vm${i}`);
  const bootMs = now() - t0;
  const steps0 = host.engine.steps;
  const t1 = now();
  host.engine.runUntil(host.engine.now + 1_000_000_000);
  const idleMs = now() - t1;
  const idleSteps = host.engine.steps - steps0;
  const after = memoryUsed();
  let stored = 0;
  let backed = 0;
  for (let i = 0; i < n; i++) {
    const m = host.vms.hosted(`vm${i}`).vm.machine;
    if (m.state !== 'running') throw new Error(`vm${i} is ${m.state}: ${m.stopReason}`);
    stored += m.memory.stats().storedFrames;
    backed += m.memVirt.counters.backedPages;
  }
  const perVmBytes = (after - before) / n;
  const beyondKiB = (perVmBytes - (stored / n) * 4096) / 1024;
  return { beyondKiB, perVmKiB: perVmBytes / 1024, storedPerVm: stored / n, backedPerVm: backed / n, bootMs, idleMs, idleSteps };
}

function row(id, n, profile, m, judged) {
  return {
    id,
    case: `4. host KiB per idle VM beyond its stored pages (${n} VMs, 1 vCPU, 256 MiB, ${profile})`,
    value: m.beyondKiB,
    unit: 'KiB/VM',
    reference: TARGET_KIB,
    refLabel: 'the target, 1 MiB',
    ratio: m.beyondKiB / TARGET_KIB,
    better: 'lower',
    target: judged ? '<= 1 MiB per VM (ratio <= 1)' : 'reported',
    ok: judged ? m.beyondKiB <= TARGET_KIB : true,
    extra:
      `${m.perVmKiB.toFixed(0)} KiB/VM in all; guest pages touched (backed by host frames) ${m.backedPerVm.toFixed(0)}/VM, ` +
      `with stored contents ${m.storedPerVm.toFixed(0)}/VM; boot ${(m.bootMs / n).toFixed(0)} ms wall/VM; ` +
      `the idle second took ${m.idleMs.toFixed(1)} ms wall, ${m.idleSteps} engine steps`,
  };
}

export default function vmScale({ smoke }) {
  const sizes = smoke ? [10, 30] : [10, 100];
  const rows = sizes.map((n) => row(`vmscale.${n}`, n, 'firecracker', measure(n, 'firecracker'), true));
  if (!smoke) rows.push(row('vmscale.10-qemu', 10, 'kvm', measure(10, 'kvm'), false));
  return rows;
}
