/**
 * Opening redirection targets (POSIX XCU 2.7; dash(1) "Redirections"), as
 * /usr/bin/dash does it: the open(2) flags of each operator and dash's messages,
 * `set -C` (noclobber), `>&word` with a word that is only known after expansion,
 * and here-documents: the pipe is made before the body is expanded, and a body
 * longer than 4096 bytes is written by a forked child that ignores terminal
 * signals (observed with strace and /proc/PID/status on Debian's dash 0.5.12).
 */
import { describe, expect, test } from 'vitest';
import { expectSh, sh } from './helpers.js';

describe('file targets', () => {
  test('messages: "cannot open" for <, "cannot create" for > >> <>', () => {
    expectSh('cat < nofile; echo $?; echo > nodir/x; echo >> nodir/x; echo <> nodir/x; echo > ""; echo $?', {
      out: '2\n2\n',
      err:
        'sh: 1: cannot open nofile: No such file\nsh: 1: cannot create nodir/x: Directory nonexistent\n' +
        'sh: 1: cannot create nodir/x: Directory nonexistent\nsh: 1: cannot create nodir/x: Directory nonexistent\n' +
        'sh: 1: cannot create : Directory nonexistent\n',
    });
    expectSh('echo x > d; echo $?', { out: '2\n', err: 'sh: 1: cannot create d: Is a directory\n' }, { dirs: ['d'] });
    expectSh('cat <> newf; echo $?; echo a > f; echo b >> f; cat f', { out: '0\na\nb\n' });
  });

  test('set -C refuses an existing regular file, opens other files without truncating', () => {
    expectSh('set -C; echo a > f; echo b > f; echo $?; cat f; echo c >| f; cat f; echo d > /dev/null; echo e >> f; cat f', {
      out: '2\na\nc\nc\ne\n',
      err: 'sh: 1: cannot create f: File exists\n',
    });
    expectSh('set -C; echo x > d; echo $?; echo y > nodir/f; echo $?', { out: '2\n2\n', err: 'sh: 1: cannot open d: Is a directory\nsh: 1: cannot create nodir/f: Directory nonexistent\n' }, { dirs: ['d'] });
  });
});

describe('descriptor words', () => {
  test('one digit or "-", else a fatal "Bad fd number" even when it comes from an expansion', () => {
    expectSh('x=-; echo hi >&$x; echo after $?', { out: 'after 1\n', err: 'sh: 1: echo: echo: I/O error\n' });
    expectSh('x=2; echo hi >&$x 2>/dev/null; echo ok; echo hi 3>&3; echo hi >&5; echo $?', { out: 'ok\nhi\n2\n', err: 'hi\nsh: 1: 5: Bad file descriptor\n' });
    expectSh('x=a; echo before; echo hi >&$x; echo after', { out: 'before\n', err: 'sh: 1: Syntax error: Bad fd number\n', status: 2 });
    expectSh('x=10; echo hi >&$x; echo after', { err: 'sh: 1: Syntax error: Bad fd number\n', status: 2 });
    expectSh('x=; cat <&$x; echo after', { err: 'sh: 1: Syntax error: Bad fd number\n', status: 2 });
  });
});

describe('here-documents', () => {
  test('the pipe exists while the body is expanded; a quoted delimiter leaves the body as is', () => {
    // dash: pipe2([3, 4]), then the substitution's pipe2([5, 6]).
    // The substitution's read end is fd 5 only if the here-document pipe holds 3 and 4.
    expectSh('cat <<EOF\n$(test -e /proc/$$/fd/5 && echo after the pipe)\nEOF', { out: 'after the pipe\n' });
    expectSh("cat <<'EOF'\nno $expansion `here` \\\\\nEOF", { out: 'no $expansion `here` \\\\\n' });
  });

  test('a long body is written by a child that ignores INT, QUIT, HUP and TSTP', () => {
    const body = 'x'.repeat(100_000);
    const r = sh(
      `trap '' USR1; trap 'echo t' USR2\nsh -c 'for p in $(ps -o pid= --ppid $PPID); do [ $p = $$ ] || grep -E "^(SigIgn|SigCgt)" /proc/$p/status; done' <<EOF\n${body}\nEOF\ntrue`,
      { maxSteps: 20_000_000 },
    );
    // As dash's writer: its own SIGINT/SIGQUIT/SIGHUP/SIGTSTP ignored, USR1 still ignored, traps dropped.
    expect(r.stdout).toBe('SigIgn:\t0000000000080207\nSigCgt:\t0000000000010000\n');
    const r2 = sh(`cat <<EOF | head -c 10; echo; echo done $?\n${'z'.repeat(100_000)}\nEOF`, { maxSteps: 20_000_000 });
    expect(r2.stdout).toBe('zzzzzzzzzz\ndone 0\n');
  });
});
