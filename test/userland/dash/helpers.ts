/**
 * Helpers for the dash tests: run a script with `sh -c` on a fresh host and compare
 * what it printed and its status with what dash 0.5.12 prints on Debian (the
 * expectations in these tests were taken from real dash).
 */
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh, run, type TestRunOptions } from '../../helpers/host.js';
import { createHost, type Host, type RunResult } from '../../../src/index.js';
import { resolve, resolveParent } from '../../../src/kernel/vfs/namei.js';
import { SysError } from '../../../src/kernel/errno.js';

/** Options of expectSh: those of sh(), plus directories to create first (relative to /root). */
export type ShOptions = TestRunOptions & { dirs?: string[] };

/** Creates directories from outside the simulation (the tests may not rely on a mkdir program). */
export function mkdirs(host: Host, dirs: readonly string[]): void {
  const k = host.kernel;
  const init = k.initPidNs.init!;
  for (const d of dirs) {
    const path = d.startsWith('/') ? d : `/root/${d}`;
    const pl = resolveParent(k, init, path);
    if (pl instanceof SysError) throw new Error(`${path}: ${pl.message}`);
    const made = pl.parent.vn.mkdir!(pl.name, 0o755, { fsuid: 0, fsgid: 0 }, k.realtimeNs);
    if (made instanceof SysError && made.errno !== 'EEXIST') throw new Error(`${path}: ${made.message}`);
    void resolve;
  }
}

export interface Expected {
  out?: string;
  err?: string;
  status?: number;
}

/**
 * With DASH_ORACLE=1 (a development aid, off in normal runs), also runs the script
 * with the real /usr/bin/dash and reports where the expectation disagrees with it.
 */
function checkOracle(args: string[], stdin: string, want: Expected, dirs: readonly string[] = []): void {
  if (process.env.DASH_ORACLE !== '1') return;
  const dir = mkdtempSync(join(tmpdir(), 'dash-oracle-'));
  for (const d of dirs) mkdirSync(join(dir, d), { recursive: true });
  const env = { HOME: '/root', LOGNAME: 'root', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', SHELL: '/bin/sh', USER: 'root', PWD: dir };
  const real = spawnSync('/usr/bin/dash', args, { cwd: dir, env, argv0: 'sh', encoding: 'latin1', input: stdin, timeout: 20000 });
  const got = { out: real.stdout, err: real.stderr, status: real.status ?? 128 };
  const exp = { out: want.out ?? '', err: want.err ?? '', status: want.status ?? 0 };
  if (got.out !== exp.out || got.err !== exp.err || got.status !== exp.status) {
    console.log(`ORACLE MISMATCH ${JSON.stringify(args)}\n  expected: ${JSON.stringify(exp)}\n  dash:     ${JSON.stringify(got)}`);
  }
}

/** Runs `script` and checks stdout, stderr and status (each defaults to '', '', 0). */
export function expectSh(script: string, want: Expected, opts: ShOptions = {}): RunResult {
  checkOracle(['-c', script, ...(opts.args ?? [])], typeof opts.stdin === 'string' ? opts.stdin : '', want, opts.dirs);
  let r: RunResult;
  if (opts.dirs) {
    const host = createHost({ cpus: 2, seed: 1, ...opts.host });
    mkdirs(host, opts.dirs);
    r = host.sh(script, { maxSteps: 5_000_000, ...opts }, opts.args ?? []);
  } else r = sh(script, opts);
  expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: want.out ?? '', err: want.err ?? '', status: want.status ?? 0 });
  return r;
}

/** Runs `sh ARGS…` with `stdin` and checks the result. */
export function expectShArgs(args: string[], stdin: string, want: Expected, opts: TestRunOptions = {}): RunResult {
  checkOracle(args, stdin, want);
  const r = run(['sh', ...args], { path: '/bin/sh', stdin, ...opts });
  expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: want.out ?? '', err: want.err ?? '', status: want.status ?? 0 });
  return r;
}

export { sh, run };
