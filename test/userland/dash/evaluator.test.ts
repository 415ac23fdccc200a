/**
 * The evaluator's finer rules, each expectation taken from /usr/bin/dash 0.5.12 on
 * Debian: where `set -e` applies (POSIX XCU 2.14 set), what a trap action does to
 * `$?` and to `exit`/`return` without an operand (XCU exit, return), the order of a
 * simple command's expansions, redirections and assignments (XCU 2.9.1), temporary
 * assignments, loops and jumps across subshells and functions, the signal
 * dispositions of the shell's children, and deep function recursion.
 */
import { describe, expect, test } from 'vitest';
import { expectSh, sh } from './helpers.js';

describe('set -e', () => {
  test('tested contexts reach into functions, subshells and pipelines, not into $( ) or &', () => {
    expectSh('set -e; (false; echo in-sub) || echo handled', { out: 'in-sub\n' });
    expectSh('set -e; f() { false; echo inf; }; ! f; echo after', { out: 'inf\nafter\n' });
    expectSh('set -e; if { false; echo in; } | cat; then :; fi', { out: 'in\n' });
    expectSh('set -e; if x=$(false; echo p); then echo "t[$x]"; fi', {});
    expectSh('set -e; f() { { false; echo in-bg; } & wait; }; f || echo h', {});
  });

  test('simple commands, pipelines and subshells end the shell; lists and compound commands do not', () => {
    expectSh('set -e; { false && true; } > /dev/null; echo yes', { out: 'yes\n' });
    expectSh('set -e; (false && true); echo no', { status: 1 });
    expectSh('set -e; f() { false && true; }; f; echo no', { status: 1 });
    expectSh('set -e; cat /dev/null | { false && true; }; echo no', { status: 1 });
    expectSh('set -e; for i in 1; do false && true; done; echo yes', { out: 'yes\n' });
    expectSh('set -e; true && false; echo no', { status: 1 });
    expectSh('set -e; x=1 $(false); echo no', { status: 1 });
  });

  test('a compound command whose redirection fails ends the shell', () => {
    const err = 'sh: 1: cannot create /nonexistent/y: Directory nonexistent\n';
    expectSh('set -e; for i in 1; do :; done > /nonexistent/y; echo no', { err, status: 2 });
    expectSh('{ echo x; } > /nonexistent/y; echo st=$?', { out: 'st=2\n', err });
  });

  test('pending traps run before the shell exits', () => {
    expectSh("set -e; trap 'echo t' USR1; sh -c 'kill -USR1 $PPID; exit 1'; echo no", { out: 't\n', status: 1 });
  });
});

describe('trap actions', () => {
  test('$? is restored after the action; exit and return without operand use the status before the trap', () => {
    expectSh("trap 'echo t; false' USR1; kill -USR1 $$; echo $?", { out: 't\n0\n' });
    expectSh("trap 'false; exit' USR1; kill -USR1 $$; echo no", {});
    expectSh("f() { trap 'false; return' USR1; kill -USR1 $$; echo no; }; f; echo $?", { out: '0\n' });
    expectSh("f() { trap 'false; return 3' USR1; kill -USR1 $$; echo no; }; f; echo $?", { out: '3\n' });
    expectSh("trap 'false; exit' EXIT; true", {});
    expectSh("trap 'echo t; exit' EXIT; (exit 4)", { out: 't\n', status: 4 });
  });

  test('actions run when the command in progress completes, lowest signal first', () => {
    expectSh("trap 'echo t' USR1; { kill -USR1 $$; echo in; }; echo after", { out: 't\nin\nafter\n' });
    expectSh("trap 'echo t' USR1; echo $(kill -USR1 $$) after", { out: 'after\nt\n' });
    expectSh("trap 'echo a' USR1; trap 'echo b' USR2; sh -c 'kill -USR2 $PPID; kill -USR1 $PPID'; echo c", { out: 'a\nb\nc\n' });
    expectSh("for i in 1 2 3; do trap 'break' USR1; kill -USR1 $$; echo $i; done; echo out", { out: 'out\n' });
  });

  test('the EXIT trap: errors end it, set -e applies in it, traps set in it do not run', () => {
    expectSh("trap 'echo ${x?unset}; echo more' EXIT; echo main", { out: 'main\n', err: 'sh: 1: x: unset\n', status: 2 });
    expectSh("trap 'set -e; false; echo x' EXIT; exit 3", { status: 1 });
    expectSh("trap 'trap \"echo inner\" EXIT' EXIT; echo main", { out: 'main\n' });
  });

  test('a trapped or ignored signal in a subshell; a background job cannot trap SIGINT', () => {
    expectSh('(trap "echo caught" INT; sh -c "kill -INT \\$PPID"; echo after; trap) & wait', { out: "after\ntrap -- 'echo caught' INT\n" });
    expectSh('trap "" INT; (trap "echo caught" INT; sh -c "kill -INT \\$PPID"; echo after)', { out: 'caught\nafter\n' });
    expectSh('trap "" INT; trap "echo u" USR1; (trap); echo "$(trap)"', { out: "trap -- '' INT\ntrap -- '' INT\n" });
  });
});

describe('simple commands', () => {
  test('words are expanded first, then redirections, then assignments', () => {
    expectSh('x=$(echo a >&2) true $(echo c >&2) > $(echo b >&2)/dev/null', { err: 'c\nb\na\n' });
    expectSh('x=1 > /nonexistent/y; echo $? $x', { out: '2\n', err: 'sh: 1: cannot create /nonexistent/y: Directory nonexistent\n' });
    expectSh('x=$(exit 3) y=$(exit 4); echo $?; x=1 $(exit 3); echo $? $x', { out: '4\n3 1\n' });
  });

  test('set -x traces after the redirections, on the standard error from before them', () => {
    expectSh('set -x; nosuch 2>/dev/null', { err: '+ nosuch\n', status: 127 });
    expectSh('set -x; echo hi > /nonexistent/y', { err: 'sh: 1: cannot create /nonexistent/y: Directory nonexistent\n', status: 2 });
  });

  test('temporary assignments: local to functions, exported, lasting before special builtins and exec', () => {
    expectSh('f() { x=1; }; x=0 f; echo "[${x-unset}]"', { out: '[unset]\n' });
    expectSh('g() { env | grep ^x=; }; x=2 g', { out: 'x=2\n' });
    expectSh('x=1 export y=2; sh -c "echo [\\$x][\\$y]"; echo "[$x]"', { out: '[][2]\n[1]\n' });
    expectSh('x=1 exec sh -c "echo [\\$x]"', { out: '[1]\n' });
    expectSh('x=5 command eval "echo \\$x"; echo "[$x]"', { out: '5\n[]\n' });
    expectSh('PATH=/nonexistent ls; echo $?', { out: '127\n', err: 'sh: 1: ls: not found\n' });
  });

  test('assignment builtins expand assignment arguments without splitting, whatever names them', () => {
    expectSh('y="a b"; e=export; $e x=$y; echo "[$x]"; command readonly z=$y; echo "[$z]"', { out: '[a b]\n[a b]\n' });
  });

  test('set -n stops running commands', () => {
    expectSh('set -n; echo notrun', {});
    expectSh('(set -n; echo a); echo b', { out: 'b\n' });
  });
});

describe('loops and jumps', () => {
  test('break in a subshell or command substitution ends it; in a function it does nothing', () => {
    expectSh('for i in 1 2; do (break; echo insub); echo $i; done', { out: '1\n2\n' });
    expectSh('for i in 1 2; do echo $(break; echo cs) $i; done', { out: '1\n2\n' });
    expectSh('f() { break; echo inf; }; for i in 1 2; do f; echo $i; done', { out: 'inf\n1\ninf\n2\n' });
    expectSh('for i in 1 2; do for j in a b; do continue 5; echo $j; done; echo $i; done; echo out', { out: 'out\n' });
  });

  test('functions keep their own getopts position', () => {
    expectSh('set -- -a -c; getopts ac o; f() { getopts b o2; echo "f: $o2 $OPTIND"; }; f -b; getopts ac o; echo "$o $OPTIND"', { out: 'f: b 2\nc 3\n' });
  });

  test('1000 nested calls fit whatever the function body is made of', () => {
    const body = 'while :; do { case 1 in 1) if [ $1 -gt 0 ]; then x=$(($1-1)); eval "f $x"; else echo bottom; fi;; esac; } | cat; break; done';
    expectSh(`f() { for i in 1; do if [ $1 -gt 0 ]; then f $(($1-1)); else echo bottom; fi; done; }; f 999`, { out: 'bottom\n' });
    expectSh(`f() { ${body}; }; f 60`, { out: 'bottom\n' });
  });
});

describe('signal dispositions of the shell and its children', () => {
  /** SigIgn and SigCgt of the process that reads /proc/self/status with builtins only. */
  const show = 'show() { while read -r l; do case $l in SigIgn*|SigCgt*) printf "%s " "$l";; esac; done < /proc/self/status; echo; }; ';

  test('sh -c: SIGINT and SIGCHLD caught everywhere but in a background job, which ignores SIGINT and SIGQUIT', () => {
    const r = sh(`${show}show; (show); (show) & wait; echo "$(show)"; trap "" USR2; (show)`);
    expect(r.stdout.replace(/\t/g, ' ')).toBe(
      'SigIgn: 0000000000000000 SigCgt: 0000000000010002 \n'.repeat(2) +
        'SigIgn: 0000000000000006 SigCgt: 0000000000010000 \n' +
        'SigIgn: 0000000000000000 SigCgt: 0000000000010002 \n' +
        'SigIgn: 0000000000000800 SigCgt: 0000000000010002 \n',
    );
  });
});
