/**
 * A VM's disks are SCSI devices whose commands the VMM answers from a virtual disk in
 * one file of the host (raw, or copy-on-write over a backing file). Sources: SBC-3
 * (READ(10)/WRITE(10), READ CAPACITY(10)), SPC-4 (INQUIRY), Linux sd's boot messages.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { loadDefaultCosts } from '../../src/hw/cost-table.js';

const vm = (name: string, drives: Record<string, unknown>[], nicModel?: string) => ({
  'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
  'boot-source': { kernel_image_path: 'vmlinux' },
  drives,
  ...(nicModel ? { 'network-interfaces': [{ iface_id: 'eth0', model: nicModel }] } : {}),
});
const drive = (id: string, path: string, extra: Record<string, unknown> = {}) => ({ drive_id: id, path_on_host: path, is_root_device: false, is_read_only: false, ...extra });

describe('virtual SCSI disks', () => {
  it('a guest writes its disk; the bytes are in the image file on the host; a copy of the file boots as a second VM with them', () => {
    const host = createHost();
    host.vms.create('a', vm('a', [drive('data', 'a.img')]));
    expect(host.sh('ls -l /var/lib/ctsim/images/a.img').stdout).toMatch(/^-rw-r--r-- 1 root root 67108864 /);
    const a = host.vms.start('a');
    const r = a.vm.sh('ls -l /dev/sda; dmesg | grep -E "^\\[ *[0-9.]+\\] (scsi|sd) "; echo persisted-by-a > /dev/sda');
    expect(r.stdout).toContain('brw-rw---- 1 root disk 8, 0 ');
    expect(r.stdout).toContain('scsi 0:0:0:0: Direct-Access     QEMU     QEMU HARDDISK    2.5+ PQ: 0 ANSI: 5');
    expect(r.stdout).toContain('sd 0:0:0:0: [sda] 131072 512-byte logical blocks: (67.1 MB/64.0 MiB)');
    // The host sees the guest's bytes at the start of the image file.
    expect(host.sh('head -c 14 /var/lib/ctsim/images/a.img').stdout).toBe('persisted-by-a');
    host.vms.stop('a');
    expect(host.sh('cp /var/lib/ctsim/images/a.img /var/lib/ctsim/images/b.img').status).toBe(0);
    host.vms.create('b', vm('b', [drive('data', 'b.img')]));
    const b = host.vms.start('b');
    expect(b.vm.sh('head -c 14 /dev/sda').stdout).toBe('persisted-by-a');
    // dd reads the first block through READ(10): 1+0 records of 512 bytes.
    const dd = b.vm.sh('dd if=/dev/sda bs=512 count=1 of=/tmp/block0; head -c 14 /tmp/block0');
    expect(dd.stdout).toBe('persisted-by-a');
    expect(dd.stderr).toMatch(/^1\+0 records in\n1\+0 records out\n512 bytes copied, /);
    // The disk counted what it answered (ctsim vm inspect shows it): the boot's probe, then the reads.
    const dev = (host.vms.inspect('b').devices as { scsi: { model: string; disks: { device: string; commands: Record<string, number> }[] } }).scsi;
    expect(dev.model).toBe('virtio-scsi');
    expect(dev.disks[0].device).toBe('sda');
    expect(dev.disks[0].commands).toMatchObject({ INQUIRY: 1, 'READ CAPACITY(10)': 1 });
    expect(dev.disks[0].commands['READ(10)']).toBeGreaterThanOrEqual(2);
  });

  it('a copy-on-write image reads through to its backing file and keeps its own writes', () => {
    const host = createHost();
    host.vms.create('base', vm('base', [drive('d', 'base.img')]));
    const base = host.vms.start('base');
    base.vm.sh('echo base-content > /dev/sda');
    host.vms.stop('base');
    host.vms.create('child', vm('child', [drive('d', 'child.cow', { format: 'cow', backing_file: 'base.img' })]));
    const child = host.vms.start('child');
    expect(child.vm.sh('head -c 12 /dev/sda').stdout).toBe('base-content');
    child.vm.sh('echo CHILD > /dev/sda');
    expect(child.vm.sh('head -c 12 /dev/sda').stdout).toBe('CHILD\nontent');
    // The backing file is unchanged; the overlay holds one cluster and its header.
    expect(host.sh('head -c 12 /var/lib/ctsim/images/base.img').stdout).toBe('base-content');
    const size = Number(host.sh('stat -c %s /var/lib/ctsim/images/child.cow').stdout);
    expect(size).toBeLessThan(256 * 1024);
    expect(size).toBeGreaterThan(64 * 1024);
  });

  it('an emulated adapter traps on every command, a paravirtual one notifies once per request', () => {
    const exits = (model: string): number => {
      const host = createHost();
      host.vms.create('v', vm('v', [drive('d', 'v.img')], model));
      const h = host.vms.start('v');
      const before = h.vm.machine.cpuVirt.counters.exits['I/O instruction'];
      // 64 KiB in one read: 128 blocks, one READ(10).
      expect(h.vm.sh('head -c 65536 /dev/sda | wc -c').stdout).toBe('65536\n');
      return h.vm.machine.cpuVirt.counters.exits['I/O instruction'] - before;
    };
    const emulated = exits('e1000');
    const virtio = exits('virtio');
    expect(virtio).toBeGreaterThan(0);
    expect(emulated).toBeGreaterThanOrEqual(5 * virtio);
  });

  it('the same 4 KiB dd costs a VM more than a native host with a disk: the same device time, plus an exit per I/O', () => {
    // Felter et al. 2015 (VIRT-FIGURES §5): a VM pays per I/O, so small I/Os suffer most.
    const costs = loadDefaultCosts().costs;
    const count = 64;
    const dd = (of: string) => `dd if=/dev/zero of=${of} bs=4096 count=${count} conv=fsync`;
    const native = createHost({ disks: [64 * 1024 * 1024] });
    const host = createHost();
    host.vms.create('v', vm('v', [drive('d', 'v.img')]));
    const guest = host.vms.start('v').vm;
    // The time the writes to the disk add to the same dd to /dev/null: the I/O alone, without the shell's fork and exec.
    const io = (sh: (cmd: string) => { elapsedNs: number; stderr: string }): number => {
      const disk = sh(dd('/dev/sda'));
      expect(disk.stderr).toMatch(/^64\+0 records in\n64\+0 records out\n/);
      return disk.elapsedNs - sh(dd('/dev/null')).elapsedNs;
    };
    const nativeNs = io((c) => native.sh(c));
    const guestNs = io((c) => guest.sh(c));
    // Natively each write waits for the device: diskOp plus 4 KiB at diskKiB.
    expect(nativeNs).toBeGreaterThanOrEqual(count * (costs.diskOp + 4 * costs.diskKiB));
    // In the VM the same writes also exit to the VMM (virtio-scsi: one notification per request) before the device starts.
    expect(guestNs - nativeNs).toBeGreaterThanOrEqual(count * costs.vmExitUser);
  });

  it('a missing backing file is refused when the VM is created, and a missing image when it starts', () => {
    const host = createHost();
    expect(() => host.vms.create('c', vm('c', [drive('d', 'c.cow', { format: 'cow', backing_file: 'nope.img' })]))).toThrow(/backing file nope\.img does not exist on the host/);
    host.vms.create('d', vm('d', [drive('d', 'd.img')]));
    host.sh('rm /var/lib/ctsim/images/d.img');
    expect(() => host.vms.start('d')).toThrow(/VM "d" did not start: qemu-system-x86_64: -drive file=d\.img: Could not open '\/var\/lib\/ctsim\/images\/d\.img'/);
  });
});
