/**
 * dash's process model — which commands fork, which exec in place — and jobs:
 * `&`, $!, wait, kill, jobs, and the status of killed children. Process
 * relationships are read from /proc/self/stat (pid, ppid, pgrp) so no ps(1) is needed.
 */
import { describe, expect, test } from 'vitest';
import { expectSh, sh } from './helpers.js';

/** "pid ppid pgrp" of the process that runs `cat /proc/self/stat`, from its output line. */
function statOf(line: string): { pid: number; ppid: number; pgrp: number } {
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return { pid: Number(line.split(' ')[0]), ppid: Number(f[1]), pgrp: Number(f[2]) };
}

describe('which commands fork', () => {
  test('the top level of sh -c forks for the last command too (Debian dash does not exec it)', () => {
    const r = sh('cat /proc/self/stat');
    expect(statOf(r.stdout).ppid).toBe(r.pid);
  });

  test('exec replaces the shell', () => {
    const r = sh('exec cat /proc/self/stat');
    expect(statOf(r.stdout).pid).toBe(r.pid);
  });

  test('a subshell and a command substitution exec their last command', () => {
    const sub = sh('(cat /proc/self/stat)');
    expect(statOf(sub.stdout).ppid).toBe(sub.pid);
    const cs = sh('echo "$(cat /proc/self/stat)"');
    expect(statOf(cs.stdout).ppid).toBe(cs.pid);
    const nested = sh('(true; if true; then cat /proc/self/stat; fi)');
    expect(statOf(nested.stdout).ppid).toBe(nested.pid);
  });

  test('each pipeline element is a child of the shell, running its command in place', () => {
    const r = sh('echo $$; { cat /proc/self/stat; } | cat; cat /proc/self/stat | cat');
    const [me, a, b] = r.stdout.trim().split('\n');
    expect(statOf(a).ppid).toBe(Number(me));
    expect(statOf(b).ppid).toBe(Number(me));
  });

  test('a function or a loop in a child keeps the child shell; a trap does too', () => {
    const f = sh('echo $$; f() { cat /proc/self/stat; }; f | cat');
    const [me1, l1] = f.stdout.trim().split('\n');
    expect(statOf(l1).ppid).not.toBe(Number(me1));
    const w = sh('echo $$; (while true; do cat /proc/self/stat; break; done)');
    const [me2, l2] = w.stdout.trim().split('\n');
    expect(statOf(l2).ppid).not.toBe(Number(me2));
    const t = sh("echo $$; (trap 'echo t' EXIT; cat /proc/self/stat)");
    const [me3, l3] = t.stdout.trim().split('\n');
    expect(statOf(l3).ppid).not.toBe(Number(me3));
  });

  test('builtins and not-found commands do not fork', () => {
    const r = sh('echo $$; nosuch; cat /proc/self/stat', {});
    const [me, line] = r.stdout.trim().split('\n');
    // Only cat was forked: it got the next PID.
    expect(statOf(line).pid).toBe(Number(me) + 1);
    expect(r.stderr).toBe('sh: 1: nosuch: not found\n');
  });
});

describe('background jobs and wait', () => {
  test("the issue's check: echo hi | cat; sleep 1 & echo $!; wait; echo $?", () => {
    const r = sh('echo hi | cat; sleep 1 & echo $!; wait; echo $?');
    const [hi, pid, status] = r.stdout.split('\n');
    expect(hi).toBe('hi');
    expect(Number(pid)).toBeGreaterThan(r.pid);
    expect(status).toBe('0');
    expect(r.stderr).toBe('');
    expect(r.elapsedNs).toBeGreaterThanOrEqual(1e9);
  });

  test('a killed child is 128 + signal, and dash names the signal', () => {
    expectSh('sleep 10 & kill -9 $!; wait $!; echo $?', { out: '137\n', err: 'Killed\n' });
    expectSh('sleep 10 & kill $!; wait $!; echo $?', { out: '143\n', err: 'Terminated\n' });
    expectSh('sleep 10 & kill -9 $!; wait; echo $?', { out: '0\n' });
    expectSh("sh -c 'kill -9 $$'; echo $?", { out: '137\n', err: 'Killed\n' });
    expectSh("sh -c 'kill -INT $$'; echo $?", { out: '130\n' });
    expectSh("sh -c 'kill -PIPE $$'; echo $?", { out: '141\n' });
    expectSh("x=$(sh -c 'kill -TERM $$'); echo $?", { out: '143\n', err: 'Terminated\n' });
  });

  test('wait for pids and jobs; unknown pid is 127', () => {
    expectSh('(exit 3) & p=$!; wait $p; echo $?; wait $p; echo $?', { out: '3\n3\n' });
    expectSh('wait 12345; echo $?', { out: '127\n' });
    expectSh('wait %1', { err: 'sh: 1: wait: No such job: %1\n', status: 2 });
    expectSh('sleep 0.1 & sleep 0.2 & wait; echo all', { out: 'all\n' });
    expectSh('(sleep 0.2; echo bg-out) & echo fg-first; wait', { out: 'fg-first\nbg-out\n' });
  });

  test('jobs output in a non-interactive shell (no command texts without job control)', () => {
    expectSh('sleep 1 & sleep 2 | cat & jobs', { out: '[2] + Running                     | \n[1] - Running                    \n' });
    expectSh('sleep 0.1 & sleep 0.3; jobs; echo x; jobs', { out: '[1] + Done                       \nx\n' });
    expectSh('(exit 3) & sleep 0.2; jobs', { out: '[1] + Done(3)                    \n' });
    expectSh('sleep 5 & kill $!; sleep 0.1; jobs', { out: '[1] + Terminated                 \n' });
    const r = sh('sleep 1 & jobs -l; jobs -p; echo $!');
    const [l, p, bang] = r.stdout.split('\n');
    expect(l).toBe(`[1] + ${bang} Running${' '.repeat(33 - (6 + bang.length + 1 + 7))}`);
    expect(p).toBe(bang);
  });

  test('an asynchronous command reads /dev/null and ignores SIGINT and SIGQUIT', () => {
    expectSh('cat & wait $!; echo $?', { out: '0\n' }, { stdin: 'not for cat\n' });
    const r = sh('sleep 1 & cat /proc/$!/status');
    expect(r.stdout).toMatch(/SigIgn:\t0000000000000006\n/);
  });

  test('the shell catches SIGINT and SIGCHLD, as dash does', () => {
    const r = sh('cat /proc/$$/status');
    expect(r.stdout).toMatch(/SigCgt:\t0000000000010002\n/);
  });

  test('kill: -s, -SIG, %job, errors', () => {
    // Without job control a job is not a process group, so kill %1 (kill(-pgid)) finds nothing.
    expectSh('sleep 0.1 & kill -s KILL %1; echo $?; kill %2', { out: '1\n', err: 'sh: 1: kill: No such process\n\nsh: 1: kill: No such job: %2\n', status: 2 });
    expectSh('kill -9 999999; echo $?', { out: '1\n', err: 'sh: 1: kill: No such process\n\n' });
    expectSh('kill', { err: 'sh: 1: kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]\n', status: 2 });
    expectSh('kill -s', { err: 'sh: 1: kill: No arg for -s option\n', status: 2 });
    expectSh('sleep 10 & pid=$!; kill -STOP $pid; kill -CONT $pid; kill $pid; wait $pid; echo $?', { out: '143\n', err: 'Terminated\n' });
  });

  test('fg and bg need job control', () => {
    expectSh('fg', { err: 'sh: 1: fg: No current job\n', status: 2 });
    expectSh('sleep 0.1 & bg', { err: 'sh: 1: bg: job (null) not created under job control\n', status: 2 });
    expectSh('sleep 0.1 & fg %1', { err: 'sh: 1: fg: job %1 not created under job control\n', status: 2 });
  });
});

describe('PATH search', () => {
  test('not found, permission denied, scripts without #!', () => {
    expectSh('nosuchcmd; echo $?; /nonexistent/cmd; echo $?; ./nothere; echo $?', {
      out: '127\n127\n127\n',
      err: 'sh: 1: nosuchcmd: not found\nsh: 1: /nonexistent/cmd: not found\nsh: 1: ./nothere: not found\n',
    });
    expectSh("printf 'echo hi\\n' > s5; ./s5; echo $?", { out: '126\n', err: 'sh: 1: ./s5: Permission denied\n' });
    expectSh("unset PATH; echo $PATH; cat /dev/null", { out: '\n', err: 'sh: 1: cat: not found\n', status: 127 });
  });
});

describe('CPU time', () => {
  test('the shell charges user time for each command it evaluates', () => {
    const r = sh('i=0; while [ $i -lt 10000 ]; do i=$((i+1)); done; times');
    const m = /^(\d+)m([\d.]+)s /.exec(r.stdout)!;
    const userSec = Number(m[1]) * 60 + Number(m[2]);
    // 20000 commands at 2 µs or more each.
    expect(userSec).toBeGreaterThanOrEqual(0.04);
    expect(userSec).toBeLessThan(1);
  });
});
