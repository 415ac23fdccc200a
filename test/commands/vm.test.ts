/**
 * `ctsim vm` as a user runs it: each command a separate ctsim process on one kept host
 * (--root), the VM's lifecycle recorded and replayed (as ctsim oci's). Runs the built
 * CLI (bin/run.js → dist/), as `npm test` builds it first.
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

describe('ctsim vm', () => {
  it('keeps Firecracker\'s huge_pages and balloon settings but warns that they are not modelled', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ctsim-vm-'));
    expect(ctsim(['vm', 'create', 'fc', '--root', root, '--config', 'fixtures/vm/examples/firecracker.json'])).toEqual({
      status: 0,
      stdout: 'fc\n',
      stderr:
        'ctsim vm create: warning: fixtures/vm/examples/firecracker.json: "huge_pages": "2M" is kept but not modelled (guest memory is backed by 4 KiB host pages)\n' +
        'ctsim vm create: warning: fixtures/vm/examples/firecracker.json: the balloon of 32 MiB is kept but not modelled (it does not inflate)\n',
    });
  });

  it('creates, starts, runs commands in, inspects, pauses, stops and deletes a VM across invocations', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ctsim-vm-'));
    const r = ['--root', root];
    expect(ctsim(['vm', 'create', 'web', ...r, '--config', 'fixtures/vm/examples/kvm-microvm.json'])).toMatchObject({ status: 0, stdout: 'web\n' });
    expect(ctsim(['vm', 'start', 'web', ...r]).status).toBe(0);
    const list = ctsim(['vm', 'list', ...r, '--json']);
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'web', status: 'running', profile: 'kvm', cpuVirt: 'hw', memVirt: 'nested', vcpus: 2, memMib: 256, vmmPid: 2 }]);
    const ex = ctsim(['vm', 'exec', 'web', ...r, '--', 'sh', '-c', 'uname -n; nproc; echo made > /tmp/f']);
    expect(ex).toMatchObject({ status: 0, stdout: 'web\n2\n' });
    // The guest keeps its files between invocations (the log is replayed).
    expect(ctsim(['vm', 'exec', 'web', ...r, '--', 'cat', '/tmp/f'])).toMatchObject({ status: 0, stdout: 'made\n' });
    expect(ctsim(['vm', 'exec', 'web', ...r, '--', 'nosuch'])).toMatchObject({ status: 127, stderr: "env: 'nosuch': No such file or directory\n" });
    // The host sees the VMM as a process.
    expect(ctsim(['sh', ...r, '-c', 'ps -e -o comm= | grep -c qemu-system']).stdout).toBe('2\n');
    const insp = JSON.parse(ctsim(['vm', 'inspect', 'web', ...r, '--json']).stdout);
    expect(insp.cpuVirt.mode).toBe('hw');
    expect(insp.cpuVirt.exits['EPT violation'].count).toBeGreaterThan(0);
    expect(insp.memVirt.technique).toBe('nested paging (EPT/NPT)');
    expect(insp.boot.map((b: { phase: string }) => b.phase)).toEqual(['firmware', 'kernel', 'init']);
    expect(ctsim(['vm', 'inspect', 'web', ...r]).stdout).toMatch(/VM exits \(hardware assist\)[\s\S]*EPT violation/);
    expect(ctsim(['vm', 'pause', 'web', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'web', ...r, '--', 'true'])).toMatchObject({ status: 1, stderr: 'ctsim vm exec: VM "web" is paused: exec needs it running (ctsim vm start web)\n' });
    expect(ctsim(['vm', 'resume', 'web', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'delete', 'web', ...r])).toMatchObject({ status: 1, stderr: 'ctsim vm delete: VM "web" is running: stop it first (ctsim vm stop web)\n' });
    expect(ctsim(['vm', 'stop', 'web', ...r]).status).toBe(0);
    expect(ctsim(['sh', ...r, '-c', 'ps -e -o comm= | grep -c qemu-system']).stdout).toBe('0\n');
    expect(ctsim(['vm', 'delete', 'web', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'list', ...r, '--json']).stdout).toBe('[]\n');
  }, 120_000);

  it('saves a VM to one file and restores it on a host with other hardware, where its processes go on', () => {
    const a = mkdtempSync(path.join(tmpdir(), 'ctsim-vm-a-'));
    const b = mkdtempSync(path.join(tmpdir(), 'ctsim-vm-b-'));
    const file = path.join(a, 'web.vm');
    expect(ctsim(['oci', '--root', b, '--cpus', '4', '--memory', '8G', 'list']).status).toBe(0);
    expect(ctsim(['vm', 'create', 'web', '--root', a, '--config', 'fixtures/vm/examples/kvm-microvm.json']).status).toBe(0);
    expect(ctsim(['vm', 'start', 'web', '--root', a]).status).toBe(0);
    // A guest process that counts in the background, every 10 ms.
    const loop = 'i=0; (while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.01; done) > /dev/null 2>&1 & echo started';
    expect(ctsim(['vm', 'exec', 'web', '--root', a, '--', 'sh', '-c', loop]).stdout).toBe('started\n');
    const saved = ctsim(['vm', 'save', 'web', file, '--root', a]);
    expect(saved.status).toBe(0);
    expect(saved.stdout).toMatch(/^VM web saved to .*web\.vm \(\d+ KiB\)\n$/);
    expect(JSON.parse(ctsim(['vm', 'list', '--root', a, '--json']).stdout)[0].status).toBe('stopped');
    expect(ctsim(['vm', 'restore', file, '--root', b])).toMatchObject({ status: 0, stdout: 'web\n' });
    // On the new host (4 CPUs) the guest still has its 2 vCPUs, its files, and its counter counts on.
    const r = ctsim(['vm', 'exec', 'web', '--root', b, '--', 'sh', '-c', 'a=$(cat /tmp/count); sleep 0.5; b=$(cat /tmp/count); nproc; [ $b -gt $((a + 20)) ] && echo counting']);
    expect(r).toMatchObject({ status: 0, stdout: '2\ncounting\n' });
    expect(ctsim(['sh', '--root', b, '-c', 'nproc; ps -e -o comm= | grep -c qemu-system']).stdout).toBe('4\n2\n');
    // The same file restores again under another name, on the first host.
    expect(ctsim(['vm', 'restore', file, '--root', a, '--name', 'web2']).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'web2', '--root', a, '--', 'uname', '-n']).stdout).toBe('web\n');
    // A damaged image is refused, naming the file.
    writeFileSync(path.join(a, 'bad.vm'), '{"format":"something"}');
    const bad = ctsim(['vm', 'restore', path.join(a, 'bad.vm'), '--root', b]);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/bad\.vm: expected a VM image written by ctsim vm save, found not a ctsim VM image/);
  }, 180_000);

  it('migrates a running VM live to another kept host, printing the pre-copy rounds and the downtime', () => {
    const a = mkdtempSync(path.join(tmpdir(), 'ctsim-vm-a-'));
    const b = mkdtempSync(path.join(tmpdir(), 'ctsim-vm-b-'));
    expect(ctsim(['vm', 'create', 'web', '--root', a, '--config', 'fixtures/vm/examples/kvm-microvm.json']).status).toBe(0);
    expect(ctsim(['vm', 'start', 'web', '--root', a]).status).toBe(0);
    expect(ctsim(['vm', 'exec', 'web', '--root', a, '--', 'sh', '-c', 'echo before > /tmp/mark']).status).toBe(0);
    const m = ctsim(['vm', 'migrate', 'web', '--root', a, '--to', b]);
    expect(m.status).toBe(0);
    expect(m.stdout).toMatch(/^round 0: \d+ pages \([\d.]+ MiB\) sent in [\d.]+ ms while the guest dirtied \d+\nconverged: stop-and-copy of \d+ pages\ndowntime [\d.]+ ms, total [\d.]+ ms\n$/);
    expect(JSON.parse(ctsim(['vm', 'list', '--root', a, '--json']).stdout)[0].status).toBe('stopped');
    expect(ctsim(['vm', 'exec', 'web', '--root', b, '--', 'cat', '/tmp/mark'])).toMatchObject({ status: 0, stdout: 'before\n' });
    expect(ctsim(['vm', 'migrate', 'web', '--root', b, '--to', b]).status).toBe(2);
  }, 120_000);

  it('rejects a bad configuration naming the key, and a type 1 profile on a Linux host', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ctsim-vm-'));
    const bad = path.join(root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ 'machine-config': { vcpu_count: 1, mem_size_mib: 64, cpus: 2 }, 'boot-source': { kernel_image_path: 'k' } }));
    const r = ctsim(['vm', 'create', 'x', '--root', root, '--config', bad]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^ctsim vm create: .*bad\.json at \$\.machine-config\.cpus: /);
    const t1 = ctsim(['vm', 'create', 'x', '--root', root, '--config', 'fixtures/vm/examples/xen-pv.json']);
    expect(t1.status).toBe(1);
    expect(t1.stderr).toMatch(/type 1 hypervisor/);
    expect(ctsim(['vm', 'start', 'nope', '--root', root])).toMatchObject({ status: 1, stderr: 'ctsim vm start: no VM named "nope" (ctsim vm list shows them)\n' });
  }, 60_000);
});
