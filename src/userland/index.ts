/**
 * The simulated userland: the programs a fresh ctsim root file system has, each
 * installed where Debian installs it. Programs talk to the kernel only through
 * system calls (lib/sys.ts).
 */
import { ProgramTable } from '../kernel/exec/program-table.js';
import { init } from './programs/init.js';
import { trueMain, falseMain, sleepMain } from './programs/trivial.js';
import { catMain } from './programs/cat.js';
import { echoMain } from './programs/echo.js';

/** A fresh table of every program ctsim ships. */
export function defaultPrograms(): ProgramTable {
  const t = new ProgramTable();
  t.add({ name: 'init', main: init, paths: ['/usr/sbin/init'], summary: 'PID 1: reaps orphans' });
  t.add({ name: 'true', main: trueMain, paths: ['/usr/bin/true'] });
  t.add({ name: 'false', main: falseMain, paths: ['/usr/bin/false'] });
  t.add({ name: 'sleep', main: sleepMain, paths: ['/usr/bin/sleep'] });
  t.add({ name: 'cat', main: catMain, paths: ['/usr/bin/cat'] });
  t.add({ name: 'echo', main: echoMain, paths: ['/usr/bin/echo'] });
  return t;
}
