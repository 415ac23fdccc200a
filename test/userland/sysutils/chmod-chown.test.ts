/** chmod and chown against GNU coreutils 9.1's results and messages (LC_ALL=C, umask 022). */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bootHost } from './sysutils-host.js';

describe('chmod', () => {
  test('octal and symbolic modes; -v and -c report as GNU does', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/q']);
    expect(h.run(['/usr/bin/chmod', '-v', 'u+x,g-r', '/tmp/q']).stdout).toBe("mode of '/tmp/q' changed from 0644 (rw-r--r--) to 0704 (rwx---r--)\n");
    expect(h.run(['/usr/bin/chmod', '-c', '755', '/tmp/q']).stdout).toBe("mode of '/tmp/q' changed from 0704 (rwx---r--) to 0755 (rwxr-xr-x)\n");
    expect(h.run(['/usr/bin/chmod', '-c', '755', '/tmp/q']).stdout).toBe('');
    expect(h.run(['/usr/bin/chmod', '-v', '755', '/tmp/q']).stdout).toBe("mode of '/tmp/q' retained as 0755 (rwxr-xr-x)\n");
    // u+s sets only set-user-ID; +t without "who" passes the umask (GNU chmod: 5644 too).
    h.run(['/usr/bin/chmod', 'a=r,u+ws,+t', '/tmp/q']);
    expect(h.run(['/usr/bin/stat', '-c', '%a %A', '/tmp/q']).stdout).toBe('5644 -rwSr--r-T\n');
  });

  test('random symbolic specs give what stat reports and what ls shows', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/f']);
    const spec = fc
      .array(fc.tuple(fc.constantFrom('u', 'g', 'o', 'a', 'ug', ''), fc.constantFrom('+', '-', '='), fc.constantFrom('r', 'w', 'x', 'rw', 'rx', 'wx', 'rwx', '')), { minLength: 1, maxLength: 3 })
      .map((cs) => cs.map(([w, op, p]) => w + op + p).join(','));
    fc.assert(
      fc.property(spec, (s) => {
        expect(h.run(['/usr/bin/chmod', '644', '/tmp/f']).status).toBe(0);
        const r = h.run(['/usr/bin/chmod', s, '/tmp/f']);
        expect(r.status).toBe(0);
        const [octal, sym] = h.run(['/usr/bin/stat', '-c', '%a %A', '/tmp/f']).stdout.trim().split(' ');
        expect(h.run(['/usr/bin/ls', '-l', '/tmp/f']).stdout.slice(0, 10)).toBe(sym);
        // Recompute from the symbolic column: r/w/x bits in order.
        const fromSym = [...sym.slice(1)].reduce((acc, c, i) => acc | (c === '-' ? 0 : 1 << (8 - i)), 0);
        expect(fromSym.toString(8)).toBe(octal);
      }),
      { numRuns: 30 },
    );
  });

  test('-R changes a tree, directory before contents; symlinks inside are skipped', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '-p', '/tmp/t/s']);
    h.run(['/usr/bin/touch', '/tmp/t/f', '/tmp/t/s/g']);
    h.run(['/usr/bin/ln', '-s', '/etc/passwd', '/tmp/t/link']);
    const r = h.run(['/usr/bin/chmod', '-Rv', 'go-rwx', '/tmp/t']);
    expect(r.stdout).toBe(
      "mode of '/tmp/t' changed from 0755 (rwxr-xr-x) to 0700 (rwx------)\n" +
        "mode of '/tmp/t/s' changed from 0755 (rwxr-xr-x) to 0700 (rwx------)\n" +
        "mode of '/tmp/t/s/g' changed from 0644 (rw-r--r--) to 0600 (rw-------)\n" +
        "mode of '/tmp/t/f' changed from 0644 (rw-r--r--) to 0600 (rw-------)\n" +
        "neither symbolic link '/tmp/t/link' nor referent has been changed\n",
    );
    expect(h.run(['/usr/bin/stat', '-c', '%a', '/etc/passwd']).stdout).toBe('644\n');
  });

  test('a mode given like an option that the umask limits is diagnosed', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/ff']);
    h.run(['/usr/bin/chmod', '666', '/tmp/ff']);
    const r = h.run(['chmod', '-w', '/tmp/ff'], { path: '/usr/bin/chmod' });
    expect(r.stderr).toBe('chmod: /tmp/ff: new permissions are r--rw-rw-, not r--r--r--\n');
    expect(r.status).toBe(1);
  });

  test('errors: invalid mode, missing operands, missing files, not the owner', () => {
    const h = bootHost();
    const bad = h.run(['chmod', '999', '/tmp'], { path: '/usr/bin/chmod' });
    expect(bad.stderr).toBe("chmod: invalid mode: '999'\nTry 'chmod --help' for more information.\n");
    expect(bad.status).toBe(1);
    expect(h.run(['chmod', 'u+'], { path: '/usr/bin/chmod' }).stderr).toBe("chmod: missing operand after 'u+'\nTry 'chmod --help' for more information.\n");
    expect(h.run(['chmod'], { path: '/usr/bin/chmod' }).stderr).toBe("chmod: missing operand\nTry 'chmod --help' for more information.\n");
    expect(h.run(['chmod', '+w', '/tmp/nope'], { path: '/usr/bin/chmod' }).stderr).toBe("chmod: cannot access '/tmp/nope': No such file or directory\n");
    const eperm = h.run(['chmod', '600', '/etc/hosts'], { path: '/usr/bin/chmod', uid: 1000, gid: 1000 });
    expect(eperm.stderr).toBe("chmod: changing permissions of '/etc/hosts': Operation not permitted\n");
    expect(eperm.status).toBe(1);
  });
});

describe('chown', () => {
  test('user, user:group, :group, user: (login group), numbers; -v and -c', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/q']);
    const ug = (): string => h.run(['/usr/bin/stat', '-c', '%U:%G', '/tmp/q']).stdout.trim();
    h.run(['/usr/bin/chown', 'student:users', '/tmp/q']);
    expect(ug()).toBe('student:users');
    expect(h.run(['/usr/bin/chown', '-v', 'nobody', '/tmp/q']).stdout).toBe("changed ownership of '/tmp/q' from student to nobody\n");
    expect(h.run(['/usr/bin/chown', '-v', ':root', '/tmp/q']).stdout).toBe("changed group of '/tmp/q' from users to root\n");
    h.run(['/usr/bin/chown', 'student:', '/tmp/q']);
    expect(ug()).toBe('student:student');
    h.run(['/usr/bin/chown', '1234:5678', '/tmp/q']);
    expect(h.run(['/usr/bin/stat', '-c', '%u:%g %U:%G', '/tmp/q']).stdout).toBe('1234:5678 UNKNOWN:UNKNOWN\n');
    expect(h.run(['/usr/bin/chown', '-v', 'root', '/tmp/q']).stdout).toBe("changed ownership of '/tmp/q' from 1234 to root\n");
    expect(h.run(['/usr/bin/chown', '-v', 'root', '/tmp/q']).stdout).toBe("ownership of '/tmp/q' retained as root\n");
    expect(h.run(['/usr/bin/chown', '-c', 'root', '/tmp/q']).stdout).toBe('');
  });

  test("the old '.' separator works with a warning", () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/q']);
    const r = h.run(['chown', 'student.audio', '/tmp/q'], { path: '/usr/bin/chown' });
    expect(r.stderr).toBe("chown: warning: '.' should be ':': 'student.audio'\n");
    expect(h.run(['/usr/bin/stat', '-c', '%U:%G', '/tmp/q']).stdout).toBe('student:audio\n');
  });

  test('-R, -h, and errors', () => {
    const h = bootHost();
    h.run(['/usr/bin/mkdir', '-p', '/tmp/t/s']);
    h.run(['/usr/bin/touch', '/tmp/t/s/f']);
    h.run(['/usr/bin/ln', '-s', '/etc/hosts', '/tmp/t/l']);
    h.run(['/usr/bin/chown', '-R', 'student', '/tmp/t']);
    expect(h.run(['/usr/bin/stat', '-c', '%U %n', '/tmp/t', '/tmp/t/s', '/tmp/t/s/f', '/tmp/t/l', '/etc/hosts']).stdout).toBe(
      'student /tmp/t\nstudent /tmp/t/s\nstudent /tmp/t/s/f\nstudent /tmp/t/l\nroot /etc/hosts\n',
    );
    h.run(['/usr/bin/chown', '-h', 'nobody', '/tmp/t/l']);
    expect(h.run(['/usr/bin/stat', '-c', '%U', '/tmp/t/l', '/etc/hosts']).stdout).toBe('nobody\nroot\n');
    expect(h.run(['chown', 'nosuch', '/tmp/t'], { path: '/usr/bin/chown' }).stderr).toBe("chown: invalid user: 'nosuch'\n");
    expect(h.run(['chown', 'root:nosuch', '/tmp/t'], { path: '/usr/bin/chown' }).stderr).toBe("chown: invalid group: 'root:nosuch'\n");
    const eperm = h.run(['chown', 'student', '/etc/hosts'], { path: '/usr/bin/chown', uid: 1000, gid: 1000 });
    expect(eperm.stderr).toBe("chown: changing ownership of '/etc/hosts': Operation not permitted\n");
    expect(eperm.status).toBe(1);
  });
});
