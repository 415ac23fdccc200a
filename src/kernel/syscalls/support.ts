/**
 * The support table of system calls (as `runsc syscalls` prints gVisor's): for each
 * call ctsim knows the number of, whether it is modelled fully, in part (with what is
 * missing), or not at all (the call fails with ENOSYS).
 */
import { NR, type SyscallName } from './numbers.js';
import { implementedSyscalls } from './dispatch.js';

export type SupportLevel = 'full' | 'partial' | 'none';

export interface SyscallSupport {
  name: SyscallName;
  nr: number;
  level: SupportLevel;
  note: string;
}

/** What is missing from calls that are only partly modelled, or why a call is absent. */
const NOTES: Partial<Record<SyscallName, [SupportLevel, string]>> = {
  clone: ['partial', 'the child runs an entry function (generators cannot be copied); CLONE_THREAD is not modelled; CLONE_NEW* except CLONE_NEWTIME'],
  unshare: ['partial', 'CLONE_NEW* except CLONE_NEWTIME, CLONE_FILES, CLONE_FS, CLONE_SYSVSEM'],
  setns: ['partial', 'file descriptors of /proc/PID/ns files; pidfds are not modelled'],
  mount: ['partial', 'tmpfs and proc, bind (MS_BIND, MS_REC), MS_MOVE, MS_REMOUNT of per-mount flags, propagation changes; no block devices'],
  sync: ['full', 'writes back every disk file system (ctsimfs) through its SCSI disk; the caller sleeps in D until the commands complete'],
  syncfs: ['full', 'writes back the file system the descriptor is on'],
  fsync: ['partial', 'writes back the file\'s whole file system (ctsimfs commits whole trees)'],
  fdatasync: ['partial', 'as fsync'],
  umount2: ['full', 'MNT_DETACH, MNT_FORCE, UMOUNT_NOFOLLOW; busy means a cwd, root or open file in the mount, or a mount below it'],
  pivot_root: ['full', 'the checks and errno of pivot_root(2), including pivot_root(".", ".")'],
  fork: ['partial', 'the child runs an entry function instead of returning 0 from the same call site'],
  vfork: ['partial', 'the child runs an entry function instead of returning 0 from the same call site; it borrows the parent\'s address space, and the parent sleeps killably (D) until the child execs or exits'],
  execve: ['partial', 'runs ctsim executables and #! scripts; set-user-ID/set-group-ID bits and the capability transformation of capabilities(7) with the ambient set, no_new_privs and securebits (no file capabilities)'],
  wait4: ['partial', 'rusage carries CPU times only'],
  getitimer: ['partial', 'ITIMER_REAL only (one timer with alarm, as on Linux); ITIMER_VIRTUAL and ITIMER_PROF fail with EINVAL'],
  setitimer: ['partial', 'ITIMER_REAL only (one timer with alarm, as on Linux); ITIMER_VIRTUAL and ITIMER_PROF fail with EINVAL'],
  ioctl: ['partial', 'terminals: TCGETS, TCSETS (accepted, ignored), TIOCGWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, TIOCNOTTY; pipes: FIONREAD'],
  fcntl: ['partial', 'F_GETFD, F_SETFD, F_GETFL, F_SETFL (O_APPEND, O_NONBLOCK), F_DUPFD, F_DUPFD_CLOEXEC; no locks'],
  getdents64: ['full', 'returns entries as objects, all remaining ones per call'],
  prctl: ['partial', 'PR_SET_NAME/PR_GET_NAME, PR_SET/GET_CHILD_SUBREAPER, PR_CAPBSET_READ/DROP, PR_SET/GET_KEEPCAPS, PR_SET/GET_SECUREBITS (Linux 6.1 flags), PR_SET/GET_NO_NEW_PRIVS, PR_CAP_AMBIENT; other options fail with EINVAL'],
  capget: ['full', 'the version 3 sets as one object of bigints (no header or user memory); any process of the caller\'s PID namespace'],
  capset: ['full', 'the version 3 sets as one object of bigints; only the calling thread (pid 0 or its own), as since Linux 2.6.24'],
  mknod: ['full', 'regular files, FIFOs, sockets; character and block devices need CAP_MKNOD in the initial user namespace (a 0/0 whiteout does not); only the memory devices, terminals and the console have drivers'],
  mknodat: ['full', 'as mknod, relative to a directory descriptor'],
  rt_sigaction: ['partial', 'handlers are simulated programs; SA_RESTART, SA_NOCLDSTOP, SA_NOCLDWAIT; no SA_SIGINFO data'],
  getrusage: ['partial', 'CPU times, faults and context switches; no maxrss until the virtual-memory issue'],
  sysinfo: ['partial', 'memory figures are the installed RAM until the virtual-memory issue'],
  prlimit64: ['partial', 'limits are stored and reported; RLIMIT_NOFILE and RLIMIT_NPROC are enforced'],
  setpriority: ['full', 'nice changes the CFS weight at once'],
  sched_setscheduler: ['partial', 'SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE; no RT throttling, no SCHED_DEADLINE'],
  syslog: ['partial', 'SYSLOG_ACTION_READ_ALL and SYSLOG_ACTION_SIZE_BUFFER'],
  chroot: ['full', 'changes the root of path walks; the working directory stays where it is, as on Linux'],
  pipe: ['full', '64 KiB capacity; PIPE_BUF atomicity'],
  pipe2: ['full', 'O_CLOEXEC, O_NONBLOCK'],
  mmap: ['partial', 'anonymous and private file mappings; MAP_SHARED is refused (EINVAL); no ASLR'],
  poll: ['partial', 'sockets and pipes wake a sleeping poll; other files are always ready; revents per entry returned as an array'],
  socket: ['partial', 'AF_INET SOCK_STREAM (TCP), SOCK_DGRAM (UDP, and IPPROTO_ICMP ping sockets within net.ipv4.ping_group_range) and SOCK_RAW IPPROTO_ICMP (CAP_NET_RAW); AF_NETLINK NETLINK_ROUTE, NETLINK_SOCK_DIAG and NETLINK_NETFILTER; no AF_UNIX'],
  bind: ['partial', 'AF_INET; addresses as objects; EADDRINUSE per network namespace, SO_REUSEADDR past TIME_WAIT, ports below 1024 need CAP_NET_BIND_SERVICE'],
  connect: ['partial', 'AF_INET: TCP handshake (blocking or EINPROGRESS); UDP fixes the peer; ENETUNREACH without a route'],
  sendto: ['partial', 'addresses as objects; raw sockets send ICMP message objects, netlink sockets rtnetlink request objects'],
  recvfrom: ['partial', 'raw sockets return packet objects, netlink sockets reply objects; SO_RCVTIMEO'],
  setsockopt: ['partial', 'SO_RCVTIMEO (in microseconds), IP_TTL; SO_REUSEADDR and SO_BROADCAST accepted'],
  getsockopt: ['partial', 'SO_ERROR, IP_TTL'],
  accept: ['partial', 'returns the new descriptor and the peer address as an object'],
  listen: ['full', 'backlog capped at 4096; an unbound socket gets an ephemeral port'],
  shutdown: ['partial', 'TCP: SHUT_WR sends FIN after queued data; SHUT_RD makes reads return end of file'],
  rt_sigreturn: ['full', 'implicit: a handler program returning is sigreturn'],
  statx: ['none', 'use stat, lstat or newfstatat'],
  sched_setaffinity: ['none', 'one runqueue serves all CPUs (see the scheduler README)'],
  sched_getaffinity: ['none', 'one runqueue serves all CPUs'],
  gettimeofday: ['full', 'returns ns since the epoch'],
  pwrite64: ['none', 'not needed by the programs ctsim ships'],
  ptrace: ['none', 'fails with ENOSYS; strace uses ctsim\'s own request ctsim_strace (number 1001, outside x86-64\'s table) for PTRACE_TRACEME and the tracer\'s waitpid loop (kernel/trace/tracer.ts): no attaching to a running process, no PEEKDATA or registers'],
};

export function syscallSupport(): SyscallSupport[] {
  const implemented = new Set(implementedSyscalls());
  const out: SyscallSupport[] = [];
  for (const name of Object.keys(NR) as SyscallName[]) {
    const note = NOTES[name];
    const level: SupportLevel = implemented.has(name) ? (note?.[0] === 'none' ? 'partial' : (note?.[0] ?? 'full')) : 'none';
    out.push({ name, nr: NR[name], level, note: note?.[1] ?? (implemented.has(name) ? '' : 'not modelled: fails with ENOSYS') });
  }
  return out.sort((a, b) => a.nr - b.nr);
}
