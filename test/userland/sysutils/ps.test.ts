/**
 * ps(1) against procps-ng 4.0.2's formats: headers, widths and alignment (compared
 * with the real ps on Debian 12, LC_ALL=C, no terminal), selection rules, BSD and
 * Unix styles, forests, sorting and errors.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { run } from '../../helpers/host.js';
import { bootHost } from './sysutils-host.js';
import { commandLine, type ProcInfo } from '../../../src/userland/programs/sysutils/proc-table.js';

const PS_USAGE =
  '\nUsage:\n ps [options]\n\n' +
  " Try 'ps --help <simple|list|output|threads|misc|all>'\n" +
  "  or 'ps --help <s|l|o|t|m|a>'\n" +
  ' for additional help text.\n\nFor more details see ps(1).\n';

describe('ps on a fresh host (init is PID 1, ps is PID 2)', () => {
  test('no options: processes with our euid and our terminal (none)', () => {
    const r = run(['/usr/bin/ps']);
    expect(r.stdout).toBe('  PID TTY          TIME CMD\n    1 ?        00:00:00 init\n    2 ?        00:00:00 ps\n');
    expect(r.status).toBe(0);
  });

  test('-e -o pid=,comm= prints no header', () => {
    expect(run(['/usr/bin/ps', '-e', '-o', 'pid=,comm=']).stdout).toBe('    1 init\n    2 ps\n');
  });

  test('-ef: the full format with UID names, C and STIME', () => {
    expect(run(['/usr/bin/ps', '-ef']).stdout).toBe(
      'UID        PID  PPID  C STIME TTY          TIME CMD\n' +
        'root         1     0  0 00:00 ?        00:00:00 /sbin/init\n' +
        'root         2     1  0 00:00 ?        00:00:00 /usr/bin/ps -ef\n',
    );
  });

  test('aux: BSD user format with STAT letters (s for session leaders)', () => {
    expect(run(['/usr/bin/ps', 'aux']).stdout).toBe(
      'USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n' +
        'root         1  0.0  0.0    164     8 ?        Ss   00:00   0:00 /sbin/init\n' +
        'root         2  0.0  0.0    164     8 ?        Rs   00:00   0:00 /usr/bin/ps aux\n',
    );
  });

  test('ax and -ax (read again as BSD when the Unix reading fails)', () => {
    const want = '  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 /sbin/init\n    2 ?        Rs     0:00 /usr/bin/ps ';
    expect(run(['/usr/bin/ps', 'ax']).stdout).toBe(want + 'ax\n');
    expect(run(['/usr/bin/ps', '-ax']).stdout).toBe(want + '-ax\n');
  });

  test('-o with many columns: procps headers and widths', () => {
    const r = run(['/usr/bin/ps', '-p', '1', '-o', 'pid,ppid,pgid,sid,user,uid,group,stat,state,comm,etime,time,tty,ni,pri,psr,rss,vsz,%cpu,%mem,nlwp,lstart,stime,args']);
    expect(r.stdout).toBe(
      '  PID  PPID  PGID   SID USER       UID GROUP    STAT S COMMAND             ELAPSED     TIME TT        NI PRI PSR   RSS    VSZ %CPU %MEM NLWP                  STARTED STIME COMMAND\n' +
        '    1     0     1     1 root         0 root     Ss   S init                  00:00 00:00:00 ?          0  19   0     8    164  0.0  0.0    1 Wed Jan  1 00:00:00 2025 00:00 /sbin/init\n',
    );
  });

  test('header overrides: name=TEXT, name=, and a width with name:N', () => {
    expect(run(['/usr/bin/ps', '-o', 'pid=X,comm=Y', '-p', '1']).stdout).toBe('    X Y\n    1 init\n');
    expect(run(['/usr/bin/ps', '-o', 'pid=PROCESS', '-p', '1']).stdout).toBe('PROCESS\n      1\n');
    expect(run(['/usr/bin/ps', '-o', 'comm:5=LONGHEADER', '-p', '1']).stdout).toBe('LONGHEADER\ninit\n');
    expect(run(['/usr/bin/ps', '-o', 'pid', '-o', 'comm', '-p', '1']).stdout).toBe('  PID COMMAND\n    1 init\n');
  });

  test('a non-last args column is cut to its width of 27', () => {
    expect(run(['/usr/bin/ps', '-o', 'args,pid', '-p', '1']).stdout).toBe('COMMAND                       PID\n/sbin/init                      1\n');
    const r = run(['/usr/bin/ps', '-o', 'args,pid', '-p', '2', '--no-headers']);
    expect(r.stdout).toBe('/usr/bin/ps -o args,pid -p      2\n');
  });

  test('-l, -F, -j and the BSD j/l formats have procps headers', () => {
    expect(run(['/usr/bin/ps', '-l']).stdout.split('\n')[0]).toBe('F S   UID   PID  PPID  C PRI  NI ADDR SZ WCHAN  TTY          TIME CMD');
    expect(run(['/usr/bin/ps', '-lf']).stdout.split('\n')[1]).toBe('0 S root         1     0  0  80   0 -    41 -      00:00 ?        00:00:00 /sbin/init');
    expect(run(['/usr/bin/ps', '-F']).stdout.split('\n')[0]).toBe('UID        PID  PPID  C    SZ   RSS PSR STIME TTY          TIME CMD');
    expect(run(['/usr/bin/ps', '-j']).stdout).toBe('  PID  PGID   SID TTY          TIME CMD\n    1     1     1 ?        00:00:00 init\n    2     2     2 ?        00:00:00 ps\n');
    // BSD l and j without x select processes with a terminal: none here (exit 1, header only).
    const l = run(['/usr/bin/ps', 'l']);
    expect(l.stdout).toBe('F   UID   PID  PPID PRI  NI    VSZ   RSS WCHAN  STAT TTY        TIME COMMAND\n');
    expect(l.status).toBe(1);
    expect(run(['/usr/bin/ps', 'jx']).stdout.split('\n')[0]).toBe(' PPID   PID  PGID   SID TTY      TPGID STAT   UID   TIME COMMAND');
  });

  test('a user other than root sees only its own processes by default', () => {
    const r = run(['/usr/bin/ps'], { uid: 1000, gid: 1000 });
    expect(r.stdout).toBe('  PID TTY          TIME CMD\n    2 ?        00:00:00 ps\n');
    expect(run(['/usr/bin/ps', '-o', 'user,ruser,group,uid', '-p', '2'], { uid: 1000, gid: 1000 }).stdout).toBe(
      'USER     RUSER    GROUP      UID\nstudent  student  student   1000\n',
    );
  });

  test('selection lists: -p, p, -u, -U, --ppid, -s, -g, trailing PIDs, -N', () => {
    const pids = (argv: string[]): string => run(['/usr/bin/ps', ...argv, '-o', 'pid=']).stdout.replace(/ +/g, '');
    expect(pids(['-p', '1,2'])).toBe('1\n2\n');
    expect(pids(['-p', '1 2'])).toBe('1\n2\n');
    expect(pids(['-u', 'root'])).toBe('1\n2\n');
    expect(pids(['-u', '1000'])).toBe('');
    expect(pids(['--ppid', '1'])).toBe('2\n');
    expect(pids(['-s', '1'])).toBe('1\n');
    expect(pids(['-N', '-p', '1'])).toBe('2\n');
    expect(pids(['-U', 'root', '-p', '99'])).toBe('1\n2\n');
    expect(pids(['-g', '1'])).toBe('1\n');
    expect(pids(['-g', 'root'])).toBe('1\n2\n');
    expect(pids(['--sid', '2'])).toBe('2\n');
    expect(run(['/usr/bin/ps', 'p', '1']).stdout).toBe('  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 /sbin/init\n');
    expect(run(['/usr/bin/ps', '1']).stdout).toBe('  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 /sbin/init\n');
    expect(run(['/usr/bin/ps', '-C', 'init', '-o', 'pid=']).stdout).toBe('    1\n');
  });

  test('nothing selected: the header alone and exit status 1', () => {
    const r = run(['/usr/bin/ps', '-p', '99']);
    expect(r.stdout).toBe('  PID TTY          TIME CMD\n');
    expect(r.status).toBe(1);
  });

  test.each([
    [['-o', 'foo'], 'error: unknown user-defined format specifier "foo"'],
    [['-o', 'pid,,comm'], 'error: improper format list'],
    [['-o'], 'error: format specification must follow -o'],
    [['-o', 'pid:0'], 'error: column widths must be unsigned decimal numbers'],
    [['-p', 'x'], 'error: process ID list syntax error'],
    [['-p', '0'], 'error: process ID out of range'],
    [['-u', 'nosuch'], 'error: user name does not exist'],
    [['-o', 'pid', 'u'], 'error: conflicting format options'],
    [['--bogus'], 'error: unknown gnu long option'],
  ])('ps %j fails with procps text', (args, message) => {
    const r = run(['/usr/bin/ps', ...args]);
    expect(r.stderr).toBe(`${message}\n${PS_USAGE}`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
  });

  test('--version', () => {
    expect(run(['/usr/bin/ps', '--version']).stdout).toBe('ps from procps-ng 4.0.2\n');
  });
});

describe('ps with a workload', () => {
  test('CPU time, %CPU and STAT of running workers', () => {
    const h = bootHost();
    const sleeper = h.start(['/usr/bin/sleep', '100']);
    const stress = h.start(['/usr/bin/stress', '--cpu', '2', '--timeout', '60s']);
    h.wait(3);
    const r = h.run(['/usr/bin/ps', '-e', '-o', 'pid,ppid,stat,time,%cpu,comm']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('  PID  PPID STAT     TIME %CPU COMMAND');
    const row = (pid: number): string => lines.find((l) => l.trimStart().startsWith(`${pid} `))!;
    expect(row(sleeper)).toMatch(new RegExp(`^ +${sleeper} +1 Ss +00:00:00 +0\\.0 sleep$`));
    expect(row(stress)).toMatch(new RegExp(`^ +${stress} +1 Ss +00:00:00 +0\\.0 stress$`));
    const workers = lines.filter((l) => / R +00:00:0[23] +(9\d\.\d|100) stress$/.test(l));
    expect(workers).toHaveLength(2);
  });

  test('a niced process shows N, its niceness and PRI', () => {
    const h = bootHost();
    const pid = h.start(['/usr/bin/nice', '-n', '5', '/usr/bin/sleep', '50']);
    h.wait(0.1);
    expect(h.run(['/usr/bin/ps', '-o', 'stat=,ni=,pri=,comm=', '-p', String(pid)]).stdout).toBe('SNs    5  14 sleep\n');
  });

  test('--forest and -H draw the process tree; roots come last-first', () => {
    const h = bootHost();
    h.start(['/usr/bin/sleep', '100']);
    h.start(['/usr/bin/stress', '--cpu', '2', '--timeout', '60s']);
    h.wait(1);
    expect(h.run(['/usr/bin/ps', '-e', '--forest', '-o', 'pid,ppid,args']).stdout).toBe(
      '  PID  PPID COMMAND\n' +
        '    1     0 /sbin/init\n' +
        '    2     1 /usr/bin/sleep 100\n' +
        '    3     1 /usr/bin/stress --cpu 2 --timeout 60s\n' +
        '    4     3  \\_ /usr/bin/stress --cpu 2 --timeout 60s\n' +
        '    5     3  \\_ /usr/bin/stress --cpu 2 --timeout 60s\n' +
        '    6     1 /usr/bin/ps -e --forest -o pid,ppid,args\n',
    );
    expect(h.run(['/usr/bin/ps', '-eH', '-o', 'pid,comm']).stdout).toBe(
      '  PID COMMAND\n    1 init\n    2   sleep\n    3   stress\n    4     stress\n    5     stress\n    7   ps\n',
    );
  });

  test('--sort orders by one or more keys (- for descending)', () => {
    const h = bootHost();
    h.start(['/usr/bin/sleep', '100']);
    h.start(['/usr/bin/stress', '--cpu', '1', '--timeout', '60s']);
    h.wait(2);
    const out = h.run(['/usr/bin/ps', '-e', '--sort=-%cpu,pid', '-o', 'pid=,comm=']).stdout;
    expect(out).toBe('    4 stress\n    1 init\n    2 sleep\n    3 stress\n    5 ps\n');
    expect(h.run(['/usr/bin/ps', '-e', '--sort', '-pid', '-o', 'pid=']).stdout.replace(/ /g, '')).toBe('6\n4\n3\n2\n1\n');
  });

  test('right-aligned columns line up under their headers for any column list', () => {
    const h = bootHost();
    h.start(['/usr/bin/stress', '--cpu', '1', '--fork', '1', '--timeout', '600s']);
    h.wait(1);
    const numeric = ['pid', 'ppid', 'pgid', 'sid', 'uid', 'ni', 'pri', 'psr', 'nlwp', 'rss', 'vsz', '%cpu', '%mem', 'time', 'etime', 'c', 'etimes'];
    fc.assert(
      fc.property(fc.shuffledSubarray(numeric, { minLength: 1, maxLength: 6 }), (cols) => {
        const r = h.run(['/usr/bin/ps', '-e', '-o', [...cols, 'comm'].join(',')]);
        const [header, ...rows] = r.stdout.trimEnd().split('\n');
        expect(rows.length).toBeGreaterThanOrEqual(3);
        const ends = [...header.matchAll(/\S+/g)].map((m) => m.index! + m[0].length);
        for (const row of rows) {
          const cells = [...row.matchAll(/\S+/g)].map((m) => m.index! + m[0].length);
          expect(cells.slice(0, cols.length)).toEqual(ends.slice(0, cols.length));
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('command lines', () => {
  const base: ProcInfo = {
    pid: 9, comm: 'sh', state: 'S', ppid: 1, pgrp: 9, session: 9, ttyNr: 0, tpgid: -1, flags: 0, utime: 0, stime: 0,
    cutime: 0, cstime: 0, priority: 20, nice: 0, nlwp: 1, startTicks: 0, vsizeBytes: 0, rssPages: 0, processor: 0,
    rtprio: 0, policy: 0, ruid: 0, euid: 0, suid: 0, fuid: 0, rgid: 0, egid: 0, sgid: 0, fgid: 0, vmRssKiB: 0,
    vmSizeKiB: 0, vmLckKiB: 0, argv: [], cmdlineRaw: '',
  };
  test('args: NULs become spaces, controls dots, high bytes question marks; zombies are [comm] <defunct>', () => {
    expect(commandLine({ ...base, cmdlineRaw: 'sh\0-c\0echo hi\0' })).toBe('sh -c echo hi');
    expect(commandLine({ ...base, cmdlineRaw: 'ab\tc\xe9d\0' })).toBe('ab.c?d');
    expect(commandLine({ ...base, state: 'Z' })).toBe('[sh] <defunct>');
    expect(commandLine(base)).toBe('[sh]');
  });
});
