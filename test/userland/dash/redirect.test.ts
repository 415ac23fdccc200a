/**
 * Redirections and here-documents (POSIX XCU 2.7) as dash does them, including
 * its messages ("cannot open X: No such file", "cannot create X: Directory
 * nonexistent", "5: Bad file descriptor").
 */
import { describe, expect, test } from 'vitest';
import { expectSh, sh } from './helpers.js';

describe('file redirections', () => {
  test('> >> < and 2>&1', () => {
    expectSh('echo a > f1; cat f1; echo b >> f1; cat f1 < f1', { out: 'a\na\nb\n' });
    expectSh('echo err >&2', { err: 'err\n' });
    expectSh('echo x 2>&1 >/dev/null', {});
    expectSh('{ echo a; echo b >&2; } 2>&1 | cat', { out: 'a\nb\n' });
    expectSh('{ echo out; echo err >&2; } 2>/dev/null', { out: 'out\n' });
  });

  test('<> n>&m n<&- and exec making them permanent', () => {
    expectSh('echo data > f; exec 4<>f; read x <&4; echo $x; echo more >&4; exec 4>&-; cat f', { out: 'data\ndata\nmore\n' });
    expectSh('exec 3>f3; echo to3 >&3; exec 3>&-; cat f3', { out: 'to3\n' });
    expectSh('exec 3<&0; exec 0<&-; read x; echo $?; exec 0<&3; read y; echo $y', { out: '1\nx\n' }, { stdin: 'x\n' });
    expectSh('echo x >&-; echo $?', { out: '1\n', err: 'sh: 1: echo: echo: I/O error\n' });
  });

  test('>| and noclobber', () => {
    expectSh('echo a >| f; set -C; echo b >| f; cat f; echo c > f; echo $?', { out: 'b\n2\n', err: 'sh: 1: cannot create f: File exists\n' });
  });

  test('errors: a regular command fails with 2, the shell goes on', () => {
    expectSh('cat < nofile; echo $?', { out: '2\n', err: 'sh: 1: cannot open nofile: No such file\n' });
    expectSh('echo hi > /nonexistent/dir/x; echo $?', { out: '2\n', err: 'sh: 1: cannot create /nonexistent/dir/x: Directory nonexistent\n' });
    expectSh('echo > /; echo $?', { out: '2\n', err: 'sh: 1: cannot create /: Is a directory\n' });
    expectSh('echo hi >&5; echo $?', { out: '2\n', err: 'sh: 1: 5: Bad file descriptor\n' });
    expectSh('echo >&file', { err: 'sh: 1: Syntax error: Bad fd number\n', status: 2 });
  });

  test('a redirection is done by the shell before the command is looked up', () => {
    expectSh('nosuch > f; cat f; echo [$?]', { out: '[0]\n', err: 'sh: 1: nosuch: not found\n' });
  });

  test('a special builtin with a failing redirection ends the shell', () => {
    expectSh(': < nofile; echo no', { err: 'sh: 1: cannot open nofile: No such file\n', status: 2 });
  });

  test('redirections of compound commands', () => {
    expectSh('while read l; do echo "got $l"; done < f; echo', { out: '\n', err: 'sh: 1: cannot open f: No such file\n' });
    expectSh('for i in 1 2; do echo $i; done > f; cat f', { out: '1\n2\n' });
    expectSh('f() { echo in f >&2; }; f 2>&1 | cat', { out: 'in f\n' });
  });
});

describe('here-documents', () => {
  test('expanded and literal bodies, <<- strips tabs', () => {
    expectSh('cat <<EOF\nline1\n  $HOME $((1+1)) $(echo c) \\$no \\\\\nEOF', { out: 'line1\n  /root 2 c $no \\\n' });
    expectSh("cat <<'EOF'\nno $expansion here \\$\nEOF", { out: 'no $expansion here \\$\n' });
    expectSh('cat <<-EOF\n\ttabbed\n\t\tmore\n\tEOF', { out: 'tabbed\nmore\n' });
    expectSh('cat <<A; cat <<B\nfirst\nA\nsecond\nB', { out: 'first\nsecond\n' });
    expectSh('x=$(cat <<EOF\ninner\nEOF\n); echo "$x"', { out: 'inner\n' });
  });

  test('a body longer than PIPE_BUF is written by a forked child, as dash does', () => {
    const body = 'x'.repeat(5000);
    const r = sh(`cat <<EOF > out; read -r l < out; echo \${#l}\n${body}\nEOF`);
    expect(r.stdout).toBe('5000\n');
    // The writer is a child of the shell (here: reaped as the shell's third child).
    const r2 = sh(`cat <<EOF >/dev/null; echo $$; cat /proc/self/stat\n${body}\nEOF`);
    const [shPid, stat] = r2.stdout.split('\n');
    expect(Number(stat.split(' ')[0])).toBe(Number(shPid) + 3);
  });
});
