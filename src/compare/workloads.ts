/**
 * The built-in workload kinds of a scenario, as shell scripts of ctsim's own programs,
 * so that one script runs unchanged natively, in a container and in a VM (the point of
 * comparing them): stress-ng's classes, each made of what it stresses.
 *
 *   cpu        a dash arithmetic loop of `ops` iterations (user time only)
 *   memory     memory touch: `ops` passes re-dirtying one `size` buffer, bigger than the
 *              TLB's reach, so that nearly every page touched misses the TLB and walks
 *              the page tables (stress --vm-keep --vm-ops: TLB-miss heavy)
 *   pagefault  `ops` passes over a fresh `size` buffer each (stress --vm --vm-ops without
 *              --vm-keep): every page faults in, then goes back
 *   fork       `ops` fork+exec+wait of /bin/true (process creation)
 *   pagetable  Adams & Agesen's forkwait: `ops` children of a parent with `size` of
 *              touched memory (copy-on-write page tables, VIRT-FIGURES §1b)
 *   syscall    dd copying `ops` bytes one at a time (2 system calls per byte)
 *   disk       `ops` 4 KiB writes to $CTSIM_DISK, then fsync (the runner points it at a
 *              VM's disk, or a native host's given `disks`; else it is a file in memory)
 *   net-rr     `ops` HTTP requests, one at a time, to $CTSIM_PEER (ab -c 1)
 *   net-bulk   one transfer of `size` from $CTSIM_PEER (wget)
 *   script     the scenario's own script
 *
 * Defaults are small enough for a whole default comparison to run in seconds.
 */
import type { ScenarioWorkload } from './scenario.js';

/** The defaults of `ops` and `size` per kind. */
export const WORKLOAD_DEFAULTS: Record<Exclude<ScenarioWorkload['kind'], 'script'>, { ops: number; sizeBytes: number }> = {
  cpu: { ops: 20_000, sizeBytes: 0 },
  memory: { ops: 100, sizeBytes: 1024 * 1024 },
  pagefault: { ops: 8, sizeBytes: 2 * 1024 * 1024 },
  fork: { ops: 50, sizeBytes: 0 },
  pagetable: { ops: 20, sizeBytes: 4 * 1024 * 1024 },
  syscall: { ops: 5_000, sizeBytes: 0 },
  disk: { ops: 256, sizeBytes: 4096 },
  'net-rr': { ops: 50, sizeBytes: 0 },
  'net-bulk': { ops: 1, sizeBytes: 1024 * 1024 },
};

/** The environment a kind needs from the runner (a peer to talk to, a disk to write). */
export function workloadNeeds(w: ScenarioWorkload): ('CTSIM_PEER' | 'CTSIM_DISK')[] {
  if (w.kind === 'net-rr' || w.kind === 'net-bulk') return ['CTSIM_PEER'];
  if (w.kind === 'disk') return ['CTSIM_DISK'];
  return [];
}

/** The operations a workload does and its data size, its kind's defaults filled in (a script: ops as given, or 1). */
export function workloadOps(w: ScenarioWorkload): { ops: number; sizeBytes: number } {
  if (w.kind === 'script') return { ops: w.ops ?? 1, sizeBytes: w.sizeBytes ?? 0 };
  const d = WORKLOAD_DEFAULTS[w.kind];
  return { ops: w.ops ?? d.ops, sizeBytes: w.sizeBytes ?? d.sizeBytes };
}

/** The shell script (for `sh -c`) that runs workload `w`. */
export function workloadScript(w: ScenarioWorkload): string {
  if (w.kind === 'script') return w.script!;
  const { ops, sizeBytes: size } = workloadOps(w);
  switch (w.kind) {
    case 'cpu':
      return `i=0; while [ $i -lt ${ops} ]; do i=$((i + 1)); done`;
    case 'memory':
      return `stress --vm 1 --vm-bytes ${size} --vm-keep --vm-ops ${ops} -q`;
    case 'pagefault':
      return `stress --vm 1 --vm-bytes ${size} --vm-ops ${ops} -q`;
    case 'fork':
      return `for i in $(seq ${ops}); do /bin/true; done`;
    case 'pagetable':
      return `forkwait -n ${ops} -m ${size}`;
    case 'syscall':
      return `dd if=/dev/zero of=/dev/null bs=1 count=${ops} status=none`;
    case 'disk':
      return `dd if=/dev/zero of="$CTSIM_DISK" bs=${size} count=${ops} conv=fsync status=none`;
    case 'net-rr':
      return `ab -n ${ops} -c 1 "http://$CTSIM_PEER/" > /dev/null`;
    case 'net-bulk':
      return `wget -q -O /dev/null "http://$CTSIM_PEER/bulk-${size}"`;
  }
}
