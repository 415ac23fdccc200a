/**
 * What ctsim reads that the user did not mean as input: a file or standard input that
 * never ends (/dev/zero) is an error after 256 MiB, not a node heap crash; a piped
 * standard input is never taken for a missing argument (oclif would, within 10 ms);
 * an argument that is a whole file's text is shown shortened in an error.
 */
import { closeSync, openSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const BIN = path.join(REPO_ROOT, 'bin', 'run.js');
const ctsim = (args: string[], stdin: number | string = '') => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', ...(typeof stdin === 'number' ? { stdio: [stdin, 'pipe', 'pipe'] } : { input: stdin }) });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
};

describe('input that does not end, and input that is not an argument', () => {
  it('a file named by a flag, a script file and standard input stop at 256 MiB with exit 3', () => {
    expect(ctsim(['mem', 'replay', '--trace-file', '/dev/zero'])).toMatchObject({
      status: 3,
      stderr: 'ctsim mem replay: /dev/zero: expected at most 256 MiB, found more (a stream that does not end, such as /dev/zero?) (fix: give a smaller file)\n',
    });
    expect(ctsim(['sh', '/dev/zero']).status).toBe(3);
    const zero = openSync('/dev/zero', 'r');
    try {
      expect(ctsim(['sh'], zero)).toMatchObject({ status: 3, stderr: 'ctsim sh: standard input: expected at most 256 MiB, found more (a stream that does not end, such as /dev/zero?) (fix: give less input)\n' });
    } finally {
      closeSync(zero);
    }
  }, 60_000);

  it('a piped standard input is not taken for a missing argument', () => {
    expect(ctsim(['vm', 'start', '--root', '/nonexistent-ctsim-root'], 'web\n')).toMatchObject({ status: 2, stderr: "ctsim vm start: Missing 1 required arg: name  The VM's name.\nSee: ctsim vm start --help\n" });
    // compare without SCENARIO runs the built-in one, whatever comes on standard input.
    const part = ctsim(['compare', '--shard', '1/400'], 'version: 1\n');
    expect(part.status).toBe(0);
    expect(JSON.parse(part.stdout).scenario.source).toMatch(/^built-in /);
  }, 60_000);

  it('a long argument is shown shortened, with its length', () => {
    const r = ctsim(['compare', 'merge', 'x'.repeat(5000)]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`ctsim compare merge: ${'x'.repeat(240)}… (5000 characters): expected a readable part file (JSON from ctsim compare --shard I/N), found ENAMETOOLONG (fix: check the path given to PART)\n`);
  });
});
