/**
 * A VM as one file: the image is its source host's log up to the save; restoring
 * replays it to the save and moves the VM over, in the state it was saved in.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { applyEntry, newHostLog, type LogEntry, type OutputSwitch } from '../../src/runtime/host-log.js';
import { buildVmImage, parseVmImage, restoreVmImage } from '../../src/runtime/vm-image.js';
import type { VmOp } from '../../src/hypervisor/vm-manager.js';

const quiet: OutputSwitch = { live: false, stdout: () => undefined, stderr: () => undefined };
const CONFIG = { 'machine-config': { vcpu_count: 1, mem_size_mib: 64 }, 'boot-source': { kernel_image_path: 'vmlinux' } };

/** A source host that ran `ops`, and its log. */
function source(ops: VmOp[]) {
  const host = createHost({ seed: 3 });
  const log = newHostLog('test', 3, { cpus: 2, memoryBytes: 4 * 1024 ** 3, swapBytes: 0 });
  for (const vm of ops) {
    const e: Omit<LogEntry, 'status'> = { atNs: host.now, argv: ['ctsim-vm', vm.op, vm.name], path: '', cwd: '/', uploads: [], stdin: '', vm };
    const r = applyEntry(host, e, () => '', quiet);
    expect(r.status, vm.op).toBe(0);
    log.entries.push({ ...e, status: r.status });
  }
  log.nowNs = host.now;
  return { host, log };
}

describe('VM images', () => {
  it('a VM saved while running comes back running with its files; one saved while paused comes back paused', () => {
    for (const paused of [false, true]) {
      const ops: VmOp[] = [
        { op: 'create', name: 'web', config: CONFIG },
        { op: 'start', name: 'web' },
        { op: 'exec', name: 'web', argv: ['sh', '-c', 'echo kept > /tmp/f'] },
        ...(paused ? [{ op: 'pause', name: 'web' } as VmOp] : []),
        { op: 'save', name: 'web' },
      ];
      const { host: a, log } = source(ops);
      expect(a.vms.status('web')).toBe('stopped');
      const text = buildVmImage(log, log.entries.length - 1, 'web', a.vms.config('web'), () => '', 'test');
      const b = createHost({ seed: 9, cpus: 4 });
      restoreVmImage(b, parseVmImage(text), 'web2');
      expect(b.vms.status('web2')).toBe(paused ? 'paused' : 'running');
      if (paused) b.vms.resume('web2');
      expect(b.vms.exec('web2', ['cat', '/tmp/f'], {}).stdout).toBe('kept\n');
    }
  });

  it('a VM whose root is on its disk comes back with its files, those it synced and those still in its page cache', () => {
    const config = { ...CONFIG, drives: [{ drive_id: 'rootfs', path_on_host: 'web.img', is_root_device: true }] };
    const { host: a, log } = source([
      { op: 'create', name: 'web', config },
      { op: 'start', name: 'web' },
      { op: 'exec', name: 'web', argv: ['sh', '-c', 'echo synced > /root/a; sync; echo cached > /root/b'] },
      { op: 'save', name: 'web' },
    ]);
    const text = buildVmImage(log, log.entries.length - 1, 'web', a.vms.config('web'), () => '', 'test');
    const b = createHost({ seed: 9, cpus: 4 });
    restoreVmImage(b, parseVmImage(text), 'web');
    expect(b.vms.exec('web', ['sh', '-c', 'cat /root/a /root/b; grep " / " /proc/mounts; sync && echo synced-again'], {}).stdout).toBe('synced\ncached\n/dev/sda / ctsimfs rw,relatime 0 0\nsynced-again\n');
  });

  it('refuses a name in use before replaying anything', () => {
    const { host: a, log } = source([
      { op: 'create', name: 'web', config: CONFIG },
      { op: 'start', name: 'web' },
      { op: 'save', name: 'web' },
    ]);
    const text = buildVmImage(log, log.entries.length - 1, 'web', a.vms.config('web'), () => '', 'test');
    const b = createHost({ seed: 9 });
    b.vms.create('web', CONFIG);
    b.vms.start('web');
    const before = b.now;
    expect(() => restoreVmImage(b, parseVmImage(text), 'web')).toThrow(/a VM named "web" exists already and is running/);
    expect(b.now).toBe(before);
    expect(() => restoreVmImage(b, parseVmImage(text), '../x')).toThrow(/"\.\.\/x" is not a VM name/);
  });
});
