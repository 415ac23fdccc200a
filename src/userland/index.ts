/**
 * The simulated userland: the programs a fresh ctsim root file system has, each
 * installed where Debian installs it. Programs talk to the kernel only through
 * system calls (lib/sys.ts). Each group of programs registers itself from its own
 * folder's index.
 */
import { ProgramTable } from '../kernel/exec/program-table.js';
import { init } from './programs/init.js';
import { trueMain, falseMain, sleepMain } from './programs/trivial.js';
import { catMain } from './programs/cat.js';
import { echoMain } from './programs/echo.js';
import { clearMain } from './programs/clear.js';
import { registerDash } from './programs/dash/index.js';
import { registerTextutils } from './programs/textutils/index.js';
import { registerSysutils } from './programs/sysutils/index.js';
import { registerSchedutils } from './programs/schedutils/index.js';
import { registerNsutils } from './programs/nsutils/index.js';
import { registerNetutils } from './programs/netutils/index.js';
import { registerNetprogs } from './programs/netprogs/index.js';
import { registerIputils } from './programs/iputils/index.js';
import { registerNetfilter } from './programs/netfilter/index.js';
import { registerArchive } from './programs/archive/index.js';
import { registerRunc } from './programs/runc/index.js';
import { registerVmm } from './programs/vmm/index.js';
import { registerDiskutils } from './programs/diskutils/index.js';
import { registerStrace } from './programs/strace/index.js';

/** Registers the programs of one group (a package, in Debian's terms). */
export type ProgramGroup = (t: ProgramTable) => void;

const base: ProgramGroup = (t) => {
  t.add({ name: 'init', main: init, paths: ['/usr/sbin/init'], summary: 'PID 1: reaps orphans (ctsim init)' });
  t.add({ name: 'true', main: trueMain, paths: ['/usr/bin/true'], summary: 'coreutils true' });
  t.add({ name: 'false', main: falseMain, paths: ['/usr/bin/false'], summary: 'coreutils false' });
  t.add({ name: 'sleep', main: sleepMain, paths: ['/usr/bin/sleep'], summary: 'coreutils sleep: NUMBER[smhd]...' });
  t.add({ name: 'cat', main: catMain, paths: ['/usr/bin/cat'], summary: 'coreutils cat: -n' });
  t.add({ name: 'echo', main: echoMain, paths: ['/usr/bin/echo'], summary: 'coreutils echo: -n -e -E' });
  t.add({ name: 'clear', main: clearMain, paths: ['/usr/bin/clear'], summary: 'ncurses clear: -T TYPE -x -V (common terminal types, no terminfo files)' });
};

/** Every group, in installation order. Helpers of later issues add theirs here. */
export const PROGRAM_GROUPS: ProgramGroup[] = [base, registerDash, registerTextutils, registerSysutils, registerSchedutils, registerNsutils, registerNetutils, registerNetprogs, registerIputils, registerNetfilter, registerArchive, registerRunc, registerVmm, registerDiskutils, registerStrace];

/** A fresh table of every program ctsim ships. */
export function defaultPrograms(): ProgramTable {
  const t = new ProgramTable();
  for (const g of PROGRAM_GROUPS) g(t);
  return t;
}
