/**
 * dash's builtins, with their options, output formats and messages as dash 0.5.12
 * prints them.
 */
import { describe, expect, test } from 'vitest';
import { expectSh, sh } from './helpers.js';

describe('cd and pwd', () => {
  test('logical paths, -P, OLDPWD and cd -', () => {
    expectSh('cd /tmp/../usr/./bin; pwd; pwd -P; cd -P /bin; pwd', { out: '/usr/bin\n/usr/bin\n/usr/bin\n' });
    expectSh('cd /; pwd; cd /usr; pwd; cd -; echo $OLDPWD $PWD', { out: '/\n/usr\n/\n/usr /\n' });
    expectSh('cd; pwd; unset OLDPWD; cd -', { out: '/root\n/root\n' });
    expectSh('HOME=; cd; pwd', { out: '/root\n' });
    expectSh('CDPATH=/usr; cd bin; pwd', { out: '/usr/bin\n/usr/bin\n' });
  });

  test('a symbolic link is kept in the logical path', () => {
    expectSh('cd /bin; pwd; pwd -P; cd ..; pwd', { out: '/bin\n/usr/bin\n/\n' });
  });

  test('errors', () => {
    expectSh('cd /nonexistent; echo $?', { out: '2\n', err: "sh: 1: cd: can't cd to /nonexistent\n" });
    expectSh('cd /etc/passwd', { err: "sh: 1: cd: can't cd to /etc/passwd\n", status: 2 });
  });
});

describe('set, shift, unset, export, readonly', () => {
  test('set with no arguments lists variables quoted, sorted', () => {
    const r = sh("x='it''s'; y=plain; set");
    expect(r.stdout).toContain("x='its'\n");
    expect(r.stdout).toContain("y='plain'\n");
    expect(r.stdout).toContain("IFS=' \t\n'\n");
    expect(r.stdout).toContain("PS1='# '\n");
    const names = r.stdout.split('\n').filter((l) => /^[A-Za-z_]/.test(l)).map((l) => l.split('=')[0]);
    expect(names).toEqual([...names].sort());
  });

  test('set -o / +o listings and option errors', () => {
    const r = sh('set -o');
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['Current option settings', 'errexit         off', 'noglob          off']);
    expectSh('set -o noglob; echo $-; set +o noglob; echo "[$-]"', { out: 'f\n[]\n' });
    expect(sh('set -e; set +o').stdout.split('\n').slice(0, 2)).toEqual(['set -o errexit', 'set +o noglob']);
    expectSh('set -Z', { err: 'sh: 1: set: Illegal option -Z\n', status: 2 });
    expectSh('set -o nosuch', { err: 'sh: 1: set: Illegal option -o nosuch\n', status: 2 });
    expectSh('set -- a b c; set --; echo $#; set -- x; set -; echo $1', { out: '0\nx\n' });
  });

  test('shift', () => {
    expectSh('set -- 1 2 3; shift 5; echo after', { err: "sh: 1: shift: can't shift that many\n", status: 2 });
    expectSh('command shift 5; echo survived $?', { out: 'survived 2\n', err: "sh: 1: shift: can't shift that many\n" });
  });

  test('unset, readonly, export', () => {
    expectSh('readonly r=1; r=2; echo after', { err: 'sh: 1: r: is read only\n', status: 2 });
    expectSh('readonly x=1; unset x', { err: 'sh: 1: unset: x: is read only\n', status: 2 });
    expectSh('readonly r=1; readonly -p', { out: "readonly r='1'\n" });
    expectSh('unset 1a', { err: 'sh: 1: unset: 1a: bad variable name\n', status: 2 });
    expectSh('export 1a=2', { err: 'sh: 1: export: 1a: bad variable name\n', status: 2 });
    expectSh("export x; export -p | cat; x=5; sh -c 'echo $x'", { out: "export HOME='/root'\nexport LOGNAME='root'\nexport PATH='/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'\nexport PWD='/root'\nexport SHELL='/bin/sh'\nexport USER='root'\nexport x\n5\n" });
    expectSh('f() { echo func; }; unset -f f; f', { err: 'sh: 1: f: not found\n', status: 127 });
  });
});

describe('eval, ., exec, command, type, hash', () => {
  test('eval', () => {
    expectSh("eval 'echo evaled; x=5'; echo $x; eval; echo $?", { out: 'evaled\n5\n0\n' });
    expectSh('echo\neval "\nnosuch"', { out: '\n', err: 'sh: 2: eval: nosuch: not found\n', status: 127 });
    expectSh("eval 'fi'", { err: 'sh: 1: eval: Syntax error: "fi" unexpected\n', status: 2 });
  });

  test('. (dot)', () => {
    expectSh("echo 'echo sourced; x=7' > src.sh; . ./src.sh; echo $x", { out: 'sourced\n7\n' });
    expectSh("echo 'return 4; echo no' > r.sh; . ./r.sh; echo $?", { out: '4\n' });
    expectSh("printf 'echo a\\nnosuch\\n' > f.sh; . ./f.sh", { out: 'a\n', err: 'sh: 2: ./f.sh: nosuch: not found\n', status: 127 });
    expectSh('. nosuchfile', { err: 'sh: 1: .: nosuchfile: not found\n', status: 2 });
    expectSh('. /nonexistent', { err: 'sh: 1: .: cannot open /nonexistent: No such file\n', status: 2 });
  });

  test('exec', () => {
    expectSh("echo start; exec sh -c 'echo replaced'; echo never", { out: 'start\nreplaced\n' });
    expectSh('exec nosuch; echo no', { err: 'sh: 1: exec: nosuch: not found\n', status: 127 });
    expectSh('exec 2>/dev/null; nosuch; echo $?', { out: '127\n' });
  });

  test('command and type', () => {
    expectSh('command -v echo; command -V cd; command -v nosuch; echo $?', { out: 'echo\ncd is a shell builtin\n127\n' });
    expectSh('type type : [ if cat nosuchthing', { out: 'type is a shell builtin\n: is a special shell builtin\n[ is a shell builtin\nif is a shell keyword\ncat is /usr/bin/cat\nnosuchthing: not found\n', status: 127 });
    expectSh('cat /dev/null; type cat; f() { :; }; type f', { out: 'cat is a tracked alias for /usr/bin/cat\nf is a shell function\n' });
    expectSh('command echo via-command; command -p echo p; x=1 command true; echo "[$x]"', { out: 'via-command\np\n[]\n' });
    expectSh("alias ll='ls -l'; type ll; command -v ll", { out: "ll is an alias for ls -l\nalias ll='ls -l'\n" });
  });

  test('hash', () => {
    expectSh('hash; true; cat /dev/null; sleep 0; hash; hash -r; hash', { out: '/usr/bin/cat\n/usr/bin/sleep\n' });
  });
});

describe('alias', () => {
  test('an alias applies from the next line on', () => {
    expectSh("alias ll='echo aliased'\nll x", { out: 'aliased x\n' });
    expectSh("alias ll='echo aliased'; ll", { err: 'sh: 1: ll: not found\n', status: 127 });
    expectSh("alias a1='echo one'; alias; unalias a1; alias; unalias a1", { out: "a1='echo one'\n", err: 'unalias: a1 not found\n', status: 1 });
    expectSh('alias x=y z', { err: 'alias: z not found\n', status: 1 });
  });
});

describe('read and getopts', () => {
  test('read: IFS splitting, last variable gets the rest, backslashes', () => {
    expectSh("printf 'a b c\\n' | { read x y; echo \"[$x][$y]\"; }", { out: '[a][b c]\n' });
    expectSh("printf '  lead and trail  \\n' | { read x; echo \"[$x]\"; }", { out: '[lead and trail]\n' });
    expectSh("printf 'a:b::c:\\n' | { IFS=: read x y z; echo \"[$x][$y][$z]\"; }", { out: '[a][b][:c:]\n' });
    expectSh("printf 'a\\\\\\nb c\\n' | { read x; echo \"[$x]\"; }", { out: '[ab c]\n' });
    expectSh("printf 'back\\\\slash\\n' | { read -r x; echo \"[$x]\"; }", { out: '[back\\slash]\n' });
    expectSh("printf 'abc' | { read x; echo \"$? [$x]\"; }", { out: '1 [abc]\n' });
    expectSh('read', { err: 'sh: 1: read: arg count\n', status: 2 });
  });

  test('read takes only its line from a pipe', () => {
    expectSh("printf 'l1\\nl2\\n' | { read a; cat; }", { out: 'l2\n' });
    expectSh("printf 'l1\\nl2\\nl3\\n' > inp; { read a; read b; cat; } < inp; echo $a $b", { out: 'l3\nl1 l2\n' });
  });

  test('getopts', () => {
    expectSh('set -- -a -b foo -c -x -b; while getopts ab:c o; do echo "$o [$OPTARG] $OPTIND"; done; echo $?', {
      out: 'a [] 2\nb [foo] 4\nc [] 5\n? [] 6\n? [] 7\n0\n',
      err: 'Illegal option -x\nNo arg for -b option\n',
    });
    expectSh('set -- -x -b; while getopts :ab: o; do echo "$o [$OPTARG]"; done', { out: '? [x]\n: [b]\n' });
    expectSh('set -- -ab -- -c; while getopts ab o; do echo "$o"; done; echo $OPTIND', { out: 'a\nb\n3\n' });
    expectSh('getopts a', { err: 'sh: 1: getopts: Usage: getopts optstring var [arg...]\n', status: 2 });
  });
});

describe('printf, test, echo, true, false, :', () => {
  test('printf', () => {
    expectSh("printf '%s-%d\\n' a 1 b 2; printf '%5.2f|%-4s|%x|%o|%#X\\n' 3.14159 ab 255 8 255", { out: 'a-1\nb-2\n 3.14|ab  |ff|10|0XFF\n' });
    expectSh("printf '%d\\n' abc; echo $?", { out: '0\n1\n', err: 'sh: 1: printf: abc: expected numeric value\n' });
    expectSh("printf '%.0f %.0f %.0f %e %g\\n' 0.5 1.5 2.5 1234.5 0.0001", { out: '0 2 2 1.234500e+03 0.0001\n' });
    expectSh("printf 'abc%q'; echo \" [$?]\"", { out: 'abc [2]\n', err: 'sh: 1: printf: %q: invalid directive\n' });
    expectSh("printf '%b|' 'a\\tb' '\\0101' 'x\\cy'; echo", { out: 'a\tb|A|x\n' });
    expectSh('printf', { err: 'sh: 1: printf: usage: printf format [arg ...]\n', status: 2 });
  });

  test('test and [', () => {
    expectSh('test 1 -eq 1 && echo eq; [ a = b ] || echo ne; [ -n "" ] || echo empty; [ abc \\< abd ] && echo lt', { out: 'eq\nne\nempty\nlt\n' });
    expectSh('[ -d / ] && [ -f /etc/passwd ] && [ ! -e /nonexistent ] && [ -x /bin/sh ] && [ -L /bin ] && echo files', { out: 'files\n' });
    expectSh('[ \\( 1 -eq 1 \\) -o \\( 1 -eq 2 \\) ] && echo paren; test; echo $?; [ -n ] && echo n-alone', { out: 'paren\n1\nn-alone\n' });
    expectSh('[ a', { err: 'sh: 1: [: missing ]\n', status: 2 });
    expectSh('[ a -eq 1 ]', { err: 'sh: 1: [: Illegal number: a\n', status: 2 });
    expectSh('test a b', { err: 'sh: 1: test: a: unexpected operator\n', status: 2 });
    expectSh('test 1 -eq', { err: 'sh: 1: test: -eq: argument expected\n', status: 2 });
  });
});

describe('umask, ulimit, times, trap listing, kill -l', () => {
  test('umask', () => {
    expectSh('umask; umask -S; umask 027; umask; umask u=rwx,g=rx,o=; umask; umask a-w; umask', { out: '0022\nu=rwx,g=rx,o=rx\n0027\n0027\n0227\n' });
    expectSh('umask 999', { err: 'sh: 1: umask: Illegal number: 999\n', status: 2 });
    const r = sh('umask 077; : > f; cat /proc/self/status > /dev/null; umask 022; umask');
    expect(r.stdout).toBe('0022\n');
  });

  test('ulimit reads and sets limits with prlimit', () => {
    expectSh('ulimit -n 100; ulimit -n; ulimit -Hn; ulimit -c', { out: '100\n100\n0\n' });
    expectSh('ulimit -u', { err: 'sh: 1: ulimit: Illegal option -u\n', status: 2 });
    const r = sh('ulimit -a');
    expect(r.stdout.split('\n')[0]).toBe('time(seconds)        unlimited');
    expect(r.stdout).toContain('nofiles              ');
    expect(r.stdout).toContain('stack(kbytes)        8192\n');
  });

  test('times prints two lines of minutes and seconds', () => {
    const r = sh('i=0; while [ $i -lt 100 ]; do i=$((i+1)); done; times');
    expect(r.stdout).toMatch(/^\d+m\d+\.\d{6}s \d+m\d+\.\d{6}s\n\d+m\d+\.\d{6}s \d+m\d+\.\d{6}s\n$/);
  });

  test('kill -l', () => {
    expectSh('kill -l 15; kill -l 130; kill -l 99', { out: 'TERM\nINT\n', err: 'sh: 1: kill: invalid signal number or exit status: 99\n', status: 2 });
    const names = sh('kill -l').stdout.split('\n');
    expect(names.slice(0, 4)).toEqual(['0', 'HUP', 'INT', 'QUIT']);
    expect(names.slice(15, 18)).toEqual(['TERM', '16', 'CHLD']);
    expect(names[64]).toBe('RTMAX');
  });
});
