/**
 * A VM's NICs: the guest's eth device is cabled to a tap device on the host (vnetN, as
 * libvirt names them), so frames go through both kernels' network stacks. An emulated
 * e1000 traps on every register access; virtio-net notifies only an idle device (event
 * suppression), and a burst received raises one interrupt (NAPI).
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';

const cfg = (model: string, mac = '52:54:00:12:34:56') => ({
  'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
  'boot-source': { kernel_image_path: 'vmlinux' },
  'network-interfaces': [{ iface_id: 'eth0', guest_mac: mac, model }],
});

describe('virtual NICs', () => {
  it('the guest pings the host over its vNIC and the host its guest; the MAC is the configured one', () => {
    const host = createHost();
    host.vms.create('web', cfg('virtio'));
    const h = host.vms.start('web');
    const link = host.sh('ip -br link show vnet0; ip addr add 10.0.0.1/24 dev vnet0');
    expect(link.stdout).toMatch(/^vnet0 +\S+ +fe:54:00:12:34:56 /);
    const g = h.vm.sh('ip -br link show eth0; ip addr add 10.0.0.2/24 dev eth0; ip link set eth0 up; ping -c 2 -q 10.0.0.1; dmesg | grep virtio_net');
    expect(g.stdout).toMatch(/^eth0 +DOWN +52:54:00:12:34:56 /);
    expect(g.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    expect(g.stdout).toContain('virtio_net virtio0 eth0: 52:54:00:12:34:56');
    expect(host.sh('ping -c 1 -q 10.0.0.2').stdout).toContain('1 packets transmitted, 1 received');
    // The VM's tap goes away with it.
    host.vms.stop('web');
    expect(host.sh('ip -br link show vnet0').stderr).toMatch(/does not exist/);
  });

  it('an emulated e1000 costs several exits per frame, virtio-net one', () => {
    const exitsPerPing = (model: string): number => {
      const host = createHost();
      host.vms.create('v', cfg(model));
      const h = host.vms.start('v');
      host.sh('ip addr add 10.0.0.1/24 dev vnet0');
      h.vm.sh('ip addr add 10.0.0.2/24 dev eth0; ip link set eth0 up; ping -c 1 -q 10.0.0.1');
      const before = h.vm.machine.cpuVirt.counters.exits['I/O instruction'];
      expect(h.vm.sh('ping -c 10 -q 10.0.0.1').status).toBe(0);
      return (h.vm.machine.cpuVirt.counters.exits['I/O instruction'] - before) / 10;
    };
    const virtio = exitsPerPing('virtio');
    const e1000 = exitsPerPing('e1000');
    // virtio: one notification per frame sent; e1000: four register writes to send, one
    // read to take each frame received (an ARP exchange now and then adds a little).
    expect(virtio).toBeGreaterThanOrEqual(1);
    expect(virtio).toBeLessThan(1.5);
    expect(e1000).toBeGreaterThanOrEqual(5);
    expect(e1000).toBeGreaterThan(4 * virtio);
  });

  it('a burst: virtio-net notifies once per batch, and NAPI takes received bursts with one interrupt', () => {
    const burst = (model: string) => {
      const host = createHost();
      host.vms.create('v', cfg(model));
      const h = host.vms.start('v');
      host.sh('ip addr add 10.0.0.1/24 dev vnet0');
      h.vm.sh('ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up && mkdir -p /www && dd if=/dev/zero of=/www/big bs=1K count=256 2>/dev/null && httpd -p 8080 -h /www');
      const nic = h.vm.machine.nics![0] as unknown as { framesTx: number; framesRx: number; traps: number; suppressed: number; coalesced: number };
      const before = { ...nic };
      // The guest serves 256 KiB: TCP puts segments on the ring back to back.
      expect(host.sh('wget -q -O /dev/null http://10.0.0.2:8080/big').status).toBe(0);
      return { tx: nic.framesTx - before.framesTx, traps: nic.traps - before.traps, suppressed: nic.suppressed - before.suppressed };
    };
    const v = burst('virtio');
    const e = burst('e1000');
    expect(v.tx).toBeGreaterThan(150);
    // virtio: many frames go without a kick; e1000: every frame writes the tail register (and more).
    expect(v.suppressed).toBeGreaterThan(v.tx / 4);
    expect(v.traps).toBeLessThan(v.tx - v.suppressed + 0.5 * v.tx);
    expect(e.suppressed).toBe(0);
    expect(e.traps).toBeGreaterThanOrEqual(4 * e.tx);
  });

  it('NAPI: a burst received costs far fewer interrupts than frames', () => {
    const host = createHost();
    host.vms.create('v', cfg('virtio'));
    const h = host.vms.start('v');
    host.sh('ip addr add 10.0.0.1/24 dev vnet0 && mkdir -p /www && dd if=/dev/zero of=/www/big bs=1K count=256 2>/dev/null && httpd -p 8080 -h /www');
    h.vm.sh('ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up');
    const exits = () => h.vm.machine.cpuVirt.counters.exits['external interrupt'];
    const nic = h.vm.machine.nics![0] as unknown as { framesRx: number; coalesced: number };
    const [rx0, co0, ex0] = [nic.framesRx, nic.coalesced, exits()];
    expect(h.vm.sh('wget -q -O /dev/null http://10.0.0.1:8080/big').status).toBe(0);
    const rx = nic.framesRx - rx0;
    expect(rx).toBeGreaterThan(150);
    expect(nic.coalesced - co0).toBeGreaterThan(rx / 2);
    expect(exits() - ex0).toBeLessThan(rx / 2);
  });
});
