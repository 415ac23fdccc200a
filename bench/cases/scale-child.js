// One size of the scale case (bench/cases/scale.js runs it in a child process of its
// own, so that its peak RSS is this size's alone):
//
//   node --expose-gc bench/cases/scale-child.js N
//
// boots one host, starts N containers the way `ctsim run -d` does (planRun and
// applyEntry: a host-side script that mounts an overlay over the busybox image layer,
// takes an address from the bridge's pool and runs `runc run -d` with the bridge hook),
// each running `sh -c 'sleep 3600 & sleep 3600 & wait'` (3 processes), checks with the
// kernel's task list that every container has its 3 live processes, then runs one
// simulated second. Prints one JSON line: { n, bootMs, runMs, totalMs, maxRssKiB, … }.
import { createHost, defaultPrograms } from '../../dist/index.js';
import { planRun } from '../../dist/runtime/run-plan.js';
import { applyEntry } from '../../dist/runtime/host-log.js';

const n = Number(process.argv[2]);
if (!Number.isSafeInteger(n) || n < 1) {
  console.error('usage: node --expose-gc bench/cases/scale-child.js N');
  process.exit(2);
}

const quiet = { live: false, stdout: () => {}, stderr: () => {} };
const runSpec = {
  image: 'busybox',
  network: 'bridge',
  publish: [],
  volumes: [],
  env: [],
  rm: false,
  detach: true,
  userns: false,
  cmd: ['sh', '-c', 'sleep 3600 & sleep 3600 & wait'],
};
const names = new Set(defaultPrograms().all().map((p) => p.name));

const t0 = performance.now();
const cpu0 = process.cpuUsage();
// Room for 10,000 containers: memory for their processes and the pid space for all of them.
const host = createHost({ seed: 1, cpus: 2, memoryBytes: 64 * 1024 ** 3 });
host.kernel.initPidNs.pidMax = 4_194_304;
const ids = [];
for (let i = 0; i < n; i++) {
  const plan = planRun(runSpec, i, 1, names);
  const r = applyEntry(host, { ...plan.entry, atNs: host.now }, (id) => plan.blobs.get(id).toString('latin1'), quiet);
  if (r.status !== 0) throw new Error(`container ${i} failed with status ${r.status} (${r.ended})`);
  ids.push(plan.id);
  if (process.env.BENCH_VERBOSE && (i + 1) % 1000 === 0) console.error(`scale: ${i + 1} containers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const t1 = performance.now();
const cpu1 = process.cpuUsage(cpu0);
const simStart = host.now;
host.engine.run({ until: host.now + 1e9 });
host.engine.advanceTo(simStart + 1e9);
const t2 = performance.now();

// Every container: 3 live processes in its cgroup (/ctsim/ID), all in namespaces of the
// container's own (pid, mount, uts, ipc, net), none of them the host's.
const k = host.kernel;
const hostNs = [k.initPidNs, k.initMntNs, k.initNsproxy.uts, k.initNsproxy.ipc, k.initNsproxy.net];
const live = new Map();
for (const t of k.tasks.values()) {
  if (t.state === 'Z' || t.state === 'X') continue;
  const p = t.cgroup.path;
  if (!p.startsWith('/ctsim/')) continue;
  const e = live.get(p) ?? { procs: 0, ns: new Set() };
  e.procs++;
  for (const ns of [t.pidNs, t.fs.mntNs, t.nsproxy.uts, t.nsproxy.ipc, t.nsproxy.net]) e.ns.add(ns);
  live.set(p, e);
}
const bad = ids.filter((id) => {
  const e = live.get(`/ctsim/${id}`);
  return !e || e.procs !== 3 || e.ns.size !== 5 || hostNs.some((ns) => e.ns.has(ns));
});
if (bad.length) throw new Error(`${bad.length} containers do not have 3 live processes in namespaces of their own (first: ${bad[0]}: ${live.get(`/ctsim/${bad[0]}`)?.procs ?? 0} processes)`);

globalThis.gc?.();
const mem = process.memoryUsage();
const rssKiB = Number(/VmHWM:\s+(\d+)/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
console.log(
  JSON.stringify({
    n,
    bootMs: t1 - t0,
    runMs: t2 - t1,
    totalMs: t2 - t0,
    // CPU time of the boot (user + system): what a machine shared with other work changes least.
    bootCpuMs: (cpu1.user + cpu1.system) / 1000,
    maxRssKiB: Math.max(rssKiB, process.resourceUsage().maxRSS),
    tasks: k.tasks.size,
    // What the host holds at the end (after a full collection), against the peak.
    heapUsedKiB: Math.round(mem.heapUsed / 1024),
    externalKiB: Math.round(mem.external / 1024),
    rssEndKiB: Math.round(mem.rss / 1024),
    simNs: host.now,
  }),
);
