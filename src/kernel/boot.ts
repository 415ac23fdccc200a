/**
 * Booting a kernel on a machine (init/main.c): probe the disks, mount the root file
 * system (from the disk the command line's root= names, else the built-in tree:
 * fs/mount-root.ts), /dev, /proc and the tmpfs mounts, then start PID 1 by executing
 * /sbin/init, with /dev/console as its standard input, output and error.
 *
 *   Machine ─▶ Kernel ─▶ sd probe ─▶ root on / ─▶ devtmpfs /dev, proc /proc, tmpfs /run, /dev/shm
 *                                              └▶ PID 1: execve("/sbin/init")
 */
import type { Machine } from '../hw/machine.js';
import { buildOutside } from './net/outside.js';
import { attachNics } from './net/nic-driver.js';
import { SysFs } from './fs/sysfs.js';
import { Kernel, type KernelConfig } from './kernel.js';
import { mountRoot } from './fs/mount-root.js';
import { makeDevfs, registerMemDevices } from './fs/devfs.js';
import { registerKvm } from './kvm/kvm-dev.js';
import { probeScsiDisks } from './block/sd.js';
import { ProcFs } from './fs/procfs/procfs.js';
import { SimFs } from './fs/simfs.js';
import { Console, registerConsole } from './fs/console.js';
import { probeSerial } from './tty/serial.js';
import { SysError } from './errno.js';
import { KernelPanic } from './panic.js';
import type { Path } from './vfs/mount.js';
import { O_RDWR } from './vfs/types.js';
import { Task, SigHandlers, SchedPolicy } from './proc/task.js';
import { Creds } from './proc/creds.js';
import { FdTable } from './vfs/fd-table.js';
import { FsContext } from './vfs/fs-context.js';
import { WaitQueue } from './proc/wait-queue.js';
import { execStub } from './exec/exec-stub.js';
import { SIG } from './proc/signals.js';
import { openVnode } from './syscalls/sys-file.js';
import { taskHoldsNamespaces, threadsMax } from './proc/task-clone.js';
import { nsGet } from './ns/namespace.js';
import { CgroupFs } from './cgroup/cgroupfs.js';
import { cgroupAttachNew } from './cgroup/cgroup.js';
import {
  RLIMIT_CORE,
  RLIMIT_NOFILE,
  RLIMIT_NPROC,
  RLIMIT_STACK,
} from './syscalls/abi.js';

/** The environment the kernel gives init (as Linux's kernel_init does). */
export const INIT_ENV = ['HOME=/', 'TERM=linux'];

/** A booted kernel and its console. */
export interface Booted {
  kernel: Kernel;
  console: Console;
}

function lookup(k: Kernel, from: Path, path: string): Path {
  let p = from;
  for (const c of path.split('/').filter(Boolean)) {
    const v = p.vn.lookup!(c);
    if (v instanceof SysError) k.panic(`boot: ${path} is missing from the root file system`);
    p = { mnt: p.mnt, vn: v };
    for (let m = p.mnt.childAt(p.vn); m; m = p.mnt.childAt(p.vn)) p = { mnt: m, vn: m.root };
  }
  return p;
}

/** The default resource limits of a Debian 12 root login (ulimit -a). */
export function defaultRlimits(k: Kernel): { soft: number; hard: number }[] {
  const r: { soft: number; hard: number }[] = [];
  for (let i = 0; i < 16; i++) r[i] = { soft: Infinity, hard: Infinity };
  const nproc = Math.floor(threadsMax(k.machine.ramBytes) / 2);
  r[RLIMIT_STACK] = { soft: 8 * 1024 * 1024, hard: Infinity };
  r[RLIMIT_CORE] = { soft: 0, hard: Infinity };
  r[RLIMIT_NPROC] = { soft: nproc, hard: nproc };
  r[RLIMIT_NOFILE] = { soft: 1024, hard: 1048576 };
  r[8] = { soft: 8 * 1024 * 1024, hard: 8 * 1024 * 1024 }; // RLIMIT_MEMLOCK
  r[11] = { soft: nproc, hard: nproc }; // RLIMIT_SIGPENDING
  r[12] = { soft: 819200, hard: 819200 }; // RLIMIT_MSGQUEUE
  r[13] = { soft: 0, hard: 0 }; // RLIMIT_NICE
  r[14] = { soft: 0, hard: 0 }; // RLIMIT_RTPRIO
  return r;
}

export function bootKernel(machine: Machine, config: KernelConfig): Booted {
  const k = new Kernel(machine, config);
  const con = new Console();
  registerConsole(k, con);
  // The serial port (ttyS0), and the serial console when the command line names it.
  probeSerial(k, con);
  // The physical NIC and the network beyond it (net/outside.ts), or the machine's own NICs (a VM's).
  if (machine.nics) attachNics(k, machine.nics);
  else buildOutside(k, machine.extraNics);
  registerMemDevices(k);
  if (machine.vmx) registerKvm(k);
  const anonDev = (): number => k.allocAnonDev();

  // The SCSI disks (sd), probed before the root is mounted (it may be on one) and /dev is populated.
  const disks = probeScsiDisks(k);
  const { fs: rootfs, readonly } = mountRoot(k, disks);
  const ns = k.initMntNs;
  const rootMnt = ns.mountRoot(rootfs, { readonly });
  const root: Path = { mnt: rootMnt, vn: rootfs.root() };

  const procfs = new ProcFs(k, k.initPidNs, anonDev());
  procfs.mount = ns.attach(lookup(k, root, '/proc'), procfs, procfs.root(), { nosuid: true, nodev: true, noexec: true });
  const devfs = makeDevfs(k, anonDev(), machine.vmx, disks);
  ns.attach(lookup(k, root, '/dev'), devfs, devfs.root(), { nosuid: true });
  const devpts = new SimFs({ type: 'devpts', dev: anonDev(), source: 'devpts', rootMode: 0o755, nowNs: k.realtimeNs, options: 'gid=5,mode=620,ptmxmode=000' });
  ns.attach(lookup(k, root, '/dev/pts'), devpts, devpts.root(), { nosuid: true, noexec: true });
  k.devpts = devpts;
  const run = new SimFs({ type: 'tmpfs', dev: anonDev(), source: 'tmpfs', rootMode: 0o755, nowNs: k.realtimeNs, options: 'size=10%,mode=755' });
  ns.attach(lookup(k, root, '/run'), run, run.root(), { nosuid: true, nodev: true, noexec: true });
  const shm = new SimFs({ type: 'tmpfs', dev: anonDev(), source: 'tmpfs', rootMode: 0o1777, nowNs: k.realtimeNs });
  ns.attach(lookup(k, root, '/dev/shm'), shm, shm.root(), { nosuid: true, nodev: true });
  // sysfs with the cgroup v2 hierarchy at /sys/fs/cgroup, as systemd mounts it.
  const sysfs = new SysFs(k, anonDev(), k.initNsproxy.net);
  ns.attach(lookup(k, root, '/sys'), sysfs, sysfs.root(), { nosuid: true, nodev: true, noexec: true });
  const cgroupfs = new CgroupFs(k, k.cgroupRoot, anonDev());
  ns.attach(lookup(k, root, '/sys/fs/cgroup'), cgroupfs, cgroupfs.root(), { nosuid: true, nodev: true, noexec: true });
  // systemd's sysctl defaults (50-default.conf) let every group use ping sockets in the initial namespace.
  k.initNsproxy.net.pingGroupRange = [0, 2147483647];
  // systemd makes every mount shared at boot (mount --make-rshared /), as Debian's hosts have it.
  ns.setPropagation(rootMnt, 'shared', true);

  // PID 1.
  const init = new Task({
    tid: 1,
    seq: 0,
    nsPids: [1],
    pidNs: k.initPidNs,
    comm: 'swapper/0',
    argv: [],
    envp: [],
    exe: '',
    parent: null,
    creds: new Creds(k.initUserNs, 0, 0),
    files: new FdTable(),
    fs: new FsContext(root, root, 0o022, nsGet(ns)),
    sighand: new SigHandlers(),
    nsproxy: k.initNsproxy.copy(),
    cgroup: k.cgroupRoot,
    childWait: new WaitQueue(),
    pgid: 1,
    sid: 1,
    exitSignal: SIG.SIGCHLD,
    now: k.now,
  });
  init.rlimits = defaultRlimits(k);
  if (config.defaultPolicy === 'rr' || config.defaultPolicy === 'fifo') {
    init.policy = config.defaultPolicy === 'rr' ? SchedPolicy.RR : SchedPolicy.Fifo;
    init.rtPriority = 1;
  }
  k.current = init;
  const consolePath = lookup(k, root, '/dev/console');
  const cons = openVnode(k, init, consolePath.mnt, consolePath.vn, O_RDWR, '/dev/console');
  k.current = null;
  k.pendingCost = 0;
  if (cons instanceof SysError) throw new KernelPanic('boot: cannot open /dev/console', { errno: cons.errno });
  init.files.install(0, cons, false);
  cons.refs += 2;
  init.files.install(1, cons, false);
  init.files.install(2, cons, false);
  init.setProgram(execStub('/sbin/init', ['/sbin/init'], INIT_ENV));
  if (k.initPidNs.allocate() !== 1) throw new KernelPanic('boot: PID 1 is taken');
  k.tasks.set(1, init);
  k.fileTaskGroup(init);
  k.initPidNs.tasks.set(1, init);
  taskHoldsNamespaces(init);
  cgroupAttachNew(init, k.cgroupRoot);
  k.initPidNs.init = init;
  k.sched.enqueue(init, 'new');
  k.kick(init);
  k.printk('Run /sbin/init as init process');
  return { kernel: k, console: con };
}
