/**
 * Issue 7's "Done when", by hand from the built CLI: a VM's root file system is on its
 * disk image, so the image copied on the host boots as a second VM with the first
 * one's files, and a copy-on-write overlay of it boots too. A root drive without a file
 * system stops `ctsim vm start` with the kernel's panic in one line. Runs bin/run.js
 * (dist/), as `npm test` builds it first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const BIN = path.join(REPO_ROOT, 'bin', 'run.js');
const ctsim = (args: string[]): { stdout: string; stderr: string; status: number } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', input: '' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
};

/** A config file in `dir` whose root drive is `drive`. */
function configFile(dir: string, name: string, drive: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({
    'boot-source': { kernel_image_path: 'vmlinux' },
    drives: [{ drive_id: 'rootfs', is_root_device: true, ...drive }],
    'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
  }));
  return file;
}

describe('ctsim vm: the root file system on the disk image', () => {
  it('a stopped VM\'s image copied on the host boots as a second VM with its files; an overlay of it too', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-rootdisk-'));
    const r = ['--root', path.join(dir, 'state')];
    expect(ctsim(['vm', 'create', 'a', ...r, '--config', configFile(dir, 'a', { path_on_host: 'a.img' })]).status).toBe(0);
    expect(ctsim(['vm', 'start', 'a', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'a', ...r, '--', 'sh', '-c', 'echo hello > /root/note; sync'])).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(ctsim(['vm', 'exec', 'a', ...r, '--', 'sh', '-c', 'grep " / " /proc/mounts; dmesg | grep -c "VFS: Mounted root (ctsimfs filesystem) on device 8:0."']).stdout).toBe('/dev/sda / ctsimfs rw,relatime 0 0\n1\n');
    expect(ctsim(['vm', 'stop', 'a', ...r]).status).toBe(0);
    // On the host: the image is a file under /var/lib/ctsim/images, copied with cp.
    expect(ctsim(['sh', ...r, '-c', 'cd /var/lib/ctsim/images && cp a.img b.img && head -c 7 b.img'])).toMatchObject({ status: 0, stdout: 'CTSIMFS' });
    expect(ctsim(['vm', 'create', 'b', ...r, '--config', configFile(dir, 'b', { path_on_host: 'b.img' })]).status).toBe(0);
    expect(ctsim(['vm', 'start', 'b', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'b', ...r, '--', 'cat', '/root/note'])).toMatchObject({ status: 0, stdout: 'hello\n' });
    // b's writes stay in b.img (written at its stop, without a sync).
    expect(ctsim(['vm', 'exec', 'b', ...r, '--', 'sh', '-c', 'echo b > /root/note; touch /root/only-b']).status).toBe(0);
    expect(ctsim(['vm', 'stop', 'b', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'start', 'b', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'b', ...r, '--', 'sh', '-c', 'cat /root/note; ls /root']).stdout).toBe('b\nnote\nonly-b\n');
    expect(ctsim(['vm', 'start', 'a', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'a', ...r, '--', 'sh', '-c', 'cat /root/note; ls /root']).stdout).toBe('hello\nnote\n');
    expect(ctsim(['vm', 'stop', 'a', ...r]).status).toBe(0);
    // A copy-on-write overlay whose backing file is a.img.
    const c = configFile(dir, 'c', { path_on_host: 'c.cow', format: 'cow', backing_file: 'a.img' });
    expect(ctsim(['vm', 'create', 'c', ...r, '--config', c]).status).toBe(0);
    expect(ctsim(['vm', 'start', 'c', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'c', ...r, '--', 'sh', '-c', 'cat /root/note; echo c > /root/c; sync']).stdout).toBe('hello\n');
    expect(ctsim(['vm', 'stop', 'c', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'start', 'c', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'c', ...r, '--', 'cat', '/root/c']).stdout).toBe('c\n');
  }, 240_000);

  it('a root drive without a file system, or whose image is gone, fails `vm start` in one line with status 1', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-rootdisk-'));
    const r = ['--root', path.join(dir, 'state')];
    expect(ctsim(['sh', ...r, '-c', 'mkdir -p /var/lib/ctsim/images && dd if=/dev/zero of=/var/lib/ctsim/images/zero.img bs=1M count=4 2>/dev/null']).status).toBe(0);
    expect(ctsim(['vm', 'create', 'z', ...r, '--config', configFile(dir, 'z', { path_on_host: 'zero.img' })]).status).toBe(0);
    expect(ctsim(['vm', 'start', 'z', ...r])).toEqual({
      status: 1,
      stdout: '',
      stderr: 'ctsim vm start: VM "z" did not boot: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(8,0): /dev/sda holds no file system (block 0 does not start with the ctsimfs magic "CTSIMFS")\n',
    });
    expect(ctsim(['vm', 'create', 'g', ...r, '--config', configFile(dir, 'g', { path_on_host: 'gone.img' })]).status).toBe(0);
    expect(ctsim(['sh', ...r, '-c', 'rm /var/lib/ctsim/images/gone.img']).status).toBe(0);
    expect(ctsim(['vm', 'start', 'g', ...r])).toEqual({
      status: 1,
      stdout: '',
      stderr: "ctsim vm start: VM \"g\" did not start: qemu-system-x86_64: -drive file=gone.img: Could not open '/var/lib/ctsim/images/gone.img': No such file or directory\n",
    });
  }, 120_000);
});
