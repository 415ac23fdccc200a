/**
 * strace's decoding, against lines the real strace 6.1 printed on Debian 12 (2026-11-27)
 * for a Python script making the same calls (os.open with every flag, os.write of
 * control bytes, mmap, umask, mkdir, kill, dup2, pipe2) and for dash.
 */
import { describe, expect, it } from 'vitest';
import { decodeSyscall, formatCall, waitStatus } from '../../../src/kernel/trace/strace-format.js';
import { openFlags, octal, quoteBytes, statMode } from '../../../src/kernel/trace/strace-xlat.js';
import { NR } from '../../../src/kernel/syscalls/numbers.js';
import { err } from '../../../src/kernel/errno.js';
import { exitedStatus, signaledStatus } from '../../../src/kernel/proc/wstatus.js';

const line = (req: { nr: number; [k: string]: unknown }, res: unknown): string => {
  const c = decodeSyscall(req, res, 32);
  return `${formatCall(c)} = ${c.ret}`;
};

describe('strace decoding', () => {
  it('quotes bytes as strace does: named escapes, short octal unless a digit follows, cut at 32 with ...', () => {
    const data = 'a\tb\x00c\x01\x7f\xff9"\\ \x1b0' + 'x'.repeat(40);
    expect(quoteBytes(data, 32)).toBe('"a\\tb\\0c\\1\\177\\3779\\"\\\\ \\0330xxxxxxxxxxxxxxxxxx"...');
    expect(line({ nr: NR.write, fd: 1, data }, 54)).toBe('write(1, "a\\tb\\0c\\1\\177\\3779\\"\\\\ \\0330xxxxxxxxxxxxxxxxxx"..., 54) = 54');
  });

  it('decodes open flags in strace order, and the mode only with O_CREAT', () => {
    expect(openFlags(0o2 | 0o100 | 0o200 | 0o400 | 0o1000 | 0o2000 | 0o4000 | 0o2000000 | 0o400000)).toBe(
      'O_RDWR|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC',
    );
    expect(openFlags(0o200000 | 0o2000000 | 0o10000000)).toBe('O_RDONLY|O_CLOEXEC|O_PATH|O_DIRECTORY');
    expect(line({ nr: NR.openat, dirfd: -100, path: '/tmp/x', flags: 0o1101, mode: 0o666 }, 3)).toBe('openat(AT_FDCWD, "/tmp/x", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3');
    expect(line({ nr: NR.openat, dirfd: -100, path: '/nonexistent', flags: 0 }, err('ENOENT', 'test'))).toBe(
      'openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)',
    );
  });

  it('prints modes, structs, statuses and flag sets as strace does', () => {
    expect([octal(0o22), octal(0o640), octal(0)]).toEqual(['022', '0640', '000']);
    expect(statMode(0o41777)).toBe('S_IFDIR|S_ISVTX|0777');
    expect(waitStatus(exitedStatus(1))).toBe('[{WIFEXITED(s) && WEXITSTATUS(s) == 1}]');
    expect(waitStatus(signaledStatus(9))).toBe('[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]');
    expect(line({ nr: NR.umask, mask: 0o22 }, 0o22)).toBe('umask(022) = 022');
    expect(line({ nr: NR.mkdir, path: '/tmp/d', mode: 0o755 }, 0)).toBe('mkdir("/tmp/d", 0755) = 0');
    expect(line({ nr: NR.kill, pid: 9152, sig: 0 }, 0)).toBe('kill(9152, 0) = 0');
    expect(line({ nr: NR.dup2, oldfd: 1, newfd: 5 }, 5)).toBe('dup2(1, 5) = 5');
    expect(line({ nr: NR.pipe2, flags: 0o2000000 }, [4, 6])).toBe('pipe2([4, 6], O_CLOEXEC) = 0');
    expect(line({ nr: NR.mmap, addr: 0, length: 8192, prot: 3, flags: 0x22, fd: -1, offset: 0 }, 0x7face8b57000)).toBe(
      'mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7face8b57000',
    );
    expect(line({ nr: NR.unshare, flags: 0x20020000 }, 0)).toBe('unshare(CLONE_NEWNS|CLONE_NEWPID) = 0');
    expect(line({ nr: NR.clone, flags: 0x20000000, exitSignal: 17 }, 42)).toBe('clone(child_stack=NULL, flags=CLONE_NEWPID|SIGCHLD) = 42');
    expect(line({ nr: NR.mount, source: 'none', target: '/', fstype: '', flags: 16384 | (1 << 18), data: '' }, 0)).toBe('mount("none", "/", NULL, MS_REC|MS_PRIVATE, NULL) = 0');
    expect(line({ nr: NR.fcntl, fd: 11, cmd: 2, arg: 1 }, 0)).toBe('fcntl(11, F_SETFD, FD_CLOEXEC) = 0');
    expect(line({ nr: NR.rt_sigprocmask, how: 2, set: [17, 2] }, [])).toBe('rt_sigprocmask(SIG_SETMASK, [INT CHLD], [], 8) = 0');
  });

  it('splits input from output arguments: read shows its buffer at exit, the byte count as the return', () => {
    const c = decodeSyscall({ nr: NR.read, fd: 3, count: 4096 }, 'root:x:0:0:root:/root:/bin/sh\nmore', 32);
    expect(c.args.slice(0, c.entry)).toEqual(['3']);
    expect(`${formatCall(c)} = ${c.ret}`).toBe('read(3, "root:x:0:0:root:/root:/bin/sh\\nmo"..., 4096) = 34');
    expect(line({ nr: NR.read, fd: 9, count: 10 }, err('EBADF', 'test'))).toBe('read(9, 0x7ffd..., 10) = -1 EBADF (Bad file descriptor)');
  });

  it('prints a call without a decoder from its fields, and exit_group as never returning', () => {
    expect(line({ nr: NR.msgget, key: 5, flags: 0o1600 }, 7)).toBe('msgget(5, 896) = 7');
    expect(line({ nr: NR.exit_group, status: 0 }, undefined)).toBe('exit_group(0) = ?');
  });
});
