/**
 * /dev (devtmpfs) and the memory character devices (mem(4), null(4), random(4)):
 * /dev/null discards writes and reads as empty, /dev/zero reads NUL bytes,
 * /dev/full fails writes with ENOSPC, /dev/random and /dev/urandom read from the
 * kernel's seeded entropy (so runs stay reproducible). /dev/tty is the caller's
 * controlling terminal (ENXIO without one); /dev/ttyS0 is the serial port, when the
 * machine has one (tty/serial.ts).
 */
import type { Kernel } from '../kernel.js';
import { err } from '../errno.js';
import type { FileOps } from '../vfs/file.js';
import { S_IFBLK, S_IFCHR, makedev } from '../vfs/types.js';
import { SimFs } from './simfs.js';
import type { CharDevice } from './chrdev.js';
import { randomBytes } from '../syscalls/sys-info.js';

const nullOps: FileOps = {
  read: () => '',
  write: (_k, _t, _f, data) => data.length,
  seekable: () => 0,
};

const zeroOps: FileOps = {
  read: (_k, _t, _f, count) => '\0'.repeat(Math.min(count, 1 << 20)),
  write: (_k, _t, _f, data) => data.length,
  seekable: () => 0,
};

const fullOps: FileOps = {
  read: (_k, _t, _f, count) => '\0'.repeat(Math.min(count, 1 << 20)),
  write: () => err('ENOSPC', '/dev/full is always full'),
  seekable: () => 0,
};

const randomOps: FileOps = {
  read: (k, _t, _f, count) => randomBytes(k, Math.min(count, 1 << 20)),
  write: (_k, _t, _f, data) => data.length,
  seekable: () => 0,
};

function simple(name: string, ops: FileOps): CharDevice {
  return { name, open: () => ({ ops }) };
}

/** Registers the memory devices (major 1) with the kernel. */
export function registerMemDevices(k: Kernel): void {
  k.chrdevs.set(makedev(1, 3), simple('null', nullOps));
  k.chrdevs.set(makedev(1, 5), simple('zero', zeroOps));
  k.chrdevs.set(makedev(1, 7), simple('full', fullOps));
  k.chrdevs.set(makedev(1, 8), simple('random', randomOps));
  k.chrdevs.set(makedev(1, 9), simple('urandom', randomOps));
}

/** The /dev tree of a fresh boot, as udev leaves it on Debian. */
export function makeDevfs(k: Kernel, dev: number, kvm = false, disks: readonly { name: string; rdev: number }[] = []): SimFs {
  const fs = new SimFs({ type: 'devtmpfs', dev, source: 'udev', rootMode: 0o755, nowNs: k.realtimeNs, options: 'size=4096k,nr_inodes=1024,mode=755' });
  const root = fs.root();
  const rootCreds = { fsuid: 0, fsgid: 0 };
  const now = k.realtimeNs;
  const nodes: [string, number, number, number][] = [
    ['null', 1, 3, 0o666],
    ['zero', 1, 5, 0o666],
    ['full', 1, 7, 0o666],
    ['random', 1, 8, 0o666],
    ['urandom', 1, 9, 0o666],
    ['tty', 5, 0, 0o666],
    ['console', 5, 1, 0o600],
    ['ptmx', 5, 2, 0o666],
  ];
  // KVM's device on a machine with hardware virtualization (Debian: crw-rw---- root kvm; ctsim has no kvm group).
  if (kvm) nodes.push(['kvm', 10, 232, 0o660]);
  for (const [name, ma, mi, mode] of nodes) root.mknod!(name, S_IFCHR | mode, makedev(ma, mi), rootCreds, now);
  // Serial ports: crw-rw---- root dialout (group 20), as udev makes them.
  for (const t of k.serialTtys) root.mknod!(t.name, S_IFCHR | 0o660, t.dev, { fsuid: 0, fsgid: 20 }, now);
  // Disks: brw-rw---- root disk (group 6), as udev makes them.
  for (const d of disks) root.mknod!(d.name, S_IFBLK | 0o660, d.rdev, { fsuid: 0, fsgid: 6 }, now);
  for (const d of ['pts', 'shm', 'mqueue']) root.mkdir!(d, d === 'shm' ? 0o1777 : 0o755, rootCreds, now);
  const links: [string, string][] = [
    ['fd', '/proc/self/fd'],
    ['stdin', '/proc/self/fd/0'],
    ['stdout', '/proc/self/fd/1'],
    ['stderr', '/proc/self/fd/2'],
  ];
  for (const [name, target] of links) root.symlink!(name, target, rootCreds, now);
  return fs;
}
