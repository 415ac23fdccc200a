/**
 * strace's syscall classes for `-e trace=%CLASS` (strace(1) "-e trace=%file" …),
 * restricted to the calls ctsim has. Membership follows strace 6.1's syscall table
 * flags (TF, TP, TN, TS, TI, TD, TM, TC).
 */
import { NR, type SyscallName } from '../../../kernel/syscalls/numbers.js';

const has = (names: string[]): string[] => names.filter((n) => n in NR);

/** Class name (without %) → calls. */
export const SYSCALL_CLASSES: Record<string, string[]> = {
  file: has([
    'open', 'openat', 'stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'execve', 'truncate', 'getcwd', 'chdir',
    'rename', 'renameat', 'mkdir', 'mkdirat', 'rmdir', 'link', 'linkat', 'unlink', 'unlinkat', 'symlink', 'symlinkat',
    'readlink', 'readlinkat', 'chmod', 'fchmodat', 'chown', 'lchown', 'mknod', 'mknodat', 'utimensat', 'chroot', 'pivot_root',
    'mount', 'umount2',
  ]),
  process: has(['clone', 'fork', 'vfork', 'execve', 'exit', 'exit_group', 'wait4', 'kill', 'tgkill', 'unshare', 'setns']),
  network: has(['socket', 'connect', 'accept', 'accept4', 'sendto', 'recvfrom', 'shutdown', 'bind', 'listen', 'getsockname', 'getpeername', 'setsockopt', 'getsockopt']),
  signal: has(['rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'rt_sigpending', 'rt_sigsuspend', 'pause', 'kill', 'tgkill', 'alarm']),
  ipc: has(['shmget', 'shmctl', 'semget', 'semctl', 'msgget', 'msgsnd', 'msgrcv', 'msgctl']),
  desc: has([
    'read', 'write', 'open', 'close', 'fstat', 'poll', 'lseek', 'mmap', 'ioctl', 'pread64', 'pwrite64', 'pipe', 'pipe2', 'dup', 'dup2', 'dup3',
    'fcntl', 'fsync', 'fdatasync', 'ftruncate', 'getdents64', 'fchdir', 'fchmod', 'fchown', 'openat', 'mkdirat', 'mknodat', 'fchmodat',
    'newfstatat', 'unlinkat', 'renameat', 'linkat', 'symlinkat', 'readlinkat', 'faccessat', 'utimensat', 'socket', 'connect', 'accept',
    'accept4', 'sendto', 'recvfrom', 'shutdown', 'bind', 'listen', 'getsockname', 'getpeername', 'setsockopt', 'getsockopt', 'syncfs', 'setns',
  ]),
  memory: has(['brk', 'mmap', 'munmap']),
  creds: has(['getuid', 'geteuid', 'getgid', 'getegid', 'setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'getresuid', 'getresgid', 'getgroups', 'setgroups', 'capget', 'capset', 'prctl']),
};
SYSCALL_CLASSES.net = SYSCALL_CLASSES.network;

/** True when `name` is a system call ctsim knows (by its Linux name). */
export function isSyscallName(name: string): name is SyscallName {
  return Object.prototype.hasOwnProperty.call(NR, name);
}
