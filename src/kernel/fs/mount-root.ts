/**
 * The root file system at boot (Linux's init/do_mounts.c, prepare_namespace): the disk
 * the command line's `root=` names (KernelConfig.root), mounted with the file system
 * found on it — or the tree built into the kernel, as an initramfs whose /init runs
 * (the physical host's, and a VM's that has no root drive).
 *
 *   root=/dev/sda ──▶ sd's disk ──READ(10)──▶ ctsimfs ──▶ /
 *   (no root=)    ──▶ buildRootfs (fixtures/rootfs + the program table) ──▶ /
 *
 * When the disk is missing or holds no file system the kernel panics with Linux's
 * words ("VFS: Unable to mount root fs on unknown-block(8,0)"): the VM does not boot.
 */
import type { Kernel } from '../kernel.js';
import type { FileSystem } from '../vfs/vnode.js';
import { major, makedev, minor } from '../vfs/types.js';
import { sdBlockIo, type SdDisk } from '../block/sd.js';
import { buildRootfs } from './rootfs.js';
import { CtsimFs } from './ctsimfs/ctsimfs.js';

/**
 * The kernel could not mount its root file system: the panic, as one line (`message`),
 * and why (`reason`). Not a ctsim bug (that is KernelPanic): a machine booted with a
 * missing or empty root disk stops here.
 */
export class RootMountError extends Error {
  override readonly name = 'RootMountError';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** Mounts the root file system (see the file comment); throws RootMountError when it cannot. */
export function mountRoot(k: Kernel, disks: readonly SdDisk[]): { fs: FileSystem; readonly: boolean } {
  if (!k.config.root) {
    const fs = buildRootfs(k.config.programs, makedev(8, 1), k.realtimeNs, k.config.hostname);
    // Simplification: the built-in tree says it is ext4 on /dev/sda1, as it always has.
    k.printk('EXT4-fs (sda1): mounted filesystem with ordered data mode');
    return { fs, readonly: false };
  }
  const { device: root, readOnly } = k.config.root;
  const name = root.replace(/^\/dev\//, '');
  const disk = disks.find((d) => d.name === name);
  if (!disk) {
    panic(k, disks, name, 0, -6);
    throw new RootMountError('Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)', `there is no disk ${root} (${disks.length === 0 ? 'the machine has no disks' : `its disks are ${disks.map((d) => `/dev/${d.name}`).join(', ')}`})`);
  }
  const r = CtsimFs.mount(sdBlockIo(k, disk), k.realtimeNs);
  if ('error' in r) {
    const e = r.error;
    if (e.errno === 'EINVAL') {
      // No file system type recognised the device (each said EINVAL): Linux lists the devices and the types it tried.
      k.printk('List of all partitions:');
      printPartitions(k, disks);
      k.printk('No filesystem could mount root, tried:  ctsimfs');
      k.printk(`Kernel panic - not syncing: VFS: Unable to mount root fs on ${blockName(disk.rdev)}`);
    } else {
      panic(k, disks, name, disk.rdev, -e.code);
    }
    const why = e.errno === 'EINVAL' ? `${root} holds no file system (${e.reason})` : `${root}: ${e.reason ?? e.message}`;
    throw new RootMountError(`Kernel panic - not syncing: VFS: Unable to mount root fs on ${blockName(disk.rdev)}`, why);
  }
  const fs = r.fs;
  const ro = readOnly || disk.readOnly;
  const i = fs.info();
  k.printk(`ctsimfs (${name}): mounted filesystem "${i.label}" ${ro ? 'r/o' : 'r/w'}: generation ${i.generation}, ${i.usedBlocks}/${i.blocks} blocks used`);
  k.printk(`VFS: Mounted root (ctsimfs filesystem)${ro ? ' readonly' : ''} on device ${major(disk.rdev)}:${minor(disk.rdev)}.`);
  k.writeback.add(fs);
  return { fs, readonly: ro };
}

function blockName(rdev: number): string {
  return `unknown-block(${major(rdev)},${minor(rdev)})`;
}

/** "VFS: Cannot open root device" and the partition list, then the panic line, as mount_block_root prints them. */
function panic(k: Kernel, disks: readonly SdDisk[], name: string, rdev: number, error: number): void {
  k.printk(`VFS: Cannot open root device "${name}" or ${blockName(rdev)}: error ${error}`);
  k.printk('Please append a correct "root=" boot option; here are the available partitions:');
  printPartitions(k, disks);
  k.printk(`Kernel panic - not syncing: VFS: Unable to mount root fs on ${blockName(rdev)}`);
}

/** printk_all_partitions: the device number in hex, the size in KiB, the name, the driver. */
function printPartitions(k: Kernel, disks: readonly SdDisk[]): void {
  for (const d of disks) {
    const devt = `${major(d.rdev).toString(16).padStart(2, '0')}${minor(d.rdev).toString(16).padStart(2, '0')}`;
    k.printk(`${devt} ${String(d.blocks / 2).padStart(10)} ${d.name}  driver: sd`);
  }
}
