/**
 * sysfs's network part (sysfs(5), Documentation/ABI/testing/sysfs-class-net): a path
 * walk to /sys/class/net/NAME or /sys/devices/…/net/NAME finds the one device by name
 * (a host with thousands of container veths must not list them all per lookup), and
 * finds exactly what the listing shows: a virtual device only under
 * /sys/devices/virtual/net, the emulated NIC only under its PCI address.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/host.js';

describe('sysfs: network devices by name', () => {
  test('a lookup by name agrees with the listing, for every device and directory', () => {
    const h = createHost({ seed: 1 });
    const setup = h.sh('for i in 1 2 3; do ip link add v$i type veth peer name p$i; done; ip link add bond0 type bond');
    expect(setup.stderr).toBe('');
    const r = h.sh(`cd /sys/class/net
for d in *; do [ -e "$d" ] && echo "$d -> $(readlink "$d")"; done
ls /sys/devices/virtual/net | tr '\\n' ' '; echo
ls /sys/devices/pci0000:00/0000:00:03.0/net | tr '\\n' ' '; echo
cat /sys/class/net/v2/address /sys/devices/virtual/net/v2/address | uniq | wc -l
cat /sys/class/net/bonding_masters
for p in /sys/class/net/nosuch /sys/devices/virtual/net/eth0 /sys/devices/pci0000:00/0000:00:03.0/net/v1; do [ -e $p ] || echo "no $p"; done`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`bond0 -> ../../devices/virtual/net/bond0
bonding_masters -> 
eth0 -> ../../devices/pci0000:00/0000:00:03.0/net/eth0
lo -> ../../devices/virtual/net/lo
p1 -> ../../devices/virtual/net/p1
p2 -> ../../devices/virtual/net/p2
p3 -> ../../devices/virtual/net/p3
v1 -> ../../devices/virtual/net/v1
v2 -> ../../devices/virtual/net/v2
v3 -> ../../devices/virtual/net/v3
bond0 lo p1 p2 p3 v1 v2 v3 
eth0 
1
bond0
no /sys/class/net/nosuch
no /sys/devices/virtual/net/eth0
no /sys/devices/pci0000:00/0000:00:03.0/net/v1
`);
  });

  test('a device that is gone is gone from both directories', () => {
    const h = createHost({ seed: 1 });
    const r = h.sh('ip link add v1 type veth peer name p1; ip link del v1; ls /sys/class/net /sys/devices/virtual/net; [ -e /sys/class/net/p1 ] || echo gone');
    expect(r.stdout).toBe('/sys/class/net:\neth0\nlo\n\n/sys/devices/virtual/net:\nlo\ngone\n');
  });
});
