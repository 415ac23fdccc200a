/**
 * A VM's root file system lives on its root drive's image (issue 7: "its disk image
 * file can be copied and booted as a second VM"): a fresh root image is formatted with
 * the default guest tree (ctsimfs), the guest mounts it through sd (READ(10) commands
 * the VMM answers from the file), and what the guest writes reaches the file through
 * WRITE(10) at sync, at shutdown and when the flusher's 30 s (dirty_expire_centisecs)
 * are up. Linux's messages: do_mounts.c ("VFS: Mounted root (%s filesystem) on device
 * %u:%u.", "Kernel panic - not syncing: VFS: Unable to mount root fs on …").
 */
import { describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../src/host.js';
import { Engine } from '../../src/sim/engine.js';
import { migrateVm } from '../../src/hypervisor/migration.js';
import { hostByteFile } from '../../src/hypervisor/devices/host-file.js';
import type { ByteFile } from '../../src/hypervisor/devices/disk-image.js';

const config = (drives: Record<string, unknown>[]) => ({
  'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
  'boot-source': { kernel_image_path: 'vmlinux' },
  drives,
});
const root = (path: string, extra: Record<string, unknown> = {}) => ({ drive_id: 'rootfs', path_on_host: path, is_root_device: true, ...extra });

/** The bytes of host image `path` (under /var/lib/ctsim/images). */
function imageBytes(host: Host, path: string): Buffer {
  const f = hostByteFile(host.kernel, path) as ByteFile;
  return Buffer.from(f.read(0, f.size()));
}

/** Commands the VM's root disk has answered, by name. */
function commands(host: Host, name: string): Record<string, number> {
  return (host.vms.inspect(name).devices as { scsi: { disks: { commands: Record<string, number> }[] } }).scsi.disks[0].commands;
}

describe('the root file system on the root drive', () => {
  it('a fresh root image boots; a copy of it boots as a second VM with the first one\'s files; the second\'s writes stay in its copy', () => {
    const host = createHost();
    host.vms.create('a', config([root('a.img')]));
    // The host made the image and formatted it: ctsimfs's magic at the start of the file.
    expect(host.sh('head -c 7 /var/lib/ctsim/images/a.img').stdout).toBe('CTSIMFS');
    const a = host.vms.start('a');
    const boot = a.vm.sh('dmesg | grep -E "ctsimfs|VFS:"; grep " / " /proc/mounts; cat /proc/cmdline; stat -c "%d %i" /');
    expect(boot.stdout).toMatch(/\] ctsimfs \(sda\): mounted filesystem "cloudimg-rootfs" r\/w: generation 1, \d+\/16384 blocks used\n/);
    expect(boot.stdout).toMatch(/\] VFS: Mounted root \(ctsimfs filesystem\) on device 8:0\.\n/);
    expect(boot.stdout).toContain('/dev/sda / ctsimfs rw,relatime 0 0\n');
    expect(boot.stdout).toContain('console=ttyS0 reboot=k panic=1 root=/dev/sda rw\n');
    expect(boot.stdout).toContain('\n2048 2\n');
    // The mount read the tree through READ(10) commands, counted as the disk's.
    const booted = commands(host, 'a');
    expect(booted['READ(10)']).toBeGreaterThanOrEqual(3);
    expect(booted['WRITE(10)']).toBe(0);
    expect(a.vm.sh('echo hello > /root/note; sync').status).toBe(0);
    const synced = commands(host, 'a');
    // The file's data, the inode table, the superblock; a cache flush before and after the superblock.
    expect(synced['WRITE(10)']).toBe(3);
    expect(synced['SYNCHRONIZE CACHE(10)']).toBe(2);
    host.vms.stop('a');

    expect(host.sh('cp /var/lib/ctsim/images/a.img /var/lib/ctsim/images/b.img').status).toBe(0);
    const aBefore = imageBytes(host, 'a.img');
    host.vms.create('b', config([root('b.img')]));
    const b = host.vms.start('b');
    expect(b.vm.sh('cat /root/note; uname -n; cat /etc/hostname').stdout).toBe('hello\nb\na\n');
    expect(b.vm.sh('echo from-b > /root/note; mkdir /srv/b; sync').status).toBe(0);
    host.vms.stop('b');
    expect(imageBytes(host, 'a.img').equals(aBefore)).toBe(true);
    const a2 = host.vms.start('a');
    expect(a2.vm.sh('cat /root/note; ls /srv').stdout).toBe('hello\n');
    const b2 = (host.vms.stop('a'), host.vms.start('b'));
    expect(b2.vm.sh('cat /root/note; ls /srv').stdout).toBe('from-b\nb\n');
  });

  it('a copy-on-write overlay of a root image boots with its files and keeps its own writes', () => {
    const host = createHost();
    host.vms.create('base', config([root('base.img')]));
    host.vms.start('base').vm.sh('echo from-base > /etc/motd; sync');
    host.vms.stop('base');
    const baseBytes = imageBytes(host, 'base.img');
    host.vms.create('child', config([root('child.cow', { format: 'cow', backing_file: 'base.img' })]));
    const child = host.vms.start('child');
    expect(child.vm.sh('cat /etc/motd').stdout).toBe('from-base\n');
    child.vm.sh('echo mine > /root/mine; sync');
    host.vms.stop('child');
    expect(imageBytes(host, 'base.img').equals(baseBytes)).toBe(true);
    // The overlay holds the clusters the child wrote (superblock, table, data), not the whole disk.
    expect(Number(host.sh('stat -c %s /var/lib/ctsim/images/child.cow').stdout)).toBeLessThan(1024 * 1024);
    expect(host.vms.start('child').vm.sh('cat /root/mine /etc/motd').stdout).toBe('mine\nfrom-base\n');
  });

  it('unsynced writes reach the disk at an orderly stop and are lost when the VMM is killed', () => {
    const host = createHost();
    host.vms.create('v', config([root('v.img')]));
    host.vms.start('v').vm.sh('echo kept > /root/kept');
    expect(commands(host, 'v')['WRITE(10)']).toBe(0);
    host.vms.stop('v');
    const h = host.vms.start('v');
    expect(h.vm.sh('cat /root/kept').stdout).toBe('kept\n');
    h.vm.sh('echo lost > /root/lost');
    expect(host.sh(`kill -9 ${h.vmm!.tgid}`).status).toBe(0);
    host.sh('sleep 0.1');
    expect(host.vms.status('v')).toBe('stopped');
    expect(host.vms.start('v').vm.sh('cat /root/lost').stderr).toBe('cat: /root/lost: No such file or directory\n');
  });

  it('the flusher writes dirty data back after 30 s, and not while the VM is paused', () => {
    const host = createHost();
    host.vms.create('v', config([root('v.img')]));
    const h = host.vms.start('v');
    h.vm.sh('echo one > /root/one');
    h.vm.sh('sleep 29');
    expect(commands(host, 'v')['WRITE(10)']).toBe(0);
    h.vm.sh('sleep 2');
    expect(commands(host, 'v')['WRITE(10)']).toBe(3);
    // Dirty again, then paused for a minute: nothing is written until it runs.
    h.vm.sh('echo two > /root/two');
    host.vms.pause('v');
    host.sh('sleep 60');
    expect(commands(host, 'v')['WRITE(10)']).toBe(3);
    host.vms.resume('v');
    h.vm.sh('true');
    expect(commands(host, 'v')['WRITE(10)']).toBe(6);
    // What the flusher wrote survives a killed VMM.
    host.sh(`kill -9 ${h.vmm!.tgid}; sleep 0.1`);
    expect(host.vms.start('v').vm.sh('cat /root/one /root/two').stdout).toBe('one\ntwo\n');
  });

  it('a VM migrated live keeps its root file system: the cached files come along, the disk stays where it is (shared storage)', () => {
    const engine = new Engine(7);
    const a = createHost({ engine, cpus: 2, machineName: 'hostA', hostname: 'hosta' });
    const b = createHost({ engine, cpus: 4, machineName: 'hostB', hostname: 'hostb' });
    a.vms.create('mover', config([root('mover.img')]));
    const h = a.vms.start('mover');
    h.vm.sh('echo synced > /root/a; sync; echo cached > /root/b');
    expect(imageBytes(a, 'mover.img').includes(Buffer.from('cached\n'))).toBe(false);
    const moved = migrateVm(a, h, b).vm;
    expect(moved.vm.sh('cat /root/a /root/b; sync && echo ok').stdout).toBe('synced\ncached\nok\n');
    // The image is the source host's file: the sync after the move wrote /root/b there.
    const img = imageBytes(a, 'mover.img');
    expect(img.includes(Buffer.from('cached\n'))).toBe(true);
  });

  it('a read-only root drive mounts read-only', () => {
    const host = createHost();
    host.vms.create('ro', config([root('ro.img', { is_read_only: true })]));
    const r = host.vms.start('ro').vm.sh('dmesg | grep -E "Write Protect|VFS:"; grep " / " /proc/mounts; cat /proc/cmdline; echo x > /root/x');
    expect(r.stdout).toMatch(/\] sd 0:0:0:0: \[sda\] Write Protect is on\n/);
    expect(r.stdout).toMatch(/\] VFS: Mounted root \(ctsimfs filesystem\) readonly on device 8:0\.\n/);
    expect(r.stdout).toContain('/dev/sda / ctsimfs ro,relatime 0 0\n');
    expect(r.stdout).toMatch(/root=\/dev\/sda ro\n/);
    expect(r.stderr).toBe('sh: 1: cannot create /root/x: Read-only file system\n');
  });

  it('a root drive without a file system, or a damaged one, stops the boot with the kernel\'s panic; no root drive boots the built-in tree', () => {
    const host = createHost();
    expect(host.sh('mkdir -p /var/lib/ctsim/images && dd if=/dev/zero of=/var/lib/ctsim/images/zero.img bs=1M count=4 2>/dev/null').status).toBe(0);
    host.vms.create('z', config([root('zero.img')]));
    expect(() => host.vms.start('z')).toThrow(
      'VM "z" did not boot: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(8,0): /dev/sda holds no file system (block 0 does not start with the ctsimfs magic "CTSIMFS")',
    );
    expect(host.vms.status('z')).toBe('defined');
    // A byte of the inode table damaged on the host.
    host.vms.create('d', config([root('d.img')]));
    const f = hostByteFile(host.kernel, 'd.img') as ByteFile;
    const tableAt = new DataView(f.read(128, 4).buffer).getUint32(0, true) * 4096;
    f.write(tableAt + 3, new Uint8Array([0xff]));
    expect(() => host.vms.start('d')).toThrow(/^VM "d" did not boot: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block\(8,0\): \/dev\/sda: the inode table is damaged: /);
    // No root drive: the tree built into the kernel, as before.
    host.vms.create('n', config([]));
    const n = host.vms.start('n').vm.sh('grep " / " /proc/mounts; dmesg | grep -c ctsimfs');
    expect(n.stdout).toBe('/dev/sda1 / ext4 rw,relatime,errors=remount-ro 0 0\n0\n');
  });
});
