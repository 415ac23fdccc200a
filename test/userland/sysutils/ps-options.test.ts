/**
 * ps(1) option reading, selection, forests and time columns, each expectation
 * taken from procps-ng 4.0.2's ps on Debian 12 (LC_ALL=C): run against processes
 * arranged the same way, or for the exact error texts, the same command line.
 */
import { describe, expect, test } from 'vitest';
import { run } from '../../helpers/host.js';
import { bootHost } from './sysutils-host.js';

const ps = (...argv: string[]): ReturnType<typeof run> => run(['/usr/bin/ps', ...argv]);
const USAGE_START = '\nUsage:\n ps [options]\n';

describe('errors and their wording', () => {
  test.each([
    [['-V', '-e'], 'the option is exclusive: -V'],
    [['-e', 'V'], 'the option is exclusive: V'],
    [['--version=x'], 'the option is exclusive: --version'],
    [['--sort', 'pid', '--sort', 'ppid'], 'multiple sort options'],
    [['k', 'pid', '--sort=ppid'], 'multiple sort options'],
    [['--sort=,'], 'improper sort list'],
    [['--sort=pid,,'], 'improper sort list'],
    [['--sort=-'], 'unknown sort specifier'],
    [['--headers', '--no-headers'], 'only one heading option may be specified'],
    [['h', 'h'], 'only one heading option may be specified'],
    [['f', 'H'], 'thread display conflicts with forest display'],
    [['--forest=1'], 'option --forest does not take an argument'],
    [['--no-headers=x'], 'option --no-heading does not take an argument'],
    [['x-'], "embedded '-' among BSD options makes no sense"],
    [[',comm'], 'garbage option'],
    [['-'], 'garbage option'],
    [['-u', '4294967295'], 'user ID out of range'],
    [['-G', '-1'], 'group ID out of range'],
    [['-p', '-1'], 'process ID out of range'],
    [['-p', '1,'], 'improper list'],
    [['1', 'x'], 'process ID list syntax error'],
    [['-a', 'a'], 'process selection options conflict'],
    [['-f', 'u'], 'conflicting format options'],
    [['-l', 'l'], 'conflicting format options'],
    [['-j', '-o', 'pid'], 'can not use output modifiers with user-defined output'],
    [['-c', 'o', 'pid'], 'can not use output modifiers with user-defined output'],
    [['-fy'], 'modifier -y without format -l makes no sense'],
    [['-ex', '-'], 'must set personality to get -x option'],
    [['--cols', '0'], 'number of columns must follow --cols, --width, or --columns'],
    [['--rows', 'x'], 'number of rows must follow --rows or --lines'],
    [['-q'], 'List of process IDs must follow -q.'],
  ])('ps %j: error: %s', (argv, message) => {
    const r = ps(...argv);
    expect(r.stderr.startsWith(`error: ${message}\n${USAGE_START}`)).toBe(true);
    expect(r.status).toBe(1);
  });

  test.each([
    [['-q', '1', '-p', '2'], 'q/-q/--quick-pid cannot be combined with other selection options.'],
    [['-q', '1', '-N'], 'q/-q/--quick-pid cannot be used together with negation switches.'],
    [['--sort=pid', '-q', '1'], 'q/-q,--quick-pid cannot be used together with sort options.'],
    [['q', '1', '--forest'], 'q/-q/--quick-pid cannot be used together with forest type listings.'],
    [['-q', '1', '-q', '2'], 'q/-q/--quick-pid can only be used once.'],
    [['-c', 'u'], 'ps:src/ps/sortformat.c:900: internal error: no PRI for -c option'],
  ])('ps %j: %s (no usage hint)', (argv, message) => {
    const r = ps(...argv);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.status).toBe(1);
  });
});

describe('what the command line selects (fresh host: init 1, ps 2)', () => {
  const pids = (...argv: string[]): string => ps(...argv, '-o', 'pid=').stdout.replace(/ +/g, '');
  test('-q picks exactly its PIDs, even with -e', () => {
    expect(ps('-q', '1', '-e').stdout).toBe('  PID TTY          TIME CMD\n    1 ?        00:00:00 init\n');
  });
  test('PID lists read numbers as strtol does (sign, octal, hex)', () => {
    expect(pids('-p', '+1')).toBe('1\n');
    expect(pids('-p', '0x2')).toBe('2\n');
    expect(pids('-p', '02')).toBe('2\n');
  });
  test('trailing numbers: N is a PID, -N a process group, +N a session (BSD style)', () => {
    expect(ps('-1').stdout).toBe('  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 /sbin/init\n');
    expect(ps('+1').stdout).toBe('  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 /sbin/init\n');
    expect(ps('-o', 'pid', '2').stdout).toBe('  PID\n    2\n');
  });
  test('-g: a valid PID is a session, anything else an effective group', () => {
    expect(pids('-g', '1')).toBe('1\n');
    expect(pids('-g', '0')).toBe('1\n2\n');
  });
  test('-t needs a list; alone it is read again as BSD t (this terminal: none)', () => {
    expect(ps('-t').stdout).toBe('  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 /sbin/init\n    2 ?        Rs     0:00 /usr/bin/ps -t\n');
  });
  test('-f -o is read again as BSD f and o: BSD selection (a terminal), none here', () => {
    const r = ps('-f', '-o', 'pid,comm');
    expect(r.stdout).toBe('  PID COMMAND\n');
    expect(r.status).toBe(1);
  });
  test('BSD c shows command names in command-line columns; -c adds CLS and PRI', () => {
    expect(ps('c', '-p', '1').stdout).toBe('  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 init\n');
    expect(ps('-c', '-p', '1').stdout).toBe('  PID CLS PRI TTY          TIME CMD\n    1 TS   19 ?        00:00:00 init\n');
  });
});

describe('forests', () => {
  function workload(): ReturnType<typeof bootHost> {
    const h = bootHost();
    h.start(['/usr/bin/sleep', '100']);
    h.start(['/usr/bin/stress', '--cpu', '2', '--timeout', '60s', '-q']);
    h.wait(1);
    return h;
  }
  test('children are the first run of their siblings in sort order: other keys lose some', () => {
    const h = workload();
    // Sorted by PID, ps (6) comes after the stress workers, outside init's first run of children.
    expect(h.run(['/usr/bin/ps', '-e', '--forest', '--sort=pid', '-o', 'pid,ppid,comm']).stdout).toBe(
      '  PID  PPID COMMAND\n    1     0 init\n    2     1 sleep\n    3     1 stress\n    4     3  \\_ stress\n    5     3  \\_ stress\n',
    );
    expect(h.run(['/usr/bin/ps', '-e', '--forest', '--sort=-pid', '-o', 'pid,ppid,comm']).stdout).toBe('  PID  PPID COMMAND\n    1     0 init\n    7     1 ps\n');
  });
  test('narrow command columns keep only the tree pieces that fit whole', () => {
    const h = workload();
    expect(h.run(['/usr/bin/ps', '-e', '--forest', '-o', 'pid,fname:3,comm:4,args:6,pid']).stdout).toBe(
      '  PID COMMAND COMMAND COMMAND PID\n' +
        '    1 ini init /sbin/     1\n' +
        '    2 sle slee /usr/b     2\n' +
        '    3 str stre /usr/b     3\n' +
        '    4 str  \\_   \\_ /u     4\n' +
        '    5 str  \\_   \\_ /u     5\n' +
        '    6 ps  ps   /usr/b     6\n',
    );
    expect(h.run(['/usr/bin/ps', '-eH', '-o', 'pid,fname:3,comm:4']).stdout).toBe(
      '  PID COMMAND COMMAND\n    1 ini init\n    2   s   sleep\n    3   s   stress\n    4   s     stress\n    5   s     stress\n    7   p   ps\n',
    );
  });
});

describe('time columns over days and years', () => {
  test('ELAPSED, STARTED, STIME and lstart', () => {
    const h = bootHost();
    h.start(['/usr/bin/sleep', '999999999']);
    h.wait(23 * 3600);
    h.start(['/usr/bin/sleep', '999999999']);
    h.wait(2 * 3600);
    const cols = ['-e', '-o', 'pid,etime,start,stime,lstart,comm'];
    // Started yesterday but less than 24 hours ago: STARTED is a time, STIME the date.
    expect(h.run(['/usr/bin/ps', ...cols]).stdout).toBe(
      '  PID     ELAPSED  STARTED STIME                  STARTED COMMAND\n' +
        '    1  1-01:00:00   Jan 01 Jan01 Wed Jan  1 00:00:00 2025 init\n' +
        '    2  1-01:00:00   Jan 01 Jan01 Wed Jan  1 00:00:00 2025 sleep\n' +
        '    3    02:00:00 23:00:00 Jan01 Wed Jan  1 23:00:00 2025 sleep\n' +
        '    4       00:00 01:00:00 01:00 Thu Jan  2 01:00:00 2025 ps\n',
    );
    h.wait(400 * 86400);
    expect(h.run(['/usr/bin/ps', '-o', 'etime,start,stime', '-p', '1']).stdout).toBe('    ELAPSED  STARTED STIME\n401-01:00:00   Jan 01 2025\n');
  });
});
