/**
 * Test helpers for kernel tests: a host with extra simulated programs installed at
 * /usr/bin/NAME, written inline in a test as generator functions.
 */
import { createHost, defaultPrograms, type Host, type HostOptions } from '../../src/index.js';
import type { ProgramMain } from '../../src/kernel/proc/program.js';

export function hostWith(programs: Record<string, ProgramMain>, opts: HostOptions = {}): Host {
  const table = defaultPrograms();
  for (const [name, main] of Object.entries(programs)) table.add({ name, main, paths: [`/usr/bin/${name}`] });
  return createHost({ cpus: 1, seed: 1, ...opts, programs: table });
}
