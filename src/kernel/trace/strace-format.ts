/**
 * One system call as strace(1) prints it: `openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`.
 * A table of per-call decoders turns ctsim's request (named fields) and result
 * (a value or a SysError) into strace's argument list and return value; strace and the
 * `syscall` trace category share it.
 *
 * Input arguments come first and are what strace prints at syscall entry (before a
 * blocked call's ` <unfinished ...>`); output arguments (a read's buffer, a stat
 * struct, a wait status) are decoded from the result, at exit. Results that Linux
 * returns through memory are printed in their argument's place and the return value is
 * the integer the call returns (read's byte count, 0 for stat).
 *
 * Simplification: calls without a decoder here print ctsim's request fields in order
 * (numbers in decimal, strings quoted); arguments ctsim does not carry are printed as
 * the value Linux's callers pass (rt_sigaction's sigsetsize 8, glibc's 32 KiB
 * getdents64 buffer) or as an address placeholder (see DATA_PTR).
 */
import { SysError, STRERROR } from '../errno.js';
import { SYSCALL_NAMES } from '../syscalls/numbers.js';
import type { SyscallRequest } from '../proc/program.js';
import { WCOREDUMP, WEXITSTATUS, WIFCONTINUED, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WSTOPSIG, WTERMSIG } from '../proc/wstatus.js';
import { formatIpv4 } from '../net/inet.js';
import {
  ACCESS_AT_FLAGS,
  AT_FLAGS,
  CLOCK_IDS,
  CLONE_FLAGS,
  CODE_PTR,
  DATA_PTR,
  FCNTL_CMDS,
  IOCTL_CMDS,
  ITIMER_WHICH,
  MS_FLAGS,
  PRCTL_OPTIONS,
  PRIO_WHICH,
  PROT_FLAGS,
  RLIMIT_NAMES,
  SCHED_POLICIES,
  SEEK_WHENCE,
  SIGPROCMASK_HOW,
  SOCK_DOMAINS,
  UMOUNT_FLAGS,
  WAIT_OPTIONS,
  accessMode,
  dirfd,
  flags,
  hex,
  mapFlags,
  octal,
  openFlags,
  quoteBytes,
  sig,
  sigset,
  sockType,
  statMode,
  xval,
} from './strace-xlat.js';

/** A decoded call: `name(args) = ret`. */
export interface DecodedCall {
  name: string;
  args: string[];
  /** How many leading `args` are inputs, known at entry. */
  entry: number;
  /** The return column: `3`, `-1 ENOENT (No such file or directory)`, `?` (never returns). */
  ret: string;
}

// The request's fields are read by name, as the handlers read them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Res = any;

interface Decoder {
  /** The arguments; `res` is the call's result (a SysError when it failed, undefined at entry). */
  args(r: Req, res: Res, s: number): string[];
  /** Inputs among the arguments (default: all), or a function of the request. */
  entry?: number | ((r: Req) => number);
  /** The return value of a successful call (default: the number, or 0 for a struct). */
  ret?(res: Res, r: Req): string;
}

const ok = (res: Res): boolean => res !== undefined && !(res instanceof SysError);
const path = (p: unknown): string => (typeof p === 'string' ? quoteBytes(p) : 'NULL');
const str = (v: unknown, s: number): string => (typeof v === 'string' ? quoteBytes(v, s) : 'NULL');
/** A string argument where ctsim's '' stands for a NULL pointer (mount's source, type, data). */
const strOrNull = (v: unknown): string => (typeof v === 'string' && v !== '' ? quoteBytes(v) : 'NULL');
const len = (res: Res): string => String((res as { length: number }).length);
const tv = (ns: number): string => `{tv_sec=${Math.floor(ns / 1e9)}, tv_nsec=${ns % 1e9}}`;
const tvUsec = (ns: number): string => `{tv_sec=${Math.floor(ns / 1e9)}, tv_usec=${Math.floor((ns % 1e9) / 1e3)}}`;

/** struct stat, abbreviated as strace prints it without -v. */
function statStruct(st: Res): string {
  const type = st.mode & 0o170000;
  const dev = type === 0o020000 || type === 0o060000 ? `st_rdev=makedev(${hex(Math.floor(st.rdev / 256) & 0xfff)}, ${hex(st.rdev & 0xff)})` : `st_size=${st.size}`;
  return `{st_mode=${statMode(st.mode)}, ${dev}, ...}`;
}

/** A wait status as strace decodes it: `[{WIFEXITED(s) && WEXITSTATUS(s) == 1}]`. */
export function waitStatus(s: number): string {
  if (WIFEXITED(s)) return `[{WIFEXITED(s) && WEXITSTATUS(s) == ${WEXITSTATUS(s)}}]`;
  if (WIFSIGNALED(s)) return `[{WIFSIGNALED(s) && WTERMSIG(s) == ${sig(WTERMSIG(s))}${WCOREDUMP(s) ? ' && WCOREDUMP(s)' : ''}}]`;
  if (WIFCONTINUED(s)) return '[{WIFCONTINUED(s)}]';
  if (WIFSTOPPED(s)) return `[{WIFSTOPPED(s) && WSTOPSIG(s) == ${sig(WSTOPSIG(s))}}]`;
  return `[${hex(s)}]`;
}

function sigaction(a: Res): string {
  if (a === undefined || a === null) return 'NULL';
  const h = a.handler === 'default' || a.handler === undefined ? 'SIG_DFL' : a.handler === 'ignore' ? 'SIG_IGN' : CODE_PTR;
  const mask = Array.isArray(a.mask) ? a.mask : [];
  const fl = flags((a.noChildStop ? 1 : 0) | (a.noChildWait ? 2 : 0) | (a.restart ? 0x10000000 : 0), [
    [1, 'SA_NOCLDSTOP'],
    [2, 'SA_NOCLDWAIT'],
    [0x10000000, 'SA_RESTART'],
  ]);
  return `{sa_handler=${h}, sa_mask=${sigset(mask)}, sa_flags=${fl}}`;
}

function sockaddr(a: Res): string {
  if (a === undefined || a === null) return 'NULL';
  if (a.family === 2) return `{sa_family=AF_INET, sin_port=htons(${a.port}), sin_addr=inet_addr("${formatIpv4(a.addr)}")}`;
  return `{sa_family=${xval(a.family, SOCK_DOMAINS)}, ...}`;
}

const rlim = (v: number): string => (v === Infinity ? 'RLIM64_INFINITY' : String(v));
const rlimit = (l: Res): string => (l ? `{rlim_cur=${rlim(l.soft)}, rlim_max=${rlim(l.hard)}}` : 'NULL');
const itimer = (v: Res): string => (v ? `{it_interval=${tvUsec(v.intervalNs)}, it_value=${tvUsec(v.valueNs)}}` : 'NULL');
const POLL_EVENTS = [
  [1, 'POLLIN'],
  [2, 'POLLPRI'],
  [4, 'POLLOUT'],
  [8, 'POLLERR'],
  [16, 'POLLHUP'],
  [32, 'POLLNVAL'],
] as const;

/**
 * The bytes a payload ctsim passes as an object would have taken: an ICMP message's
 * header and data as a ping socket returns it (a raw socket's would add the 20-byte IP
 * header), a string's length; 0 for other objects (netlink replies).
 */
function payloadLength(d: Res): number {
  if (typeof d === 'string') return d.length;
  if (d && typeof d === 'object' && d.icmp && typeof d.icmp.dataLen === 'number') return 8 + d.icmp.dataLen;
  return 0;
}

/** *at() calls that take (dirfd, path, …): dirfd may be absent in ctsim's request (then AT_FDCWD). */
const atDir = (r: Req): string => dirfd(r.dirfd ?? -100);

const DECODERS: Record<string, Decoder> = {
  read: { args: (r, res, s) => [String(r.fd), ok(res) ? quoteBytes(res, s) : DATA_PTR, String(r.count)], entry: 1, ret: len },
  pread64: { args: (r, res, s) => [String(r.fd), ok(res) ? quoteBytes(res, s) : DATA_PTR, String(r.count), String(r.offset)], entry: 1, ret: len },
  write: { args: (r, _res, s) => [String(r.fd), str(r.data, s), String(typeof r.data === 'string' ? r.data.length : 0)] },
  open: { args: (r) => [path(r.path), openFlags(r.flags), ...(r.flags & 0o20100100 ? [octal(r.mode ?? 0o666)] : [])] },
  openat: { args: (r) => [dirfd(r.dirfd), path(r.path), openFlags(r.flags), ...(r.flags & 0o20100100 ? [octal(r.mode ?? 0o666)] : [])] },
  close: { args: (r) => [String(r.fd)] },
  stat: { args: (r, res) => [path(r.path), ok(res) ? statStruct(res) : DATA_PTR], entry: 1, ret: () => '0' },
  lstat: { args: (r, res) => [path(r.path), ok(res) ? statStruct(res) : DATA_PTR], entry: 1, ret: () => '0' },
  fstat: { args: (r, res) => [String(r.fd), ok(res) ? statStruct(res) : DATA_PTR], entry: 1, ret: () => '0' },
  newfstatat: {
    args: (r, res) => [atDir(r), path(r.path), ok(res) ? statStruct(res) : DATA_PTR, flags(r.flags ?? 0, AT_FLAGS)],
    entry: 2,
    ret: () => '0',
  },
  access: { args: (r) => [path(r.path), accessMode(r.mode)] },
  faccessat: { args: (r) => [atDir(r), path(r.path), accessMode(r.mode), ...(r.flags ? [flags(r.flags, ACCESS_AT_FLAGS)] : [])] },
  mkdir: { args: (r) => [path(r.path), octal(r.mode ?? 0o777)] },
  mkdirat: { args: (r) => [atDir(r), path(r.path), octal(r.mode ?? 0o777)] },
  mknod: { args: (r) => [path(r.path), statMode(r.mode), ...((r.mode & 0o170000) === 0o020000 || (r.mode & 0o170000) === 0o060000 ? [`makedev(${hex(Math.floor((r.dev ?? 0) / 256) & 0xfff)}, ${hex((r.dev ?? 0) & 0xff)})`] : [])] },
  mknodat: { args: (r) => [atDir(r), path(r.path), statMode(r.mode), ...((r.mode & 0o170000) === 0o020000 || (r.mode & 0o170000) === 0o060000 ? [`makedev(${hex(Math.floor((r.dev ?? 0) / 256) & 0xfff)}, ${hex((r.dev ?? 0) & 0xff)})`] : [])] },
  rmdir: { args: (r) => [path(r.path)] },
  unlink: { args: (r) => [path(r.path)] },
  unlinkat: { args: (r) => [atDir(r), path(r.path), flags(r.flags ?? 0, AT_FLAGS)] },
  rename: { args: (r) => [path(r.oldpath), path(r.newpath)] },
  renameat: { args: (r) => [dirfd(r.olddirfd), path(r.oldpath), dirfd(r.newdirfd), path(r.newpath)] },
  link: { args: (r) => [path(r.oldpath), path(r.newpath)] },
  linkat: { args: (r) => ['AT_FDCWD', path(r.oldpath), 'AT_FDCWD', path(r.newpath), flags(r.flags ?? 0, AT_FLAGS)] },
  symlink: { args: (r) => [path(r.target), path(r.path)] },
  readlink: { args: (r, res) => [path(r.path), ok(res) ? quoteBytes(res) : DATA_PTR, '4096'], entry: 1, ret: len },
  chdir: { args: (r) => [path(r.path)] },
  fchdir: { args: (r) => [String(r.fd)] },
  getcwd: { args: (_r, res) => [ok(res) ? quoteBytes(res) : DATA_PTR, '4096'], entry: 0, ret: (res) => String(res.length + 1) },
  chmod: { args: (r) => [path(r.path), octal(r.mode)] },
  fchmod: { args: (r) => [String(r.fd), octal(r.mode)] },
  fchmodat: { args: (r) => [atDir(r), path(r.path), octal(r.mode)] },
  chown: { args: (r) => [path(r.path), String(r.uid), String(r.gid)] },
  lchown: { args: (r) => [path(r.path), String(r.uid), String(r.gid)] },
  fchown: { args: (r) => [String(r.fd), String(r.uid), String(r.gid)] },
  truncate: { args: (r) => [path(r.path), String(r.length)] },
  ftruncate: { args: (r) => [String(r.fd), String(r.length)] },
  umask: { args: (r) => [octal(r.mask)], ret: (res) => octal(res) },
  chroot: { args: (r) => [path(r.path)] },
  utimensat: {
    args: (r) => [
      atDir(r),
      path(r.path),
      r.atimeNs === undefined && r.mtimeNs === undefined ? 'NULL' : `[${r.atimeNs === undefined ? '{tv_sec=0, tv_nsec=UTIME_NOW}' : tv(r.atimeNs)}, ${r.mtimeNs === undefined ? '{tv_sec=0, tv_nsec=UTIME_NOW}' : tv(r.mtimeNs)}]`,
      flags(r.flags ?? 0, AT_FLAGS),
    ],
  },
  dup: { args: (r) => [String(r.fd)] },
  dup2: { args: (r) => [String(r.oldfd), String(r.newfd)] },
  dup3: { args: (r) => [String(r.oldfd), String(r.newfd), flags(r.flags, [[0o2000000, 'O_CLOEXEC']])] },
  pipe: { args: (_r, res) => [ok(res) ? `[${res[0]}, ${res[1]}]` : DATA_PTR], entry: 0, ret: () => '0' },
  pipe2: { args: (r, res) => [ok(res) ? `[${res[0]}, ${res[1]}]` : DATA_PTR, flags(r.flags ?? 0, [[0o4000, 'O_NONBLOCK'], [0o2000000, 'O_CLOEXEC']])], entry: 0, ret: () => '0' },
  fcntl: {
    args(r) {
      const cmd = xval(r.cmd, FCNTL_CMDS);
      if (r.cmd === 1 || r.cmd === 3) return [String(r.fd), cmd];
      if (r.cmd === 2) return [String(r.fd), cmd, flags(r.arg ?? 0, [[1, 'FD_CLOEXEC']])];
      if (r.cmd === 4) return [String(r.fd), cmd, openFlags(r.arg ?? 0)];
      return [String(r.fd), cmd, String(r.arg ?? 0)];
    },
    ret(res, r) {
      if (r.cmd === 1) return res === 0 ? '0' : `${hex(res)} (flags ${flags(res, [[1, 'FD_CLOEXEC']])})`;
      if (r.cmd === 3) return `${hex(res)} (flags ${openFlags(res)})`;
      return String(res);
    },
  },
  ioctl: {
    args(r, res) {
      const cmd = xval(r.cmd, IOCTL_CMDS, hex(r.cmd));
      let arg: string;
      if (!ok(res)) arg = r.arg === undefined ? DATA_PTR : typeof r.arg === 'number' ? `[${r.arg}]` : DATA_PTR;
      else if (r.cmd === 0x5413) arg = `{ws_row=${res.rows}, ws_col=${res.cols}, ws_xpixel=0, ws_ypixel=0}`;
      else if (r.cmd === 0x5401) arg = `{B38400${res.onlcr ? ' opost' : ''}${res.isig ? ' isig' : ''}${res.icanon ? ' icanon' : ''}${res.echo ? ' echo' : ''} ...}`;
      else if (r.cmd === 0x540f || r.cmd === 0x541b) arg = `[${res}]`;
      else if (r.cmd === 0x5410) arg = `[${r.arg}]`;
      else if (r.cmd === 0x5422 || r.cmd === 0x540e) return [String(r.fd), cmd, ...(r.cmd === 0x540e ? [String(r.arg ?? 0)] : [])];
      else arg = r.arg === undefined ? DATA_PTR : typeof r.arg === 'number' ? String(r.arg) : '{...}';
      return [String(r.fd), cmd, arg];
    },
    entry: 2,
    // What ctsim returns (a pgrp, a winsize) Linux writes through the argument; the call returns 0.
    ret: () => '0',
  },
  lseek: { args: (r) => [String(r.fd), String(r.offset), xval(r.whence, SEEK_WHENCE)] },
  getdents64: {
    args: (r, res) => [String(r.fd), ok(res) ? `${DATA_PTR} /* ${res.length} entries */` : DATA_PTR, '32768'],
    entry: 1,
    // struct linux_dirent64: 19 bytes of header, the name and its NUL, rounded up to 8.
    ret: (res: { name: string }[]) => String(res.reduce((n, e) => n + ((19 + e.name.length + 1 + 7) & ~7), 0)),
  },
  fsync: { args: (r) => [String(r.fd)] },
  fdatasync: { args: (r) => [String(r.fd)] },
  syncfs: { args: (r) => [String(r.fd)] },
  execve: {
    args: (r, _res, s) => [path(r.path), `[${(r.argv as string[]).map((a) => quoteBytes(a, s)).join(', ')}]`, `${DATA_PTR} /* ${(r.envp as string[]).length} vars */`],
  },
  exit: { args: (r) => [String(r.status)] },
  exit_group: { args: (r) => [String(r.status)] },
  fork: { args: () => [] },
  vfork: { args: () => [] },
  clone: { args: (r) => ['child_stack=NULL', `flags=${[flags(r.flags ?? 0, CLONE_FLAGS, ''), r.exitSignal === undefined ? 'SIGCHLD' : r.exitSignal === 0 ? '' : sig(r.exitSignal)].filter((x) => x !== '').join('|') || '0'}`] },
  wait4: {
    args: (r, res) => [
      String(r.pid),
      ok(res) && res.pid > 0 ? waitStatus(res.status) : DATA_PTR,
      flags(r.options ?? 0, WAIT_OPTIONS),
      // No program of ctsim's asks for the rusage (dash's waitpid passes NULL, as glibc's does).
      'NULL',
    ],
    entry: 1,
    ret: (res) => String(res.pid),
  },
  kill: { args: (r) => [String(r.pid), sig(r.sig)] },
  tgkill: { args: (r) => [String(r.tgid), String(r.tid), sig(r.sig)] },
  getresuid: { args: (_r, res) => (ok(res) ? res.map((x: number) => `[${x}]`) : [DATA_PTR, DATA_PTR, DATA_PTR]), entry: 0, ret: () => '0' },
  getresgid: { args: (_r, res) => (ok(res) ? res.map((x: number) => `[${x}]`) : [DATA_PTR, DATA_PTR, DATA_PTR]), entry: 0, ret: () => '0' },
  getgroups: { args: (_r, res) => (ok(res) ? [String(res.length), `[${res.join(', ')}]`] : ['0', 'NULL']), entry: 0, ret: len },
  setgroups: { args: (r) => [String(r.groups.length), `[${r.groups.join(', ')}]`] },
  rt_sigaction: { args: (r, res) => [sig(r.sig), sigaction(r.act), ok(res) ? sigaction(res) : DATA_PTR, '8'], entry: 2, ret: () => '0' },
  rt_sigprocmask: {
    // `noOld`: the caller passed no oldset (NULL); ctsim's call returns the old mask all the same.
    args: (r, res) => [xval(r.how, SIGPROCMASK_HOW), r.set ? sigset(r.set) : 'NULL', r.noOld ? 'NULL' : ok(res) ? sigset(res) : DATA_PTR, '8'],
    entry: 2,
    ret: () => '0',
  },
  rt_sigpending: { args: (_r, res) => [ok(res) ? sigset(res) : DATA_PTR, '8'], entry: 0, ret: () => '0' },
  rt_sigsuspend: { args: (r) => [sigset(r.mask), '8'] },
  alarm: { args: (r) => [String(r.seconds)] },
  getitimer: { args: (r, res) => [xval(r.which, ITIMER_WHICH), ok(res) ? itimer(res) : DATA_PTR], entry: 1, ret: () => '0' },
  setitimer: { args: (r, res) => [xval(r.which, ITIMER_WHICH), itimer(r.value), ok(res) ? itimer(res) : DATA_PTR], entry: 2, ret: () => '0' },
  nanosleep: { args: (r) => [tv(r.ns), 'NULL'] },
  clock_nanosleep: { args: (r) => ['CLOCK_REALTIME', '0', tv(r.ns), DATA_PTR] },
  clock_gettime: { args: (r, res) => [xval(r.clock, CLOCK_IDS), ok(res) ? tv(res) : DATA_PTR], entry: 1, ret: () => '0' },
  times: {
    args: (_r, res) => [ok(res) ? `{tms_utime=${res.utime}, tms_stime=${res.stime}, tms_cutime=${res.cutime}, tms_cstime=${res.cstime}}` : DATA_PTR],
    entry: 0,
    ret: (res) => String(res.elapsed),
  },
  getrusage: {
    args: (r, res) => [r.who === -1 ? 'RUSAGE_CHILDREN' : r.who === 0 ? 'RUSAGE_SELF' : String(r.who), ok(res) ? `{ru_utime=${tvUsec(res.utimeNs)}, ru_stime=${tvUsec(res.stimeNs)}, ...}` : DATA_PTR],
    entry: 1,
    ret: () => '0',
  },
  uname: { args: (_r, res) => [ok(res) ? `{sysname=${quoteBytes(res.sysname)}, nodename=${quoteBytes(res.nodename)}, ...}` : DATA_PTR], entry: 0, ret: () => '0' },
  sethostname: { args: (r) => [quoteBytes(r.name), String(r.name.length)] },
  setdomainname: { args: (r) => [quoteBytes(r.name), String(r.name.length)] },
  sysinfo: {
    args: (_r, res) => [
      ok(res)
        ? `{uptime=${res.uptimeSec}, loads=[${res.loads.map((l: number) => Math.round(l * 65536)).join(', ')}], totalram=${res.totalRam}, freeram=${res.freeRam}, sharedram=${res.sharedRam}, bufferram=${res.bufferRam}, totalswap=${res.totalSwap}, freeswap=${res.freeSwap}, procs=${res.procs}, totalhigh=0, freehigh=0, mem_unit=1}`
        : DATA_PTR,
    ],
    entry: 0,
    ret: () => '0',
  },
  syslog: { args: (r, res, s) => [`${r.type} /* SYSLOG_ACTION_${r.type === 3 ? 'READ_ALL' : r.type === 10 ? 'SIZE_BUFFER' : String(r.type)} */`, ok(res) ? quoteBytes(res, s) : DATA_PTR, String(ok(res) ? res.length : 0)], entry: 1, ret: len },
  getrandom: { args: (r, res, s) => [ok(res) ? quoteBytes(res, s) : DATA_PTR, String(r.count), '0'], entry: 0, ret: len },
  prlimit64: { args: (r, res) => [String(r.pid), xval(r.resource, RLIMIT_NAMES), rlimit(r.limit), ok(res) ? rlimit(res) : DATA_PTR], entry: 3, ret: () => '0' },
  setpriority: { args: (r) => [xval(r.which, PRIO_WHICH), String(r.who), String(r.prio)] },
  getpriority: { args: (r) => [xval(r.which, PRIO_WHICH), String(r.who)] },
  sched_setscheduler: { args: (r) => [String(r.pid), xval(r.policy, SCHED_POLICIES), `[${r.priority}]`] },
  sched_getscheduler: { args: (r) => [String(r.pid)], ret: (res) => `${res} (${xval(res, SCHED_POLICIES)})` },
  sched_getparam: { args: (r, res) => [String(r.pid), ok(res) ? `[${res}]` : DATA_PTR], entry: 1, ret: () => '0' },
  unshare: { args: (r) => [flags(r.flags, CLONE_FLAGS)] },
  setns: { args: (r) => [String(r.fd), flags(r.nstype, CLONE_FLAGS)] },
  mount: { args: (r) => [strOrNull(r.source), path(r.target), strOrNull(r.fstype), flags(r.flags ?? 0, MS_FLAGS), strOrNull(r.data)] },
  umount2: { args: (r) => [path(r.target), flags(r.flags ?? 0, UMOUNT_FLAGS)] },
  pivot_root: { args: (r) => [path(r.newRoot), path(r.putOld)] },
  prctl: {
    args(r) {
      const opt = xval(r.option, PRCTL_OPTIONS);
      if (r.option === 15) return [opt, quoteBytes(r.name ?? '')];
      return [opt, String(r.arg2 ?? 0), String(r.arg3 ?? 0), String(r.arg4 ?? 0), String(r.arg5 ?? 0)];
    },
  },
  capget: {
    args: (r, res) => [
      `{version=_LINUX_CAPABILITY_VERSION_3, pid=${r.pid ?? 0}}`,
      ok(res) ? `{effective=${hex(Number(res.effective))}, permitted=${hex(Number(res.permitted))}, inheritable=${hex(Number(res.inheritable))}}` : DATA_PTR,
    ],
    entry: 1,
    ret: () => '0',
  },
  capset: {
    args: (r) => [
      `{version=_LINUX_CAPABILITY_VERSION_3, pid=${r.pid ?? 0}}`,
      `{effective=${hex(Number(r.effective))}, permitted=${hex(Number(r.permitted))}, inheritable=${hex(Number(r.inheritable))}}`,
    ],
  },
  socket: {
    args: (r) => [xval(r.domain, SOCK_DOMAINS), sockType(r.type), r.domain === 2 ? xval(r.protocol, [[0, 'IPPROTO_IP'], [1, 'IPPROTO_ICMP'], [6, 'IPPROTO_TCP'], [17, 'IPPROTO_UDP']]) : r.domain === 16 && r.protocol === 0 ? 'NETLINK_ROUTE' : String(r.protocol)],
  },
  bind: { args: (r) => [String(r.fd), sockaddr(r.addr), '16'] },
  connect: { args: (r) => [String(r.fd), sockaddr(r.addr), '16'] },
  listen: { args: (r) => [String(r.fd), String(r.backlog)] },
  accept: { args: (r, res) => [String(r.fd), ok(res) ? sockaddr(res.addr) : DATA_PTR, '[16]'], entry: 1, ret: (res) => String(res.fd) },
  accept4: {
    args: (r, res) => [String(r.fd), ok(res) ? sockaddr(res.addr) : DATA_PTR, '[16]', flags(r.flags ?? 0, [[0o4000, 'SOCK_NONBLOCK'], [0o2000000, 'SOCK_CLOEXEC']])],
    entry: 1,
    ret: (res) => String(res.fd),
  },
  sendto: {
    // ctsim passes ICMP messages and netlink requests as objects: `{...}`, and the length the call took (known at exit).
    args: (r, res, s) => [
      String(r.fd),
      typeof r.data === 'string' ? quoteBytes(r.data, s) : '{...}',
      String(typeof r.data === 'string' ? r.data.length : typeof res === 'number' ? res : 0),
      String(r.flags ?? 0),
      sockaddr(r.addr),
      r.addr ? '16' : '0',
    ],
    entry: (r) => (typeof r.data === 'string' ? 6 : 1),
  },
  recvfrom: {
    args: (r, res, s) => [String(r.fd), ok(res) ? (typeof res.data === 'string' ? quoteBytes(res.data, s) : '{...}') : DATA_PTR, String(r.count), String(r.flags ?? 0), ok(res) ? sockaddr(res.from) : DATA_PTR, ok(res) && res.from ? '[16]' : 'NULL'],
    entry: 1,
    ret: (res) => String(payloadLength(res.data)),
  },
  shutdown: { args: (r) => [String(r.fd), xval(r.how, [[0, 'SHUT_RD'], [1, 'SHUT_WR'], [2, 'SHUT_RDWR']])] },
  getsockname: { args: (r, res) => [String(r.fd), ok(res) ? sockaddr(res) : DATA_PTR, '[16]'], entry: 1, ret: () => '0' },
  getpeername: { args: (r, res) => [String(r.fd), ok(res) ? sockaddr(res) : DATA_PTR, '[16]'], entry: 1, ret: () => '0' },
  poll: {
    args: (r) => [`[${(r.fds as { fd: number; events: number }[]).map((p) => `{fd=${p.fd}, events=${flags(p.events, POLL_EVENTS)}}`).join(', ')}]`, String(r.fds.length), String(r.timeoutMs)],
    ret(res: number[], r) {
      const ready = r.fds.map((p: { fd: number }, i: number) => ({ fd: p.fd, rev: res[i] })).filter((x: { rev: number }) => x.rev !== 0);
      if (ready.length === 0) return '0 (Timeout)';
      return `${ready.length} ([${ready.map((x: { fd: number; rev: number }) => `{fd=${x.fd}, revents=${flags(x.rev, POLL_EVENTS)}}`).join(', ')}])`;
    },
  },
  brk: { args: (r) => [r.addr ? hex(r.addr) : 'NULL'], ret: (res) => hex(res) },
  mmap: {
    args: (r) => [r.addr ? hex(r.addr) : 'NULL', String(r.length), flags(r.prot, PROT_FLAGS, 'PROT_NONE'), mapFlags(r.flags), String(r.fd), hex(r.offset ?? 0)],
    ret: (res) => hex(res),
  },
  munmap: { args: (r) => [hex(r.addr), String(r.length)] },
};

/** A field of a request without a decoder, printed as it is. */
function rawArg(v: unknown, s: number): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return quoteBytes(v, s);
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v === undefined || v === null) return 'NULL';
  if (Array.isArray(v)) return `[${v.map((x) => rawArg(x, s)).join(', ')}]`;
  return '{...}';
}

/** The return column of a failed call: `-1 ENOENT (No such file or directory)`. */
export function errorRet(e: SysError): string {
  return `-1 ${e.errno} (${STRERROR[e.errno]})`;
}

/** The name strace gives a call: ctsim's number's Linux name. */
export function syscallName(nr: number): string {
  return SYSCALL_NAMES[nr] ?? `syscall_${hex(nr)}`;
}

/**
 * Decodes `req` with its result `res` (a value or SysError; undefined while the call
 * is still blocked, when only the entry arguments are meaningful).
 */
export function decodeSyscall(req: SyscallRequest, res: unknown, strsize: number): DecodedCall {
  const name = syscallName(req.nr);
  const d = DECODERS[name];
  let args: string[];
  let entry: number;
  if (d) {
    args = d.args(req, res, strsize);
    entry = typeof d.entry === 'function' ? d.entry(req) : (d.entry ?? args.length);
  } else {
    args = [];
    for (const key of Object.keys(req)) {
      if (key === 'nr' || typeof req[key] === 'function') continue;
      args.push(rawArg(req[key], strsize));
    }
    entry = args.length;
  }
  let ret: string;
  if (name === 'exit' || name === 'exit_group') ret = '?';
  else if (res === undefined) ret = '?';
  else if (res instanceof SysError) ret = errorRet(res);
  else if (d?.ret) ret = d.ret(res, req);
  else if (typeof res === 'number') ret = String(res);
  else ret = '0';
  return { name, args, entry, ret };
}

/** `name(args) = ret` without strace's alignment (the `syscall` trace category's form). */
export function formatCall(c: DecodedCall): string {
  return `${c.name}(${c.args.join(', ')})`;
}
