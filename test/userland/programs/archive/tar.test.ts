/**
 * The simulated GNU tar 1.34 as a user meets it in `ctsim sh`: round trips, the
 * listing, member names, overwriting, ownership and modes, and the messages and exit
 * statuses. Expected texts were captured from the real tar 1.34 on Debian 12 (as root,
 * LC_ALL=C) on the same archives; tar-golden.test.ts compares with fixtures directly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { sh } from '../../../helpers/host.js';
import { buildTar, type TarEntry } from '../../../../src/userland/programs/archive/tar-format.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url)).toString('latin1');

/** Runs each command (its stdout and stderr merged) after `setup`, as "$ cmd", output, "status=N". */
function transcript(setup: string, commands: string[], stdin = ''): string {
  const lines = commands.map((c) => `echo '$ ${c.replace(/'/g, "'\\''")}'; { ${c}; } 2>&1; echo "status=$?"`).join('\n');
  const r = sh(`${setup}\n${lines}\n`, { stdin });
  return r.stdout + r.stderr;
}

const T = 1717245296;
const file = (path: string, content: string, more: Partial<TarEntry> = {}): TarEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', mtimeSec: T, content, ...more });

describe('round trips', () => {
  test('tar -c then tar -x elsewhere gives the same tree: every type, modes, owners, times, bytes', () => {
    const paths = '. root root/bin root/bin/sh root/bin/su root/bin/su-link root/dev/null root/dev/sda root/etc/localtime root/run/fifo root/srv/binary root/srv/www root/tmp bin.dat big d d/deep';
    const r = sh(
      `mkdir /src && tar -C /src -xf - && cd /src
printf '\\000\\001\\377\\200x' > bin.dat; seq 1 30000 > big; mkdir -p d/deep; chown 33:1000 d/deep; chmod 2701 d
touch -d '2020-02-02 02:02:02' d/deep d .
tar -cf /t.tar . && mkdir /dst && tar -C /dst -xf /t.tar && echo extracted && echo ---
cd /src && stat -c '%a %u %g %s %Y %F %N' ${paths} > /tmp/src.txt
cd /dst && stat -c '%a %u %g %s %Y %F %N' ${paths} > /tmp/dst.txt
cat /tmp/src.txt; echo ---; cat /tmp/dst.txt; echo ---; ls -lR /src > /tmp/a; ls -lR /dst > /tmp/b; cat /tmp/a; echo ---; cat /tmp/b; echo ---
cat /dst/bin.dat /dst/big`,
      { stdin: fixture('gnu-1.34.tar') },
    );
    expect(r.stderr).toBe('');
    const [head, src, dst, lsSrc, lsDst, data] = r.stdout.split('---\n');
    expect(head).toBe('extracted\n');
    expect(dst).toBe(src);
    expect(src).toContain("2701 0 0 4096 1580608922 directory 'd'\n");
    expect(src).toContain("755 33 1000 4096 1580608922 directory 'd/deep'\n");
    expect(src).toContain("755 0 0 4096 1580608922 directory '.'\n");
    expect(lsDst).toBe(lsSrc.replace(/^\/src/gm, '/dst'));
    expect(data).toBe('\x00\x01\xff\x80x' + Array.from({ length: 30000 }, (_, i) => `${i + 1}\n`).join(''));
  });

  test('names over 100 bytes and symlink targets over 100 bytes survive, through ././@LongLink', () => {
    const long = `${'dir-'.repeat(30)}/${'name-'.repeat(25)}`;
    const r = sh(`mkdir -p /s/${long.slice(0, 120)} && echo deep > /s/${long} && ln -s ${long} /s/link && tar -C /s -cf /l.tar . && mkdir /d && tar -C /d -xf /l.tar && cat /d/${long} && readlink /d/link && tar -tf /l.tar`);
    expect(r.stdout).toBe(`deep\n${long}\n./\n./${long.slice(0, 120)}/\n./${long}\n./link\n`);
  });

  test('hard links stay one file; -C applies to the names after it', () => {
    const r = sh(`mkdir -p /x /y && echo one > /x/f && ln /x/f /x/g && echo two > /y/h
tar -cvf /h.tar -C /x f g -C /y h && mkdir /o && cd /o && tar -xvf /h.tar && stat -c '%h %i %n' f g h | sed 's/ [0-9]* / INO /'`);
    expect(r.stdout).toBe('f\ng\nh\nf\ng\nh\n2 INO f\n2 INO g\n1 INO h\n');
    const same = sh(`mkdir -p /x && echo one > /x/f && ln /x/f /x/g && tar -C /x -cf /h.tar f g && mkdir /o && tar -C /o -xf /h.tar && stat -c %i /o/f /o/g`).stdout.split('\n');
    expect(same[0]).toBe(same[1]);
  });
});

describe('listing', () => {
  test('-tv: the owner/size column grows with a long owner and stays wide; devices show major,minor', () => {
    const widths = buildTar([
      file('a', 'abc'),
      file('b', 'x'.repeat(12), { uid: 33, gid: 33, uname: 'www-data', gname: 'www-data' }),
      file('c', 'abc'),
      { path: 'd', type: 'chardev', mode: 0o600, uid: 0, gid: 0, uname: 'root', gname: 'root', mtimeSec: T, devMajor: 136, devMinor: 1234 },
      file('e', 'y'.repeat(789)),
      { path: 'f', type: 'file', mode: 0o644, uid: 1234567, gid: 7654321, mtimeSec: T, content: 'q' },
    ]);
    expect(sh('tar -tvf -', { stdin: widths }).stdout).toBe(
      '-rw-r--r-- root/root         3 2024-06-01 12:34 a\n' +
        '-rw-r--r-- www-data/www-data 12 2024-06-01 12:34 b\n' +
        '-rw-r--r-- root/root          3 2024-06-01 12:34 c\n' +
        'crw------- root/root   136,1234 2024-06-01 12:34 d\n' +
        '-rw-r--r-- root/root        789 2024-06-01 12:34 e\n' +
        '-rw-r--r-- 1234567/7654321    1 2024-06-01 12:34 f\n',
    );
    expect(sh('tar --numeric-owner -tvf -', { stdin: widths }).stdout).toBe(
      '-rw-r--r-- 0/0               3 2024-06-01 12:34 a\n' +
        '-rw-r--r-- 33/33            12 2024-06-01 12:34 b\n' +
        '-rw-r--r-- 0/0               3 2024-06-01 12:34 c\n' +
        'crw------- 0/0        136,1234 2024-06-01 12:34 d\n' +
        '-rw-r--r-- 0/0             789 2024-06-01 12:34 e\n' +
        '-rw-r--r-- 1234567/7654321   1 2024-06-01 12:34 f\n',
    );
  });

  test('names are escaped; -xvv and -cvv print the long form, and "Creating directory:" for parents', () => {
    expect(sh('tar -tf -', { stdin: buildTar([file('p/\xc3\xbc', 'u'), file('p/a\\b\nc', 'u')]) }).stdout).toBe('p/\\303\\274\np/a\\\\b\\nc\n');
    expect(sh('mkdir /o && tar -C /o -xvvf - a/b/f', { stdin: fixture('gnu-1.34-small.tar') }).stdout).toBe(
      '-rw-r--r-- root/root         3 2025-01-01 00:00 a/b/f\ndrwxr-xr-x                  Creating directory: a\ndrwxr-xr-x                  Creating directory: a/b\n',
    );
  });

  test('with the archive on standard output (-cvf -) or -O, the listing goes to standard error', () => {
    const r = sh('mkdir -p /d/e && echo 1 > /d/f && cd / && tar -cvf - d | tar -xOvf -');
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toBe('d/\nd/e/\nd/f\nd/\nd/e/\nd/f\n');
  });
});

describe('member names', () => {
  test("leading '/' is removed (once per prefix), '..' members are refused, -P keeps both", () => {
    const evil = buildTar([file('/abs/x', 'a'), file('/abs/y', 'b'), file('../up', 'c'), file('h/../../up2', 'd'), file('ok', 'e')]);
    expect(transcript('cat > /e.tar; mkdir -p /w/o; cd /w/o', ['tar -xvf /e.tar', 'ls -R /w', 'tar -tf /e.tar ok'], evil)).toBe(
      '$ tar -xvf /e.tar\n' +
        "tar: Removing leading `/' from member names\n/abs/x\n/abs/y\n" +
        "tar: Removing leading `../' from member names\ntar: ../up: Member name contains '..'\n" +
        "tar: Removing leading `h/../../' from member names\ntar: h/../../up2: Member name contains '..'\n" +
        'ok\ntar: Exiting with failure status due to previous errors\nstatus=2\n' +
        '$ ls -R /w\n/w:\no\n\n/w/o:\nabs\nok\n\n/w/o/abs:\nx\ny\nstatus=0\n' +
        '$ tar -tf /e.tar ok\nok\nstatus=0\n',
    );
    expect(sh('mkdir -p /w/o && cd /w/o && tar -xPf - && cat /w/up /w/up2 /abs/x', { stdin: evil }).stdout).toBe('cda');
  });

  test('symlinks to absolute or ".." targets are made last: nothing is written through them', () => {
    const escape = buildTar([
      { path: 'etc', type: 'symlink', mode: 0o777, uid: 0, gid: 0, uname: 'root', gname: 'root', mtimeSec: T, linkTarget: '/tmp' },
      file('etc/passwd', 'evil\n'),
      file('ok', 'fine\n'),
    ]);
    expect(transcript('mkdir /o; cd /o', ['tar -xf -', 'readlink etc', 'ls /tmp/passwd'], escape)).toBe(
      '$ tar -xf -\ntar: etc/passwd: Cannot open: Not a directory\ntar: Exiting with failure status due to previous errors\nstatus=2\n' +
        '$ readlink etc\n/tmp\nstatus=0\n' +
        "$ ls /tmp/passwd\nls: cannot access '/tmp/passwd': No such file or directory\nstatus=2\n",
    );
  });

  test('--strip-components, named members, -O and hard links to missing targets', () => {
    const links = buildTar([file('h/f', 'one\n'), { path: 'h/g', type: 'hardlink', mode: 0o644, uid: 0, gid: 0, mtimeSec: T, linkTarget: 'h/f' }, { path: 'h/x', type: 'hardlink', mode: 0o644, uid: 0, gid: 0, mtimeSec: T, linkTarget: 'h/missing' }]);
    expect(transcript('cat > /a.tar; mkdir /o; cd /o', ['tar --strip-components=1 -xvf /a.tar', 'ls', 'tar -xOf /a.tar h/f', 'tar -tf /a.tar h/g nothere', 'tar -tf /a.tar "h/*"'], links)).toBe(
      '$ tar --strip-components=1 -xvf /a.tar\nh/f\nh/g\nh/x\n' +
        "tar: x: Cannot hard link to 'missing': No such file or directory\ntar: Exiting with failure status due to previous errors\nstatus=2\n" +
        '$ ls\nf\ng\nstatus=0\n' +
        '$ tar -xOf /a.tar h/f\none\nstatus=0\n' +
        '$ tar -tf /a.tar h/g nothere\nh/g\ntar: nothere: Not found in archive\ntar: Exiting with failure status due to previous errors\nstatus=2\n' +
        '$ tar -tf /a.tar "h/*"\ntar: Pattern matching characters used in file names\n' +
        'tar: Use --wildcards to enable pattern matching, or --no-wildcards to suppress this warning\n' +
        'tar: h/*: Not found in archive\ntar: Exiting with failure status due to previous errors\nstatus=2\n',
    );
  });
});

describe('existing files', () => {
  const SMALL = 'cat > /a.tar; cd /tmp';
  test("a file is replaced (a hard link to it keeps the old data), an empty directory too; a full one is not", () => {
    expect(
      transcript(SMALL, [
        'mkdir -p o/a/b && echo old > o/a/b/f && ln o/a/b/f o/keep && tar -C o -xf /a.tar && cat o/a/b/f o/keep',
        'rm -rf o && mkdir -p o/a/b/f && tar -C o -xf /a.tar && cat o/a/b/f',
        'rm -rf o && mkdir -p o/a/b/f/g && tar -C o -xf /a.tar',
        'rm -rf o && mkdir -p o/real/b && ln -s real o/a && tar -C o -xf /a.tar && ls o/a',
        'rm -rf o && mkdir -p o/a/b && echo old > o/a/b/f && tar -C o -xkf /a.tar; cat o/a/b/f',
        'tar -C o --skip-old-files -xf /a.tar && cat o/a/b/f',
      ], fixture('gnu-1.34-small.tar')),
    ).toBe(
      '$ mkdir -p o/a/b && echo old > o/a/b/f && ln o/a/b/f o/keep && tar -C o -xf /a.tar && cat o/a/b/f o/keep\nhi\nold\nstatus=0\n' +
        '$ rm -rf o && mkdir -p o/a/b/f && tar -C o -xf /a.tar && cat o/a/b/f\nhi\nstatus=0\n' +
        '$ rm -rf o && mkdir -p o/a/b/f/g && tar -C o -xf /a.tar\ntar: a/b/f: Cannot open: File exists\ntar: Exiting with failure status due to previous errors\nstatus=2\n' +
        '$ rm -rf o && mkdir -p o/real/b && ln -s real o/a && tar -C o -xf /a.tar && ls o/a\nb\nstatus=0\n' +
        '$ rm -rf o && mkdir -p o/a/b && echo old > o/a/b/f && tar -C o -xkf /a.tar; cat o/a/b/f\ntar: a/b/f: Cannot open: File exists\ntar: Exiting with failure status due to previous errors\nold\nstatus=0\n' +
        '$ tar -C o --skip-old-files -xf /a.tar && cat o/a/b/f\nold\nstatus=0\n',
    );
  });

  test('-k reports every kind of member that exists', () => {
    const out = sh('mkdir /o && cat > /g.tar && tar -C /o -xf /g.tar && tar -C /o -xkf /g.tar; echo "status=$?"', { stdin: fixture('gnu-1.34.tar') });
    expect(out.stdout).toBe('status=2\n');
    expect(out.stderr).toContain("tar: root/bin/sh: Cannot create symlink to 'dash': File exists\n");
    expect(out.stderr).toContain('tar: root/bin/su: Cannot open: File exists\n');
    expect(out.stderr).toContain('tar: root/dev/null: Cannot mknod: File exists\n');
    expect(out.stderr).toContain('tar: root/run/fifo: Cannot mkfifo: File exists\n');
    expect(out.stderr).not.toContain('su-link');
  });
});

describe('owners and modes', () => {
  test('root: --no-same-owner (-o) keeps files root-owned, --no-same-permissions applies the umask', () => {
    const r = sh(`cat > /g.tar; mkdir /a /b; tar -C /a -xof /g.tar; tar -C /b --no-same-permissions -xf /g.tar
stat -c '%a %u %g %n' /a/root/srv/www/index.html /a/root/bin/su /b/root/bin/su /b/root/tmp /b/root/srv/www/index.html`, { stdin: fixture('gnu-1.34.tar') });
    expect(r.stdout).toBe('644 0 0 /a/root/srv/www/index.html\n4755 0 0 /a/root/bin/su\n755 0 0 /b/root/bin/su\n755 0 0 /b/root/tmp\n644 33 33 /b/root/srv/www/index.html\n');
  });

  test('-m leaves the extraction time; directories get their archived mtime after their contents are in', () => {
    const r = sh(`cat > /g.tar; mkdir /a /b; tar -C /a -xf /g.tar; tar -C /b -mxf /g.tar; stat -c '%Y %n' /a/root/srv /b/root/srv/binary`, { stdin: fixture('gnu-1.34.tar') });
    expect(r.stdout).toBe('1717245296 /a/root/srv\n1735689600 /b/root/srv/binary\n');
  });
});

describe('errors', () => {
  test('usage errors: exit 2 for tar, 64 for argp', () => {
    expect(transcript('', ['tar', 'tar -x -t', 'tar --bogus', 'tar -Q', 'tar xf', 'tar -cf x.tar', 'tar --strip-components=x -t'])).toBe(
      "$ tar\ntar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\nstatus=2\n" +
        "$ tar -x -t\ntar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option\nTry 'tar --help' or 'tar --usage' for more information.\nstatus=2\n" +
        "$ tar --bogus\ntar: unrecognized option '--bogus'\nTry 'tar --help' or 'tar --usage' for more information.\nstatus=64\n" +
        "$ tar -Q\ntar: invalid option -- 'Q'\nTry 'tar --help' or 'tar --usage' for more information.\nstatus=64\n" +
        "$ tar xf\ntar: Old option 'f' requires an argument.\nTry 'tar --help' or 'tar --usage' for more information.\nstatus=2\n" +
        "$ tar -cf x.tar\ntar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\nstatus=2\n" +
        "$ tar --strip-components=x -t\ntar: x: Invalid number of elements\nTry 'tar --help' or 'tar --usage' for more information.\nstatus=2\n",
    );
    expect(sh('tar --version').stdout).toMatch(/^tar \(GNU tar\) 1\.34\n/);
    expect(sh('tar --help').stdout).toContain('  -x, --extract, --get       extract files from an archive\n');
  });

  test('damaged archives: not a tar archive, lone zero block, a bad header in the middle, truncated data', () => {
    const small = fixture('gnu-1.34-small.tar');
    const zero = '\0'.repeat(512);
    const badMiddle = small.slice(0, 1024) + 'junk'.repeat(128) + small.slice(1536);
    const cases: [string, string][] = [
      ['not a tar file at all', "tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\nstatus=2\n"],
      ['x'.repeat(1000), 'tar: This does not look like a tar archive\ntar: Skipping to next header\ntar: Exiting with failure status due to previous errors\nstatus=2\n'],
      [small.slice(0, 2048), 'a/\na/b/\na/b/f\nstatus=0\n'],
      [small.slice(0, 2048) + zero, 'a/\na/b/\na/b/f\ntar: A lone zero block at 5\nstatus=0\n'],
      [zero, 'tar: A lone zero block at 1\nstatus=0\n'],
      [badMiddle, 'a/\na/b/\ntar: Skipping to next header\ntar: Exiting with failure status due to previous errors\nstatus=2\n'],
      [small.slice(0, 2000), 'a/\na/b/\na/b/f\ntar: Unexpected EOF in archive\ntar: Error is not recoverable: exiting now\nstatus=2\n'],
    ];
    for (const [archive, expected] of cases) expect(transcript('cat > /t.tar', ['tar -tf /t.tar'], archive)).toBe(`$ tar -tf /t.tar\n${expected}`);
    expect(transcript('cat > /t.tar; mkdir /o', ['tar -C /o -xvf /t.tar', 'stat -c "%a %s %n" /o/a/b/f'], small.slice(0, 2000))).toBe(
      '$ tar -C /o -xvf /t.tar\na/\na/b/\na/b/f\ntar: Unexpected EOF in archive\ntar: Unexpected EOF in archive\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ stat -c "%a %s %n" /o/a/b/f\n600 0 /o/a/b/f\nstatus=0\n',
    );
  });

  test('missing archive or directory, compression, terminals', () => {
    expect(
      transcript('cat > /a.tar; printf "\\037\\213\\010\\000" > /z.tar.gz', [
        'tar -tf /nonexist',
        'tar -C /nonexist -xf /a.tar',
        'tar -C /a.tar -xf /a.tar',
        'tar -tzf /a.tar',
        'tar -tf /z.tar.gz',
        'tar -tf - < /z.tar.gz',
        'tar -tJf - < /a.tar',
        'tar -czf /tmp/z.tgz /a.tar',
      ], fixture('gnu-1.34-small.tar')),
    ).toBe(
      '$ tar -tf /nonexist\ntar: /nonexist: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ tar -C /nonexist -xf /a.tar\ntar: /nonexist: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ tar -C /a.tar -xf /a.tar\ntar: /a.tar: Cannot open: Not a directory\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ tar -tzf /a.tar\ntar (child): gzip: Cannot exec: No such file or directory\ntar (child): Error is not recoverable: exiting now\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ tar -tf /z.tar.gz\ntar (child): gzip: Cannot exec: No such file or directory\ntar (child): Error is not recoverable: exiting now\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ tar -tf - < /z.tar.gz\ntar: Archive is compressed. Use -z option\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ tar -tJf - < /a.tar\ntar (grandchild): xz: Cannot exec: No such file or directory\ntar (grandchild): Error is not recoverable: exiting now\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now\nstatus=2\n' +
        '$ tar -czf /tmp/z.tgz /a.tar\n/bin/sh: 1: gzip: not found\ntar: Child returned status 127\ntar: Error is not recoverable: exiting now\nstatus=2\n',
    );
  });

  test('creating: missing files, the archive itself, sockets are reported and the rest is stored', () => {
    expect(transcript('mkdir /c && cd /c && echo 1 > f', ['tar -cf x.tar . nonexist; tar -tf x.tar', 'tar cvf y.tar f && tar tf y.tar'])).toBe(
      '$ tar -cf x.tar . nonexist; tar -tf x.tar\ntar: ./x.tar: file is the archive; not dumped\ntar: nonexist: Cannot stat: No such file or directory\n' +
        'tar: Exiting with failure status due to previous errors\n./\n./f\nstatus=0\n' +
        '$ tar cvf y.tar f && tar tf y.tar\nf\nf\nstatus=0\n',
    );
  });
});
