/**
 * Compound commands and functions (POSIX XCU 2.9.4, 2.9.5): if, while, until,
 * for, case, ( ) and { }, break/continue N, functions with local and return, set -e.
 */
import { describe, test } from 'vitest';
import { expectSh } from './helpers.js';

describe('compound commands', () => {
  test('if / elif / else', () => {
    expectSh('if false; then echo a; elif true; then echo b; else echo c; fi', { out: 'b\n' });
    expectSh('if false; then echo a; fi; echo $?', { out: '0\n' });
  });

  test('while, until, for', () => {
    expectSh('i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done', { out: '0\n1\n2\n' });
    expectSh('i=0; until [ $i -ge 2 ]; do echo u$i; i=$((i+1)); done', { out: 'u0\nu1\n' });
    expectSh('for i in a b c; do echo $i; done; echo end $i', { out: 'a\nb\nc\nend c\n' });
    expectSh('f() { for a; do echo "[$a]"; done; }; f 1 "2 3"', { out: '[1]\n[2 3]\n' });
    expectSh('for x in; do echo never; done; echo done; while false; do :; done; echo $?', { out: 'done\n0\n' });
  });

  test('break and continue, with levels', () => {
    expectSh('for i in 1 2 3 4 5; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done', { out: '1\n3\n' });
    expectSh('for i in 1 2; do for j in a b c; do if [ $j = b ]; then continue 2; fi; echo $i$j; done; done', { out: '1a\n2a\n' });
    expectSh('for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done; echo after', { out: '1a\nafter\n' });
    expectSh('break; continue; echo ok', { out: 'ok\n' });
    expectSh('break 0', { err: 'sh: 1: break: Illegal number: 0\n', status: 2 });
  });

  test('case with patterns, alternatives and quoting', () => {
    expectSh('case hello in h*o) echo match;; *) echo no;; esac', { out: 'match\n' });
    expectSh('case x in a|b) echo ab;; [xyz]) echo xyz;; esac', { out: 'xyz\n' });
    expectSh(`case "a b" in "a b") echo q;; esac; case '*' in \\*) echo star;; esac`, { out: 'q\nstar\n' });
    expectSh(`x='a*b'; case aXb in $x) echo glob;; esac; case aXb in "$x") echo no;; *) echo literal;; esac`, { out: 'glob\nliteral\n' });
    expectSh('case b in [^a]) echo caret;; [!a]) echo bang;; esac', { out: 'bang\n' });
    expectSh('case x in esac; echo $?', { out: '0\n' });
  });

  test('subshells and groups', () => {
    expectSh('x=1; (x=2; echo $x); echo $x', { out: '2\n1\n' });
    expectSh('(echo sub; exit 3); echo $?', { out: 'sub\n3\n' });
    expectSh('{ echo grp; echo grp2; } | cat', { out: 'grp\ngrp2\n' });
    expectSh('((echo nested))', { out: 'nested\n' });
  });
});

describe('functions', () => {
  test('arguments, $#, return status', () => {
    expectSh('f() { echo "args: $# $*"; return 7; }; f 1 2; echo $?; echo $#', { out: 'args: 2 1 2\n7\n0\n' });
    expectSh('f() { return; }; false; f; echo $?', { out: '1\n' });
    expectSh('f() { return 300; }; f; echo $?', { out: '300\n' });
    expectSh('f() echo hi; f', { out: 'hi\n' });
  });

  test('local variables are dynamically scoped and restored', () => {
    expectSh('f() { local x=1; g; echo "f:$x"; }; g() { echo "g sees $x"; x=2; }; x=0; f; echo "top:$x"', { out: 'g sees 1\nf:2\ntop:0\n' });
    expectSh('f() { local x; echo "[${x-unset}]"; x=3; }; x=9; f; echo $x', { out: '[9]\n9\n' });
    expectSh('local x', { err: 'sh: 1: local: not in a function\n', status: 2 });
    expectSh('f() { local -; set -x; echo in; }; f; echo out', { out: 'in\nout\n', err: '+ echo in\n' });
  });

  test('recursion and command substitution', () => {
    expectSh('fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 10', { out: '3628800\n' });
  });

  test('a function may not be named after a special builtin', () => {
    expectSh('set() { :; }', { err: 'sh: 1: Syntax error: Bad function name\n', status: 2 });
    expectSh('echo() { printf "f:%s\\n" "$*"; }; echo hi', { out: 'f:hi\n' });
  });

  test('return at the top level ends the script', () => {
    expectSh('return 5; echo no', { status: 5 });
  });
});

describe('set -e', () => {
  test('exits on an untested failure only', () => {
    expectSh('set -e; false; echo notreached', { status: 1 });
    expectSh('set -e; false || true; if false; then :; fi; ! true; false && true; echo reached', { out: 'reached\n' });
    expectSh('set -e; (false); echo notreached', { status: 1 });
    expectSh('set -e; f() { false; echo inf; }; f || echo handled', { out: 'inf\n' });
    expectSh('set -e; x=$(false; echo printed); echo "[$x]"', { status: 1 });
  });
});

describe('recursion', () => {
  test('dash allows 1000 nested function calls and refuses the 1001st', () => {
    const f = 'f() { if [ $1 -gt 0 ]; then f $(($1-1)); else echo bottom; fi; }; ';
    expectSh(`${f}f 999; echo done`, { out: 'bottom\ndone\n' });
    expectSh(`${f}f 1000; echo done`, { err: 'sh: 1: Maximum function recursion depth (1000) reached\n', status: 2 });
    expectSh('f() { g; }; g() { f; }; f', { err: 'sh: 1: Maximum function recursion depth (1000) reached\n', status: 2 });
  });
});
