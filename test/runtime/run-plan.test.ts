/**
 * Many containers from one image on one host, as `ctsim run -d` makes them: each its
 * own PID 1, host name and address on the ctsim0 bridge, all sharing the one copy of
 * the image layer through overlayfs (the same inode behind every container's
 * /bin/ls). The 1,000-container case and its memory figures are in `npm run bench`.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../src/index.js';
import { defaultPrograms } from '../../src/userland/index.js';
import { planRun } from '../../src/runtime/run-plan.js';
import { applyEntry, type OutputSwitch } from '../../src/runtime/host-log.js';
import { dockerConfig, type RunSpec } from '../../src/runtime/docker-run.js';
import { validateConfig } from '../../src/runtime/oci/index.js';

const programs = new Set(defaultPrograms().all().map((s) => s.name));
const quiet: OutputSwitch = { live: false, stdout: () => {}, stderr: () => {} };
const detached = (over: Partial<RunSpec> = {}): RunSpec => ({ image: 'busybox', network: 'bridge', publish: [], volumes: [], env: [], rm: false, detach: true, userns: false, cmd: ['sleep', '3600'], ...over });

describe('ctsim run on one host', () => {
  test('20 containers from one image: own PID 1, host name and address; one copy of the image', () => {
    const host = createHost({ seed: 1 });
    for (let i = 0; i < 20; i++) {
      const plan = planRun(detached(), i, 1, programs);
      const r = applyEntry(host, { ...plan.entry, atNs: host.now }, (id) => plan.blobs.get(id)!.toString('latin1'), quiet);
      expect(r.status).toBe(0);
    }
    const r = host.sh(`for c in $(runc list -q); do
  pid=$(runc state $c | sed -n 's/.*"pid": \\([0-9]*\\).*/\\1/p')
  echo "$(sed -n 's/^NSpid:\\t[0-9]*\\t//p' /proc/$pid/status) $(nsenter -t $pid -u hostname) $(nsenter -t $pid -n ip -br -4 addr show eth0 | tr -s ' ' | cut -d' ' -f3) $(stat -c %d:%i /proc/$pid/root/bin/ls)"
done
stat -c %d:%i /var/lib/ctsim/images/busybox/rootfs/bin/ls`);
    const lines = r.stdout.trim().split('\n');
    const layer = lines.pop();
    expect(lines).toHaveLength(20);
    const rows = lines.map((l) => l.split(' '));
    expect(new Set(rows.map((x) => x[0]))).toEqual(new Set(['1']));
    expect(new Set(rows.map((x) => x[1])).size).toBe(20);
    expect(new Set(rows.map((x) => x[2])).size).toBe(20);
    for (const x of rows) expect(x[2]).toMatch(/^172\.17\.0\.(\d+)\/16$/);
    expect(new Set(rows.map((x) => x[3]))).toEqual(new Set([layer]));
  });

  test('docker\'s configuration validates against the OCI schema and carries the flags', () => {
    const c = dockerConfig(detached({ memoryBytes: 64 << 20, cpus: 0.5, pidsLimit: 20, hostname: 'web', userns: true, network: 'none', env: ['A=1'] }), 'f'.repeat(64));
    expect(validateConfig(c, 'config.json').errors).toEqual([]);
    expect(c.linux!.resources).toEqual({ memory: { limit: 67108864, swap: 134217728 }, cpu: { period: 100000, quota: 50000 }, pids: { limit: 20 } });
    expect(c.linux!.namespaces!.map((n) => n.type)).toEqual(['pid', 'ipc', 'uts', 'mount', 'cgroup', 'network', 'user']);
    expect(c.process!.env).toContain('A=1');
    expect(c.hostname).toBe('web');
  });

  test('published ports: the host forwards to the container\'s server (DNAT), seen from outside', () => {
    const host = createHost({ seed: 1 });
    const plan = planRun(detached({ publish: [{ hostPort: 8080, containerPort: 80 }], cmd: ['httpd', '-f', '-p', '80'] }), 0, 1, programs);
    expect(applyEntry(host, { ...plan.entry, atNs: host.now }, (id) => plan.blobs.get(id)!.toString('latin1'), quiet).status).toBe(0);
    const r = host.sh('iptables -t nat -S PREROUTING; wget -q -O - "http://203.0.113.10/probe?host=192.168.1.10&port=8080&path=/nothing"');
    expect(r.stdout).toContain('-A PREROUTING ! -i ctsim0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\n');
    // The remote host's request reached the container's httpd (its 404 page), through the host's DNAT.
    expect(r.stdout).toContain('HTTP/1.1 404 Not Found\r\n');
  });
});
