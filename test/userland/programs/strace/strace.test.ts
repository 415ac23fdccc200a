/**
 * strace(1) in the simulated shell. The line formats are strace 6.1's as it printed them
 * on Debian 12 (2026-11-27) for `strace -f dash -c 'echo hi > /tmp/x; cat /nonexistent'`,
 * `strace -f -o FILE …` and `strace -e trace=openat,write …`: `name(args) = ret` with
 * ` = ` at column 40, `-1 ENOENT (No such file or directory)`, `[pid  N] ` with -f on
 * stderr and `N     ` (%-5d) in a -o file, `<unfinished ...>` / `<... wait4 resumed>`,
 * `+++ exited with N +++`, strings cut at 32 bytes with `...`. The calls themselves are
 * the ones ctsim's programs make (ctsim's dash uses open and stat where Debian's uses
 * openat and newfstatat), so the goldens are ctsim's, checked line by line against that form.
 */
import { describe, expect, it } from 'vitest';
import { sh } from '../../../helpers/host.js';

describe('strace', () => {
  it('prints each call of a command, an ENOENT, and the exit (no -f: children are not traced)', () => {
    const r = sh('strace sh -c "echo hi > /tmp/x; cat /nope"');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      [
        'execve("/usr/bin/sh", ["sh", "-c", "echo hi > /tmp/x; cat /nope"], 0x7ffd... /* 6 vars */) = 0',
        'getpid()                                = 4',
        'getppid()                               = 3',
        'geteuid()                               = 0',
        'stat(".", {st_mode=S_IFDIR|0700, st_size=4096, ...}) = 0',
        'stat("/root", {st_mode=S_IFDIR|0700, st_size=4096, ...}) = 0',
        'rt_sigaction(SIGINT, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
        'rt_sigaction(SIGINT, {sa_handler=0x5555..., sa_mask=[], sa_flags=0}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
        'rt_sigaction(SIGCHLD, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
        'rt_sigaction(SIGCHLD, {sa_handler=0x5555..., sa_mask=[], sa_flags=0}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
        'open("/tmp/x", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3',
        'fcntl(1, F_DUPFD_CLOEXEC, 10)           = 10',
        'dup2(3, 1)                              = 1',
        'close(3)                                = 0',
        'write(1, "hi\\n", 3)                     = 3',
        'dup2(10, 1)                             = 1',
        'close(10)                               = 0',
        'stat("/usr/local/sbin/cat", 0x7ffd...)  = -1 ENOENT (No such file or directory)',
        'stat("/usr/local/bin/cat", 0x7ffd...)   = -1 ENOENT (No such file or directory)',
        'stat("/usr/sbin/cat", 0x7ffd...)        = -1 ENOENT (No such file or directory)',
        'stat("/usr/bin/cat", {st_mode=S_IFREG|0755, st_size=35, ...}) = 0',
        'faccessat(AT_FDCWD, "/usr/bin/cat", X_OK, AT_EACCESS) = 0',
        // dash's vforkexec: all signals blocked around vfork, which returns once the child exec'd.
        'rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], NULL, 8) = 0',
        'vfork()                                 = 5',
        'rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP RTMIN RT_1], 8) = 0',
        // The untraced cat writes to the same stderr while the shell's wait4 is open.
        'wait4(-1, cat: /nope: No such file or directory',
        '0x7ffd..., 0, NULL)           = ? ERESTARTSYS (To be restarted if SA_RESTART is set)',
        '--- SIGCHLD {si_signo=SIGCHLD, ...} ---',
        'wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 5',
        'exit_group(1)                           = ?',
        '+++ exited with 1 +++',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toBe('');
  });

  it('-f follows the child: "Process N attached", [pid N] while two are traced, unfinished/resumed', () => {
    const r = sh('strace -f sh -c "cat /nope; echo done"');
    expect(r.stdout).toBe('done\n');
    const tail = r.stderr.slice(r.stderr.indexOf('vfork('));
    // As Debian's dash 0.5.12 under strace 6.1 (vforkexec); there the child's execve line is
    // cut by the parent's resumed vfork (`execve(...) <unfinished ...>`), here it completes first.
    expect(tail).toBe(
      [
        'vfork( <unfinished ...>',
        'strace: Process 5 attached',
        '[pid     5] rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP RTMIN RT_1], 8) = 0',
        '[pid     5] execve("/usr/bin/cat", ["cat", "/nope"], 0x7ffd... /* 6 vars */) = 0',
        '[pid     4] <... vfork resumed>)        = 5',
        '[pid     4] rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP RTMIN RT_1], 8) = 0',
        '[pid     4] wait4(-1,  <unfinished ...>',
        '[pid     5] open("/nope", O_RDONLY)     = -1 ENOENT (No such file or directory)',
        // strace prints a call's entry before it runs: the tracee's own bytes land inside the line.
        '[pid     5] write(2, "cat: /nope: No such file or dire"..., 38cat: /nope: No such file or directory',
        ') = 38',
        '[pid     5] exit_group(1)               = ?',
        '[pid     5] +++ exited with 1 +++',
        '<... wait4 resumed>0x7ffd..., 0, NULL)  = ? ERESTARTSYS (To be restarted if SA_RESTART is set)',
        '--- SIGCHLD {si_signo=SIGCHLD, ...} ---',
        'wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 5',
        'write(1, "done\\n", 5)                   = 5',
        'exit_group(0)                           = ?',
        '+++ exited with 0 +++',
        '',
      ].join('\n'),
    );
  });

  it('-o FILE -f -e trace=open,openat: only those calls, each line led by the PID, strace silent on stderr', () => {
    const r = sh('strace -f -o /tmp/o -e trace=open,openat sh -c "cat /etc/hostname /nope"; echo rc=$?; cat /tmp/o');
    expect(r.stderr).toBe('cat: /nope: No such file or directory\n');
    expect(r.stdout).toBe(
      [
        'ctsim',
        'rc=1',
        '5     open("/etc/hostname", O_RDONLY)   = 3',
        '5     open("/nope", O_RDONLY)           = -1 ENOENT (No such file or directory)',
        '5     +++ exited with 1 +++',
        '4     --- SIGCHLD {si_signo=SIGCHLD, ...} ---',
        '4     +++ exited with 1 +++',
        '',
      ].join('\n'),
    );
  });

  it('-s cuts strings; a tracee killed by a signal kills strace with it', () => {
    expect(sh('strace -s 5 echo hello world').stderr).toContain('write(1, "hello"..., 12)                = 12\n');
    const r = sh('strace -e trace=%process sh -c "kill -9 \\$\\$"; echo rc=$?');
    expect(r.stderr).toContain('kill(4, SIGKILL)                        = 0\n+++ killed by SIGKILL +++\n');
    expect(r.stdout).toBe('rc=137\n');
  });

  it('SIGTERM to strace detaches: the open line ends in <detached ...>, the tracee goes on, strace dies of the signal', () => {
    const r = sh('strace sleep 1 & sleep 0.1; kill -TERM $!; wait $!; echo rc=$?; ps -o pid,comm');
    expect(r.stderr).toBe(
      'execve("/usr/bin/sleep", ["sleep", "1"], 0x7ffd... /* 6 vars */) = 0\nnanosleep({tv_sec=1, tv_nsec=0}, NULL <detached ...>\nstrace: Process 5 detached\nTerminated\n',
    );
    expect(r.stdout).toContain('rc=143\n');
    expect(r.stdout).toContain('    5 sleep\n');
  });

  it('/proc/PID/status names the tracer (TracerPid), as Linux does', () => {
    const r = sh('strace -o /dev/null sleep 0.2 & sleep 0.1; grep TracerPid /proc/5/status /proc/3/status');
    expect(r.stdout).toBe('/proc/5/status:TracerPid:\t3\n/proc/3/status:TracerPid:\t0\n');
  });

  it('-c counts calls and errors instead of printing them', () => {
    const r = sh('strace -c cat /nope');
    expect(r.stderr).toMatch(/^cat: \/nope: No such file or directory\n% time {5}seconds {2}usecs\/call {5}calls {4}errors syscall\n-{6} -{11} -{11} -{9} -{9} -{16}\n/);
    expect(r.stderr).toMatch(/\n +[\d.]+ +[\d.]+ +\d+ +1 +1 open\n/);
    expect(r.stderr).toMatch(/\n100\.00 +[\d.]+ +\d+ +\d+ +1 total\n$/);
  });

  it.each([
    ['strace', "strace: must have PROG [ARGS] or -p PID\nTry 'strace -h' for more information.\n"],
    ['strace nope', "strace: Can't stat 'nope': No such file or directory\n"],
    ['strace -e trace=bogus true', "strace: invalid system call 'bogus'\n"],
    ['strace -o /nope/x true', "strace: Can't fopen '/nope/x': No such file or directory\n"],
    ['strace -s x true', "strace: invalid -s argument: 'x'\n"],
    ['strace -p 1', 'strace: -p: ctsim has no ptrace(2), so strace cannot attach to a running process; run the command under strace instead\n'],
  ])('%s fails with one line and status 1', (script, msg) => {
    const r = sh(script);
    expect({ stderr: r.stderr, status: r.status }).toEqual({ stderr: msg, status: 1 });
  });

  it('gives the same bytes on every run', () => {
    const script = 'strace -f sh -c "ls / | wc -l; sleep 0.01 & wait"';
    expect(sh(script).stderr).toBe(sh(script).stderr);
  });
});
