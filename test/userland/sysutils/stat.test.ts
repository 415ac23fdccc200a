/** stat(1) against GNU coreutils 9.1 (LC_ALL=C): the default layout, -c/--printf/-t formats, -L, errors. */
import { describe, expect, test } from 'vitest';
import { run } from '../../helpers/host.js';
import { bootHost } from './sysutils-host.js';

describe('stat', () => {
  test('the default layout of a regular file (names unquoted, no birth time)', () => {
    const r = run(['/usr/bin/stat', '/etc/hostname']);
    expect(r.stdout.replace(/Inode: \d+ +/, 'Inode: N ')).toBe(
      '  File: /etc/hostname\n' +
        '  Size: 6         \tBlocks: 8          IO Block: 4096   regular file\n' +
        'Device: 8,1\tInode: N Links: 1\n' +
        'Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)\n' +
        'Access: 2025-01-01 00:00:00.000000000 +0000\n' +
        'Modify: 2025-01-01 00:00:00.000000000 +0000\n' +
        'Change: 2025-01-01 00:00:00.000000000 +0000\n' +
        ' Birth: -\n',
    );
  });

  test('devices show "Device type"; symlinks their target; -L follows', () => {
    const dev = run(['/usr/bin/stat', '/dev/null']).stdout.split('\n');
    expect(dev[1]).toBe('  Size: 0         \tBlocks: 0          IO Block: 4096   character special file');
    expect(dev[2]).toMatch(/^Device: 0,\d+\tInode: \d+ +Links: 1 {5}Device type: 1,3$/);
    const link = run(['/usr/bin/stat', '/bin']).stdout.split('\n');
    expect(link[0]).toBe('  File: /bin -> usr/bin');
    expect(link[1]).toBe('  Size: 7         \tBlocks: 0          IO Block: 4096   symbolic link');
    expect(link[3]).toBe('Access: (0777/lrwxrwxrwx)  Uid: (    0/    root)   Gid: (    0/    root)');
    expect(run(['/usr/bin/stat', '-L', '-c', '%F %n', '/bin']).stdout).toBe('directory /bin\n');
  });

  test('-c directives', () => {
    const r = run(['/usr/bin/stat', '-c', '%n|%N|%s|%b|%B|%a|%A|%U|%G|%u|%g|%h|%F|%d|%D|%t|%T|%o|%x|%X|%Y|%Z|%w|%W|%m', '/bin', '/dev/null', '/etc/shadow']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe("/bin|'/bin' -> 'usr/bin'|7|0|512|777|lrwxrwxrwx|root|root|0|0|1|symbolic link|2049|801|0|0|4096|2025-01-01 00:00:00.000000000 +0000|1735689600|1735689600|1735689600|-|0|/");
    expect(lines[1]).toMatch(/^\/dev\/null\|'\/dev\/null'\|0\|0\|512\|666\|crw-rw-rw-\|root\|root\|0\|0\|1\|character special file\|\d+\|[0-9a-f]+\|1\|3\|4096\|.*\|-\|0\|\/dev$/);
    expect(lines[2]).toMatch(/^\/etc\/shadow\|'\/etc\/shadow'\|\d+\|8\|512\|640\|-rw-r-----\|root\|shadow\|0\|42\|1\|regular file\|2049\|801\|/);
  });

  test('widths, precision and flags in directives', () => {
    // As GNU stat: '#' applies to %a only, '+' is dropped for unsigned values, %x is the access time.
    const r = run(['/usr/bin/stat', '-c', '[%10n][%-10s][%05a][%#a][%#o][%#x][%.3Y][%.0Y][%.2n][%+d]', '/etc/hostname']);
    expect(r.stdout).toBe('[/etc/hostname][6         ][00644][0644][4096][2025-01-01 00:00:00.000000000 +0000][1735689600.000][1735689600][/e][2049]\n');
  });

  test('--printf: escapes and no newline; -t terse', () => {
    expect(run(['/usr/bin/stat', '--printf', '%n\\t%s\\n%%\\x41\\101', '/etc/hostname']).stdout).toBe('/etc/hostname\t6\n%AA');
    expect(run(['/usr/bin/stat', '-t', '/etc/hostname']).stdout).toMatch(/^\/etc\/hostname 6 8 81a4 0 0 801 \d+ 1 0 0 1735689600 1735689600 1735689600 0 4096\n$/);
  });

  test('%U/%G of ids without names are UNKNOWN; a changed file shows new times', () => {
    const h = bootHost();
    h.run(['/usr/bin/touch', '/tmp/f']);
    h.run(['/usr/bin/chown', '4321:8765', '/tmp/f']);
    h.run(['/usr/bin/touch', '-d', '2024-02-29 23:59:59', '/tmp/f']);
    expect(h.run(['/usr/bin/stat', '-c', '%U %G %y', '/tmp/f']).stdout).toBe('UNKNOWN UNKNOWN 2024-02-29 23:59:59.000000000 +0000\n');
  });

  test('errors: missing file (statx), missing operand, bad directive', () => {
    const r = run(['stat', '/nonexist', '/etc/hostname', '-c', '%n'], { path: '/usr/bin/stat' });
    expect(r.stdout).toBe('/etc/hostname\n');
    expect(r.stderr).toBe("stat: cannot statx '/nonexist': No such file or directory\n");
    expect(r.status).toBe(1);
    expect(run(['stat'], { path: '/usr/bin/stat' }).stderr).toBe("stat: missing operand\nTry 'stat --help' for more information.\n");
    const bad = run(['stat', '-c', '%5%', '/'], { path: '/usr/bin/stat' });
    expect(bad.stderr).toBe("stat: '%5%': invalid directive\n");
    expect(bad.status).toBe(1);
  });
});
