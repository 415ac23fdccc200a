/**
 * Word expansion (POSIX XCU 2.6) as dash does it: parameter expansion forms,
 * command substitution, arithmetic, tilde expansion, field splitting and
 * pathname expansion. Expectations are dash 0.5.12's output.
 */
import { describe, test } from 'vitest';
import { expectSh } from './helpers.js';

describe('parameter expansion', () => {
  test('- + = ? with and without the colon', () => {
    expectSh('echo ${x-def} ${x:-def2}; x=; echo ${x-def} ${x:-def2} ${x+alt} ${x:+alt2}', { out: 'def def2\ndef2 alt\n' });
    expectSh('echo ${x:=assigned}; echo $x', { out: 'assigned\nassigned\n' });
    expectSh('set -- a; echo "${1+set}" "${2+set}" "${2-unset}"', { out: 'set  unset\n' });
    expectSh('echo ${1:=5}', { err: 'sh: 1: 1: bad variable name\n', status: 2 });
  });

  test('? reports an unset parameter and ends the shell', () => {
    expectSh('echo before; echo ${x:?custom message}; echo after', { out: 'before\n', err: 'sh: 1: x: custom message\n', status: 2 });
    expectSh('unset x; echo ${x?}', { err: 'sh: 1: x: parameter not set\n', status: 2 });
    expectSh('x=; echo ${x:?}', { err: 'sh: 1: x: parameter not set or null\n', status: 2 });
    expectSh('x=; echo "[${x?}]"', { out: '[]\n' });
  });

  test('pattern removal # ## % %% and length', () => {
    expectSh('x=/usr/local/lib/file.tar.gz; echo ${x##*/} ${x#*/} ${x%.*} ${x%%.*} ${#x}', { out: 'file.tar.gz usr/local/lib/file.tar.gz /usr/local/lib/file.tar /usr/local/lib/file 26\n' });
    expectSh('x=aaa; echo ${x%a} ${x%%a*} ${x#*a} ${x##*a}', { out: 'aa aa\n' });
    expectSh(`x='a*c'; y=abcd; echo \${y#$x} \${y#"$x"}`, { out: 'd abcd\n' });
    expectSh(`x=abc; echo "\${x#"a"}" "\${x#'a'}" \${x#\\a}`, { out: 'bc bc bc\n' });
  });

  test('nested defaults and quoted operands', () => {
    expectSh('echo ${#x} ${x:-${y:-nested}}', { out: '0 nested\n' });
    expectSh(`echo "\${x:-"a b"}" "\${x:-'a b'}"`, { out: `a b 'a b'\n` });
    expectSh('x=${y:-"a b"}; echo "$x"', { out: 'a b\n' });
  });

  test('forms dash does not have are a "Bad substitution" when expanded', () => {
    expectSh('echo hi; echo ${x/a/b}', { out: 'hi\n', err: 'sh: 1: Bad substitution\n', status: 2 });
    expectSh('echo ${x:1:2}', { err: 'sh: 1: Bad substitution\n', status: 2 });
    expectSh('echo ${!x}', { err: 'sh: 1: Bad substitution\n', status: 2 });
  });

  test('set -u', () => {
    expectSh('set -u; echo $nope', { err: 'sh: 1: nope: parameter not set\n', status: 2 });
    expectSh('set -u; echo ${x-ok} ${x:-ok2}; echo "$@" $#', { out: 'ok ok2\n0\n' });
  });
});

describe('command substitution', () => {
  test('$(…) and backquotes, trailing newlines removed', () => {
    expectSh('echo "$(echo hello)" "$(echo a; echo b)"', { out: 'hello a\nb\n' });
    expectSh(`x=$(printf 'a\\n\\n\\n'); echo "[$x]"`, { out: '[a]\n' });
    expectSh('echo `echo a \\`echo b\\``', { out: 'a b\n' });
    expectSh('echo $(echo $(echo nested)) $(case x in x) echo y;; esac)', { out: 'nested y\n' });
  });

  test('its status is the status of an assignment-only command', () => {
    expectSh('x=$(exit 7); echo $?', { out: '7\n' });
    expectSh('echo $(exit 7) $?', { out: '0\n' });
    expectSh('$(exit 5); echo $?', { out: '5\n' });
    expectSh('x=$(exit 3) y=$(exit 4); echo $?', { out: '4\n' });
  });
});

describe('arithmetic expansion', () => {
  test('operators, precedence, assignment, octal and hex', () => {
    expectSh('echo $((1+2*3)) $((10/3)) $((10%3)) $((-5/2)) $((1<<4)) $((7&3)) $((7|8)) $((5^1))', { out: '7 3 1 -2 16 3 15 4\n' });
    expectSh('echo $((3>2)) $((3<2)) $((2==2)) $((1!=1)) $((!0)) $((~5)) $((1&&0)) $((0||3))', { out: '1 0 1 0 1 -6 0 1\n' });
    expectSh('x=10; echo $((x*2)) $(( x += 5 )) $x $(( 010 + 0x10 ))', { out: '20 15 15 24\n' });
    expectSh('echo $(( (1+2) * (3+4) )) $(( 2 > 1 ? 10 : 20 )) $((0 && 1/0))', { out: '21 10 0\n' });
  });

  test('64-bit wrap-around as intmax_t on x86-64', () => {
    expectSh('echo $((9223372036854775807 + 1)) $((1<<63)) $((1 << 64)) $((-1 >> 1))', { out: '-9223372036854775808 -9223372036854775808 1 -1\n' });
    expectSh('echo $((99999999999999999999))', { out: '9223372036854775807\n' });
  });

  test('errors are dash\'s', () => {
    expectSh('echo $((1/0))', { err: 'sh: 1: arithmetic expression: division by zero: "1/0"\n', status: 2 });
    expectSh('x=1; echo $((x++))', { err: 'sh: 1: arithmetic expression: expecting primary: "x++"\n', status: 2 });
    expectSh('echo $((08))', { err: 'sh: 1: arithmetic expression: expecting EOF: "08"\n', status: 2 });
    expectSh('x=1+2; echo $((x*3))', { err: 'sh: 1: Illegal number: 1+2\n', status: 2 });
    expectSh('readonly r=1; echo $((r=2))', { err: 'sh: 1: r: is read only\n', status: 2 });
  });

  test('INT64_MIN / -1 traps (SIGFPE) as it does in dash', () => {
    expectSh('echo $(( (1<<63) / -1 )); echo no', { status: 136 });
  });

  test('the text is expanded first, then evaluated', () => {
    expectSh('x="1 + 2"; echo $(( $x * 2 )); a=5; b=a; echo $(( $b + 1 ))', { out: '5\n6\n' });
  });
});

describe('tilde expansion', () => {
  test('at the start of words and in assignments', () => {
    expectSh('echo ~ ~/sub ~root x~ ~nouser/x', { out: '/root /root/sub /root x~ ~nouser/x\n' });
    expectSh('v=~/a:~/b; echo $v; echo a=~/x', { out: '/root/a:/root/b\na=~/x\n' });
    expectSh(`echo ~"/x" ~/"x" "~"/x`, { out: '~/x /root/x ~/x\n' });
    expectSh('export y=~/q; echo $y; echo ~student', { out: '/root/q\n/home/student\n' });
  });
});

describe('field splitting', () => {
  test('default IFS, white space and non-white space separators', () => {
    expectSh('x="a b  c"; for w in $x; do echo "[$w]"; done', { out: '[a]\n[b]\n[c]\n' });
    expectSh('IFS=:; x="a:b::c:"; for w in $x; do echo "[$w]"; done', { out: '[a]\n[b]\n[]\n[c]\n' });
    expectSh('x="a :: b"; IFS=" :"; for y in $x; do printf "[%s]" "$y"; done', { out: '[a][][b]' });
    expectSh('IFS=" x"; v="axbxxc"; for i in $v; do echo "[$i]"; done', { out: '[a]\n[b]\n[]\n[c]\n' });
  });

  test('only expansion results are split; quoted empties make fields', () => {
    expectSh('x=" a "; for y in $x""; do printf "[%s]" "$y"; done', { out: '[a][]' });
    expectSh(`v=''; set -- $v ''"$v" "$v"$v; echo $#`, { out: '2\n' });
    expectSh('set --; for x in "$@"""; do printf "[%s]" "$x"; done; echo n', { out: '[]n\n' });
    expectSh('IFS=; set -- "a b"; for i in $*; do echo "[$i]"; done', { out: '[a b]\n' });
  });
});

describe('pathname expansion', () => {
  test('*, ?, [] in the C locale, sorted bytewise, dot files only when asked', () => {
    expectSh(
      'cd g; : > a1; : > a2; : > b1; : > B2; : > .hid; echo *; echo a*; echo ?1; echo [ab]1; echo .*; echo .[!.]*',
      { out: 'B2 a1 a2 b1\na1 a2\na1 b1\na1 b1\n. .. .hid\n.hid\n' },
      { dirs: ['g'] },
    );
  });

  test('directories, no match, quoting, noglob', () => {
    expectSh('cd g2; : > sub/f; echo */f; echo */; echo */nope; echo s*/f', { out: 'sub/f\nsub/\n*/nope\nsub/f\n' }, { dirs: ['g2', 'g2/sub'] });
    expectSh(`echo /nonexistent/*; echo \\*; echo '*'; x=*; echo "$x"`, { out: '/nonexistent/*\n*\n*\n*\n' });
    expectSh("cd g3; : > 'a b'; for f in *; do echo \"[$f]\"; done", { out: '[a b]\n' }, { dirs: ['g3'] });
    expectSh("cd g4; : > x; y='*'; echo $y; set -f; echo $y /*", { out: 'x\n* /*\n' }, { dirs: ['g4'] });
  });

  test('a [ without ] is not a pattern', () => {
    expectSh('cd g5; : > "["; echo [ [a', { out: '[ [a\n' }, { dirs: ['g5'] });
  });
});
