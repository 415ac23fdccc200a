/**
 * Typed system-call helpers for simulated programs: `const fd = yield* sys.open(p, O_RDONLY)`.
 * Each helper yields one request to the kernel and returns its answer — a value or a
 * SysError — so a program's view of the system is exactly what the kernel tells it
 * (the gVisor-like syscall boundary of DESIGN.md decision 2).
 */
import { NR, STRACE_NR } from '../../kernel/syscalls/numbers.js';
import type { Op } from '../../kernel/proc/program.js';
import type { SysError } from '../../kernel/errno.js';
import type { DirEntry, Stat, Bytes } from '../../kernel/vfs/types.js';
import type {
  CapSets,
  CloneEntry,
  Rlimit,
  Rusage,
  ItimerVal,
  SigActionArg,
  SysInfo,
  Tms,
  Utsname,
  WaitResult,
} from '../../kernel/syscalls/abi.js';
import type { SockAddrIn } from '../../kernel/net/sockets.js';
import type { CallCount, StraceOptions } from '../../kernel/trace/tracer.js';

/** A system call as a generator: yields one request, returns the kernel's answer. */
export type Sys<T> = Generator<Op, T | SysError, unknown>;

function* call<T>(req: { nr: number; [k: string]: unknown }): Sys<T> {
  return (yield req) as T | SysError;
}

/** Computes for `ns` nanoseconds in user mode. */
export function* compute(ns: number): Generator<Op, void, unknown> {
  if (ns > 0) yield ns;
}

// Files.
export const open = (path: string, flags: number, mode = 0o666): Sys<number> => call({ nr: NR.open, path, flags, mode });
export const openat = (dirfd: number, path: string, flags: number, mode = 0o666): Sys<number> =>
  call({ nr: NR.openat, dirfd, path, flags, mode });
export const close = (fd: number): Sys<number> => call({ nr: NR.close, fd });
export const read = (fd: number, count: number): Sys<Bytes> => call({ nr: NR.read, fd, count });
export const write = (fd: number, data: Bytes): Sys<number> => call({ nr: NR.write, fd, data });
export const pread = (fd: number, count: number, offset: number): Sys<Bytes> => call({ nr: NR.pread64, fd, count, offset });
export const lseek = (fd: number, offset: number, whence: number): Sys<number> => call({ nr: NR.lseek, fd, offset, whence });
export const dup = (fd: number): Sys<number> => call({ nr: NR.dup, fd });
export const dup2 = (oldfd: number, newfd: number): Sys<number> => call({ nr: NR.dup2, oldfd, newfd });
export const dup3 = (oldfd: number, newfd: number, flags: number): Sys<number> => call({ nr: NR.dup3, oldfd, newfd, flags });
export const pipe2 = (flags = 0): Sys<[number, number]> => call({ nr: NR.pipe2, flags });
export const fcntl = (fd: number, cmd: number, arg?: number): Sys<number> => call({ nr: NR.fcntl, fd, cmd, arg });
export const ioctl = (fd: number, cmd: number, arg?: unknown): Sys<unknown> => call({ nr: NR.ioctl, fd, cmd, arg });
export const getdents = (fd: number): Sys<DirEntry[]> => call({ nr: NR.getdents64, fd });
export const fstat = (fd: number): Sys<Stat> => call({ nr: NR.fstat, fd });
export const stat = (path: string): Sys<Stat> => call({ nr: NR.stat, path });
export const lstat = (path: string): Sys<Stat> => call({ nr: NR.lstat, path });
export const fstatat = (dirfd: number, path: string, flags: number): Sys<Stat> => call({ nr: NR.newfstatat, dirfd, path, flags });
export const access = (path: string, mode: number): Sys<number> => call({ nr: NR.access, path, mode });
export const faccessat = (dirfd: number, path: string, mode: number, flags = 0): Sys<number> =>
  call({ nr: NR.faccessat, dirfd, path, mode, flags });
export const mkdir = (path: string, mode = 0o777): Sys<number> => call({ nr: NR.mkdir, path, mode });
/** mknod(2): a FIFO (S_IFIFO), regular file, socket or — with CAP_MKNOD — device node `dev` (makedev). */
export const mknod = (path: string, mode: number, dev = 0): Sys<number> => call({ nr: NR.mknod, path, mode, dev });
export const mknodat = (dirfd: number, path: string, mode: number, dev = 0): Sys<number> => call({ nr: NR.mknodat, dirfd, path, mode, dev });
export const rmdir = (path: string): Sys<number> => call({ nr: NR.rmdir, path });
export const unlink = (path: string): Sys<number> => call({ nr: NR.unlink, path });
export const unlinkat = (dirfd: number, path: string, flags: number): Sys<number> => call({ nr: NR.unlinkat, dirfd, path, flags });
export const rename = (oldpath: string, newpath: string): Sys<number> => call({ nr: NR.rename, oldpath, newpath });
export const link = (oldpath: string, newpath: string): Sys<number> => call({ nr: NR.link, oldpath, newpath });
export const symlink = (target: string, path: string): Sys<number> => call({ nr: NR.symlink, target, path });
export const readlink = (path: string): Sys<string> => call({ nr: NR.readlink, path });
export const chdir = (path: string): Sys<number> => call({ nr: NR.chdir, path });
export const fchdir = (fd: number): Sys<number> => call({ nr: NR.fchdir, fd });
export const getcwd = (): Sys<string> => call({ nr: NR.getcwd });
export const chmod = (path: string, mode: number): Sys<number> => call({ nr: NR.chmod, path, mode });
export const chown = (path: string, uid: number, gid: number): Sys<number> => call({ nr: NR.chown, path, uid, gid });
export const lchown = (path: string, uid: number, gid: number): Sys<number> => call({ nr: NR.lchown, path, uid, gid });
export const truncate = (path: string, length: number): Sys<number> => call({ nr: NR.truncate, path, length });
export const ftruncate = (fd: number, length: number): Sys<number> => call({ nr: NR.ftruncate, fd, length });
export const utimensat = (path: string, atimeNs?: number, mtimeNs?: number, flags = 0): Sys<number> =>
  call({ nr: NR.utimensat, path, atimeNs, mtimeNs, flags });
export const umask = (mask: number): Sys<number> => call({ nr: NR.umask, mask });
export const chroot = (path: string): Sys<number> => call({ nr: NR.chroot, path });

// Processes.
/** fork(2): the child runs `entry` (see program.ts); the parent gets the child's PID. */
export const fork = (entry: CloneEntry): Sys<number> => call({ nr: NR.fork, entry });
/**
 * vfork(2): like fork, but the child borrows the caller's address space and the caller
 * gets the child's PID only once the child has called execve or exited.
 */
export const vfork = (entry: CloneEntry): Sys<number> => call({ nr: NR.vfork, entry });
export const clone = (entry: CloneEntry, flags: number, exitSignal = 17): Sys<number> => call({ nr: NR.clone, entry, flags, exitSignal });
export const execve = (path: string, argv: readonly string[], envp: readonly string[]): Sys<number> =>
  call({ nr: NR.execve, path, argv, envp });
export const exit = (status: number): Sys<never> => call({ nr: NR.exit_group, status });
export const wait4 = (pid: number, options = 0): Sys<WaitResult> => call({ nr: NR.wait4, pid, options });
export const kill = (pid: number, sig: number): Sys<number> => call({ nr: NR.kill, pid, sig });
export const getpid = (): Sys<number> => call({ nr: NR.getpid });
export const getppid = (): Sys<number> => call({ nr: NR.getppid });
export const getuid = (): Sys<number> => call({ nr: NR.getuid });
export const geteuid = (): Sys<number> => call({ nr: NR.geteuid });
export const getgid = (): Sys<number> => call({ nr: NR.getgid });
export const getegid = (): Sys<number> => call({ nr: NR.getegid });
export const getgroups = (): Sys<number[]> => call({ nr: NR.getgroups });
export const setuid = (uid: number): Sys<number> => call({ nr: NR.setuid, uid });
export const setgid = (gid: number): Sys<number> => call({ nr: NR.setgid, gid });
export const setgroups = (groups: number[]): Sys<number> => call({ nr: NR.setgroups, groups });
export const setresuid = (ruid: number, euid: number, suid: number): Sys<number> => call({ nr: NR.setresuid, ruid, euid, suid });
export const setresgid = (rgid: number, egid: number, sgid: number): Sys<number> => call({ nr: NR.setresgid, rgid, egid, sgid });
export const getresuid = (): Sys<[number, number, number]> => call({ nr: NR.getresuid });
export const getresgid = (): Sys<[number, number, number]> => call({ nr: NR.getresgid });
export const setpgid = (pid: number, pgid: number): Sys<number> => call({ nr: NR.setpgid, pid, pgid });
export const getpgid = (pid: number): Sys<number> => call({ nr: NR.getpgid, pid });
export const getpgrp = (): Sys<number> => call({ nr: NR.getpgrp });
export const setsid = (): Sys<number> => call({ nr: NR.setsid });
export const getsid = (pid: number): Sys<number> => call({ nr: NR.getsid, pid });
export const prctlSetName = (name: string): Sys<number> => call({ nr: NR.prctl, option: 15, name });
/** prctl(option, arg2, …) for the numeric options (PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, …). */
export const prctl = (option: number, arg2 = 0, arg3 = 0, arg4 = 0, arg5 = 0): Sys<number> => call({ nr: NR.prctl, option, arg2, arg3, arg4, arg5 });
/** capget(2): the effective, permitted and inheritable sets of process `pid` (0: the caller). */
export const capget = (pid = 0): Sys<CapSets> => call({ nr: NR.capget, pid });
/** capset(2): sets the caller's three sets (`pid` must be 0 or the caller's own). */
export const capset = (caps: CapSets, pid = 0): Sys<number> =>
  call({ nr: NR.capset, pid, effective: caps.effective, permitted: caps.permitted, inheritable: caps.inheritable });
/** prctl(PR_CAPBSET_DROP, cap): removes a capability from the bounding set. */
export const capbsetDrop = (cap: number): Sys<number> => call({ nr: NR.prctl, option: 24, arg2: cap });

// Signals.
export const sigaction = (sig: number, act?: SigActionArg): Sys<SigActionArg> => call({ nr: NR.rt_sigaction, sig, act });
export const sigprocmask = (how: number, set?: number[]): Sys<number[]> => call({ nr: NR.rt_sigprocmask, how, set });
/** rt_sigprocmask with a NULL oldset: sets the mask, asks nothing back (strace shows NULL). */
export const setSigmask = (how: number, set: number[]): Sys<number[]> => call({ nr: NR.rt_sigprocmask, how, set, noOld: true });
export const sigpending = (): Sys<number[]> => call({ nr: NR.rt_sigpending });
export const sigsuspend = (mask: number[]): Sys<number> => call({ nr: NR.rt_sigsuspend, mask });
export const pause = (): Sys<number> => call({ nr: NR.pause });
export const alarm = (seconds: number): Sys<number> => call({ nr: NR.alarm, seconds });
export const getitimer = (which: number): Sys<ItimerVal> => call({ nr: NR.getitimer, which });
export const setitimer = (which: number, value: ItimerVal): Sys<ItimerVal> => call({ nr: NR.setitimer, which, value });

// Time and system information.
export const nanosleep = (ns: number): Sys<number> => call({ nr: NR.nanosleep, ns });
export const clockGettime = (clock: number): Sys<number> => call({ nr: NR.clock_gettime, clock });
export const times = (): Sys<Tms> => call({ nr: NR.times });
export const getrusage = (who: number): Sys<Rusage> => call({ nr: NR.getrusage, who });
export const uname = (): Sys<Utsname> => call({ nr: NR.uname });
export const sethostname = (name: string): Sys<number> => call({ nr: NR.sethostname, name });
export const setdomainname = (name: string): Sys<number> => call({ nr: NR.setdomainname, name });
export const sysinfo = (): Sys<SysInfo> => call({ nr: NR.sysinfo });
/** syslog(2) SYSLOG_ACTION_READ_ALL: the kernel log. */
export const syslog = (type = 3): Sys<string> => call({ nr: NR.syslog, type });
export const getrandom = (count: number): Sys<Bytes> => call({ nr: NR.getrandom, count });
export const prlimit = (pid: number, resource: number, limit?: Rlimit): Sys<Rlimit> => call({ nr: NR.prlimit64, pid, resource, limit });

// Scheduling.
export const schedYield = (): Sys<number> => call({ nr: NR.sched_yield });
export const setpriority = (which: number, who: number, prio: number): Sys<number> => call({ nr: NR.setpriority, which, who, prio });
export const getpriority = (which: number, who: number): Sys<number> => call({ nr: NR.getpriority, which, who });
export const schedSetscheduler = (pid: number, policy: number, priority: number): Sys<number> =>
  call({ nr: NR.sched_setscheduler, pid, policy, priority });
export const schedGetscheduler = (pid: number): Sys<number> => call({ nr: NR.sched_getscheduler, pid });
export const schedGetparam = (pid: number): Sys<number> => call({ nr: NR.sched_getparam, pid });

// Namespaces and mounts.
export const unshare = (flags: number): Sys<number> => call({ nr: NR.unshare, flags });
export const setns = (fd: number, nstype: number): Sys<number> => call({ nr: NR.setns, fd, nstype });
export const mount = (source: string, target: string, fstype: string, flags: number, data = ''): Sys<number> =>
  call({ nr: NR.mount, source, target, fstype, flags, data });
export const umount2 = (target: string, flags = 0): Sys<number> => call({ nr: NR.umount2, target, flags });
export const pivotRoot = (newRoot: string, putOld: string): Sys<number> => call({ nr: NR.pivot_root, newRoot, putOld });

// Writeback.
export const sync = (): Sys<number> => call({ nr: NR.sync });
export const syncfs = (fd: number): Sys<number> => call({ nr: NR.syncfs, fd });
export const fsync = (fd: number): Sys<number> => call({ nr: NR.fsync, fd });
export const fdatasync = (fd: number): Sys<number> => call({ nr: NR.fdatasync, fd });

// System V IPC.
export const msgget = (key: number, flags: number): Sys<number> => call({ nr: NR.msgget, key, flags });
export const msgctl = (id: number, cmd: number): Sys<unknown> => call({ nr: NR.msgctl, id, cmd });
export const msgsnd = (id: number, type: number, text: string): Sys<number> => call({ nr: NR.msgsnd, id, type, text });
export const msgrcv = (id: number, type: number): Sys<{ type: number; text: string }> => call({ nr: NR.msgrcv, id, type });
export const shmget = (key: number, size: number, flags: number): Sys<number> => call({ nr: NR.shmget, key, size, flags });
export const shmctl = (id: number, cmd: number): Sys<unknown> => call({ nr: NR.shmctl, id, cmd });
export const semget = (key: number, nsems: number, flags: number): Sys<number> => call({ nr: NR.semget, key, nsems, flags });
export const semctl = (id: number, cmd: number): Sys<unknown> => call({ nr: NR.semctl, id, cmd });

// Sockets (socket(2) and friends). Addresses are SockAddrIn objects; see kernel/net/sockets.ts.
export const socket = (domain: number, type: number, protocol = 0): Sys<number> => call({ nr: NR.socket, domain, type, protocol });
export const bind = (fd: number, addr: SockAddrIn): Sys<number> => call({ nr: NR.bind, fd, addr });
export const connect = (fd: number, addr: SockAddrIn): Sys<number> => call({ nr: NR.connect, fd, addr });
export const listen = (fd: number, backlog: number): Sys<number> => call({ nr: NR.listen, fd, backlog });
export const accept = (fd: number, flags = 0): Sys<{ fd: number; addr: SockAddrIn }> => call({ nr: NR.accept4, fd, flags });
/** sendto(2); `data` is bytes, an IpPacket for a raw socket, or a request for a netlink socket. */
export const sendto = (fd: number, data: unknown, flags = 0, addr?: SockAddrIn): Sys<number> => call({ nr: NR.sendto, fd, data, flags, addr });
/** recvfrom(2): the data (bytes, an IpPacket for a raw socket, a reply for netlink) and who sent it. */
export const recvfrom = <T = Bytes>(fd: number, count: number, flags = 0): Sys<{ data: T; from: SockAddrIn | null }> =>
  call({ nr: NR.recvfrom, fd, count, flags });
export const shutdown = (fd: number, how: number): Sys<number> => call({ nr: NR.shutdown, fd, how });
export const getsockname = (fd: number): Sys<SockAddrIn> => call({ nr: NR.getsockname, fd });
export const getpeername = (fd: number): Sys<SockAddrIn> => call({ nr: NR.getpeername, fd });
export const setsockopt = (fd: number, level: number, name: number, value: number): Sys<number> => call({ nr: NR.setsockopt, fd, level, name, value });
export const getsockopt = (fd: number, level: number, name: number): Sys<number> => call({ nr: NR.getsockopt, fd, level, name });
/** poll(2): `fds` with the events wanted; returns the revents of each, in order (0 on timeout). */
export const poll = (fds: { fd: number; events: number }[], timeoutMs: number): Sys<number[]> => call({ nr: NR.poll, fds, timeoutMs });

// Tracing (ctsim's stand-in for ptrace(2); see kernel/trace/tracer.ts).
/** Makes the caller a tracer with strace's options. */
export const straceStart = (opts: Partial<StraceOptions>): Sys<number> => call({ nr: STRACE_NR, op: 'start', opts });
/** PTRACE_TRACEME: the caller's parent (a tracer) traces it from now on. */
export const straceTraceme = (): Sys<number> => call({ nr: STRACE_NR, op: 'traceme' });
/** The tracer's wait: the next text to print (sleeps while there is none); done once no tracee is left. */
export const straceWait = (): Sys<{ text: string; done: boolean }> => call({ nr: STRACE_NR, op: 'wait' });
/** Lets every tracee go (strace interrupted): the last text and the PIDs detached. */
export const straceDetach = (): Sys<{ text: string; pids: number[] }> => call({ nr: STRACE_NR, op: 'detach' });
/** -c's counters, per call. */
export const straceCounts = (): Sys<({ name: string } & CallCount)[]> => call({ nr: STRACE_NR, op: 'counts' });
