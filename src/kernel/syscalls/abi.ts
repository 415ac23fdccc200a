/**
 * The system-call ABI between simulated programs and the kernel: the shape of each
 * request (its x86-64 number and arguments) and of each result. Userland builds
 * these through src/userland/lib/sys.ts; the kernel's handlers read them.
 *
 * Data is passed as byte strings (see vfs/types.ts `Bytes`); failures come back as
 * `SysError` values.
 */
import type { Stat, DirEntry, Bytes } from '../vfs/types.js';
import type { Program, SignalHandler } from '../proc/program.js';

/** wait4's answer: the child's PID (0 with WNOHANG and nothing to report) and status word. */
export interface WaitResult {
  pid: number;
  status: number;
  /** The child's user and system CPU time in ns (struct rusage). */
  utimeNs: number;
  stimeNs: number;
}

/** uname(2)'s struct utsname. */
export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

/** sysinfo(2)'s struct sysinfo, with memory in bytes. */
export interface SysInfo {
  uptimeSec: number;
  /** 1, 5 and 15 minute load averages. */
  loads: [number, number, number];
  totalRam: number;
  freeRam: number;
  sharedRam: number;
  bufferRam: number;
  totalSwap: number;
  freeSwap: number;
  procs: number;
}

/** times(2): the process's and its reaped children's CPU times, in clock ticks (USER_HZ=100). */
export interface Tms {
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  /** Clock ticks since boot (the return value of times()). */
  elapsed: number;
}

/** getrusage(2) subset, times in ns. */
export interface Rusage {
  utimeNs: number;
  stimeNs: number;
  maxRssKiB: number;
  minFlt: number;
  majFlt: number;
  nvcsw: number;
  nivcsw: number;
}

/** setitimer(2)'s struct itimerval, in ns: time to the next expiry (0: disarmed) and the reload interval. */
export interface ItimerVal {
  valueNs: number;
  intervalNs: number;
}

/** sigprocmask(2)'s `how`. */
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/** The interval timers of setitimer(2). */
export const ITIMER_REAL = 0;
export const ITIMER_VIRTUAL = 1;
export const ITIMER_PROF = 2;

/** sigaction(2)'s struct sigaction. */
export interface SigActionArg {
  handler: 'default' | 'ignore' | SignalHandler;
  /** Signals to block during the handler. */
  mask?: number[];
  /** SA_RESTART, SA_NOCLDSTOP, SA_NOCLDWAIT. */
  restart?: boolean;
  noChildStop?: boolean;
  noChildWait?: boolean;
}

/** A resource limit (getrlimit(2)); Infinity is RLIM_INFINITY. */
export interface Rlimit {
  soft: number;
  hard: number;
}

/** clone(2) flags ctsim understands (CLONE_* values from <sched.h>). */
export const CLONE_VM = 0x00000100;
export const CLONE_FS = 0x00000200;
export const CLONE_FILES = 0x00000400;
export const CLONE_SIGHAND = 0x00000800;
export const CLONE_PIDFD = 0x00001000;
export const CLONE_VFORK = 0x00004000;
export const CLONE_PARENT = 0x00008000;
export const CLONE_THREAD = 0x00010000;
export const CLONE_NEWNS = 0x00020000;
export const CLONE_SYSVSEM = 0x00040000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

/** clone's entry point for the child (the child runs it instead of returning from clone). */
export type CloneEntry = () => Program;

/** Result types by call, for the typed helpers. */
export interface Results {
  stat: Stat;
  dirents: DirEntry[];
  bytes: Bytes;
}

/** Clock ids (clock_gettime(2)). */
export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_BOOTTIME = 7;

/** ioctl requests ctsim answers (asm-generic/ioctls.h). */
export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TIOCSCTTY = 0x540e;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
export const TIOCGWINSZ = 0x5413;
export const TIOCNOTTY = 0x5422;
export const FIONREAD = 0x541b;

/** Resources for prlimit (getrlimit(2)). */
export const RLIMIT_CPU = 0;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_AS = 9;

/** setpriority/getpriority `which`. */
export const PRIO_PROCESS = 0;
export const PRIO_PGRP = 1;
export const PRIO_USER = 2;

/**
 * capget(2)/capset(2): the three capability sets of _LINUX_CAPABILITY_VERSION_3 as one
 * object, bit N for capability N (the two __user_cap_data_struct words joined).
 * Simplification: the header's version is implied (always version 3).
 */
export interface CapSets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
}

/** prctl(2) options (<linux/prctl.h>). */
export const PR_GET_KEEPCAPS = 7;
export const PR_SET_KEEPCAPS = 8;
export const PR_SET_NAME = 15;
export const PR_GET_NAME = 16;
export const PR_CAPBSET_READ = 23;
export const PR_CAPBSET_DROP = 24;
export const PR_GET_SECUREBITS = 27;
export const PR_SET_SECUREBITS = 28;
export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_GET_CHILD_SUBREAPER = 37;
export const PR_SET_NO_NEW_PRIVS = 38;
export const PR_GET_NO_NEW_PRIVS = 39;
export const PR_CAP_AMBIENT = 47;
/** PR_CAP_AMBIENT's arg2. */
export const PR_CAP_AMBIENT_IS_SET = 1;
export const PR_CAP_AMBIENT_RAISE = 2;
export const PR_CAP_AMBIENT_LOWER = 3;
export const PR_CAP_AMBIENT_CLEAR_ALL = 4;

/** Security bits (<linux/securebits.h>, capabilities(7) "The securebits flags"); each flag's lock is the next bit up. */
export const SECBIT_NOROOT = 1 << 0;
export const SECBIT_NOROOT_LOCKED = 1 << 1;
export const SECBIT_NO_SETUID_FIXUP = 1 << 2;
export const SECBIT_NO_SETUID_FIXUP_LOCKED = 1 << 3;
export const SECBIT_KEEP_CAPS = 1 << 4;
export const SECBIT_KEEP_CAPS_LOCKED = 1 << 5;
export const SECBIT_NO_CAP_AMBIENT_RAISE = 1 << 6;
export const SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED = 1 << 7;
