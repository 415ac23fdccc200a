/**
 * The `ctsim` executable as a user runs it: bin/run.js over the compiled dist/
 * (`npm test` builds first), in a child process with real pipes. In-process command
 * tests (test/commands) cannot see what oclif does with the real standard streams —
 * it read a piped stdin as the script-file argument once, so scripts got no input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

/** The environment of a user's shell: vitest's NODE_ENV=test would make oclif print development warnings. */
const { NODE_ENV: _testEnv, ...USER_ENV } = process.env;

function ctsim(args: string[], input = '') {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'run.js'), ...args], { input, encoding: 'utf8', timeout: 60_000, env: USER_ENV });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('bin/run.js', () => {
  it("runs the README's first script", () => {
    expect(ctsim(['sh', '-c', 'echo hi | cat; sleep 1 & echo $!; wait; echo $?'])).toEqual({ stdout: 'hi\n5\n0\n', stderr: '', status: 0 });
  });

  it('hands a piped standard input to the script', () => {
    expect(ctsim(['sh', '-c', 'while read x; do echo "got $x"; done; wc -l'], 'a\nb\n').stdout).toBe('got a\ngot b\n0\n');
    expect(ctsim(['sh', '-c', 'sort -r'], 'a\nc\nb\n').stdout).toBe('c\nb\na\n');
  });

  it('runs a script file with arguments and exits with its status', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ctsim-bin-')), 'job.sh');
    writeFileSync(file, 'echo "$1 $#"; read line; echo "read $line"; exit 4\n');
    expect(ctsim(['sh', file, 'x', 'y'], 'input\n')).toEqual({ stdout: 'x 2\nread input\n', stderr: '', status: 4 });
  });

  it('refuses a bad flag in one line, with no stack trace', () => {
    const r = ctsim(['sh', '--cpus', 'many', '-c', 'true']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('ctsim sh: Parsing --cpus: Expected an integer but received: many\nSee: ctsim sh --help\n');
  });

  it('lists its commands in --help', () => {
    const r = ctsim(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['features', 'sched', 'sh']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });
});
