/**
 * A fresh root disk, as a cloud image comes: the default guest root tree (what the
 * kernel builds in: fixtures/rootfs and the program table) written onto a disk image
 * as a ctsimfs, by the host — what `virt-make-fs` or `mkfs` plus a copy would do. The
 * guest then mounts its root from the disk (src/kernel/fs/mount-root.ts).
 *
 * The image's sectors are written directly (a host tool on a file), so nothing is
 * counted as device commands: only the guest's own I/O goes through its SCSI disk.
 */
import { buildRootfs } from '../../kernel/fs/rootfs.js';
import { CtsimFs } from '../../kernel/fs/ctsimfs/ctsimfs.js';
import type { BlockIo, IoDone } from '../../kernel/block/block-io.js';
import type { ProgramTable } from '../../kernel/exec/program-table.js';
import { makedev } from '../../kernel/vfs/types.js';
import { SECTOR, type DiskImage } from './disk-image.js';

/** The volume label of a fresh root disk (Ubuntu's cloud images call theirs so). */
export const ROOT_LABEL = 'cloudimg-rootfs';

const EMPTY = new Uint8Array(0);
const done = (data: Uint8Array = EMPTY): IoDone => ({ data, cpuNs: 0, latencyNs: 0, error: null });

/** `image`'s sectors as a block device for a host tool: no cost, no device model. */
export function imageBlockIo(image: DiskImage, name: string): BlockIo {
  return {
    name,
    rdev: 0,
    sectors: Math.floor(image.virtualSize / SECTOR),
    readOnly: false,
    read: (lba, count) => done(image.readSectors(lba, count)),
    write: (lba, data) => {
      image.writeSectors(lba, data);
      return done();
    },
    flush: () => {
      image.flush();
      return done();
    },
  };
}

/**
 * Formats `image` with ctsimfs and the default root tree for a VM named `hostname`
 * (its /etc/hostname), made at `nowNs` (CLOCK_REALTIME). Returns a one-line reason when
 * it does not fit.
 */
export function formatRootImage(image: DiskImage, programs: ProgramTable, hostname: string, nowNs: number): string | null {
  const tree = buildRootfs(programs, makedev(8, 0), nowNs, hostname);
  const cost = CtsimFs.format(imageBlockIo(image, 'image'), tree, ROOT_LABEL, nowNs);
  return cost.error ? `cannot make its root file system: ${cost.error.reason ?? cost.error.message}` : null;
}
