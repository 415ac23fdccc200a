/**
 * Time and system-information calls: nanosleep, clock_gettime, clock_nanosleep,
 * gettimeofday, time, times, getrusage, uname, sethostname, setdomainname, sysinfo,
 * getrandom, prlimit64.
 */
import type { Kernel } from '../kernel.js';
import { err } from '../errno.js';
import type { Task } from '../proc/task.js';
import type { HandlerTable } from './handler.js';
import {
  CLOCK_BOOTTIME,
  CLOCK_MONOTONIC,
  CLOCK_PROCESS_CPUTIME_ID,
  CLOCK_REALTIME,
  CLOCK_THREAD_CPUTIME_ID,
  RLIMIT_NOFILE,
  type Rlimit,
  type Rusage,
  type SysInfo,
  type Tms,
  type Utsname,
} from './abi.js';
import { formatPrintk, UTS_MACHINE, UTS_RELEASE, UTS_SYSNAME, UTS_VERSION } from '../kernel.js';
import { loadAverages } from '../sched/loadavg.js';
import { CAP, capable, nsCapable, capMissing, capMissingInit } from '../ns/capabilities.js';

/** USER_HZ: the unit of times(2) and /proc/PID/stat times. */
export const USER_HZ = 100;
const NS_PER_TICK = 1e9 / USER_HZ;
/** HOST_NAME_MAX. */
const HOST_NAME_MAX = 64;

function sleepFor(k: Kernel, t: Task, ns: number): unknown {
  const state = t.syscallState as { deadline: number } | undefined;
  if (state === undefined) {
    if (!Number.isFinite(ns) || ns < 0) return err('EINVAL', `the sleep time ${ns} ns is negative or not a finite number`);
    const deadline = k.now + Math.floor(ns);
    t.syscallState = { deadline };
    return k.sleepUntil(t, deadline);
  }
  if (k.now >= state.deadline) return 0;
  return k.sleepUntil(t, state.deadline);
}

export const infoSyscalls: HandlerTable = {
  /** nanosleep({ns}). */
  nanosleep: (k, t, r: { ns: number }) => sleepFor(k, t, r.ns),
  clock_nanosleep: (k, t, r: { ns: number }) => sleepFor(k, t, r.ns),
  /** clock_gettime({clock}) → ns, a whole number as a timespec holds (simulated time may fall between ns). */
  clock_gettime(k, t, r: { clock: number }) {
    switch (r.clock) {
      case CLOCK_REALTIME:
        return Math.floor(k.realtimeNs);
      case CLOCK_MONOTONIC:
      case CLOCK_BOOTTIME:
        return Math.floor(k.uptimeNs);
      case CLOCK_PROCESS_CPUTIME_ID:
      case CLOCK_THREAD_CPUTIME_ID:
        return t.utimeNs + t.stimeNs;
      default:
        return err('EINVAL', `clock ${r.clock} is not CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME or a CPU-time clock`);
    }
  },
  gettimeofday: (k) => Math.floor(k.realtimeNs),
  time: (k) => Math.floor(k.realtimeNs / 1e9),
  times(k, t): Tms {
    return {
      utime: Math.floor(t.utimeNs / NS_PER_TICK),
      stime: Math.floor(t.stimeNs / NS_PER_TICK),
      cutime: Math.floor(t.cutimeNs / NS_PER_TICK),
      cstime: Math.floor(t.cstimeNs / NS_PER_TICK),
      elapsed: Math.floor(k.uptimeNs / NS_PER_TICK),
    };
  },
  /** getrusage({who}): 0 = self, -1 = reaped children. */
  getrusage(_k, t, r: { who: number }): Rusage | ReturnType<typeof err> {
    if (r.who === 0) return { utimeNs: t.utimeNs, stimeNs: t.stimeNs, maxRssKiB: 0, minFlt: t.minFlt, majFlt: t.majFlt, nvcsw: t.nvcsw, nivcsw: t.nivcsw };
    if (r.who === -1) return { utimeNs: t.cutimeNs, stimeNs: t.cstimeNs, maxRssKiB: 0, minFlt: 0, majFlt: 0, nvcsw: 0, nivcsw: 0 };
    return err('EINVAL', `who ${r.who} is not RUSAGE_SELF (0) or RUSAGE_CHILDREN (-1)`);
  },
  uname(_k, t): Utsname {
    const uts = t.nsproxy.uts;
    return { sysname: UTS_SYSNAME, nodename: uts.hostname, release: UTS_RELEASE, version: UTS_VERSION, machine: UTS_MACHINE, domainname: uts.domainname };
  },
  /** sethostname({name}): CAP_SYS_ADMIN in the user namespace that owns the caller's UTS namespace (UTS-03, CAP-02). */
  sethostname(_k, t, r: { name: string }) {
    const uts = t.nsproxy.uts;
    if (!nsCapable(t.creds, uts.owner!, CAP.SYS_ADMIN)) return err('EPERM', `sethostname needs CAP_SYS_ADMIN in the user namespace that owns UTS namespace ${uts.inum}` + '; ' + capMissing(t.creds, uts.owner!, CAP.SYS_ADMIN));
    if (r.name.length > HOST_NAME_MAX) return err('EINVAL', `host names are at most ${HOST_NAME_MAX} bytes`);
    uts.hostname = r.name;
    return 0;
  },
  setdomainname(_k, t, r: { name: string }) {
    const uts = t.nsproxy.uts;
    if (!nsCapable(t.creds, uts.owner!, CAP.SYS_ADMIN)) return err('EPERM', `setdomainname needs CAP_SYS_ADMIN in the user namespace that owns UTS namespace ${uts.inum}` + '; ' + capMissing(t.creds, uts.owner!, CAP.SYS_ADMIN));
    if (r.name.length > HOST_NAME_MAX) return err('EINVAL', `domain names are at most ${HOST_NAME_MAX} bytes, this one has ${r.name.length}`);
    uts.domainname = r.name;
    return 0;
  },
  sysinfo(k): SysInfo {
    return {
      uptimeSec: Math.floor(k.now / 1e9),
      loads: loadAverages(k),
      totalRam: k.machine.ramBytes,
      freeRam: k.machine.ramBytes,
      sharedRam: 0,
      bufferRam: 0,
      totalSwap: 0,
      freeSwap: 0,
      procs: k.tasks.size,
    };
  },
  /**
   * syslog({type}) (syslog(2)): 3 = SYSLOG_ACTION_READ_ALL returns the kernel log as
   * "[seconds.micros] text" lines; 10 = SYSLOG_ACTION_SIZE_BUFFER. Reading needs
   * CAP_SYSLOG (root) because Debian sets kernel.dmesg_restrict=1.
   */
  syslog(k, t, r: { type: number }) {
    if (r.type === 10) return 1 << 17;
    if (r.type !== 3 && r.type !== 2) return err('EINVAL', `syslog action ${r.type} is not modelled (2, 3 and 10 are)`);
    if (!capable(t.creds, CAP.SYSLOG)) return err('EPERM', 'kernel.dmesg_restrict=1: reading the kernel log needs CAP_SYSLOG' + '; ' + capMissingInit(t.creds, CAP.SYSLOG));
    return k.log.map(formatPrintk).join('');
  },
  /** getrandom({count}) → bytes from the kernel's seeded entropy. */
  getrandom(k, _t, r: { count: number }) {
    const n = Math.max(0, Math.min(r.count | 0, 33554431));
    return randomBytes(k, n);
  },
  /** prlimit64({pid, resource, limit?}) → the previous limit. */
  prlimit64(k, t, r: { pid: number; resource: number; limit?: Rlimit }) {
    const target = r.pid === 0 ? t : t.pidNs.tasks.get(r.pid);
    if (!target) return err('ESRCH', `no process ${r.pid} in the caller's PID namespace`);
    if (r.resource < 0 || r.resource > 15) return err('EINVAL', `resource ${r.resource} is not an RLIMIT_* number (0 to 15)`);
    const old = target.rlimits[r.resource] ?? { soft: Infinity, hard: Infinity };
    if (r.limit) {
      if (r.limit.soft > r.limit.hard) return err('EINVAL', 'the soft limit exceeds the hard limit');
      if (r.limit.hard > old.hard && !capable(t.creds, CAP.SYS_RESOURCE)) return err('EPERM', 'raising a hard limit needs CAP_SYS_RESOURCE' + '; ' + capMissingInit(t.creds, CAP.SYS_RESOURCE));
      if (r.resource === RLIMIT_NOFILE && r.limit.hard > 1048576) return err('EPERM', 'RLIMIT_NOFILE cannot exceed fs.nr_open (1048576)');
      const limits = target.rlimits.slice();
      limits[r.resource] = { soft: r.limit.soft, hard: r.limit.hard };
      target.rlimits = limits;
    }
    void k;
    return { ...old };
  },
};

/** `n` bytes from the kernel's random stream (/dev/urandom, getrandom). */
export function randomBytes(k: Kernel, n: number): string {
  const rng = k.entropy;
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.byte());
  return s;
}
