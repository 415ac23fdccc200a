/**
 * The guest kernel's side of a root disk: sd probes the write-protect bit (MODE SENSE),
 * serves a file system's block I/O as READ(10)/WRITE(10) of at most 128 KiB and
 * SYNCHRONIZE CACHE(10), and the kernel mounts its root from the disk root= names — or
 * panics with do_mounts.c's lines when it cannot. Sources: Linux drivers/scsi/sd.c
 * ("[sda] Write Protect is off", "Mode Sense: …"), init/do_mounts.c.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/sim/engine.js';
import { PhysicalMemory } from '../../../src/hw/physical-memory.js';
import { DirectBacking } from '../../../src/hypervisor/backing.js';
import { DedicatedCpus } from '../../../src/hypervisor/virtual-machine.js';
import { bootVm, type Vm } from '../../../src/hypervisor/vm.js';
import { parseVmConfig } from '../../../src/hypervisor/vm-config.js';
import { createImage, type DiskImage } from '../../../src/hypervisor/devices/disk-image.js';
import { formatRootImage } from '../../../src/hypervisor/devices/root-image.js';
import { DEFAULT_BOOT_EPOCH_NS, defaultPrograms } from '../../../src/index.js';
import { sdBlockIo, type SdDisk } from '../../../src/kernel/block/sd.js';
import { RootMountError } from '../../../src/kernel/fs/mount-root.js';
import { bootKernel } from '../../../src/kernel/boot.js';
import { makedev } from '../../../src/kernel/vfs/types.js';
import { MemByteFile } from '../../hypervisor/devices/mem-byte-file.js';

const MiB = 1024 * 1024;

function disk(bytes: number, root = false): DiskImage {
  const image = createImage(new MemByteFile(), 'raw', bytes);
  if (root) expect(formatRootImage(image, defaultPrograms(), 'guest', DEFAULT_BOOT_EPOCH_NS)).toBeNull();
  return image;
}

/** A VM booted on its own engine with `drives` (the first is sda); the root drive is the one marked root. */
function boot(drives: { id: string; image: DiskImage; root?: boolean; readOnly?: boolean }[]): Vm {
  const config = parseVmConfig(
    {
      'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
      'boot-source': { kernel_image_path: 'vmlinux' },
      drives: drives.map((d) => ({ drive_id: d.id, path_on_host: `${d.id}.img`, is_root_device: d.root ?? false, is_read_only: d.readOnly ?? false })),
    },
    'vm.json',
    { name: 'guest' },
  );
  const vm = bootVm(new Engine(1), config, new DirectBacking(new PhysicalMemory(1024 ** 3), 7), {
    programs: defaultPrograms(),
    bootEpochNs: DEFAULT_BOOT_EPOCH_NS,
    boot: { firmwareNs: 0, kernelNs: 0, initNs: 0 },
    disks: drives.map((d) => ({ id: d.id, image: d.image, readOnly: d.readOnly ?? false })),
  });
  vm.machine.start(new DedicatedCpus());
  return vm;
}

const dmesg = (vm: Vm): string[] => vm.kernel.log.map((l) => l.text);
/** sda's driver state, as opening /dev/sda hands it to the file. */
const sdOf = (vm: Vm): { priv: SdDisk } => vm.kernel.blkdevs.get(makedev(8, 0))!.open(vm.kernel, vm.kernel.initPidNs.init!, 0) as { priv: SdDisk };

describe('sd as a block device', () => {
  it('reads in READ(10)s of at most 128 KiB, writes in WRITE(10)s, flushes with SYNCHRONIZE CACHE(10)', () => {
    const vm = boot([{ id: 'data', image: disk(4 * MiB) }]);
    const sda = sdOf(vm);
    const io = sdBlockIo(vm.kernel, sda.priv);
    expect(io).toMatchObject({ name: 'sda', sectors: 8192, readOnly: false });
    const counts = (vm.machine.scsi as unknown as { units: { disk: { counts: Record<string, number> } }[] }).units[0].disk.counts;
    const before = { ...counts };
    const w = io.write(100, new Uint8Array(300 * 1024).fill(0x5a));
    expect(w.error).toBeNull();
    expect(w.latencyNs).toBeGreaterThan(0);
    const r = io.read(100, 600);
    expect(r.data.length).toBe(600 * 512);
    expect(r.data.every((b) => b === 0x5a)).toBe(true);
    expect(io.flush().error).toBeNull();
    // 300 KiB = 128 + 128 + 44 KiB: three commands each way.
    expect(counts['WRITE(10)'] - before['WRITE(10)']).toBe(3);
    expect(counts['READ(10)'] - before['READ(10)']).toBe(3);
    expect(counts['SYNCHRONIZE CACHE(10)'] - before['SYNCHRONIZE CACHE(10)']).toBe(1);
  });

  it('learns a write-protected disk from MODE SENSE and refuses to write it (EROFS)', () => {
    const vm = boot([{ id: 'ro', image: disk(MiB), readOnly: true }]);
    expect(dmesg(vm)).toContain('sd 0:0:0:0: [sda] Write Protect is on');
    expect(dmesg(vm)).toContain('sd 0:0:0:0: [sda] Mode Sense: 03 00 80 00');
    const sda = sdOf(vm);
    expect(sda.priv.readOnly).toBe(true);
    expect(sdBlockIo(vm.kernel, sda.priv).write(0, new Uint8Array(512)).error?.errno).toBe('EROFS');
  });
});

describe('the root file system at boot', () => {
  it('mounts the root drive\'s ctsimfs through sd (the second disk here: root=/dev/sdb)', () => {
    const vm = boot([
      { id: 'scratch', image: disk(MiB) },
      { id: 'rootfs', image: disk(64 * MiB, true), root: true },
    ]);
    expect(dmesg(vm)).toContain('VFS: Mounted root (ctsimfs filesystem) on device 8:16.');
    expect(vm.sh('cat /proc/cmdline; grep " / " /proc/mounts; cat /etc/hostname').stdout).toBe('console=ttyS0 reboot=k panic=1 root=/dev/sdb rw\n/dev/sdb / ctsimfs rw,relatime 0 0\nguest\n');
    const exits = vm.machine.cpuVirt.counters.exits['I/O instruction'];
    expect(exits).toBeGreaterThan(0);
  });

  it('panics when the disk holds no file system, naming the device as Linux does', () => {
    expect(() => boot([{ id: 'rootfs', image: disk(MiB), root: true }])).toThrow(RootMountError);
    try {
      boot([{ id: 'rootfs', image: disk(MiB), root: true }]);
    } catch (e) {
      expect((e as RootMountError).message).toBe('Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(8,0)');
      expect((e as RootMountError).reason).toBe('/dev/sda holds no file system (block 0 does not start with the ctsimfs magic "CTSIMFS")');
    }
  });

  it('panics when root= names a disk the machine does not have', () => {
    const vm = boot([]);
    const panic = (): unknown =>
      bootKernel(vm.machine, { hostname: 'x', bootEpochNs: DEFAULT_BOOT_EPOCH_NS, programs: defaultPrograms(), root: { device: '/dev/sdc', readOnly: false } });
    expect(panic).toThrow('Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)');
  });
});
