/**
 * Test helpers for kernel tests: a host with extra simulated programs installed at
 * /usr/bin/NAME, written inline in a test as generator functions.
 */
import { createHost, defaultPrograms, type Host, type HostOptions } from '../../src/index.js';
import type { Program, ProgramMain } from '../../src/kernel/proc/program.js';
import * as sys from '../../src/userland/lib/sys.js';
import { SysError } from '../../src/kernel/errno.js';

export function hostWith(programs: Record<string, ProgramMain>, opts: HostOptions = {}): Host {
  const table = defaultPrograms();
  for (const [name, main] of Object.entries(programs)) table.add({ name, main, paths: [`/usr/bin/${name}`] });
  return createHost({ cpus: 1, seed: 1, ...opts, programs: table });
}

/** Forks `n` children, child i running `body(i)`, and waits for them all: 0 when each exited 0, else 1. */
export function* forkEachAndWait(n: number, body: (i: number) => Program): Program {
  const pids: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i;
    const pid = yield* sys.fork(() => body(c));
    if (typeof pid === 'number') pids.push(pid);
  }
  let status = 0;
  for (const p of pids) {
    const r = yield* sys.wait4(p);
    if (r instanceof SysError || r.status !== 0) status = 1;
  }
  return status;
}
