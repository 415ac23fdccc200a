/**
 * A physical host's SAS HBA (Linux's mpt3sas) and its drives: no trap to pay, and the
 * device's latency the same formula a VM's disks use (diskOp per command that touches
 * the medium, diskKiB per KiB moved). Through the host kernel's sd driver the drives
 * are /dev/sda, … with the boot lines Linux prints ("scsi host0: Fusion MPT SAS Host").
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { loadDefaultCosts } from '../../src/hw/cost-table.js';
import { PhysicalScsiHba } from '../../src/hw/physical-scsi.js';
import { SECTOR, STATUS_GOOD, cdbInquiry, cdbRead10, cdbSynchronizeCache10, cdbWrite10, deviceLatencyNs, parseInquiry } from '../../src/hw/scsi-disk.js';

const MiB = 1024 * 1024;
const costs = loadDefaultCosts().costs;

describe('PhysicalScsiHba', () => {
  it('costs the CPU nothing and each command diskOp + diskKiB per KiB at the device', () => {
    const hba = new PhysicalScsiHba([MiB], costs);
    const data = new Uint8Array(8 * SECTOR).fill(0x5a);
    const w = hba.command(null, 0, cdbWrite10(16, 8), data, true);
    expect(w.result.status).toBe(STATUS_GOOD);
    expect(w).toMatchObject({ cpuNs: 0, latencyNs: costs.diskOp + 4 * costs.diskKiB });
    const r = hba.command(null, 0, cdbRead10(16, 8), undefined, true);
    expect(r.result.data).toEqual(data);
    expect(r.latencyNs).toBe(costs.diskOp + 4 * costs.diskKiB);
    expect(hba.command(null, 0, cdbSynchronizeCache10(), undefined, true).latencyNs).toBe(costs.diskOp);
    // INQUIRY is answered by the drive's controller, not its medium.
    const inq = hba.command(null, 0, cdbInquiry(), undefined, true);
    expect(inq.latencyNs).toBe(0);
    expect(parseInquiry(inq.result.data)).toMatchObject({ vendor: 'SEAGATE', product: 'ST800FM0053', version: 6 });
    expect(hba.commands).toBe(4);
  });

  it('is the one latency formula: what deviceLatencyNs says for the same command', () => {
    const hba = new PhysicalScsiHba([MiB], costs);
    const out = new Uint8Array(256 * SECTOR);
    const c = hba.command(null, 0, cdbWrite10(0, 256), out, true);
    expect(c.latencyNs).toBe(deviceLatencyNs(costs, cdbWrite10(0, 256), c.result, out));
    expect(c.latencyNs).toBe(costs.diskOp + 128 * costs.diskKiB);
  });

  it('rounds sizes up to whole blocks and refuses what is not a positive byte count', () => {
    expect(new PhysicalScsiHba([1000, MiB], costs).units.map((u) => u.sizeBytes)).toEqual([1024, MiB]);
    expect(() => new PhysicalScsiHba([0], costs)).toThrow(/disks\[0\]: 0 is not a positive byte count/);
    expect(() => new PhysicalScsiHba([MiB, 1.5], costs)).toThrow(/disks\[1\]/);
    expect(() => new PhysicalScsiHba(new Array(27).fill(MiB), costs)).toThrow(/at most 26/);
  });
});

describe('a host with disks', () => {
  it('has /dev/sda (block 8,0) with the boot lines of a real HBA; dd writes and reads it', () => {
    const host = createHost({ disks: [64 * MiB] });
    const r = host.sh('ls -l /dev/sda; dmesg | grep -E "^\\[ *[0-9.]+\\] (scsi|sd) "');
    expect(r.stdout).toMatch(/^brw-rw---- 1 root disk 8, 0 .* \/dev\/sda\n/);
    const log = r.stdout.split('\n').slice(1).map((l) => l.replace(/^\[ *[0-9.]+\] /, ''));
    expect(log).toEqual([
      'scsi host0: Fusion MPT SAS Host',
      'scsi 0:0:0:0: Direct-Access     SEAGATE  ST800FM0053      0001 PQ: 0 ANSI: 6',
      'sd 0:0:0:0: [sda] 131072 512-byte logical blocks: (67.1 MB/64.0 MiB)',
      'sd 0:0:0:0: [sda] Write Protect is off',
      'sd 0:0:0:0: [sda] Mode Sense: 03 00 00 00',
      'sd 0:0:0:0: [sda] Attached SCSI disk',
      '',
    ]);
    // ctsim has no blockdev(8): the size is what dd reads to the end of the device.
    expect(host.sh('dd if=/dev/sda bs=1M | wc -c').stdout).toBe(`${64 * MiB}\n`);
    expect(host.sh('echo on-the-platter | dd of=/dev/sda bs=512 seek=8 conv=notrunc,fsync 2>/dev/null; dd if=/dev/sda bs=512 skip=8 count=1 2>/dev/null | head -c 15').stdout).toBe('on-the-platter\n');
    expect(host.machine.scsi?.units[0].disk.counts['WRITE(10)']).toBeGreaterThanOrEqual(1);
  });

  it('a 4 KiB write to the drive takes at least diskOp: the process sleeps in D until the device completes', () => {
    const host = createHost({ disks: [64 * MiB] });
    const count = 64;
    const r = host.sh(`dd if=/dev/zero of=/dev/sda bs=4096 count=${count} conv=fsync`);
    expect(r.stderr).toMatch(/^64\+0 records in\n64\+0 records out\n262144 bytes \(262 kB, 256 KiB\) copied, /);
    expect(r.elapsedNs).toBeGreaterThanOrEqual(count * (costs.diskOp + 4 * costs.diskKiB));
    // The same dd to /dev/null does not touch the device.
    expect(host.sh(`dd if=/dev/zero of=/dev/null bs=4096 count=${count}`).elapsedNs).toBeLessThan(count * costs.diskOp);
  });

  it('a host without disks has no /dev/sda and no HBA', () => {
    const host = createHost();
    expect(host.machine.scsi).toBeNull();
    expect(host.sh('ls -l /dev/sda').stderr).toBe("ls: cannot access '/dev/sda': No such file or directory\n");
    expect(host.sh('dmesg | grep -c "scsi host"').stdout).toBe('0\n');
  });

  it('two disks are sda (8,0) and sdb (8,16), each its own blocks', () => {
    const host = createHost({ disks: [MiB, 2 * MiB] });
    expect(host.sh('ls -l /dev/sda /dev/sdb').stdout).toMatch(/8, +0 .*\/dev\/sda\n.*8, 16 .*\/dev\/sdb\n/);
    host.sh('echo A > /dev/sda; echo B > /dev/sdb');
    expect(host.sh('head -c 1 /dev/sda; head -c 1 /dev/sdb').stdout).toBe('AB');
    expect(host.sh('dd if=/dev/sdb bs=64k | wc -c').stdout).toBe(`${2 * MiB}\n`);
  });
});
