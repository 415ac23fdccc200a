/** runc, the OCI reference runtime, as a simulated program (installed where Debian's runc package puts it). */
import type { ProgramGroup } from '../../index.js';
import { runcMain } from './main.js';

export const registerRunc: ProgramGroup = (t) => {
  t.add({ name: 'runc', main: runcMain, paths: ['/usr/sbin/runc'], summary: 'runc: OCI runtime (create start run state list ps exec kill delete pause resume events spec)' });
};
