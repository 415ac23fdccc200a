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
 *
 * The same on a type 1 hypervisor: two domains with a disk (a file in Domain-0) and a
 * NIC whose back end (vifN.0) is on Domain-0's bridge, beside a container in Domain-0,
 * and network attacks too — Domain-0's address taken, its bridge's MAC, a flood of
 * pings. Domain-0 keeps its name, files, mounts, IPC objects, links, addresses and
 * routes; each disk image holds only what its own domain wrote; the domain list is
 * unchanged.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createHost, DEFAULT_BOOT_EPOCH_NS } from '../../src/host.js';
import { Engine } from '../../src/sim/engine.js';
import { Type1Hypervisor } from '../../src/hypervisor/type1.js';
import { parseVmConfig } from '../../src/hypervisor/vm-config.js';
import { defaultPrograms } from '../../src/userland/index.js';
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

  const NET_ATTACKS = [
    'ip addr add 192.168.1.10/24 dev eth0; true',
    'ip link set eth0 address 00:16:3e:00:00:0$N; ip link set eth0 up; true',
    'ip link set eth0 down; ip link set eth0 up',
    'ping -c 20 -i 0.01 -q 192.168.1.10; ping -c 2 -q 192.168.1.2$O; true',
    'echo guest$N | dd of=/dev/sda bs=512 conv=sync 2>/dev/null; sync',
  ];
  const DOM0_STATE = 'hostname; cat /etc/hostname /etc/host-marker; ip -o link | grep -v vif | sed "s/ qlen [0-9]*//"; ip -o addr; ip route; findmnt -n -o FSTYPE /proc; ipcs | grep -c 0x; ls /tmp | sort | tr "\\n" " "; ip -br link show master xenbr0 | cut -d" " -f1';
  const domain = (name: string, n: number) =>
    parseVmConfig(
      {
        'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
        'boot-source': { kernel_image_path: 'vmlinux' },
        drives: [{ drive_id: 'data', path_on_host: `${name}.img`, is_root_device: false }],
        'network-interfaces': [{ iface_id: 'eth0', guest_mac: `00:16:3e:00:00:1${n}`, switch: 'xenbr0' }],
      },
      `${name}.json`,
      { name, profile: 'xen-pv' },
    );

  test('property: on a type 1 hypervisor nothing a domain does reaches Domain-0, its container or the other domain', { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...ATTACKS, ...NET_ATTACKS), { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 2 }), fc.integer({ min: 1, max: 1000 }), (plans, seed) => {
        const hv = new Type1Hypervisor(new Engine(seed), { cpus: 2, ramBytes: 1024 ** 3, programs: defaultPrograms(), bootEpochNs: DEFAULT_BOOT_EPOCH_NS });
        const dom0 = hv.dom0;
        const setup = dom0.sh(`ip link add xenbr0 type bridge && ip link set xenbr0 up && ip addr flush dev eth0 && ip link set eth0 master xenbr0
ip addr add 192.168.1.10/24 dev xenbr0 && ip route add default via 192.168.1.1
mkdir -p /var/lib/ctsim/images && for d in d0 d1; do dd if=/dev/zero of=/var/lib/ctsim/images/$d.img bs=1M count=4 2>/dev/null; done
echo the host > /etc/host-marker; sleep 100000 > /dev/null 2>&1 & echo $! > /tmp/sentinel
unshare -u -i -m -p -f --mount-proc sh -c "hostname box; sleep 100000" > /dev/null 2>&1 & sleep 0.1`);
        expect(setup.stderr).toBe('');
        const guests = [0, 1].map((n) => hv.createVm(domain(`d${n}`, n)));
        guests.forEach((g, n) => expect(g.sh(`ip link set eth0 up && ip addr add 192.168.1.2${n}/24 dev eth0`).stderr).toBe(''));
        const before = dom0.sh(DOM0_STATE).stdout;
        const domains = hv.list();
        plans.forEach((plan, n) => {
          for (const cmd of plan) guests[n].sh(cmd.replaceAll('$N', String(n)).replaceAll('$O', String(1 - n)), { timeLimitNs: 2e9 });
        });
        expect(dom0.sh(DOM0_STATE).stdout).toBe(before);
        expect(dom0.sh('kill -0 $(cat /tmp/sentinel) && echo alive').stdout).toBe('alive\n');
        expect(dom0.sh('for p in $(pgrep sleep); do nsenter -t $p -u hostname; done | sort -u').stdout).toBe('Domain-0\nbox\n');
        expect(hv.list()).toEqual(domains);
        plans.forEach((plan, n) => {
          // Its disk image holds what it wrote last (a name, or zeros), and never what the other domain wrote.
          const head = dom0.sh(`head -c 6 /var/lib/ctsim/images/d${n}.img | tr -d "\\0"`).stdout;
          const writes = plan.filter((c) => c.includes('of=/dev/sda'));
          expect(head).toBe(writes.at(-1)?.startsWith('echo guest') ? `guest${n}` : '');
          const renamed = plan.some((c) => c.startsWith('hostname'));
          expect(guests[n].sh('hostname').stdout).toBe(renamed ? `guest${n}\n` : `d${n}\n`);
          expect(guests[1 - n].sh('cat /tmp/guest-file 2>/dev/null; true').stdout).not.toBe(`guest${n}\n`);
        });
      }),
      { numRuns: Math.max(10, Math.ceil(fuzzRuns(0) / 200)) },
    );
  });
});
