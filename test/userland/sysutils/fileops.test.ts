/**
 * mkdir, rmdir, rm, touch, ln, cp and mv against GNU coreutils 9.1's behaviour and
 * messages (LC_ALL=C), each run on a host whose file system persists between
 * commands.
 */
import { describe, expect, test } from 'vitest';
import { bootHost } from './sysutils-host.js';

const ok = (r: { status: number; stderr: string }): void => {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
};

describe('mkdir and rmdir', () => {
  test('mkdir creates, -p makes parents and tolerates existing ones, -v reports', () => {
    const h = bootHost();
    ok(h.run(['/usr/bin/mkdir', '/tmp/a']));
    const again = h.run(['/usr/bin/mkdir', '/tmp/a']);
    expect(again.stderr).toBe("/usr/bin/mkdir: cannot create directory '/tmp/a': File exists\n");
    expect(again.status).toBe(1);
    expect(h.run(['mkdir', '-pv', '/tmp/x/y'], { path: '/usr/bin/mkdir' }).stdout).toBe("mkdir: created directory '/tmp/x'\nmkdir: created directory '/tmp/x/y'\n");
    ok(h.run(['/usr/bin/mkdir', '-p', '/tmp/x/y', '/tmp/a']));
    expect(h.run(['/usr/bin/mkdir', '/tmp/nope/q']).stderr).toBe("/usr/bin/mkdir: cannot create directory '/tmp/nope/q': No such file or directory\n");
  });

  test('mkdir -m sets the mode exactly, past the umask; a bad mode is refused', () => {
    const h = bootHost();
    ok(h.run(['/usr/bin/mkdir', '-m', '700', '/tmp/m']));
    ok(h.run(['/usr/bin/mkdir', '-m', '777', '/tmp/open']));
    // A symbolic -m starts from 0777: 'o' keeps rwx (GNU mkdir prints 757 too).
    ok(h.run(['/usr/bin/mkdir', '-m', 'u=rwx,g=rx', '/tmp/sym']));
    ok(h.run(['/usr/bin/mkdir', '/tmp/plain']));
    expect(h.run(['/usr/bin/stat', '-c', '%a %n', '/tmp/m', '/tmp/open', '/tmp/sym', '/tmp/plain']).stdout).toBe('700 /tmp/m\n777 /tmp/open\n757 /tmp/sym\n755 /tmp/plain\n');
    const bad = h.run(['/usr/bin/mkdir', '-m', 'foo', '/tmp/q']);
    expect(bad.stderr).toBe("/usr/bin/mkdir: invalid mode 'foo'\n");
    expect(bad.status).toBe(1);
  });

  test('mkdir -p through a file: "Not a directory" on that component', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/f']);
    expect(h.run(['/usr/bin/mkdir', '-p', '/tmp/f/x']).stderr).toBe("/usr/bin/mkdir: cannot create directory '/tmp/f': Not a directory\n");
    expect(h.run(['/usr/bin/mkdir', '/tmp/f/x']).stderr).toBe("/usr/bin/mkdir: cannot create directory '/tmp/f/x': Not a directory\n");
  });

  test('rmdir removes empty directories; -p removes the named parents; errors', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '-p', '/tmp/a/b/c', '/tmp/k/l']);
    h.run(['/usr/bin/touch', '/tmp/k/file']);
    expect(h.run(['/usr/bin/rmdir', '/tmp/a']).stderr).toBe("/usr/bin/rmdir: failed to remove '/tmp/a': Directory not empty\n");
    const p = h.run(['rmdir', '-pv', '/tmp/k/l'], { path: '/usr/bin/rmdir' });
    expect(p.stdout).toBe("rmdir: removing directory, '/tmp/k/l'\nrmdir: removing directory, '/tmp/k'\n");
    expect(p.stderr).toBe("rmdir: failed to remove directory '/tmp/k': Directory not empty\n");
    expect(p.status).toBe(1);
    ok(h.run(['/usr/bin/rmdir', '--ignore-fail-on-non-empty', '/tmp/a']));
    ok(h.run(['/usr/bin/rmdir', '/tmp/a/b/c']));
    expect(h.run(['/usr/bin/rmdir', '/tmp/k/file']).stderr).toBe("/usr/bin/rmdir: failed to remove '/tmp/k/file': Not a directory\n");
    expect(h.run(['/usr/bin/ls', '/tmp/a']).stdout).toBe('b\n');
  });
});

describe('rm', () => {
  test('files, -d, -r depth first with -v, -f for missing files', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '-p', '/tmp/d/e', '/tmp/empty']);
    h.run(['/usr/bin/touch', '/tmp/d/e/f', '/tmp/g']);
    expect(h.run(['rm', '-v', '/tmp/g'], { path: '/usr/bin/rm' }).stdout).toBe("removed '/tmp/g'\n");
    expect(h.run(['rm', '/tmp/d'], { path: '/usr/bin/rm' }).stderr).toBe("rm: cannot remove '/tmp/d': Is a directory\n");
    expect(h.run(['rm', '-d', '/tmp/d'], { path: '/usr/bin/rm' }).stderr).toBe("rm: cannot remove '/tmp/d': Directory not empty\n");
    ok(h.run(['/usr/bin/rm', '-d', '/tmp/empty']));
    expect(h.run(['/usr/bin/rm', '-rv', '/tmp/d']).stdout).toBe("removed '/tmp/d/e/f'\nremoved directory '/tmp/d/e'\nremoved directory '/tmp/d'\n");
    ok(h.run(['/usr/bin/rm', '-f', '/tmp/nonexist']));
    const missing = h.run(['rm', '/tmp/nonexist'], { path: '/usr/bin/rm' });
    expect(missing.stderr).toBe("rm: cannot remove '/tmp/nonexist': No such file or directory\n");
    expect(missing.status).toBe(1);
    expect(h.run(['/usr/bin/ls', '-A', '/tmp']).stdout).toBe('');
  });

  test('refuses / with -r, and . or .. always', () => {
    const h = bootHost();
    const root = h.run(['rm', '-rf', '/'], { path: '/usr/bin/rm' });
    expect(root.stderr).toBe("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
    expect(root.status).toBe(1);
    expect(h.run(['rm', '-r', '.', '/tmp/..'], { path: '/usr/bin/rm', cwd: '/tmp' }).stderr).toBe(
      "rm: refusing to remove '.' or '..' directory: skipping '.'\nrm: refusing to remove '.' or '..' directory: skipping '/tmp/..'\n",
    );
    expect(h.run(['/usr/bin/ls', '/etc/passwd']).status).toBe(0);
  });

  test('-i asks on standard error and removes only on yes; missing operand', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/a', '/tmp/b']);
    const r = h.run(['rm', '-i', '/tmp/a', '/tmp/b'], { path: '/usr/bin/rm', stdin: 'y\nn\n' });
    expect(r.stderr).toBe("rm: remove regular empty file '/tmp/a'? rm: remove regular empty file '/tmp/b'? ");
    expect(h.run(['/usr/bin/ls', '/tmp']).stdout).toBe('b\n');
    expect(h.run(['rm'], { path: '/usr/bin/rm' }).stderr).toBe("rm: missing operand\nTry 'rm --help' for more information.\n");
    expect(h.run(['/usr/bin/rm', '-f']).status).toBe(0);
  });

  test('a user may not remove files in a directory it cannot write', () => {
    const h = bootHost();
    const r = h.run(['rm', '/etc/hosts'], { path: '/usr/bin/rm', uid: 1000, gid: 1000 });
    expect(r.stderr).toBe("rm: cannot remove '/etc/hosts': Permission denied\n");
    expect(r.status).toBe(1);
  });
});

describe('touch', () => {
  test('creates, leaves alone with -c, sets times from -d, -t, -r; -a/-m change one time', () => {
    const h = bootHost();
    ok(h.run(['/usr/bin/touch', '/tmp/f']));
    ok(h.run(['/usr/bin/touch', '-c', '/tmp/none']));
    expect(h.run(['/usr/bin/ls', '/tmp']).stdout).toBe('f\n');
    ok(h.run(['/usr/bin/touch', '-d', '2024-01-02 03:04:05', '/tmp/f']));
    expect(h.run(['/usr/bin/stat', '-c', '%y|%x', '/tmp/f']).stdout).toBe('2024-01-02 03:04:05.000000000 +0000|2024-01-02 03:04:05.000000000 +0000\n');
    ok(h.run(['/usr/bin/touch', '-t', '202301021234.56', '/tmp/f']));
    expect(h.run(['/usr/bin/stat', '-c', '%Y', '/tmp/f']).stdout).toBe(`${Date.UTC(2023, 0, 2, 12, 34, 56) / 1000}\n`);
    ok(h.run(['/usr/bin/touch', '-t', '06151200', '/tmp/f']));
    expect(h.run(['/usr/bin/stat', '-c', '%y', '/tmp/f']).stdout).toBe('2025-06-15 12:00:00.000000000 +0000\n');
    ok(h.run(['/usr/bin/touch', '-m', '-d', '@0', '/tmp/f']));
    expect(h.run(['/usr/bin/stat', '-c', '%X %Y', '/tmp/f']).stdout).toBe(`${Date.UTC(2025, 5, 15, 12) / 1000} 0\n`);
    ok(h.run(['/usr/bin/touch', '-a', '-d', '@5', '/tmp/f']));
    expect(h.run(['/usr/bin/stat', '-c', '%X %Y', '/tmp/f']).stdout).toBe('5 0\n');
    ok(h.run(['/usr/bin/touch', '-r', '/tmp/f', '/tmp/g']));
    expect(h.run(['/usr/bin/stat', '-c', '%X %Y', '/tmp/g']).stdout).toBe('5 0\n');
  });

  test('bad dates and unreachable files', () => {
    const h = bootHost();
    expect(h.run(['touch', '-d', 'foo', '/tmp/f'], { path: '/usr/bin/touch' }).stderr).toBe("touch: invalid date format 'foo'\n");
    expect(h.run(['touch', '-t', '99', '/tmp/f'], { path: '/usr/bin/touch' }).stderr).toBe("touch: invalid date format '99'\n");
    expect(h.run(['touch', '/tmp/nope/x'], { path: '/usr/bin/touch' }).stderr).toBe("touch: cannot touch '/tmp/nope/x': No such file or directory\n");
    expect(h.run(['touch'], { path: '/usr/bin/touch' }).stderr).toBe("touch: missing file operand\nTry 'touch --help' for more information.\n");
  });
});

describe('ln', () => {
  test('hard and symbolic links, -v arrows, into a directory, -f and -n', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/a']);
    h.run(['/usr/bin/mkdir', '/tmp/d']);
    ok(h.run(['/usr/bin/ln', '/tmp/a', '/tmp/b']));
    expect(h.run(['/usr/bin/ln', '-sv', 'a', '/tmp/s']).stdout).toBe("'/tmp/s' -> 'a'\n");
    expect(h.run(['/usr/bin/ln', '-v', '/tmp/a', '/tmp/h']).stdout).toBe("'/tmp/h' => '/tmp/a'\n");
    ok(h.run(['/usr/bin/ln', '/tmp/a', '/tmp/d']));
    h.run(['/usr/bin/mkdir', '/tmp/d2']);
    ok(h.run(['/usr/bin/ln', '-s', '/tmp/a', '/tmp/b', '/tmp/d/../d2']));
    expect(h.run(['/usr/bin/ls', '-l', '/tmp/d2']).stdout).toBe('total 0\nlrwxrwxrwx 1 root root 6 Jan  1 00:00 a -> /tmp/a\nlrwxrwxrwx 1 root root 6 Jan  1 00:00 b -> /tmp/b\n');
    expect(h.run(['/usr/bin/stat', '-c', '%h', '/tmp/a']).stdout).toBe('4\n');
    expect(h.run(['/usr/bin/readlink', '/tmp/s']).stdout).toBe('a\n');
    expect(h.run(['ln', '/tmp/a', '/tmp/b'], { path: '/usr/bin/ln' }).stderr).toBe("ln: failed to create hard link '/tmp/b': File exists\n");
    expect(h.run(['ln', '-s', 'x', '/tmp/s'], { path: '/usr/bin/ln' }).stderr).toBe("ln: failed to create symbolic link '/tmp/s': File exists\n");
    ok(h.run(['/usr/bin/ln', '-sf', 'x', '/tmp/s']));
    expect(h.run(['/usr/bin/readlink', '/tmp/s']).stdout).toBe('x\n');
    ok(h.run(['/usr/bin/ln', '-s', 'd', '/tmp/ld']));
    ok(h.run(['/usr/bin/ln', '-snf', 'a', '/tmp/ld']));
    expect(h.run(['/usr/bin/readlink', '/tmp/ld']).stdout).toBe('a\n');
  });

  test('errors: missing source, directories, a file as target directory', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '/tmp/d']);
    h.run(['/usr/bin/touch', '/tmp/a', '/tmp/c']);
    expect(h.run(['ln', '/tmp/nonexist', '/tmp/z'], { path: '/usr/bin/ln' }).stderr).toBe("ln: failed to access '/tmp/nonexist': No such file or directory\n");
    expect(h.run(['ln', '/tmp/d', '/tmp/dd'], { path: '/usr/bin/ln' }).stderr).toBe('ln: /tmp/d: hard link not allowed for directory\n');
    expect(h.run(['ln', '/tmp/a', '/tmp/d', '/tmp/c'], { path: '/usr/bin/ln' }).stderr).toBe("ln: target '/tmp/c': Not a directory\n");
    expect(h.run(['ln'], { path: '/usr/bin/ln' }).stderr).toBe("ln: missing file operand\nTry 'ln --help' for more information.\n");
    expect(h.run(['ln', '/tmp/a'], { path: '/usr/bin/ln', cwd: '/tmp' }).stderr).toBe("ln: failed to create hard link './a': File exists\n");
  });
});

describe('cp and mv', () => {
  test('cp copies contents; into directories; -r for trees; -v; same-file and -r errors', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '-p', '/tmp/d/sub']);
    ok(h.run(['/usr/bin/cp', '/etc/hostname', '/tmp/d/sub/h']));
    expect(h.run(['/usr/bin/cat', '/tmp/d/sub/h']).stdout).toBe('ctsim\n');
    expect(h.run(['/usr/bin/cp', '-v', '/etc/hostname', '/tmp/c']).stdout).toBe("'/etc/hostname' -> '/tmp/c'\n");
    expect(h.run(['cp', '/tmp/d', '/tmp/e'], { path: '/usr/bin/cp' }).stderr).toBe("cp: -r not specified; omitting directory '/tmp/d'\n");
    ok(h.run(['/usr/bin/cp', '-r', '/tmp/d', '/tmp/e']));
    expect(h.run(['/usr/bin/ls', '-R', '/tmp/e']).stdout).toBe('/tmp/e:\nsub\n\n/tmp/e/sub:\nh\n');
    ok(h.run(['/usr/bin/cp', '/tmp/c', '/etc/hosts', '/tmp/d']));
    expect(h.run(['/usr/bin/ls', '/tmp/d']).stdout).toBe('c\nhosts\nsub\n');
    expect(h.run(['cp', '/tmp/c', '/tmp/c'], { path: '/usr/bin/cp' }).stderr).toBe("cp: '/tmp/c' and '/tmp/c' are the same file\n");
    expect(h.run(['cp', '/tmp/nope', '/tmp/x'], { path: '/usr/bin/cp' }).stderr).toBe("cp: cannot stat '/tmp/nope': No such file or directory\n");
    expect(h.run(['cp', '-r', '/tmp/d', '/tmp/d/sub'], { path: '/usr/bin/cp' }).stderr).toBe("cp: cannot copy a directory, '/tmp/d', into itself, '/tmp/d/sub/d'\n");
  });

  test('cp -p and -a keep modes, owners and times; plain cp applies the umask', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '-d', '2024-05-06 07:08:09', '/tmp/src']);
    h.run(['/usr/bin/chmod', '640', '/tmp/src']);
    h.run(['/usr/bin/chown', 'student:audio', '/tmp/src']);
    ok(h.run(['/usr/bin/cp', '/tmp/src', '/tmp/plain']));
    ok(h.run(['/usr/bin/cp', '-p', '/tmp/src', '/tmp/kept']));
    ok(h.run(['/usr/bin/cp', '-a', '/etc', '/tmp/etc2']));
    expect(h.run(['/usr/bin/stat', '-c', '%a %U %G %y %n', '/tmp/plain', '/tmp/kept']).stdout.split('\n').map((l) => l.replace(/2025-01-01 00:00:00\.\d+/, 'NOW'))).toEqual([
      '640 root root NOW +0000 /tmp/plain',
      '640 student audio 2024-05-06 07:08:09.000000000 +0000 /tmp/kept',
      '',
    ]);
    expect(h.run(['/usr/bin/ls', '-l', '/tmp/etc2/shadow', '/tmp/etc2/mtab']).stdout).toBe(
      'lrwxrwxrwx 1 root root    19 Jan  1 00:00 /tmp/etc2/mtab -> ../proc/self/mounts\n-rw-r----- 1 root shadow 503 Jan  1 00:00 /tmp/etc2/shadow\n',
    );
  });

  test('cp -f replaces a destination it cannot open for writing', () => {
    const h = bootHost();
    const student = { uid: 1000, gid: 1000 };
    ok(h.run(['/usr/bin/cp', '/etc/hostname', '/tmp/ro'], student));
    ok(h.run(['/usr/bin/chmod', '444', '/tmp/ro'], student));
    const plain = h.run(['cp', '/etc/hosts', '/tmp/ro'], { path: '/usr/bin/cp', ...student });
    expect(plain.stderr).toBe("cp: cannot create regular file '/tmp/ro': Permission denied\n");
    expect(plain.status).toBe(1);
    ok(h.run(['/usr/bin/cp', '-f', '/etc/hostname', '/tmp/ro'], student));
    expect(h.run(['/usr/bin/stat', '-c', '%a %U %s', '/tmp/ro']).stdout).toBe('644 student 6\n');
  });

  test('mv renames, moves into directories, -v; refuses moving a directory into itself', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '-p', '/tmp/d/e']);
    h.run(['/usr/bin/touch', '/tmp/a', '/tmp/b']);
    expect(h.run(['/usr/bin/mv', '-v', '/tmp/a', '/tmp/z']).stdout).toBe("renamed '/tmp/a' -> '/tmp/z'\n");
    ok(h.run(['/usr/bin/mv', '/tmp/z', '/tmp/b', '/tmp/d']));
    expect(h.run(['/usr/bin/ls', '/tmp', '/tmp/d']).stdout).toBe('/tmp:\nd\n\n/tmp/d:\nb\ne\nz\n');
    expect(h.run(['mv', '/tmp/d', '/tmp/d/e'], { path: '/usr/bin/mv' }).stderr).toBe("mv: cannot move '/tmp/d' to a subdirectory of itself, '/tmp/d/e/d'\n");
    expect(h.run(['mv', '/tmp/nope', '/tmp/q'], { path: '/usr/bin/mv' }).stderr).toBe("mv: cannot stat '/tmp/nope': No such file or directory\n");
    expect(h.run(['mv', '/tmp/d/b', '/tmp/d/b'], { path: '/usr/bin/mv' }).stderr).toBe("mv: '/tmp/d/b' and '/tmp/d/b' are the same file\n");
    expect(h.run(['mv', '/tmp/d'], { path: '/usr/bin/mv' }).stderr).toBe("mv: missing destination file operand after '/tmp/d'\nTry 'mv --help' for more information.\n");
  });

  test('mv across file systems copies and removes the source', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '-p', '/tmp/tree/sub']);
    h.run(['/usr/bin/cp', '/etc/hostname', '/tmp/tree/sub/h']);
    ok(h.run(['/usr/bin/mv', '/tmp/tree', '/run/tree']));
    expect(h.run(['/usr/bin/cat', '/run/tree/sub/h']).stdout).toBe('ctsim\n');
    expect(h.run(['/usr/bin/ls', '/tmp']).stdout).toBe('');
  });
});
