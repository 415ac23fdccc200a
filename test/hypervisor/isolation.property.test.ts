/**
 * Property (issue 11, "Isolation fuzzing" with VMs): two VMs on one host run random
 * sequences of commands a hostile guest would try — its host name, mounts over /proc
 * and /, files where the host keeps its own, kill of every PID, System V IPC objects,
 * new network interfaces, the host's paths by "..", /proc/PID/root and a symlink to
 * "/", a fork bomb under its own pids limit — while a host process and a container
 * run beside them. Nothing a guest does reaches the host, the container or the other
 * guest: each keeps its name, files, mounts, IPC objects, interfaces and processes.
 * A guest kernel is a separate kernel on its own virtual hardware: what it can reach
 * of the host is its devices (here a disk image file and a NIC on a bridge).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createHost } from '../../src/host.js';
import { fuzzRuns } from '../fuzz/mutate.js';

const vm = (name: string) => ({
  'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
  'boot-source': { kernel_image_path: 'vmlinux' },
  drives: [{ drive_id: 'data', path_on_host: `${name}.img`, is_root_device: false, is_read_only: false }],
});

/** Commands a hostile guest tries; `$N` is the guest's own number. */
const ATTACKS = [
  'hostname guest$N; echo guest$N > /etc/hostname',
  'mount -t tmpfs none /proc; ls /proc | head -3',
  'mount -t tmpfs none /mnt && echo x > /mnt/x',
  'echo guest$N > /etc/host-marker; echo guest$N > /tmp/guest-file',
  'for p in $(seq 1 60); do kill -9 $p 2>/dev/null; done; true',
  'ipcmk -Q; ipcmk -M 4096',
  'ip link add dummy$N type dummy 2>/dev/null; ip link add v$N type veth peer name w$N; ip link set v$N up',
  'cat /../../etc/host-marker /proc/1/root/etc/host-marker 2>/dev/null; ln -s / /r; cat /r/../etc/host-marker 2>/dev/null; true',
  'echo +pids > /sys/fs/cgroup/cgroup.subtree_control; mkdir -p /sys/fs/cgroup/b; echo 10 > /sys/fs/cgroup/b/pids.max; echo $$ > /sys/fs/cgroup/b/cgroup.procs; f(){ f|f& }; f; sleep 0.2',
  'dd if=/dev/zero of=/dev/sda bs=512 count=4 2>/dev/null; echo written',
  'stress -q --vm 1 --vm-bytes 16M --timeout 0.1s; true',
];

describe('isolation of VMs', () => {
  test('property: nothing a guest does reaches the host, a container or the other guest', { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...ATTACKS), { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 2 }), fc.integer({ min: 1, max: 1000 }), (plans, seed) => {
        const host = createHost({ cpus: 2, seed });
        host.sh('echo the host > /etc/host-marker; sleep 100000 > /dev/null 2>&1 & echo $! > /tmp/sentinel; ipcs -q | grep -c 0x > /tmp/ipc-before || true');
        const container = host.sh('unshare -u -i -m -p -f --mount-proc sh -c "hostname box; sleep 100000" > /dev/null 2>&1 & sleep 0.1; echo ok');
        expect(container.stdout).toBe('ok\n');
        const before = host.sh('hostname; cat /etc/hostname /etc/host-marker; ip -o link | wc -l; findmnt -n -o FSTYPE /proc; ipcs | grep -c 0x; ls /tmp | sort | tr "\\n" " "').stdout;
        const guests = [0, 1].map((n) => {
          host.vms.create(`g${n}`, vm(`g${n}`));
          return host.vms.start(`g${n}`).vm;
        });
        const guestBefore = guests.map((g) => g.sh('hostname; cat /etc/hostname').stdout);
        plans.forEach((plan, n) => {
          for (const cmd of plan) guests[n].sh(cmd.replaceAll('$N', String(n)), { timeLimitNs: 2e9 });
        });
        // The host: name, files, interfaces, /proc, IPC objects, the files in /tmp, its sentinel process.
        expect(host.sh('hostname; cat /etc/hostname /etc/host-marker; ip -o link | wc -l; findmnt -n -o FSTYPE /proc; ipcs | grep -c 0x; ls /tmp | sort | tr "\\n" " "').stdout).toBe(before);
        expect(host.sh('kill -0 $(cat /tmp/sentinel) && echo alive').stdout).toBe('alive\n');
        // The container keeps its name.
        expect(host.sh('for p in $(pgrep sleep); do nsenter -t $p -u hostname; done | sort -u').stdout).toMatch(/^box\n/);
        // Each guest saw only its own changes: a guest that did not rename itself kept its name.
        plans.forEach((plan, n) => {
          const renamed = plan.some((c) => c.startsWith('hostname'));
          const now = guests[n].sh('hostname').stdout;
          if (renamed) expect(now).toBe(`guest${n}\n`);
          else expect(now).toBe(guestBefore[n].split('\n')[0] + '\n');
          const other = 1 - n;
          expect(guests[other].sh('cat /tmp/guest-file 2>/dev/null; true').stdout).not.toBe(`guest${n}\n`);
        });
      }),
      { numRuns: Math.max(10, Math.ceil(fuzzRuns(0) / 200)) },
    );
  });
});
