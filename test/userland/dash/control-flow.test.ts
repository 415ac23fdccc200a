/**
 * break, continue and return (POSIX XCU 2.14 special builtins) and the command
 * descriptions of `type`, `command -v` and `command -V` (dash(1)), as
 * /usr/bin/dash gives them: the counts they accept, where a `return` goes (a
 * function, a `.` script, the top level), and the lookup order reserved word,
 * alias, function, builtin, PATH.
 */
import { describe, test } from 'vitest';
import { expectSh } from './helpers.js';

describe('break and continue', () => {
  test('a count: clamped to the loops there are, at least 1, with a sign or blanks allowed', () => {
    expectSh('for i in 1 2 3; do for j in a b; do echo $i$j; continue 2; done; done; echo $?', { out: '1a\n2a\n3a\n0\n' });
    expectSh('for i in 1 2; do for j in a b; do break 5; done; echo no; done; echo out', { out: 'out\n' });
    expectSh('for i in 1 2; do break +1; echo no; done; for i in 1 2; do break " 1 "; done; echo y', { out: 'y\n' });
    expectSh('break; continue; echo $?', { out: '0\n' });
  });

  test('0 or a non-number is an error of a special builtin: the shell ends', () => {
    expectSh('for i in 1 2; do break 0; done; echo no', { err: 'sh: 1: break: Illegal number: 0\n', status: 2 });
    expectSh('continue abc; echo no', { err: 'sh: 1: continue: Illegal number: abc\n', status: 2 });
  });

  test('a break in a function does not leave the caller’s loop; one in a . script does', () => {
    expectSh('f() { break; }; for i in 1 2; do f; echo $i; done', { out: '1\n2\n' });
    expectSh("echo 'break; echo no' > b.sh; for i in 1 2; do . ./b.sh; echo no; done; echo end", { out: 'end\n' });
  });
});

describe('return', () => {
  test('from a function, with $? or a count up to INT_MAX', () => {
    expectSh('f() { return 300; }; f; echo $?; g() { return; }; false; g; echo $?', { out: '300\n1\n' });
    expectSh('f() { return 2147483648; }; f; echo no', { err: 'sh: 1: return: Illegal number: 2147483648\n', status: 2 });
    expectSh('f() { return -0; }; f; echo $?', { out: '0\n' });
  });

  test('a return in a . script ends the script, even inside a function', () => {
    expectSh("echo 'echo in; return 4; echo no' > r.sh; f() { . ./r.sh; echo f-after $?; }; f; echo top $?", { out: 'in\nf-after 4\ntop 0\n' });
    expectSh("echo 'f() { return 3; }; f; echo dot $?; return 6; echo no' > r.sh; . ./r.sh; echo top $?", { out: 'dot 3\ntop 6\n' });
  });

  test('in eval, a subshell, a substitution, and at top level', () => {
    expectSh('f() { eval "return 4"; echo no; }; f; echo $?; (return 7; echo no); echo $?; x=$(return 3; echo no); echo "[$x] $?"', { out: '4\n7\n[] 3\n' });
    expectSh('echo a; return 5; echo no', { out: 'a\n', status: 5 });
  });
});

describe('type, command -v, command -V', () => {
  test('reserved words come first, then aliases, functions, builtins, PATH (command -v: the first name only)', () => {
    expectSh("alias ll='ls -l'; alias if=echo; type ll if; command -v ll if; command -V ll", {
      out: "ll is an alias for ls -l\nif is a shell keyword\nalias ll='ls -l'\nll is an alias for ls -l\n",
    });
    expectSh('f() { :; }; echo() { :; }; type f echo exit umask; command -v echo; command -v exit', {
      out: 'f is a shell function\necho is a shell function\nexit is a special shell builtin\numask is a shell builtin\necho\nexit\n',
    });
  });

  test('a PATH search is remembered: the second answer is a tracked alias', () => {
    expectSh('type ls; command -v ls; type ls; hash -r; command -pV ls; hash', { out: 'ls is /usr/bin/ls\n/usr/bin/ls\nls is a tracked alias for /usr/bin/ls\nls is /usr/bin/ls\n' });
  });

  test('names with a slash must exist; not found is 127 (on stdout when verbose)', () => {
    expectSh('type /bin/ls /nonexist ./nosuch /tmp; echo $?; command -v /bin/ls /nonexist; echo $?; command -v nosuch; echo $?', {
      out: '/bin/ls is /bin/ls\n/nonexist: not found\n./nosuch: not found\n/tmp is /tmp\n127\n/bin/ls\n0\n127\n',
    });
    expectSh('type; echo $?; type -p ls; type ""; echo $?', { out: '0\n-p: not found\nls is /usr/bin/ls\n: not found\n127\n' });
  });

  test('-V wins over -v in either order; only the first name is described', () => {
    expectSh('command -vV ls; command -Vv echo; command -v echo ls', { out: 'ls is /usr/bin/ls\necho is a shell builtin\necho\n' });
  });
});
