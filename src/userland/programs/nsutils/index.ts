/**
 * Registers the namespace and mount tools at Debian 12's paths: util-linux 2.38's
 * unshare, nsenter, lsns, findmnt, mount, umount, setpriv, pivot_root, ipcmk, ipcs and ipcrm, and
 * coreutils' chroot.
 */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { unshareMain } from './unshare.js';
import { nsenterMain } from './nsenter.js';
import { mountMain, umountMain } from './mount.js';
import { setprivMain } from './setpriv.js';
import { chrootMain, pivotRootMain } from './chroot.js';
import { ipcmkMain, ipcrmMain, ipcsMain } from './ipc.js';
import { findmntMain, lsnsMain } from './lsns.js';

export function registerNsutils(t: ProgramTable): void {
  const bin = (name: string): string[] => [`/usr/bin/${name}`];
  t.add({ name: 'unshare', main: unshareMain, paths: bin('unshare'), summary: 'util-linux unshare: -m -u -i -n -p -U -C -f --mount-proc -r -c --propagation --setgroups -R -w -S -G' });
  t.add({ name: 'nsenter', main: nsenterMain, paths: bin('nsenter'), summary: 'util-linux nsenter: -t PID -m -u -i -n -p -U -C [=FILE] -a -S -G -r -w -F --preserve-credentials' });
  t.add({ name: 'mount', main: mountMain, paths: bin('mount'), summary: 'util-linux mount: list, -t TYPE -o OPTS, --bind --rbind --move --make-[r]{shared,slave,private,unbindable}, remount' });
  t.add({ name: 'setpriv', main: setprivMain, paths: bin('setpriv'), summary: 'util-linux setpriv: --reuid --regid --ruid --euid --rgid --egid --clear-groups --keep-groups --init-groups --groups -d' });
  t.add({ name: 'chroot', main: chrootMain, paths: ['/usr/sbin/chroot'], summary: 'coreutils chroot: --userspec --groups --skip-chdir' });
  t.add({ name: 'pivot_root', main: pivotRootMain, paths: ['/usr/sbin/pivot_root'], summary: 'util-linux pivot_root NEW_ROOT PUT_OLD' });
  t.add({ name: 'ipcmk', main: ipcmkMain, paths: bin('ipcmk'), summary: 'util-linux ipcmk: -Q, -M SIZE, -S NSEMS, -p MODE' });
  t.add({ name: 'ipcs', main: ipcsMain, paths: bin('ipcs'), summary: 'util-linux ipcs: -q -m -s -a (from /proc/sysvipc)' });
  t.add({ name: 'ipcrm', main: ipcrmMain, paths: bin('ipcrm'), summary: 'util-linux ipcrm: -q -m -s ID, -Q -M -S KEY' });
  t.add({ name: 'lsns', main: lsnsMain, paths: bin('lsns'), summary: 'util-linux lsns: -t TYPE -p PID -o COLS (NS TYPE PATH NPROCS PID PPID COMMAND UID USER PNS ONS) -n -r -T[owner|parent|process]' });
  t.add({ name: 'findmnt', main: findmntMain, paths: bin('findmnt'), summary: 'util-linux findmnt: tree or -l list, -n -r -o COLS -t TYPES, TARGET' });
  t.add({ name: 'umount', main: umountMain, paths: bin('umount'), summary: 'util-linux umount: -l -f -R' });
}
