/**
 * strace's printing primitives: C-style quoting of byte strings with the `-s`
 * truncation, symbolic flag sets (`O_RDONLY|O_CLOEXEC`), octal modes, signal sets
 * (`[INT CHLD]`), and the placeholders ctsim prints where strace prints an address.
 *
 * The tables list flags in the order strace 6.1's xlat files print them (its
 * src/xlat/*.in), so a decoded argument reads as on Linux.
 */
import { signalName } from '../proc/signals.js';

/**
 * What ctsim prints where strace prints a user-space address it does not (or cannot)
 * dereference: a buffer a failed call did not fill, an environment vector, a handler.
 * Simplification: ctsim passes arguments by value, not through user memory, so there
 * is no address to print; these stand in for one and say which region it would be in
 * (the stack at 0x7ffd…, a PIE program's text at 0x5555…).
 */
export const DATA_PTR = '0x7ffd...';
export const CODE_PTR = '0x5555...';

/** strace's default `-s`: the longest string printed before `...`. */
export const DEFAULT_STRSIZE = 32;

/**
 * A byte string as strace quotes it (string_quote()): printable ASCII as is, `"` and
 * `\` escaped, \t \n \v \f \r by name, other bytes in octal — three digits when an
 * octal digit follows, so the escape cannot swallow it. At most `max` bytes are
 * printed; a longer string gets `...` after the closing quote.
 */
export function quoteBytes(s: string, max = Infinity): string {
  const n = Math.min(s.length, max);
  let out = '"';
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) & 0xff;
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x09:
        out += '\\t';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0b:
        out += '\\v';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += String.fromCharCode(c);
      continue;
    }
    const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    const oct = c.toString(8);
    out += '\\' + (next >= 0x30 && next <= 0x37 ? oct.padStart(3, '0') : oct);
  }
  return out + '"' + (s.length > max ? '...' : '');
}

/** A flag table: [value, name] in strace's printing order. */
export type Xlat = readonly (readonly [number, string])[];

/**
 * `value` as NAME|NAME|0x… (printflags()): known bits by name in table order, the
 * unknown rest in hex; `zero` when nothing is set.
 */
export function flags(value: number, table: Xlat, zero = '0'): string {
  const parts: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of table) {
    if (bit !== 0 && (rest & bit) === bit) {
      parts.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) parts.push('0x' + rest.toString(16));
  return parts.length === 0 ? zero : parts.join('|');
}

/** One value of an enumeration (printxval()), or the number when unknown. */
export function xval(value: number, table: Xlat, unknown = String(value)): string {
  for (const [v, name] of table) if (v === value) return name;
  return unknown;
}

/** A file mode as strace prints it: `0644`, `022`, `000` (printf "%#03o"). */
export function octal(mode: number): string {
  return ('0' + (mode >>> 0).toString(8)).padStart(3, '0');
}

/** Hexadecimal as strace prints addresses and offsets: `0x2000`; 0 as `0`. */
export function hex(n: number): string {
  return n === 0 ? '0' : '0x' + n.toString(16);
}

/** A signal by name, as in `kill(12, SIGTERM)`; 0 stays 0. */
export function sig(n: number): string {
  return n === 0 ? '0' : signalName(n);
}

/** A signal in a set as strace names it: without SIG, the real-time ones by the kernel's numbering (RTMIN is 32, RT_1 is 33). */
function setMemberName(s: number): string {
  if (s === 32) return 'RTMIN';
  if (s > 32) return `RT_${s - 32}`;
  return signalName(s).replace(/^SIG/, '');
}

/**
 * A signal set as strace prints sigset_t: `[]`, `[INT CHLD]` (names without SIG); a set
 * holding more than half of the 64 signals as its complement, `~[KILL STOP RTMIN RT_1]`.
 */
export function sigset(sigs: readonly number[]): string {
  const members = new Set(sigs.filter((s) => s >= 1 && s <= 64));
  if (members.size * 2 > 64) {
    const missing: number[] = [];
    for (let s = 1; s <= 64; s++) if (!members.has(s)) missing.push(s);
    return '~[' + missing.map(setMemberName).join(' ') + ']';
  }
  return '[' + [...members].sort((a, b) => a - b).map(setMemberName).join(' ') + ']';
}

/** open(2) flags after the access mode (strace's open_mode_flags order). */
export const OPEN_FLAGS: Xlat = [
  [0o100, 'O_CREAT'],
  [0o200, 'O_EXCL'],
  [0o400, 'O_NOCTTY'],
  [0o1000, 'O_TRUNC'],
  [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'],
  [0o4010000, 'O_SYNC'],
  [0o10000, 'O_DSYNC'],
  [0o20000, 'O_ASYNC'],
  [0o40000, 'O_DIRECT'],
  [0o100000, 'O_LARGEFILE'],
  [0o400000, 'O_NOFOLLOW'],
  [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
  [0o20200000, 'O_TMPFILE'],
  [0o200000, 'O_DIRECTORY'],
];

/** open(2) flags: the access mode by name, then the other flags (`O_WRONLY|O_CREAT|O_TRUNC`). */
export function openFlags(f: number): string {
  const acc = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][f & 3];
  const rest = flags(f & ~3, OPEN_FLAGS, '');
  return rest === '' ? acc : `${acc}|${rest}`;
}

/** A directory fd of the *at() calls. */
export function dirfd(fd: number): string {
  return fd === -100 ? 'AT_FDCWD' : String(fd);
}

/** *at() flags. */
export const AT_FLAGS: Xlat = [
  [0x100, 'AT_SYMLINK_NOFOLLOW'],
  [0x200, 'AT_REMOVEDIR'],
  [0x400, 'AT_SYMLINK_FOLLOW'],
  [0x800, 'AT_NO_AUTOMOUNT'],
  [0x1000, 'AT_EMPTY_PATH'],
];

/** faccessat's flags (AT_EACCESS shares AT_REMOVEDIR's value). */
export const ACCESS_AT_FLAGS: Xlat = [
  [0x100, 'AT_SYMLINK_NOFOLLOW'],
  [0x200, 'AT_EACCESS'],
  [0x1000, 'AT_EMPTY_PATH'],
];

/** access(2) modes. */
export function accessMode(m: number): string {
  return m === 0 ? 'F_OK' : flags(m, [[4, 'R_OK'], [2, 'W_OK'], [1, 'X_OK']]);
}

/** The file-type bits of a mode (S_IFREG|0644). */
const S_IF: Xlat = [
  [0o140000, 'S_IFSOCK'],
  [0o120000, 'S_IFLNK'],
  [0o100000, 'S_IFREG'],
  [0o060000, 'S_IFBLK'],
  [0o040000, 'S_IFDIR'],
  [0o020000, 'S_IFCHR'],
  [0o010000, 'S_IFIFO'],
];

/** st_mode as strace prints it: `S_IFDIR|S_ISVTX|0777`. */
export function statMode(mode: number): string {
  const parts: string[] = [];
  const type = mode & 0o170000;
  if (type !== 0) parts.push(xval(type, S_IF, '0' + type.toString(8)));
  if (mode & 0o4000) parts.push('S_ISUID');
  if (mode & 0o2000) parts.push('S_ISGID');
  if (mode & 0o1000) parts.push('S_ISVTX');
  parts.push(octal(mode & 0o777));
  return parts.join('|');
}

/** clone(2)/unshare(2) flags, by value as strace prints them. */
export const CLONE_FLAGS: Xlat = [
  [0x100, 'CLONE_VM'],
  [0x200, 'CLONE_FS'],
  [0x400, 'CLONE_FILES'],
  [0x800, 'CLONE_SIGHAND'],
  [0x1000, 'CLONE_PIDFD'],
  [0x2000, 'CLONE_PTRACE'],
  [0x4000, 'CLONE_VFORK'],
  [0x8000, 'CLONE_PARENT'],
  [0x10000, 'CLONE_THREAD'],
  [0x20000, 'CLONE_NEWNS'],
  [0x40000, 'CLONE_SYSVSEM'],
  [0x80000, 'CLONE_SETTLS'],
  [0x100000, 'CLONE_PARENT_SETTID'],
  [0x200000, 'CLONE_CHILD_CLEARTID'],
  [0x1000000, 'CLONE_CHILD_SETTID'],
  [0x2000000, 'CLONE_NEWCGROUP'],
  [0x4000000, 'CLONE_NEWUTS'],
  [0x8000000, 'CLONE_NEWIPC'],
  [0x10000000, 'CLONE_NEWUSER'],
  [0x20000000, 'CLONE_NEWPID'],
  [0x40000000, 'CLONE_NEWNET'],
  [0x80000000, 'CLONE_IO'],
];

export const PROT_FLAGS: Xlat = [
  [1, 'PROT_READ'],
  [2, 'PROT_WRITE'],
  [4, 'PROT_EXEC'],
];

export const MAP_FLAGS: Xlat = [
  [0x10, 'MAP_FIXED'],
  [0x20, 'MAP_ANONYMOUS'],
  [0x100, 'MAP_GROWSDOWN'],
  [0x800, 'MAP_DENYWRITE'],
  [0x1000, 'MAP_EXECUTABLE'],
  [0x2000, 'MAP_LOCKED'],
  [0x4000, 'MAP_NORESERVE'],
  [0x8000, 'MAP_POPULATE'],
  [0x10000, 'MAP_NONBLOCK'],
  [0x20000, 'MAP_STACK'],
  [0x40000, 'MAP_HUGETLB'],
  [0x100000, 'MAP_FIXED_NOREPLACE'],
];

/** mmap flags: the mapping type first (MAP_PRIVATE), then the others. */
export function mapFlags(f: number): string {
  const type = xval(f & 0xf, [[1, 'MAP_SHARED'], [2, 'MAP_PRIVATE'], [3, 'MAP_SHARED_VALIDATE']], hex(f & 0xf));
  const rest = flags(f & ~0xf, MAP_FLAGS, '');
  return rest === '' ? type : `${type}|${rest}`;
}

/** mount(2) flags, by value. */
export const MS_FLAGS: Xlat = [
  [1, 'MS_RDONLY'],
  [2, 'MS_NOSUID'],
  [4, 'MS_NODEV'],
  [8, 'MS_NOEXEC'],
  [16, 'MS_SYNCHRONOUS'],
  [32, 'MS_REMOUNT'],
  [64, 'MS_MANDLOCK'],
  [128, 'MS_DIRSYNC'],
  [256, 'MS_NOSYMFOLLOW'],
  [1024, 'MS_NOATIME'],
  [2048, 'MS_NODIRATIME'],
  [4096, 'MS_BIND'],
  [8192, 'MS_MOVE'],
  [16384, 'MS_REC'],
  [32768, 'MS_SILENT'],
  [1 << 16, 'MS_POSIXACL'],
  [1 << 17, 'MS_UNBINDABLE'],
  [1 << 18, 'MS_PRIVATE'],
  [1 << 19, 'MS_SLAVE'],
  [1 << 20, 'MS_SHARED'],
  [1 << 21, 'MS_RELATIME'],
  [1 << 22, 'MS_KERNMOUNT'],
  [1 << 23, 'MS_I_VERSION'],
  [1 << 24, 'MS_STRICTATIME'],
  [1 << 25, 'MS_LAZYTIME'],
];

export const UMOUNT_FLAGS: Xlat = [
  [1, 'MNT_FORCE'],
  [2, 'MNT_DETACH'],
  [4, 'MNT_EXPIRE'],
  [8, 'UMOUNT_NOFOLLOW'],
];

export const WAIT_OPTIONS: Xlat = [
  [1, 'WNOHANG'],
  [2, 'WUNTRACED'],
  [8, 'WCONTINUED'],
  [0x01000000, 'WNOWAIT'],
  [0x20000000, '__WNOTHREAD'],
  [0x40000000, '__WALL'],
  [0x80000000, '__WCLONE'],
];

export const FCNTL_CMDS: Xlat = [
  [0, 'F_DUPFD'],
  [1, 'F_GETFD'],
  [2, 'F_SETFD'],
  [3, 'F_GETFL'],
  [4, 'F_SETFL'],
  [5, 'F_GETLK'],
  [6, 'F_SETLK'],
  [7, 'F_SETLKW'],
  [1030, 'F_DUPFD_CLOEXEC'],
];

export const SEEK_WHENCE: Xlat = [
  [0, 'SEEK_SET'],
  [1, 'SEEK_CUR'],
  [2, 'SEEK_END'],
  [3, 'SEEK_DATA'],
  [4, 'SEEK_HOLE'],
];

export const SIGPROCMASK_HOW: Xlat = [
  [0, 'SIG_BLOCK'],
  [1, 'SIG_UNBLOCK'],
  [2, 'SIG_SETMASK'],
];

export const IOCTL_CMDS: Xlat = [
  [0x5401, 'TCGETS'],
  [0x5402, 'TCSETS'],
  [0x5403, 'TCSETSW'],
  [0x5404, 'TCSETSF'],
  [0x540e, 'TIOCSCTTY'],
  [0x540f, 'TIOCGPGRP'],
  [0x5410, 'TIOCSPGRP'],
  [0x5413, 'TIOCGWINSZ'],
  [0x5414, 'TIOCSWINSZ'],
  [0x541b, 'FIONREAD'],
  [0x5422, 'TIOCNOTTY'],
];

export const CLOCK_IDS: Xlat = [
  [0, 'CLOCK_REALTIME'],
  [1, 'CLOCK_MONOTONIC'],
  [2, 'CLOCK_PROCESS_CPUTIME_ID'],
  [3, 'CLOCK_THREAD_CPUTIME_ID'],
  [4, 'CLOCK_MONOTONIC_RAW'],
  [5, 'CLOCK_REALTIME_COARSE'],
  [6, 'CLOCK_MONOTONIC_COARSE'],
  [7, 'CLOCK_BOOTTIME'],
];

export const RLIMIT_NAMES: Xlat = [
  [0, 'RLIMIT_CPU'],
  [1, 'RLIMIT_FSIZE'],
  [2, 'RLIMIT_DATA'],
  [3, 'RLIMIT_STACK'],
  [4, 'RLIMIT_CORE'],
  [5, 'RLIMIT_RSS'],
  [6, 'RLIMIT_NPROC'],
  [7, 'RLIMIT_NOFILE'],
  [8, 'RLIMIT_MEMLOCK'],
  [9, 'RLIMIT_AS'],
];

export const SOCK_DOMAINS: Xlat = [
  [1, 'AF_UNIX'],
  [2, 'AF_INET'],
  [10, 'AF_INET6'],
  [16, 'AF_NETLINK'],
  [17, 'AF_PACKET'],
];

export const SOCK_TYPES: Xlat = [
  [1, 'SOCK_STREAM'],
  [2, 'SOCK_DGRAM'],
  [3, 'SOCK_RAW'],
  [5, 'SOCK_SEQPACKET'],
];

/** socket(2)'s type argument: the type, then SOCK_NONBLOCK / SOCK_CLOEXEC. */
export function sockType(t: number): string {
  const base = xval(t & 0xf, SOCK_TYPES);
  const rest = flags(t & ~0xf, [[0o4000, 'SOCK_NONBLOCK'], [0o2000000, 'SOCK_CLOEXEC']], '');
  return rest === '' ? base : `${base}|${rest}`;
}

export const PRCTL_OPTIONS: Xlat = [
  [7, 'PR_GET_KEEPCAPS'],
  [8, 'PR_SET_KEEPCAPS'],
  [15, 'PR_SET_NAME'],
  [16, 'PR_GET_NAME'],
  [23, 'PR_CAPBSET_READ'],
  [24, 'PR_CAPBSET_DROP'],
  [27, 'PR_GET_SECUREBITS'],
  [28, 'PR_SET_SECUREBITS'],
  [36, 'PR_SET_CHILD_SUBREAPER'],
  [37, 'PR_GET_CHILD_SUBREAPER'],
  [38, 'PR_SET_NO_NEW_PRIVS'],
  [39, 'PR_GET_NO_NEW_PRIVS'],
  [47, 'PR_CAP_AMBIENT'],
];

export const SCHED_POLICIES: Xlat = [
  [0, 'SCHED_OTHER'],
  [1, 'SCHED_FIFO'],
  [2, 'SCHED_RR'],
  [3, 'SCHED_BATCH'],
  [5, 'SCHED_IDLE'],
  [6, 'SCHED_DEADLINE'],
];

export const ITIMER_WHICH: Xlat = [
  [0, 'ITIMER_REAL'],
  [1, 'ITIMER_VIRTUAL'],
  [2, 'ITIMER_PROF'],
];

export const PRIO_WHICH: Xlat = [
  [0, 'PRIO_PROCESS'],
  [1, 'PRIO_PGRP'],
  [2, 'PRIO_USER'],
];
