/**
 * ls(1) against GNU coreutils 9.1 in the C locale, writing to a pipe: long format
 * columns and widths, time styles (recent, old, future), sorting, indicators,
 * recursion, operands, and errors. Expected texts were checked against the real ls
 * on the same tree (times and inode numbers aside).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { run } from '../../helpers/host.js';
import { bootHost, type TestHost } from './sysutils-host.js';

/** A small tree: /tmp/r/{a/{b/,f1},c/,big (890 bytes),z (executable),la → a,dangling → nowhere}. */
function tree(): TestHost {
  const h = bootHost();
  for (const argv of [
    ['/usr/bin/mkdir', '-p', '/tmp/r/a/b', '/tmp/r/c'],
    ['/usr/bin/touch', '/tmp/r/a/f1', '/tmp/r/z'],
    ['/usr/bin/cp', '/etc/passwd', '/tmp/r/big'],
    ['/usr/bin/chmod', '+x', '/tmp/r/z'],
    ['/usr/bin/ln', '-s', 'a', '/tmp/r/la'],
    ['/usr/bin/ln', '-s', 'nowhere', '/tmp/r/dangling'],
  ]) {
    expect(h.run(argv).status).toBe(0);
  }
  return h;
}

describe('ls long format', () => {
  test('ls -l / : modes, link counts, owners, sizes, times, symlink targets, total', () => {
    const out = run(['/usr/bin/ls', '-l', '/']).stdout.split('\n');
    expect(out[0]).toBe('total 52');
    expect(out).toContain('lrwxrwxrwx 1 root root    7 Jan  1 00:00 bin -> usr/bin');
    expect(out).toContain('drwx------ 2 root root 4096 Jan  1 00:00 root');
    expect(out).toContain('drwxrwxrwt 2 root root 4096 Jan  1 00:00 tmp');
    expect(out).toContain('dr-xr-xr-x 2 root root    0 Jan  1 00:00 proc');
    // sysfs (kernfs) counts 2 + subdirectories (block, class, devices, fs, kernel) and reports size 0.
    expect(out).toContain('dr-xr-xr-x 7 root root    0 Jan  1 00:00 sys');
  });

  test('ls -ld /tmp shows the sticky bit', () => {
    expect(run(['/usr/bin/ls', '-ld', '/tmp']).stdout).toBe('drwxrwxrwt 2 root root 4096 Jan  1 00:00 /tmp\n');
  });

  test('device files show major, minor', () => {
    const out = run(['/usr/bin/ls', '-l', '/dev/null', '/dev/zero', '/dev/console']).stdout;
    expect(out).toBe(
      'crw------- 1 root root 5, 1 Jan  1 00:00 /dev/console\n' +
        'crw-rw-rw- 1 root root 1, 3 Jan  1 00:00 /dev/null\n' +
        'crw-rw-rw- 1 root root 1, 5 Jan  1 00:00 /dev/zero\n',
    );
  });

  test('owner and group columns are as wide as the widest name; -n shows numbers, -g/-o/-G drop columns', () => {
    const h = tree();
    h.run(['/usr/bin/chown', 'student:shadow', '/tmp/r/big']);
    const l = h.run(['/usr/bin/ls', '-l', '/tmp/r']).stdout;
    expect(l).toBe(
      'total 12\n' +
        'drwxr-xr-x 3 root    root   4096 Jan  1 00:00 a\n' +
        '-rw-r--r-- 1 student shadow  890 Jan  1 00:00 big\n' +
        'drwxr-xr-x 2 root    root   4096 Jan  1 00:00 c\n' +
        'lrwxrwxrwx 1 root    root      7 Jan  1 00:00 dangling -> nowhere\n' +
        'lrwxrwxrwx 1 root    root      1 Jan  1 00:00 la -> a\n' +
        '-rwxr-xr-x 1 root    root      0 Jan  1 00:00 z\n',
    );
    expect(h.run(['/usr/bin/ls', '-n', '/tmp/r/big']).stdout).toBe('-rw-r--r-- 1 1000 42 890 Jan  1 00:00 /tmp/r/big\n');
    expect(h.run(['/usr/bin/ls', '-g', '/tmp/r/big']).stdout).toBe('-rw-r--r-- 1 shadow 890 Jan  1 00:00 /tmp/r/big\n');
    expect(h.run(['/usr/bin/ls', '-o', '/tmp/r/big']).stdout).toBe('-rw-r--r-- 1 student 890 Jan  1 00:00 /tmp/r/big\n');
    expect(h.run(['/usr/bin/ls', '-lG', '/tmp/r/big']).stdout).toBe('-rw-r--r-- 1 student 890 Jan  1 00:00 /tmp/r/big\n');
  });

  test('files older than six months or in the future show the year', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '-d', '2024-06-01 12:00', '/tmp/old']);
    h.run(['/usr/bin/touch', '-d', '2024-07-15 08:30', '/tmp/recent']);
    h.run(['/usr/bin/touch', '-d', '2025-02-01', '/tmp/future']);
    expect(h.run(['/usr/bin/ls', '-l', '/tmp']).stdout).toBe(
      'total 0\n' +
        '-rw-r--r-- 1 root root 0 Feb  1  2025 future\n' +
        '-rw-r--r-- 1 root root 0 Jun  1  2024 old\n' +
        '-rw-r--r-- 1 root root 0 Jul 15 08:30 recent\n',
    );
    expect(h.run(['/usr/bin/ls', '-l', '--full-time', '/tmp/old']).stdout).toBe('-rw-r--r-- 1 root root 0 2024-06-01 12:00:00.000000000 +0000 /tmp/old\n');
    expect(h.run(['/usr/bin/ls', '-l', '--time-style=long-iso', '/tmp/old']).stdout).toBe('-rw-r--r-- 1 root root 0 2024-06-01 12:00 /tmp/old\n');
  });

  test('-h and -s give sizes in K; -i puts inode numbers first', () => {
    const h = tree();
    expect(h.run(['/usr/bin/ls', '-sh', '/tmp/r']).stdout).toBe('total 12K\n4.0K a\n4.0K big\n4.0K c\n   0 dangling\n   0 la\n   0 z\n');
    expect(h.run(['/usr/bin/ls', '-s', '/tmp/r/big']).stdout).toBe('4 /tmp/r/big\n');
    expect(h.run(['/usr/bin/ls', '-lh', '/tmp/r/a']).stdout).toBe('total 4.0K\ndrwxr-xr-x 2 root root 4.0K Jan  1 00:00 b\n-rw-r--r-- 1 root root    0 Jan  1 00:00 f1\n');
    const i = h.run(['/usr/bin/ls', '-i', '/tmp/r/a']).stdout;
    expect(i).toMatch(/^\d+ b\n\d+ f1\n$/);
    const ino = h.run(['/usr/bin/stat', '-c', '%i', '/tmp/r/a/f1']).stdout.trim();
    expect(i.split('\n')[1]).toBe(`${ino.padStart(i.split('\n')[0].indexOf(' '))} f1`);
  });

  test('ls -l mode strings for random modes agree with a strmode reference', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/f']);
    const ref = (m: number): string => {
      const p = [...'rwxrwxrwx'].map((c, i) => (m & (1 << (8 - i)) ? c : '-'));
      if (m & 0o4000) p[2] = p[2] === 'x' ? 's' : 'S';
      if (m & 0o2000) p[5] = p[5] === 'x' ? 's' : 'S';
      if (m & 0o1000) p[8] = p[8] === 'x' ? 't' : 'T';
      return '-' + p.join('');
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o7777 }), (mode) => {
        expect(h.run(['/usr/bin/chmod', mode.toString(8), '/tmp/f']).status).toBe(0);
        expect(h.run(['/usr/bin/ls', '-l', '/tmp/f']).stdout.slice(0, 11)).toBe(ref(mode) + ' ');
      }),
      { numRuns: 40 },
    );
  });
});

describe('ls listings', () => {
  test('one name per line to a pipe, sorted in the C locale, dot files hidden unless -a/-A', () => {
    const h = tree();
    h.run(['/usr/bin/touch', '/tmp/r/.hidden', '/tmp/r/B']);
    expect(h.run(['/usr/bin/ls', '/tmp/r']).stdout).toBe('B\na\nbig\nc\ndangling\nla\nz\n');
    expect(h.run(['/usr/bin/ls', '-A', '/tmp/r']).stdout).toBe('.hidden\nB\na\nbig\nc\ndangling\nla\nz\n');
    expect(h.run(['/usr/bin/ls', '-a', '/tmp/r/c']).stdout).toBe('.\n..\n');
    expect(h.run(['/usr/bin/ls', '-r', '/tmp/r/a']).stdout).toBe('f1\nb\n');
  });

  test('-F and -p indicators; -lF marks a link target', () => {
    const h = tree();
    expect(h.run(['/usr/bin/ls', '-F', '/tmp/r']).stdout).toBe('a/\nbig\nc/\ndangling@\nla@\nz*\n');
    expect(h.run(['/usr/bin/ls', '-p', '/tmp/r']).stdout).toBe('a/\nbig\nc/\ndangling\nla\nz\n');
    expect(h.run(['/usr/bin/ls', '-lF', '/tmp/r']).stdout.split('\n').slice(4, 7)).toEqual([
      'lrwxrwxrwx 1 root root    7 Jan  1 00:00 dangling -> nowhere',
      'lrwxrwxrwx 1 root root    1 Jan  1 00:00 la -> a/',
      '-rwxr-xr-x 1 root root    0 Jan  1 00:00 z*',
    ]);
  });

  test('-t, -S and -r sort by time, size, reversed (ties by name)', () => {
    const h = tree();
    h.run(['/usr/bin/touch', '-d', '2024-12-01', '/tmp/r/big']);
    h.run(['/usr/bin/touch', '-d', '2024-12-02', '/tmp/r/z']);
    expect(h.run(['/usr/bin/ls', '-t', '/tmp/r']).stdout).toBe('dangling\nla\na\nc\nz\nbig\n');
    expect(h.run(['/usr/bin/ls', '-S', '/tmp/r']).stdout).toBe('a\nc\nbig\ndangling\nla\nz\n');
    expect(h.run(['/usr/bin/ls', '-Sr', '/tmp/r']).stdout).toBe('z\nla\ndangling\nbig\nc\na\n');
  });

  test('-R lists subdirectories depth first with headings', () => {
    const h = tree();
    expect(h.run(['/usr/bin/ls', '-R', '/tmp/r']).stdout).toBe('/tmp/r:\na\nbig\nc\ndangling\nla\nz\n\n/tmp/r/a:\nb\nf1\n\n/tmp/r/a/b:\n\n/tmp/r/c:\n');
  });

  test('files come before directories; several directories get headings', () => {
    const h = tree();
    expect(h.run(['/usr/bin/ls', '/tmp/r/big', '/tmp/r/c', '/tmp/r/a']).stdout).toBe('/tmp/r/big\n\n/tmp/r/a:\nb\nf1\n\n/tmp/r/c:\n');
  });

  test('a symlink to a directory operand is followed unless -l, -d or -F', () => {
    const h = tree();
    expect(h.run(['/usr/bin/ls', '/tmp/r/la']).stdout).toBe('b\nf1\n');
    expect(h.run(['/usr/bin/ls', '-l', '/tmp/r/la']).stdout).toBe('lrwxrwxrwx 1 root root 1 Jan  1 00:00 /tmp/r/la -> a\n');
    expect(h.run(['/usr/bin/ls', '-d', '/tmp/r/la']).stdout).toBe('/tmp/r/la\n');
    expect(h.run(['/usr/bin/ls', '-L', '-l', '/tmp/r/la']).stdout).toBe('total 4\ndrwxr-xr-x 2 root root 4096 Jan  1 00:00 b\n-rw-r--r-- 1 root root    0 Jan  1 00:00 f1\n');
  });

  test('the directory being listed stays open: /proc/self/fd shows descriptor 3', () => {
    expect(run(['/usr/bin/ls', '-l', '/proc/self/fd/']).stdout).toBe(
      'total 0\n' +
        'lr-x------ 1 root root 17 Jan  1 00:00 0 -> pipe:[4026532000]\n' +
        'l-wx------ 1 root root 17 Jan  1 00:00 1 -> pipe:[4026532001]\n' +
        'l-wx------ 1 root root 17 Jan  1 00:00 2 -> pipe:[4026532002]\n' +
        'lr-x------ 1 root root 10 Jan  1 00:00 3 -> /proc/2/fd\n',
    );
  });

  test('-C lays names out in columns with tabs (line length 80)', () => {
    expect(run(['/usr/bin/ls', '-C', '/etc']).stdout).toBe(
      'debian_version\thostname  issue  mtab\t     passwd   shadow\n' + 'group\t\thosts\t  motd\t os-release  profile  shells\n',
    );
  });

  test('errors: a missing operand is status 2, an unreadable directory is reported', () => {
    const r = run(['/usr/bin/ls', '/nonexist', '/etc/hostname']);
    expect(r.stdout).toBe('/etc/hostname\n');
    expect(r.stderr).toBe("/usr/bin/ls: cannot access '/nonexist': No such file or directory\n");
    expect(r.status).toBe(2);
    const d = run(['/usr/bin/ls', '/root'], { uid: 1000, gid: 1000 });
    expect(d.stderr).toBe("/usr/bin/ls: cannot open directory '/root': Permission denied\n");
    expect(d.status).toBe(2);
    const o = run(['/usr/bin/ls', '-y']);
    expect(o.stderr).toBe("/usr/bin/ls: invalid option -- 'y'\nTry '/usr/bin/ls --help' for more information.\n");
    expect(o.status).toBe(2);
  });
});
