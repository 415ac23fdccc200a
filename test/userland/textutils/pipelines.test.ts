/**
 * The text tools working together and with the kernel: pipelines, SIGPIPE, file
 * offsets shared with the next program, xargs running commands, CPU time charged, and
 * host-time performance. Pipelines are built by a test-only program (pipeline.ts), so
 * these tests do not depend on the shell.
 */
import { describe, expect, test } from 'vitest';
import { exec, pipe, readFile, testHost, writeFile } from './pipeline.js';

const SIGPIPE_STATUS = 128 + 13;

describe('pipelines', () => {
  test('yes | head -n 100000 | wc -l is fast and ends yes with SIGPIPE', () => {
    const h = testHost();
    const started = performance.now();
    const r = pipe(h, ['yes'], ['head', '-n', '100000'], ['wc', '-l']);
    const hostMs = performance.now() - started;
    expect(r.stdout).toBe('100000\n');
    expect(r.statuses).toEqual([SIGPIPE_STATUS, 0, 0]);
    expect(hostMs).toBeLessThan(1000);
  });

  test('yes repeats its operands', () => {
    const r = pipe(testHost(), ['yes', 'a', 'b'], ['head', '-n', '2']);
    expect(r.stdout).toBe('a b\na b\n');
  });

  test('head leaves a seekable input just after what it printed', () => {
    const h = testHost();
    writeFile(h, '/tmp/f', '1\n2\n3\n');
    const r = exec(h, ['stdin-file', '/tmp/f', 'head', '-n', '1', ';', 'cat']);
    expect(r.stdout).toBe('1\n2\n3\n');
    const bytes = exec(h, ['stdin-file', '/tmp/f', 'head', '-c', '3', ';', 'cat']);
    expect(bytes.stdout).toBe('1\n2\n3\n');
  });

  test('grep -q stops at the first match, even on endless input', () => {
    const r = pipe(testHost(), ['yes'], ['grep', '-q', 'y']);
    expect(r.statuses).toEqual([SIGPIPE_STATUS, 0]);
  });

  test('grep -m1 and sed q stop reading early', () => {
    const h = testHost();
    expect(pipe(h, ['yes', 'x'], ['grep', '-m1', 'x']).stdout).toBe('x\n');
    expect(pipe(h, ['seq', 'inf'], ['sed', '3q']).stdout).toBe('1\n2\n3\n');
  });

  test('tee copies to files and standard output; a closed pipe kills it unless -p', () => {
    const h = testHost();
    const r = pipe(h, ['seq', '3'], ['tee', '/tmp/t1', '/tmp/t2'], ['wc', '-l']);
    expect(r.stdout).toBe('3\n');
    expect(readFile(h, '/tmp/t1')).toBe('1\n2\n3\n');
    expect(readFile(h, '/tmp/t2')).toBe('1\n2\n3\n');
    const killed = pipe(h, ['seq', '100000'], ['tee', '/tmp/t3'], ['head', '-n', '1']);
    expect(killed.statuses[1]).toBe(SIGPIPE_STATUS);
    const kept = pipe(h, ['seq', '100000'], ['tee', '-p', '/tmp/t4'], ['head', '-n', '1']);
    expect(kept.statuses).toEqual([0, 0, 0]);
    expect(exec(h, ['wc', '-l', '/tmp/t4']).stdout).toBe('100000 /tmp/t4\n');
  });

  test('sort | uniq -c | sort -rn, the classic word count', () => {
    const h = testHost();
    writeFile(h, '/tmp/words', 'b a c a b a\n');
    const wc = exec(h, ['stdin-file', '/tmp/words', 'pipeline', 'tr', '-s', ' ', '\\n', '|', 'sort', '|', 'uniq', '-c', '|', 'sort', '-k1,1rn', '-k2']);
    expect(wc.stdout).toBe('      3 a\n      2 b\n      1 c\n');
  });
});

describe('xargs runs commands', () => {
  test('exit statuses follow findutils: 123, 124, 125, 126, 127', () => {
    const h = testHost();
    expect(exec(h, ['xargs', 'exit-with', '3'], 'x\n').status).toBe(123);
    const r255 = exec(h, ['xargs', 'exit255'], 'x\ny\n');
    expect([r255.status, r255.stderr]).toEqual([124, 'xargs: exit255: exited with status 255; aborting\n']);
    const killed = exec(h, ['xargs', 'kill-self'], 'x\n');
    expect([killed.status, killed.stderr]).toEqual([125, 'xargs: kill-self: terminated by signal 9\n']);
    const denied = exec(h, ['xargs', '/etc/passwd'], 'x\n');
    expect([denied.status, denied.stderr]).toEqual([126, 'xargs: /etc/passwd: Permission denied\n']);
    const missing = exec(h, ['xargs', 'no-such-command'], 'x\n');
    expect([missing.status, missing.stderr]).toEqual([127, 'xargs: no-such-command: No such file or directory\n']);
    expect(exec(h, ['xargs', 'exit-with', '0'], 'x\n').status).toBe(0);
  });

  test('-P runs one command at a time, in input order', () => {
    const r = exec(testHost(), ['xargs', '-P', '4', '-n', '1', 'echo'], '1 2 3 4 5\n');
    expect(r.stdout).toBe('1\n2\n3\n4\n5\n');
  });

  test('commands read /dev/null, except with -a', () => {
    const h = testHost();
    writeFile(h, '/tmp/args', '/tmp/args\n');
    expect(exec(h, ['xargs', 'cat', '-'], 'not read\n').stdout).toBe('');
    expect(exec(h, ['xargs', '-a', '/tmp/args', 'cat', '-'], 'stdin for cat\n').stdout).toBe('stdin for cat\n/tmp/args\n');
  });

  test('long input is split across command lines by -s', () => {
    const r = exec(testHost(), ['xargs', '-s', '20', 'echo'], 'aaaa bbbb cccc dddd eeee\n');
    expect(r.stdout).toBe('aaaa bbbb cccc\ndddd eeee\n');
  });
});

describe('sed writes files and runs commands', () => {
  test('-i edits in place and keeps a backup with a suffix', () => {
    const h = testHost();
    writeFile(h, '/tmp/f', 'one\ntwo\n');
    const r = exec(h, ['sed', '-i.orig', 's/o/0/g', '/tmp/f']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(readFile(h, '/tmp/f')).toBe('0ne\ntw0\n');
    expect(readFile(h, '/tmp/f.orig')).toBe('one\ntwo\n');
    expect(exec(h, ['ls', '/tmp']).stdout).toBe('f\nf.orig\n');
  });

  test('w /dev/stdout shares standard output; w FILE writes the file', () => {
    const h = testHost();
    expect(exec(h, ['sed', '-n', 'w /dev/stdout'], 'a\nb\n').stdout).toBe('a\nb\n');
    exec(h, ['sed', '-n', '/b/w /tmp/bs'], 'a\nb\nab\n');
    expect(readFile(h, '/tmp/bs')).toBe('b\nab\n');
  });

  test('e runs a command through /bin/sh', () => {
    const r = exec(testHost(), ['sed', '1e echo first'], 'x\n');
    expect(r.stdout).toBe('first\nx\n');
  });
});

describe('CPU time', () => {
  test('sort charges about n·log2(n)·20 ns; wc about 1 ns per byte', () => {
    const h = testHost();
    const n = 20000;
    const sorted = pipe(h, ['seq', String(n)], ['sort', '-n']);
    const nlogn = n * Math.log2(n) * 20;
    expect(sorted.utimes[1]).toBeGreaterThan(nlogn);
    expect(sorted.utimes[1]).toBeLessThan(nlogn * 3);
    const counted = pipe(h, ['seq', String(n)], ['wc', '-w']);
    const bytes = 108894; // the length of `seq 20000`
    expect(counted.utimes[1]).toBeGreaterThanOrEqual(bytes);
    expect(counted.utimes[1]).toBeLessThan(bytes * 3);
  });

  test('tools that do more work are charged more', () => {
    const h = testHost();
    const small = pipe(h, ['seq', '1000'], ['grep', '7']);
    const large = pipe(h, ['seq', '100000'], ['grep', '7']);
    expect(large.utimes[1]).toBeGreaterThan(small.utimes[1] * 50);
  });
});
