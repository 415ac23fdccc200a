/**
 * The identity and system-information tools: id, whoami, uname, hostname, date,
 * nproc, tty, uptime, dmesg, pwd, env, printenv, nice and readlink, against the
 * real tools' output on Debian 12 (LC_ALL=C) for the same kind of data.
 */
import { describe, expect, test } from 'vitest';
import { run } from '../../helpers/host.js';
import { bootHost } from './sysutils-host.js';

const STUDENT = { uid: 1000, gid: 1000 };

describe('id and whoami', () => {
  test('root and named users', () => {
    expect(run(['/usr/bin/id']).stdout).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    expect(run(['/usr/bin/id', 'student']).stdout).toBe('uid=1000(student) gid=1000(student) groups=1000(student),24(cdrom),27(sudo),29(audio),44(video),46(plugdev),100(users)\n');
    expect(run(['/usr/bin/id', '-Gn', 'student']).stdout).toBe('student cdrom sudo audio video plugdev users\n');
    expect(run(['/usr/bin/id', '-u']).stdout).toBe('0\n');
    expect(run(['/usr/bin/id', '-un']).stdout).toBe('root\n');
    expect(run(['/usr/bin/id', '-gn', 'nobody']).stdout).toBe('nogroup\n');
    expect(run(['/usr/bin/id', '-G']).stdout).toBe('0\n');
    expect(run(['/usr/bin/id', '-u', '0']).stdout).toBe('0\n');
    expect(run(['/usr/bin/id', '-ru']).stdout).toBe('0\n');
    expect(run(['/usr/bin/id', '-rgn'], STUDENT).stdout).toBe('student\n');
    expect(run(['/usr/bin/id', '-zG', 'student']).stdout).toBe('1000\x0024\x0027\x0029\x0044\x0046\x00100\x00');
    expect(run(['/usr/bin/whoami']).stdout).toBe('root\n');
  });

  test('the process identity of another user, and of a uid without a name', () => {
    expect(run(['/usr/bin/id'], STUDENT).stdout).toBe('uid=1000(student) gid=1000(student) groups=1000(student)\n');
    expect(run(['/usr/bin/whoami'], STUDENT).stdout).toBe('student\n');
    expect(run(['/usr/bin/id'], { uid: 4242, gid: 4242 }).stdout).toBe('uid=4242 gid=4242 groups=4242\n');
    const w = run(['whoami'], { uid: 4242, gid: 4242, path: '/usr/bin/whoami' });
    expect(w.stderr).toBe('whoami: cannot find name for user ID 4242\n');
    expect(w.status).toBe(1);
  });

  test('errors', () => {
    const cases: [string[], string][] = [
      [['id', 'nosuch'], "id: 'nosuch': no such user\n"],
      [['id', '-n'], 'id: cannot print only names or real IDs in default format\n'],
      [['id', '-u', '-g'], 'id: cannot print "only" of more than one choice\n'],
      [['id', '-Z'], 'id: --context (-Z) works only on an SELinux-enabled kernel\n'],
    ];
    for (const [argv, err] of cases) {
      const r = run(argv, { path: '/usr/bin/id' });
      expect(r.stderr).toBe(err);
      expect(r.status).toBe(1);
    }
  });
});

describe('uname and hostname', () => {
  test('uname fields', () => {
    expect(run(['/usr/bin/uname']).stdout).toBe('Linux\n');
    expect(run(['/usr/bin/uname', '-a']).stdout).toBe('Linux ctsim 6.1.0-ctsim #1 SMP PREEMPT_DYNAMIC ctsim x86_64 GNU/Linux\n');
    expect(run(['/usr/bin/uname', '-snrvmpio']).stdout).toBe('Linux ctsim 6.1.0-ctsim #1 SMP PREEMPT_DYNAMIC ctsim x86_64 unknown unknown GNU/Linux\n');
    expect(run(['/usr/bin/uname', '-mn']).stdout).toBe('ctsim x86_64\n');
    expect(run(['uname', 'x'], { path: '/usr/bin/uname' }).stderr).toBe("uname: extra operand 'x'\nTry 'uname --help' for more information.\n");
  });

  test('hostname prints, root sets it, others may not', () => {
    const h = bootHost();
    expect(h.run(['/usr/bin/hostname']).stdout).toBe('ctsim\n');
    const no = h.run(['/usr/bin/hostname', 'evil'], STUDENT);
    expect(no.stderr).toBe('hostname: you must be root to change the host name\n');
    expect(no.status).toBe(1);
    expect(h.run(['/usr/bin/hostname', 'web1.example.org']).status).toBe(0);
    expect(h.run(['/usr/bin/hostname']).stdout).toBe('web1.example.org\n');
    expect(h.run(['/usr/bin/hostname', '-s']).stdout).toBe('web1\n');
    expect(h.run(['/usr/bin/uname', '-n']).stdout).toBe('web1.example.org\n');
    expect(h.run(['/usr/bin/hostname', 'x'.repeat(65)]).stderr).toBe('hostname: name too long\n');
  });
});

describe('date', () => {
  test('the default format at boot, +FORMAT, -d, -u, -R, -I, --rfc-3339, -r', () => {
    expect(run(['/usr/bin/date']).stdout).toBe('Wed Jan  1 00:00:00 UTC 2025\n');
    expect(run(['/usr/bin/date', '-u', '+%Y-%m-%d %H:%M:%S %Z %s']).stdout).toBe('2025-01-01 00:00:00 UTC 1735689600\n');
    expect(run(['/usr/bin/date', '-d', '@0']).stdout).toBe('Thu Jan  1 00:00:00 UTC 1970\n');
    expect(run(['/usr/bin/date', '-d', '2025-03-04 05:06:07', '+%A %B %-d %j']).stdout).toBe('Tuesday March 4 063\n');
    expect(run(['/usr/bin/date', '-R', '-d', '@0']).stdout).toBe('Thu, 01 Jan 1970 00:00:00 +0000\n');
    expect(run(['/usr/bin/date', '-I', '-d', '@0']).stdout).toBe('1970-01-01\n');
    expect(run(['/usr/bin/date', '-Iseconds', '-d', '@0']).stdout).toBe('1970-01-01T00:00:00+00:00\n');
    expect(run(['/usr/bin/date', '--rfc-3339=ns', '-d', '@0']).stdout).toBe('1970-01-01 00:00:00.000000000+00:00\n');
    expect(run(['/usr/bin/date', '-r', '/etc/hostname']).stdout).toBe('Wed Jan  1 00:00:00 UTC 2025\n');
    expect(run(['/usr/bin/date', '+']).stdout).toBe('\n');
  });

  test('time goes on: the date after ten simulated minutes', () => {
    const h = bootHost();
    h.wait(600);
    expect(h.run(['/usr/bin/date', '+%H:%M']).stdout).toBe('00:10\n');
  });

  test('errors and setting the date', () => {
    const bad = run(['date', '-d', 'foo'], { path: '/usr/bin/date' });
    expect(bad.stderr).toBe("date: invalid date 'foo'\n");
    expect(bad.status).toBe(1);
    expect(run(['date', '+%Y', '+%m'], { path: '/usr/bin/date' }).stderr).toBe("date: extra operand '+%m'\nTry 'date --help' for more information.\n");
    const set = run(['date', '-s', '2026-01-01'], { path: '/usr/bin/date', ...STUDENT });
    expect(set.stderr).toBe('date: cannot set date: Operation not permitted\n');
    expect(set.status).toBe(1);
  });
});

describe('nproc, tty, uptime, dmesg', () => {
  test('nproc counts the CPUs', () => {
    expect(run(['/usr/bin/nproc'], { host: { cpus: 4 } }).stdout).toBe('4\n');
    expect(run(['/usr/bin/nproc', '--all']).stdout).toBe('2\n');
    expect(run(['/usr/bin/nproc', '--ignore=1']).stdout).toBe('1\n');
    expect(run(['/usr/bin/nproc', '--ignore=5']).stdout).toBe('1\n');
    expect(run(['/usr/bin/nproc'], { env: ['OMP_NUM_THREADS=3'] }).stdout).toBe('3\n');
  });

  test('tty: standard input is not a terminal here', () => {
    const r = run(['/usr/bin/tty']);
    expect(r.stdout).toBe('not a tty\n');
    expect(r.status).toBe(1);
    const s = run(['/usr/bin/tty', '-s']);
    expect(s.stdout).toBe('');
    expect(s.status).toBe(1);
  });

  test('uptime, -p and -s after simulated time passes', () => {
    expect(run(['/usr/bin/uptime']).stdout).toBe(' 00:00:00 up 0 min,  0 user,  load average: 0.00, 0.00, 0.00\n');
    const h = bootHost();
    h.wait(3725);
    // (The kernel samples the load lazily when it is read, so the reader itself counts.)
    expect(h.run(['/usr/bin/uptime']).stdout).toMatch(/^ 01:02:05 up {2}1:02, {2}0 user, {2}load average: \d\.\d\d, \d\.\d\d, \d\.\d\d\n$/);
    expect(h.run(['/usr/bin/uptime', '-p']).stdout).toBe('up 1 hour, 2 minutes\n');
    expect(h.run(['/usr/bin/uptime', '-s']).stdout).toBe('2025-01-01 00:00:00\n');
    h.wait(86400 * 2);
    expect(h.run(['/usr/bin/uptime']).stdout).toMatch(/^ 01:02:05 up 2 days, {2}1:02, {2}0 user, {2}load average: /);
    expect(h.run(['/usr/bin/uptime', '-p']).stdout).toBe('up 2 days, 1 hour, 2 minutes\n');
  });

  test('uptime shows the load of two busy CPUs', () => {
    const h = bootHost();
    h.start(['/usr/bin/stress', '--cpu', '2', '--timeout', '100s', '-q']);
    h.wait(60);
    const m = /^ 00:01:00 up 1 min, {2}0 user, {2}load average: (\d\.\d\d), (\d\.\d\d), (\d\.\d\d)\n$/.exec(h.run(['/usr/bin/uptime']).stdout);
    expect(m).not.toBeNull();
    const [one, five, fifteen] = m!.slice(1).map(Number);
    // After one minute of load the averages rise, the shortest fastest.
    expect(one).toBeGreaterThan(1);
    expect(one).toBeGreaterThan(five);
    expect(five).toBeGreaterThan(fifteen);
    expect(fifteen).toBeGreaterThan(0);
  });

  test('dmesg for root; permission denied for others', () => {
    const r = run(['/usr/bin/dmesg']);
    expect(r.stdout.split('\n')[0]).toBe('[    0.000000] Linux version 6.1.0-ctsim (ctsim) #1 SMP PREEMPT_DYNAMIC ctsim');
    expect(r.stdout).toContain('[    0.000000] smpboot: Allowing 2 CPUs\n');
    expect(run(['/usr/bin/dmesg', '-t']).stdout.split('\n')[0]).toBe('Linux version 6.1.0-ctsim (ctsim) #1 SMP PREEMPT_DYNAMIC ctsim');
    expect(run(['/usr/bin/dmesg', '-T']).stdout.split('\n')[0]).toBe('[Wed Jan  1 00:00:00 2025] Linux version 6.1.0-ctsim (ctsim) #1 SMP PREEMPT_DYNAMIC ctsim');
    const no = run(['/usr/bin/dmesg'], STUDENT);
    expect(no.stderr).toBe('dmesg: read kernel buffer failed: Operation not permitted\n');
    expect(no.stdout).toBe('');
    expect(no.status).toBe(1);
  });
});

describe('pwd, env, printenv, nice, readlink', () => {
  test('pwd -P and -L', () => {
    expect(run(['/usr/bin/pwd']).stdout).toBe('/root\n');
    expect(run(['/usr/bin/pwd'], { cwd: '/bin' }).stdout).toBe('/usr/bin\n');
    expect(run(['/usr/bin/pwd', '-L'], { cwd: '/bin', env: ['PWD=/bin'] }).stdout).toBe('/bin\n');
    expect(run(['/usr/bin/pwd', '-L'], { cwd: '/bin', env: ['PWD=/etc'] }).stdout).toBe('/usr/bin\n');
    expect(run(['pwd', 'x'], { path: '/usr/bin/pwd' }).stderr).toBe('pwd: ignoring non-option arguments\n');
  });

  test('env lists, modifies and runs; exit statuses 125/126/127', () => {
    expect(run(['/usr/bin/env'], { env: ['A=1', 'B=2'] }).stdout).toBe('A=1\nB=2\n');
    expect(run(['/usr/bin/env', '-i', 'X=y', '/usr/bin/env']).stdout).toBe('X=y\n');
    expect(run(['/usr/bin/env', '-u', 'A', 'C=3', 'env'], { env: ['A=1', 'B=2', 'PATH=/usr/bin'] }).stdout).toBe('B=2\nPATH=/usr/bin\nC=3\n');
    // "-" empties the environment; execvp then searches the default /bin:/usr/bin.
    expect(run(['/usr/bin/env', '-', 'printenv'], { env: ['A=1', 'PATH=/nowhere'] })).toMatchObject({ stdout: '', status: 0 });
    const nf = run(['env', 'nosuchcmd'], { path: '/usr/bin/env' });
    expect(nf.stderr).toBe("env: 'nosuchcmd': No such file or directory\n");
    expect(nf.status).toBe(127);
    const na = run(['env', '/etc/passwd'], { path: '/usr/bin/env' });
    expect(na.stderr).toBe("env: '/etc/passwd': Permission denied\n");
    expect(na.status).toBe(126);
    const bad = run(['env', '-Z'], { path: '/usr/bin/env' });
    expect(bad.stderr).toBe("env: invalid option -- 'Z'\nTry 'env --help' for more information.\n");
    expect(bad.status).toBe(125);
    expect(run(['/usr/bin/env', '-C', '/etc', '/usr/bin/pwd']).stdout).toBe('/etc\n');
  });

  test('printenv prints values; exit 1 when one is missing', () => {
    const r = run(['/usr/bin/printenv', 'HOME', 'NOPE', 'USER']);
    expect(r.stdout).toBe('/root\nroot\n');
    expect(r.status).toBe(1);
    expect(run(['/usr/bin/printenv'], { env: ['A=1'] }).stdout).toBe('A=1\n');
  });

  test('nice prints and adjusts niceness; lowering it needs root', () => {
    expect(run(['/usr/bin/nice']).stdout).toBe('0\n');
    expect(run(['/usr/bin/nice', '/usr/bin/nice']).stdout).toBe('10\n');
    expect(run(['/usr/bin/nice', '-n', '5', '/usr/bin/nice']).stdout).toBe('5\n');
    expect(run(['/usr/bin/nice', '-7', '/usr/bin/nice']).stdout).toBe('7\n');
    expect(run(['/usr/bin/nice', '-n', '-5', '/usr/bin/nice']).stdout).toBe('-5\n');
    const user = run(['nice', '-n', '-5', '/usr/bin/nice'], { path: '/usr/bin/nice', ...STUDENT });
    expect(user.stderr).toBe('nice: cannot set niceness: Permission denied\n');
    expect(user.stdout).toBe('0\n');
    expect(user.status).toBe(0);
    const bad = run(['nice', '-n', 'x', 'true'], { path: '/usr/bin/nice' });
    expect(bad.stderr).toBe("nice: invalid adjustment 'x'\n");
    expect(bad.status).toBe(125);
    expect(run(['nice', 'nosuch'], { path: '/usr/bin/nice' }).status).toBe(127);
  });

  test('readlink with and without canonicalization', () => {
    expect(run(['/usr/bin/readlink', '/bin']).stdout).toBe('usr/bin\n');
    expect(run(['/usr/bin/readlink', '-f', '/bin/../bin/sh']).stdout).toBe('/usr/bin/dash\n');
    // /etc/mtab → ../proc/self/mounts, and "self" is readlink itself (PID 2).
    expect(run(['/usr/bin/readlink', '-f', '/etc/mtab']).stdout).toBe('/proc/2/mounts\n');
    const e = run(['/usr/bin/readlink', '-e', '/nonexist']);
    expect(e.stdout).toBe('');
    expect(e.status).toBe(1);
    expect(run(['/usr/bin/readlink', '-m', '/nonexist/x/../y']).stdout).toBe('/nonexist/y\n');
    expect(run(['/usr/bin/readlink', '-f', '/nonexist/x']).status).toBe(1);
    expect(run(['readlink', '-v', '/etc/passwd'], { path: '/usr/bin/readlink' }).stderr).toBe('readlink: /etc/passwd: Invalid argument\n');
    expect(run(['/usr/bin/readlink', '-n', '/bin']).stdout).toBe('usr/bin');
    expect(run(['readlink', '-n', '/bin', '/lib'], { path: '/usr/bin/readlink' })).toMatchObject({
      stdout: 'usr/bin\nusr/lib\n',
      stderr: 'readlink: ignoring --no-newline with multiple arguments\n',
    });
  });
});
