/**
 * Syntax errors and bash-only syntax: dash's messages and line numbers, that the
 * lines before an error still run (dash reads a line at a time), and that bash
 * extensions behave as dash reads them ([[ is a command, {a,b} is text,
 * `function f` and arrays are errors).
 */
import { describe, test } from 'vitest';
import { expectSh } from './helpers.js';

const syntax = (line: number, msg: string): { err: string; status: number } => ({ err: `sh: ${line}: Syntax error: ${msg}\n`, status: 2 });

describe('syntax errors', () => {
  test('unexpected tokens', () => {
    expectSh('fi', syntax(1, '"fi" unexpected'));
    expectSh('echo hi; fi', syntax(1, '"fi" unexpected'));
    expectSh('echo ;;', syntax(1, '";;" unexpected'));
    expectSh('echo )', syntax(1, '")" unexpected'));
    expectSh('echo hi | | cat', syntax(1, '"|" unexpected'));
    expectSh('x=1 ( )', syntax(1, '"(" unexpected'));
    expectSh('( )', syntax(1, '")" unexpected'));
    expectSh('{ }', syntax(1, '"}" unexpected'));
  });

  test('what dash was expecting', () => {
    expectSh('if true; then echo; done', syntax(1, '"done" unexpected (expecting "fi")'));
    expectSh('while true; do echo; fi', syntax(1, '"fi" unexpected (expecting "done")'));
    expectSh('{ echo; )', syntax(1, '")" unexpected (expecting "}")'));
    expectSh('if true; fi', syntax(1, '"fi" unexpected (expecting "then")'));
    expectSh('for x in a b; echo; done', syntax(1, 'word unexpected (expecting "do")'));
    expectSh('echo $(echo; done)', syntax(1, '"done" unexpected (expecting ")")'));
  });

  test('end of file', () => {
    expectSh('if true; then echo', syntax(1, 'end of file unexpected (expecting "fi")'));
    expectSh('while :; do', syntax(1, 'end of file unexpected (expecting "done")'));
    expectSh('echo a ||', syntax(1, 'end of file unexpected'));
    expectSh('case x in a) echo', syntax(1, 'end of file unexpected (expecting ";;")'));
    expectSh('case x in', syntax(1, 'end of file unexpected (expecting ")")'));
    expectSh('f() {\necho', syntax(2, 'end of file unexpected (expecting "}")'));
    expectSh('echo "abc', syntax(1, 'Unterminated quoted string'));
    expectSh('echo ${x', syntax(1, "Missing '}'"));
    expectSh('echo $((', syntax(1, "Missing '))'"));
    expectSh('echo `', syntax(1, 'EOF in backquote substitution'));
  });

  test('the lines before the error run; the line with it does not', () => {
    expectSh('echo ok\nfi', { out: 'ok\n', ...syntax(2, '"fi" unexpected') });
    expectSh('echo hi\nif true; then\necho; done', { out: 'hi\n', ...syntax(3, '"done" unexpected (expecting "fi")') });
    expectSh('echo hi\necho $(fi)', { out: 'hi\n', ...syntax(2, '"fi" unexpected (expecting ")")') });
    expectSh('echo hi\nexit\nfi', { out: 'hi\n' });
  });

  test('other parse-time errors', () => {
    expectSh('for 1 in a; do :; done', syntax(1, 'Bad for loop variable'));
    expectSh('f-x() { :; }', syntax(1, 'Bad function name'));
    expectSh('! ! true', syntax(1, '"!" unexpected'));
  });
});

describe('bash syntax read as dash reads it', () => {
  test('[[, ((, {a,b}, $\'…\', time and select are not special', () => {
    expectSh('[[ a == b ]]', { err: 'sh: 1: [[: not found\n', status: 127 });
    expectSh('echo {a,b} [[ x ]]', { out: '{a,b} [[ x ]]\n' });
    expectSh("echo $'a\\tb'", { out: '$a\tb\n' });
    expectSh('((echo x))', { out: 'x\n' });
    expectSh('select x in a; do :; done', syntax(1, '"do" unexpected'));
    expectSh('echo a &> b; cat b', { out: 'a\n' });
  });

  test('arrays, function, |&, ;&, <(…), @(…), <<<, for ((…)) are syntax errors', () => {
    expectSh('a=(1 2)', syntax(1, '"(" unexpected'));
    expectSh('function f { :; }', syntax(1, '"}" unexpected'));
    expectSh('echo a |& cat', syntax(1, '"&" unexpected'));
    expectSh('case a in a) echo 1;& b) echo 2;; esac', syntax(1, '"&" unexpected'));
    expectSh('echo <(ls)', syntax(1, '"(" unexpected'));
    expectSh('echo @(a|b)', syntax(1, '"(" unexpected'));
    expectSh('cat <<< hi', syntax(1, 'redirection unexpected'));
    expectSh('for ((i=0;i<3;i++)); do :; done', syntax(1, 'Bad for loop variable'));
  });
});

describe('line numbers in messages', () => {
  test('the line where a simple command\'s first word ends; functions keep absolute lines', () => {
    expectSh('echo a \\\nb; foo\\\nbar', { out: 'a b\n', err: 'sh: 3: foobar: not found\n', status: 127 });
    expectSh('if true\nthen\n  nosuch\nfi', { err: 'sh: 3: nosuch: not found\n', status: 127 });
    expectSh('\n\nf() {\n  nosuch\n}\nf', { err: 'sh: 4: nosuch: not found\n', status: 127 });
    expectSh('x=1\necho $x\nnosuch\necho $?', { out: '1\n127\n', err: 'sh: 3: nosuch: not found\n' });
  });

  test('$LINENO is not set by Debian\'s dash', () => {
    expectSh('echo "[$LINENO]"', { out: '[]\n' });
  });
});
