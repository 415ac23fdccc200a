/** kill, pgrep and pkill (procps-ng 4.0.2) on a host with background processes. */
import { describe, expect, test } from 'vitest';
import { run } from '../../helpers/host.js';
import { bootHost } from './sysutils-host.js';

const alive = (h: ReturnType<typeof bootHost>, pid: number): boolean => h.run(['/usr/bin/ps', '-p', String(pid), '-o', 'pid=']).status === 0;
const KILL_USAGE =
  '\nUsage:\n kill [options] <pid> [...]\n\nOptions:\n' +
  ' <pid> [...]            send signal to every <pid> listed\n' +
  ' -<signal>, -s, --signal <signal>\n' +
  '                        specify the <signal> to be sent\n' +
  ' -q, --queue <value>    integer value to be sent with the signal\n' +
  ' -l, --list=[<signal>]  list all signal names, or convert one to a name\n' +
  ' -L, --table            list all signal names in a nice table\n\n' +
  ' -h, --help     display this help and exit\n' +
  ' -V, --version  output version information and exit\n\n' +
  'For more details see kill(1).\n';

describe('kill', () => {
  test('sends SIGTERM by default, or -SIG / -NUM / -s SIG', () => {
    const h = bootHost();
    const a = h.start(['/usr/bin/sleep', '100']);
    const b = h.start(['/usr/bin/sleep', '100']);
    const c = h.start(['/usr/bin/sleep', '100']);
    const d = h.start(['/usr/bin/sleep', '100']);
    h.wait(0.01);
    expect(h.run(['/usr/bin/kill', String(a)]).status).toBe(0);
    expect(h.run(['/usr/bin/kill', '-9', String(b)]).status).toBe(0);
    expect(h.run(['/usr/bin/kill', '-s', 'INT', String(c)]).status).toBe(0);
    expect(h.run(['/usr/bin/kill', '-0', String(d)]).status).toBe(0);
    h.wait(0.01);
    expect([a, b, c, d].map((p) => alive(h, p))).toEqual([false, false, false, true]);
    expect(h.run(['/usr/bin/kill', '-SIGKILL', String(d)]).status).toBe(0);
    h.wait(0.01);
    expect(alive(h, d)).toBe(false);
  });

  test('a process group with the signal first: kill -TERM -- -PGID', () => {
    const h = bootHost();
    const stress = h.start(['/usr/bin/stress', '--cpu', '2', '-q']);
    h.wait(0.5);
    expect(h.run(['/usr/bin/ps', '-e', '-o', 'pgid=,comm=']).stdout.split('\n').filter((l) => l.endsWith('stress'))).toHaveLength(3);
    expect(h.run(['/usr/bin/kill', '-TERM', '--', `-${stress}`]).status).toBe(0);
    h.wait(0.1);
    expect(h.run(['/usr/bin/pgrep', 'stress']).status).toBe(1);
  });

  test('procps reads a small -PGID after -- as the signal, as the real kill does', () => {
    const r = run(['/usr/bin/kill', '--', '-50']);
    expect(r.stderr).toBe(KILL_USAGE);
    expect(r.status).toBe(1);
  });

  test('-l, -L and conversions', () => {
    expect(run(['/usr/bin/kill', '-l']).stdout).toBe(
      'HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\n' +
        'CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\n',
    );
    expect(run(['/usr/bin/kill', '-L']).stdout).toBe(
      ' 1 HUP      2 INT      3 QUIT     4 ILL      5 TRAP     6 ABRT     7 BUS\n' +
        ' 8 FPE      9 KILL    10 USR1    11 SEGV    12 USR2    13 PIPE    14 ALRM\n' +
        '15 TERM    16 STKFLT  17 CHLD    18 CONT    19 STOP    20 TSTP    21 TTIN\n' +
        '22 TTOU    23 URG     24 XCPU    25 XFSZ    26 VTALRM  27 PROF    28 WINCH\n' +
        '29 POLL    30 PWR     31 SYS     \n',
    );
    expect(run(['/usr/bin/kill', '-l', '9']).stdout).toBe('KILL\n');
    expect(run(['/usr/bin/kill', '-l', 'SIGTERM']).stdout).toBe('15\n');
    expect(run(['/usr/bin/kill', '-lHUP']).stdout).toBe('1\n');
    const unknown = run(['/usr/bin/kill', '-l', '64']);
    expect(unknown.stderr).toBe('/usr/bin/kill: unknown signal name 64\n');
    expect(unknown.status).toBe(0);
  });

  test('errors: no such process, bad signal, bad PID, not permitted, no arguments', () => {
    const gone = run(['kill', '99999', '1'], { path: '/usr/bin/kill', uid: 1000, gid: 1000 });
    expect(gone.stderr).toBe('kill: (99999): No such process\nkill: (1): Operation not permitted\n');
    expect(gone.status).toBe(1);
    expect(run(['kill', '-s', 'FOO', '1'], { path: '/usr/bin/kill' }).stderr).toBe('kill: (1): Invalid argument\n');
    expect(run(['kill', 'abc'], { path: '/usr/bin/kill' }).stderr).toBe("kill: failed to parse argument: 'abc'\n");
    expect(run(['kill'], { path: '/usr/bin/kill' }).stderr).toBe(KILL_USAGE);
    expect(run(['kill', '-x'], { path: '/usr/bin/kill' }).stderr).toBe(`kill: invalid argument x\n${KILL_USAGE}`);
  });
});

describe('pgrep and pkill', () => {
  function workload(): ReturnType<typeof bootHost> & { sleeper: number; stress: number } {
    const h = bootHost();
    const sleeper = h.start(['/usr/bin/sleep', '100']);
    const stress = h.start(['/usr/bin/stress', '--cpu', '2', '--timeout', '60s']);
    h.wait(0.5);
    return Object.assign(h, { sleeper, stress });
  }

  test('match names by regular expression; list, count, delimit', () => {
    const h = workload();
    expect(h.run(['/usr/bin/pgrep', 'stress']).stdout).toBe('3\n4\n5\n');
    expect(h.run(['/usr/bin/pgrep', '-l', 'sle|str']).stdout).toBe('2 sleep\n3 stress\n4 stress\n5 stress\n');
    expect(h.run(['/usr/bin/pgrep', '-a', 'sleep']).stdout).toBe('2 /usr/bin/sleep 100\n');
    expect(h.run(['/usr/bin/pgrep', '-c', 'stress']).stdout).toBe('3\n');
    expect(h.run(['/usr/bin/pgrep', '-d,', 'stress']).stdout).toBe('3,4,5\n');
    expect(h.run(['/usr/bin/pgrep', '-x', 'stres']).status).toBe(1);
    expect(h.run(['/usr/bin/pgrep', '-x', 'stress', '-n']).stdout).toBe('5\n');
    expect(h.run(['/usr/bin/pgrep', '-o', 'stress']).stdout).toBe('3\n');
    expect(h.run(['/usr/bin/pgrep', '-i', 'STRESS', '-P', '3']).stdout).toBe('4\n5\n');
    expect(h.run(['/usr/bin/pgrep', '-f', 'timeout 60']).stdout).toBe('3\n4\n5\n');
    expect(h.run(['/usr/bin/pgrep', '-v', '-u', 'root']).stdout).toBe('');
    expect(h.run(['/usr/bin/pgrep', '-u', 'root', '-r', 'R']).stdout).toBe('4\n5\n');
    expect(h.run(['/usr/bin/pgrep', '-s', '3']).stdout).toBe('3\n4\n5\n');
  });

  test('pgrep never lists itself; usage errors exit 2', () => {
    expect(run(['/usr/bin/pgrep', 'pgrep']).status).toBe(1);
    const none = run(['pgrep'], { path: '/usr/bin/pgrep' });
    expect(none.stderr).toBe("pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n");
    expect(none.status).toBe(2);
    const two = run(['pgrep', 'a', 'b'], { path: '/usr/bin/pgrep' });
    expect(two.stderr).toBe("pgrep: only one pattern can be provided\nTry `pgrep --help' for more information.\n");
    expect(run(['pgrep', '('], { path: '/usr/bin/pgrep' }).status).toBe(2);
    expect(run(['pgrep', '-u', 'nosuch'], { path: '/usr/bin/pgrep' }).stderr.split('\n')[0]).toBe('pgrep: invalid user name: nosuch');
    expect(run(['pgrep', 'averyveryverylongname'], { path: '/usr/bin/pgrep' }).stderr).toBe(
      "pgrep: pattern that searches for process name longer than 15 characters will result in zero matches\nTry `pgrep -f' option to match against the complete command line.\n",
    );
  });

  test('pkill signals what pgrep would list; -e echoes; --signal and -SIG', () => {
    const h = workload();
    expect(h.run(['/usr/bin/pkill', '-e', 'sleep']).stdout).toBe('sleep killed (pid 2)\n');
    h.wait(0.01);
    expect(alive(h, h.sleeper)).toBe(false);
    expect(h.run(['/usr/bin/pkill', '-STOP', '-P', '3']).status).toBe(0);
    h.wait(0.01);
    expect(h.run(['/usr/bin/ps', '-o', 'stat=', '-p', '4,5']).stdout).toBe('T   \nT   \n'.replace(/ +\n/g, '\n'));
    expect(h.run(['/usr/bin/pkill', '--signal', 'KILL', 'stress']).status).toBe(0);
    h.wait(0.01);
    expect(h.run(['/usr/bin/pgrep', 'stress']).status).toBe(1);
    expect(h.run(['/usr/bin/pkill', 'nothing']).status).toBe(1);
  });
});
