/**
 * Registers the file and system tools at Debian 12's paths (usr-merged, so /bin
 * and /sbin reach them too): coreutils 9.1's file and system commands, procps-ng
 * 4.0.2 (ps, kill, pgrep, pkill, uptime), util-linux 2.38's dmesg and agetty, Debian's
 * hostname, and a stress(1)-like load generator.
 */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { chmodMain } from './chmod.js';
import { chownMain } from './chown.js';
import { cpMain } from './cp.js';
import { dateMain } from './date.js';
import { dmesgMain } from './dmesg.js';
import { agettyMain } from './agetty.js';
import { envMain, printenvMain } from './env.js';
import { freeMain } from './free.js';
import { hostnameMain } from './hostname.js';
import { idMain, whoamiMain } from './id.js';
import { killMain } from './kill.js';
import { lnMain } from './ln.js';
import { lsMain } from './ls.js';
import { mkdirMain, rmdirMain } from './mkdir.js';
import { mkfifoMain } from './mkfifo.js';
import { mvMain } from './mv.js';
import { niceMain } from './nice.js';
import { timeoutMain } from './timeout.js';
import { pstreeMain } from './pstree.js';
import { nprocMain } from './nproc.js';
import { pgrepMain, pkillMain } from './pgrep.js';
import { psMain } from './ps.js';
import { pwdMain } from './pwd.js';
import { readlinkMain } from './readlink.js';
import { rmMain } from './rm.js';
import { statMain } from './stat.js';
import { stressMain } from './stress.js';
import { forkwaitMain } from './forkwait.js';
import { touchMain } from './touch.js';
import { ttyMain } from './tty.js';
import { mesgMain } from './mesg.js';
import { unameMain } from './uname.js';
import { uptimeMain } from './uptime.js';
import { vmstatMain } from './vmstat.js';

export function registerSysutils(t: ProgramTable): void {
  const bin = (name: string): string[] => [`/usr/bin/${name}`];
  // coreutils
  t.add({ name: 'chmod', main: chmodMain, paths: bin('chmod'), summary: 'coreutils chmod: octal and symbolic modes, -R -c -v -f --reference' });
  t.add({ name: 'chown', main: chownMain, paths: bin('chown'), summary: 'coreutils chown: USER[:GROUP], -R -h -c -v -f --reference --from' });
  t.add({ name: 'cp', main: cpMain, paths: bin('cp'), summary: 'coreutils cp: -r -R -p -a -f -n -L -P -H -t -T -v' });
  t.add({ name: 'date', main: dateMain, paths: bin('date'), summary: 'coreutils date: +FORMAT, -d, -r, -f, -u, -R, -I, --rfc-3339' });
  t.add({ name: 'env', main: envMain, paths: bin('env'), summary: 'coreutils env: -i -u -C -0, NAME=VALUE, runs a command (125/126/127)' });
  t.add({ name: 'id', main: idMain, paths: bin('id'), summary: 'coreutils id: -u -g -G -n -r -z, USER' });
  t.add({ name: 'ln', main: lnMain, paths: bin('ln'), summary: 'coreutils ln: -s -f -n -T -t -v -i' });
  t.add({ name: 'ls', main: lsMain, paths: bin('ls'), summary: 'coreutils ls: -a -A -d -R -l -g -o -G -n -1 -C -i -s -h -t -S -U -r -c -u -F -p -L --full-time --time-style' });
  t.add({ name: 'mkdir', main: mkdirMain, paths: bin('mkdir'), summary: 'coreutils mkdir: -p -m -v' });
  t.add({ name: 'mkfifo', main: mkfifoMain, paths: bin('mkfifo'), summary: 'coreutils mkfifo: -m MODE (-Z/--context accepted; no SELinux)' });
  t.add({ name: 'mv', main: mvMain, paths: bin('mv'), summary: 'coreutils mv: -f -i -n -t -T -v, copies across file systems' });
  t.add({ name: 'nice', main: niceMain, paths: bin('nice'), summary: 'coreutils nice: -n N, -N, prints the niceness' });
  t.add({ name: 'pstree', main: pstreeMain, paths: bin('pstree'), summary: 'psmisc pstree: -a -A -c -l -n -p -s -T -U, PID or USER' });
  t.add({ name: 'timeout', main: timeoutMain, paths: bin('timeout'), summary: 'coreutils timeout: -s SIGNAL -k DURATION -v --foreground --preserve-status' });
  t.add({ name: 'nproc', main: nprocMain, paths: bin('nproc'), summary: 'coreutils nproc: --all --ignore' });
  t.add({ name: 'printenv', main: printenvMain, paths: bin('printenv'), summary: 'coreutils printenv: NAME..., -0' });
  t.add({ name: 'pwd', main: pwdMain, paths: bin('pwd'), summary: 'coreutils pwd: -L -P' });
  t.add({ name: 'readlink', main: readlinkMain, paths: bin('readlink'), summary: 'coreutils readlink: -f -e -m -n -z -v' });
  t.add({ name: 'rm', main: rmMain, paths: bin('rm'), summary: 'coreutils rm: -r -R -f -i -d -v --preserve-root' });
  t.add({ name: 'rmdir', main: rmdirMain, paths: bin('rmdir'), summary: 'coreutils rmdir: -p -v --ignore-fail-on-non-empty' });
  t.add({ name: 'stat', main: statMain, paths: bin('stat'), summary: 'coreutils stat: default layout, -c/--printf/-t formats, -L' });
  t.add({ name: 'touch', main: touchMain, paths: bin('touch'), summary: 'coreutils touch: -a -m -c -d -t -r' });
  t.add({ name: 'tty', main: ttyMain, paths: bin('tty'), summary: 'coreutils tty: -s' });
  t.add({ name: 'mesg', main: mesgMain, paths: bin('mesg'), summary: 'util-linux mesg: [y|n], -v (the group-write bit of the terminal on standard input)' });
  t.add({ name: 'uname', main: unameMain, paths: bin('uname'), summary: 'coreutils uname: -a -s -n -r -v -m -p -i -o' });
  t.add({ name: 'whoami', main: whoamiMain, paths: bin('whoami'), summary: 'coreutils whoami' });
  // Debian's hostname package.
  t.add({ name: 'hostname', main: hostnameMain, paths: bin('hostname'), summary: 'hostname 3.23: print, set (root), -s -f -d -F' });
  // procps-ng
  t.add({ name: 'kill', main: killMain, paths: bin('kill'), summary: 'procps kill: -SIG -NUM -s -l -L, PIDs and -SIG -- -PGID' });
  t.add({ name: 'pgrep', main: pgrepMain, paths: bin('pgrep'), summary: 'procps pgrep: ERE on name/-f cmdline, -l -a -c -d -x -i -n -o -v -u -U -G -g -s -P -t -r' });
  t.add({ name: 'pkill', main: pkillMain, paths: bin('pkill'), summary: 'procps pkill: -SIG --signal -e, pgrep selection' });
  t.add({ name: 'ps', main: psMain, paths: bin('ps'), summary: 'procps ps: -e -A -f -F -l -j -H -o -p -u -U -g -s -t -C --ppid --sort --forest, BSD a u x f o p j l' });
  t.add({ name: 'uptime', main: uptimeMain, paths: bin('uptime'), summary: 'procps uptime: -p -s' });
  t.add({ name: 'free', main: freeMain, paths: bin('free'), summary: 'procps free: -b -k -m -g --kilo…--pebi -h --si -w -l -t -v -s N -c N' });
  t.add({ name: 'vmstat', main: vmstatMain, paths: bin('vmstat'), summary: 'procps vmstat: DELAY COUNT, -a -w -n -t -y -S unit, -s, -f' });
  // util-linux
  t.add({ name: 'dmesg', main: dmesgMain, paths: bin('dmesg'), summary: 'util-linux dmesg: -t -T -r (root only: dmesg_restrict)' });
  t.add({ name: 'agetty', main: agettyMain, paths: ['/usr/sbin/agetty'], summary: 'util-linux agetty: --autologin USER (required: no login(1)), --noclear -N -i, PORT [BAUD] [TERM]; /etc/issue escapes, /etc/motd, a login shell' });
  // Load generator.
  t.add({ name: 'forkwait', main: forkwaitMain, paths: bin('forkwait'), summary: "Adams & Agesen's forkwait microbenchmark: -n CHILDREN -m BYTES touched before forking" });
  t.add({ name: 'stress', main: stressMain, paths: bin('stress'), summary: 'stress 1.0.4-like: --cpu N --fork N --timeout T -q -v (no --vm/--io/--hdd yet)' });
}
