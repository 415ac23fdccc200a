/**
 * dash basics: simple commands, lists, pipelines, quoting, variables and special
 * parameters. Expected output is what dash 0.5.12 prints for the same script.
 */
import { describe, expect, test } from 'vitest';
import { expectSh, sh } from './helpers.js';

describe('simple commands and lists', () => {
  test('echo, words and quoting', () => {
    expectSh(`echo a b   c "d  e" 'f  g'`, { out: 'a b c d  e f  g\n' });
    expectSh(`echo "a'b" 'c"d' a\\ b`, { out: `a'b c"d a b\n` });
    // Inside double quotes \a stays \a; dash's echo then makes it a BEL.
    expectSh(`echo "\\$ \\\` \\\\ \\a"`, { out: '$ ` \\ \x07\n' });
    expectSh(`echo '\\'`, { out: '\\\n' });
    expectSh('echo a\\\nb', { out: 'ab\n' });
  });

  test("dash's echo: only -n, escapes always interpreted, \\c stops output", () => {
    expectSh('echo -n x; echo -n; echo y', { out: 'xy\n' });
    expectSh(`echo 'a\\tb' "c\\nd"`, { out: 'a\tb c\nd\n' });
    expectSh(`echo '\\0101\\c' never`, { out: 'A' });
    expectSh('echo -e x -n', { out: '-e x -n\n' });
  });

  test('; && || and ! set $? as POSIX says', () => {
    expectSh('true && echo a || echo b; false && echo c || echo d', { out: 'a\nd\n' });
    expectSh('! true; echo $?; ! false; echo $?', { out: '1\n0\n' });
    expectSh('false; echo $?; true; echo $?', { out: '1\n0\n' });
  });

  test("a pipeline's status is its last command's", () => {
    expectSh('false | true; echo $?', { out: '0\n' });
    expectSh('true | false; echo $?', { out: '1\n' });
    expectSh('echo hi | cat | cat', { out: 'hi\n' });
  });

  test('exit and its status', () => {
    expectSh('echo a; exit 3; echo b', { out: 'a\n', status: 3 });
    expectSh('exit 300', { status: 44 });
    expectSh('false; exit', { status: 1 });
    expectSh('exit foo', { err: 'sh: 1: exit: Illegal number: foo\n', status: 2 });
  });
});

describe('parameters', () => {
  test('positional parameters, $#, $@, $*, shift, ${10}', () => {
    expectSh('set -- a b c; echo $# $1 $3 "$@" "$*"; shift; echo $@; shift 2; echo $#', { out: '3 a c a b c a b c\nb c\n0\n' });
    expectSh('set -- a b c d e f g h i j k; echo $10 ${10} ${11}', { out: 'a0 j k\n' });
    expectSh('echo $0 $1 $#', { out: 'name x 2\n' }, { args: ['name', 'x', 'y'] });
  });

  test('"$@" keeps fields, "$*" joins with the first IFS character', () => {
    expectSh('set -- "a b" "" c; for a in "$@"; do echo "[$a]"; done', { out: '[a b]\n[]\n[c]\n' });
    expectSh('set -- a "" b; for x in $@; do printf "[%s]" "$x"; done', { out: '[a][b]' });
    expectSh('set -- a b; IFS=:; echo "$*"; unset IFS; echo "$*"; IFS=; echo "$*"', { out: 'a:b\na b\nab\n' });
    expectSh('set --; for x in "$@"; do echo no; done; echo "[$@]"', { out: '[]\n' });
  });

  test('$$ $! $? $- $PPID', () => {
    const r = sh('echo $$ $PPID; sleep 0 & echo $!; set -ef; echo $-');
    const [pids, bg, flags] = r.stdout.trim().split('\n');
    const [me, parent] = pids.split(' ').map(Number);
    expect(me).toBe(r.pid);
    expect(parent).toBe(1);
    expect(Number(bg)).toBeGreaterThan(me);
    expect(flags).toBe('fe');
  });

  test('variables, assignment, export to commands', () => {
    expectSh('x=1; y=$x$x; echo "$y" ${#y}', { out: '11 2\n' });
    expectSh('export A=1; B=2; sh -c \'echo "[$A][$B]"\'', { out: '[1][]\n' });
    expectSh("x=1 sh -c 'echo $x'; echo \"[$x]\"", { out: '1\n[]\n' });
    expectSh('x=1; x=2 true; echo $x', { out: '1\n' });
    expectSh('x=1 : ; echo $x', { out: '1\n' });
  });

  test("the environment reaches exec in dash's hash-table order", () => {
    // dash lists exported variables bucket by bucket ((first byte << 4) + sum of
    // the name's bytes) mod 39; this is the order Debian's dash gives cat.
    const r = sh('export Q=5 AA=7 ZZ=3 B=2; cat /proc/self/environ');
    expect(r.stdout.split('\0').filter(Boolean)).toEqual([
      'AA=7',
      'USER=root',
      'HOME=/root',
      'Q=5',
      'LOGNAME=root',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'ZZ=3',
      'SHELL=/bin/sh',
      'B=2',
      'PWD=/root',
    ]);
  });
});
