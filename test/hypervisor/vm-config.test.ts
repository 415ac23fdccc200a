import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateMac, parseVmConfig, parseVmConfigText, toVmConfigDoc, type VmConfig } from '../../src/hypervisor/vm-config.js';
import { PROFILES } from '../../src/hypervisor/profiles.js';
import { fixturePath } from '../../src/sim/fixtures.js';
import { InputError } from '../../src/sim/input-error.js';

const EXAMPLES_DIR = fixturePath('vm/examples');
const exampleText = (file: string): string => readFileSync(`${EXAMPLES_DIR}/${file}`, 'utf8');
const example = (file: string): VmConfig => parseVmConfigText(exampleText(file), `fixtures/vm/examples/${file}`);

/** The smallest valid document, with `extra` merged in at the top level. */
function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'boot-source': { kernel_image_path: 'vmlinux' }, 'machine-config': { vcpu_count: 1, mem_size_mib: 128 }, ...extra };
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

/** The one-line message parseVmConfig(doc, 'vm.json') throws. */
const messageFor = (doc: unknown): string => errorOf(() => parseVmConfig(doc, 'vm.json')).message;

describe('example configs (fixtures/vm/examples)', () => {
  it('holds the documented examples, and every one parses', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(['esxi-2006-bt.json', 'firecracker.json', 'kvm-microvm.json', 'two-nics-vlan.json', 'xen-pv.json']);
    for (const f of files) expect(example(f).name).toBe(f.replace(/\.json$/, ''));
  });

  it('parses kvm-microvm.json to the full config, defaults applied', () => {
    expect(example('kvm-microvm.json')).toEqual({
      name: 'kvm-microvm',
      vcpus: 2,
      memMib: 256,
      kernelImage: 'vmlinux',
      bootArgs: 'console=ttyS0 reboot=k panic=1',
      initrd: null,
      drives: [{ id: 'rootfs', path: 'rootfs.img', root: true, readOnly: false, format: 'raw', backingFile: null }],
      nics: [{ id: 'eth0', mac: '52:54:00:12:34:56', model: 'virtio', hostDev: 'tap0', vlan: null, trunkVlans: [], switch: null, passthrough: false, sriovVf: false }],
      cpuVirt: 'hw',
      memVirt: 'nested',
      hypervisorType: 2,
      profile: 'kvm',
      macOui: '52:54:00',
      hugePages: false,
      balloonMib: 0,
      serial: true,
    } satisfies VmConfig);
  });

  it('parses esxi-2006-bt.json: the vmware-2006 profile with type and OUI overridden (ESX Server 3 ran BT bare-metal)', () => {
    const c = example('esxi-2006-bt.json');
    expect([c.profile, c.hypervisorType, c.cpuVirt, c.memVirt, c.macOui]).toEqual(['vmware-2006', 1, 'bt', 'shadow', '00:50:56']);
    expect(c.drives).toEqual([{ id: 'base', path: 'rhel5-redo.vmdk', root: true, readOnly: false, format: 'cow', backingFile: 'rhel5-base.vmdk' }]);
    expect(c.initrd).toBe('initrd-2.6.18.img');
    expect(c.nics).toEqual([{ id: 'eth0', mac: '00:50:56:cf:f7:c0', model: 'e1000', hostDev: 'vmnic0', vlan: null, trunkVlans: [], switch: null, passthrough: false, sriovVf: false }]);
  });

  it('parses firecracker.json: direct boot, huge pages, balloon, no serial, a generated MAC in aa:fc:00', () => {
    const c = example('firecracker.json');
    expect([c.profile, c.hugePages, c.balloonMib, c.serial, c.nics[0].mac]).toEqual(['firecracker', true, 32, false, 'aa:fc:00:49:5f:36']);
    expect(c.drives[0].readOnly).toBe(true);
  });

  it('parses xen-pv.json: paravirtual CPU, shadow paging, type 1, two drives', () => {
    const c = example('xen-pv.json');
    expect([c.cpuVirt, c.memVirt, c.hypervisorType, c.nics[0].mac, c.nics[0].model]).toEqual(['pv', 'shadow', 1, '00:16:3e:3e:25:ee', 'virtio']);
    expect(c.drives.map((d) => [d.id, d.root])).toEqual([['xvda', true], ['xvdb', false]]);
  });

  it('parses two-nics-vlan.json: VLAN tags, a per-NIC model and an SR-IOV VF, MACs per index', () => {
    const c = example('two-nics-vlan.json');
    expect(c.nics).toEqual([
      { id: 'eth0', mac: '52:54:00:6e:53:08', model: 'virtio', hostDev: 'tap0', vlan: 10, trunkVlans: [], switch: null, passthrough: false, sriovVf: false },
      { id: 'eth1', mac: '52:54:00:f9:51:6b', model: 'e1000', hostDev: 'tap1', vlan: 20, trunkVlans: [], switch: null, passthrough: false, sriovVf: false },
      { id: 'eth2', mac: '52:54:00:d7:c2:ea', model: 'virtio', hostDev: 'eth1', vlan: null, trunkVlans: [], switch: null, passthrough: true, sriovVf: true },
    ]);
  });
});

describe('profile defaults', () => {
  it('applies each profile\'s defaults, whether named in the file or given as an option', () => {
    const doc = minimal({ 'network-interfaces': [{ iface_id: 'eth0' }] });
    for (const p of PROFILES) {
      const fromFile = parseVmConfig({ ...doc, hypervisor: { profile: p.name } }, 'vm.json');
      const fromOpt = parseVmConfig(doc, 'vm.json', { profile: p.name });
      for (const c of [fromFile, fromOpt]) {
        expect([c.profile, c.cpuVirt, c.memVirt, c.hypervisorType, c.macOui, c.nics[0].model]).toEqual([p.name, p.cpuVirt, p.memVirt, p.hypervisorType, p.macOui, p.nicModel]);
        expect(c.nics[0].mac).toBe(generateMac(p.macOui, 'vm', 0));
      }
    }
  });

  it('uses kvm when no profile is given, and the file\'s profile over the option', () => {
    expect(parseVmConfig(minimal(), 'vm.json').profile).toBe('kvm');
    expect(parseVmConfig(minimal({ hypervisor: { profile: 'hyperv' } }), 'vm.json', { profile: 'esxi' }).profile).toBe('hyperv');
  });

  it('lets explicit keys override the profile', () => {
    const c = parseVmConfig(
      minimal({
        'cpu-virt': 'pv',
        'mem-virt': 'shadow',
        hypervisor: { profile: 'kvm', type: 1, mac_oui: '02:AB:CD' },
        'network-interfaces': [{ iface_id: 'eth0', model: 'e1000' }, { iface_id: 'eth1' }],
      }),
      'vm.json',
      { name: 'web' },
    );
    expect([c.cpuVirt, c.memVirt, c.hypervisorType, c.macOui]).toEqual(['pv', 'shadow', 1, '02:ab:cd']);
    expect(c.nics.map((n) => [n.model, n.mac])).toEqual([['e1000', generateMac('02:ab:cd', 'web', 0)], ['virtio', generateMac('02:ab:cd', 'web', 1)]]);
  });

  it('fills Firecracker\'s optional keys with their defaults', () => {
    const c = parseVmConfig(minimal({ drives: [{ drive_id: 'd', path_on_host: 'd.img', is_root_device: false }], balloon: null }), 'dir/my-vm.json');
    expect([c.name, c.bootArgs, c.initrd, c.hugePages, c.balloonMib, c.serial]).toEqual(['my-vm', 'console=ttyS0 reboot=k panic=1', null, false, 0, true]);
    expect(c.drives[0]).toEqual({ id: 'd', path: 'd.img', root: false, readOnly: false, format: 'raw', backingFile: null });
    expect(c.nics).toEqual([]);
  });

  it('accepts a type-2 hypervisor with several vCPUs and PV with either kind of paging', () => {
    expect(parseVmConfig(minimal({ 'machine-config': { vcpu_count: 32, mem_size_mib: 65536 }, hypervisor: { type: 2 } }), 'vm.json').vcpus).toBe(32);
    expect(parseVmConfig(minimal({ 'cpu-virt': 'pv', 'mem-virt': 'nested' }), 'vm.json').memVirt).toBe('nested');
    expect(parseVmConfig(minimal({ 'cpu-virt': 'bt', 'mem-virt': 'shadow' }), 'vm.json').cpuVirt).toBe('bt');
    expect(parseVmConfig(minimal({ 'cpu-virt': 'hw', 'mem-virt': 'shadow' }), 'vm.json').memVirt).toBe('shadow');
  });
});

describe('errors', () => {
  it('names the source, the JSON path, the expectation, what was found and a fix; exit code 3', () => {
    const e = errorOf(() => parseVmConfig(minimal({ 'machine-config': { vcpu_count: 33, mem_size_mib: 128 } }), 'cfg/a.json'));
    expect(e.facts).toEqual({ source: 'cfg/a.json', path: '$.machine-config.vcpu_count', expected: 'an integer from 1 to 32', found: 'the integer 33' });
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('cfg/a.json at $.machine-config.vcpu_count: expected an integer from 1 to 32, found the integer 33');
  });

  it('rejects unknown keys at their path, at every level', () => {
    expect(messageFor(minimal({ colour: 'red' }))).toBe(
      'vm.json at $.colour: expected only the keys $schema, boot-source, drives, machine-config, network-interfaces, cpu-virt, mem-virt, hypervisor, balloon, serial, found the unknown key "colour" (fix: remove "colour" or correct its spelling)',
    );
    expect(messageFor(minimal({ 'machine-config': { vcpu_count: 1, mem_size_mib: 128, vcpus: 2 } }))).toBe(
      'vm.json at $.machine-config.vcpus: expected only the keys vcpu_count, mem_size_mib, smt, track_dirty_pages, huge_pages, found the unknown key "vcpus" (fix: remove "vcpus" or correct its spelling)',
    );
    expect(messageFor(minimal({ drives: [{ drive_id: 'r', path_on_host: 'r.img', is_root_device: true, cache_type: 'Unsafe' }] }))).toBe(
      'vm.json at $.drives[0].cache_type: expected only the keys drive_id, path_on_host, is_root_device, is_read_only, format, backing_file, found the unknown key "cache_type" (fix: remove "cache_type": it is a Firecracker setting that ctsim does not model)',
    );
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'eth0', vlanId: 3 }] }))).toBe(
      'vm.json at $.network-interfaces[0].vlanId: expected only the keys iface_id, guest_mac, host_dev_name, model, vlan, trunk_vlans, switch, passthrough, sriov_vf, found the unknown key "vlanId" (fix: remove "vlanId" or correct its spelling)',
    );
    expect(messageFor(minimal({ 'boot-source': { kernel_image_path: 'v', cmdline: '' } }))).toMatch(/^vm\.json at \$\.boot-source\.cmdline: expected only the keys kernel_image_path, boot_args, initrd_path,/);
    expect(messageFor(minimal({ hypervisor: { kind: 1 } }))).toMatch(/^vm\.json at \$\.hypervisor\.kind: expected only the keys type, profile, mac_oui,/);
    expect(messageFor(minimal({ balloon: { amount_mib: 0, deflate_on_oom: true } }))).toMatch(/at \$\.balloon\.deflate_on_oom: .*Firecracker setting that ctsim does not model/);
    expect(messageFor(minimal({ serial: { enabled: true, serial_out_path: '/tmp/s' } }))).toMatch(/at \$\.serial\.serial_out_path: /);
  });

  it('reports a misspelt key as a rename rather than the real key as missing', () => {
    expect(messageFor({ boot_source: { kernel_image_path: 'v' }, 'machine-config': { vcpu_count: 1, mem_size_mib: 128 } })).toMatch(
      /^vm\.json at \$\.boot_source: expected only the keys .*, found the unknown key "boot_source" \(fix: rename "boot_source" to "boot-source"\)$/,
    );
  });

  it('names a missing required key and what to add', () => {
    expect(messageFor({ 'boot-source': { kernel_image_path: 'v' } })).toBe(
      'vm.json at $.machine-config: expected the required key "machine-config", found nothing (fix: add "machine-config": {"vcpu_count": 1, "mem_size_mib": 128} to $)',
    );
    expect(messageFor(minimal({ 'boot-source': {} }))).toBe('vm.json at $.boot-source.kernel_image_path: expected the required key "kernel_image_path", found nothing (fix: add "kernel_image_path": "vmlinux" to $.boot-source)');
    expect(messageFor(minimal({ 'machine-config': { vcpu_count: 1 } }))).toBe('vm.json at $.machine-config.mem_size_mib: expected the required key "mem_size_mib", found nothing (fix: add "mem_size_mib": 128 to $.machine-config)');
    expect(messageFor(minimal({ drives: [{ drive_id: 'r', path_on_host: 'r.img' }] }))).toBe('vm.json at $.drives[0].is_root_device: expected the required key "is_root_device", found nothing (fix: add "is_root_device": true to $.drives[0])');
  });

  it('rejects wrong types and out-of-range values with what was expected and found', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [minimal({ 'machine-config': { vcpu_count: '2', mem_size_mib: 128 } }), '$.machine-config.vcpu_count', 'expected an integer, found the string "2"'],
      [minimal({ 'machine-config': { vcpu_count: 1.5, mem_size_mib: 128 } }), '$.machine-config.vcpu_count', 'expected an integer, found the number 1.5'],
      [minimal({ 'machine-config': { vcpu_count: 0, mem_size_mib: 128 } }), '$.machine-config.vcpu_count', 'expected an integer from 1 to 32, found the integer 0'],
      [minimal({ 'machine-config': { vcpu_count: 1, mem_size_mib: 8 } }), '$.machine-config.mem_size_mib', 'expected an integer from 16 to 65536, found the integer 8'],
      [minimal({ 'machine-config': { vcpu_count: 1, mem_size_mib: 65537 } }), '$.machine-config.mem_size_mib', 'expected an integer from 16 to 65536, found the integer 65537'],
      [minimal({ 'machine-config': { vcpu_count: 1, mem_size_mib: 128, huge_pages: '1G' } }), '$.machine-config.huge_pages', 'expected one of "None", "2M", found the string "1G"'],
      [minimal({ 'boot-source': { kernel_image_path: '' } }), '$.boot-source.kernel_image_path', 'expected a non-empty string, found the string ""'],
      [minimal({ 'boot-source': { kernel_image_path: 'v', initrd_path: 3 } }), '$.boot-source.initrd_path', 'expected a string or null, found the integer 3'],
      [minimal({ drives: {} }), '$.drives', 'expected an array, found an object ({})'],
      [minimal({ drives: [{ drive_id: 'root fs', path_on_host: 'r', is_root_device: true }] }), '$.drives[0].drive_id', 'expected an id of letters, digits and _, found the string "root fs"'],
      [minimal({ drives: [{ drive_id: 'r', path_on_host: 'r', is_root_device: 'yes' }] }), '$.drives[0].is_root_device', 'expected a boolean (true or false), found the string "yes"'],
      [minimal({ drives: [{ drive_id: 'r', path_on_host: 'r', is_root_device: true, format: 'qcow2' }] }), '$.drives[0].format', 'expected one of "raw", "cow", found the string "qcow2"'],
      [minimal({ 'network-interfaces': [{ iface_id: 'eth0', vlan: 0 }] }), '$.network-interfaces[0].vlan', 'expected an integer from 1 to 4094, found the integer 0'],
      [minimal({ 'network-interfaces': [{ iface_id: 'eth0', vlan: 4095 }] }), '$.network-interfaces[0].vlan', 'expected an integer from 1 to 4094, found the integer 4095'],
      [minimal({ 'network-interfaces': [{ iface_id: 'eth0', model: 'rtl8139' }] }), '$.network-interfaces[0].model', 'expected one of "virtio", "e1000", found the string "rtl8139"'],
      [minimal({ 'network-interfaces': [{ iface_id: 'eth0', guest_mac: '52:54:00:12:34' }] }), '$.network-interfaces[0].guest_mac', 'expected a MAC address of six hex octets like "52:54:00:12:34:56", found the string "52:54:00:12:34"'],
      [minimal({ 'network-interfaces': [{ iface_id: 'eth0', host_dev_name: 'a-very-long-tap-name' }] }), '$.network-interfaces[0].host_dev_name', 'expected a Linux interface name (1 to 15 characters, no "/", ":" or spaces), found the string "a-very-long-tap-name"'],
      [minimal({ 'cpu-virt': 'vt-x' }), '$.cpu-virt', 'expected one of "hw", "bt", "pv", found the string "vt-x"'],
      [minimal({ 'mem-virt': 'ept' }), '$.mem-virt', 'expected one of "nested", "shadow", found the string "ept"'],
      [minimal({ hypervisor: { type: 3 } }), '$.hypervisor.type', 'expected one of 1, 2, found the integer 3'],
      [minimal({ hypervisor: { mac_oui: '52:54' } }), '$.hypervisor.mac_oui', 'expected a MAC prefix of three hex octets like "52:54:00", found the string "52:54"'],
      [minimal({ balloon: { amount_mib: -1 } }), '$.balloon.amount_mib', 'expected a value >= 0, found the integer -1'],
      [minimal({ serial: { enabled: 'on' } }), '$.serial.enabled', 'expected a boolean (true or false), found the string "on"'],
    ];
    for (const [doc, path, rest] of cases) expect(messageFor(doc)).toBe(`vm.json at ${path}: ${rest}`);
    expect(messageFor(null)).toBe('vm.json at $: expected an object, found null');
    expect(messageFor([])).toBe('vm.json at $: expected an object, found an empty array');
  });

  it('rejects an unknown profile, in the file (exit 3) or as the option (a usage error, exit 2)', () => {
    expect(messageFor(minimal({ hypervisor: { profile: 'KVM' } }))).toBe(
      'vm.json at $.hypervisor.profile: expected one of the profiles kvm, firecracker, esxi, vmware-2006, xen-pv, virtualbox, hyperv, found the string "KVM" (fix: use one of the listed names (they are case-sensitive))',
    );
    const e = errorOf(() => parseVmConfig(minimal(), 'vm.json', { profile: 'qemu' }));
    expect([e.exitCode, e.facts.source, e.facts.found]).toEqual([2, '--profile', '"qemu"']);
  });

  it('rejects duplicate drive and interface ids, MACs and tap devices', () => {
    const drive = (id: string, root = false): Record<string, unknown> => ({ drive_id: id, path_on_host: `${id}.img`, is_root_device: root });
    expect(messageFor(minimal({ drives: [drive('a'), drive('b'), drive('a')] }))).toBe(
      'vm.json at $.drives[2].drive_id: expected a drive_id no other drive uses, found "a", already the id of $.drives[0] (fix: rename one of the drives)',
    );
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'eth0' }, { iface_id: 'eth0' }] }))).toBe(
      'vm.json at $.network-interfaces[1].iface_id: expected an iface_id no other interface uses, found "eth0", already the id of $.network-interfaces[0] (fix: rename one of the interfaces)',
    );
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'a', guest_mac: '52:54:00:AA:BB:CC' }, { iface_id: 'b', guest_mac: '52:54:00:aa:bb:cc' }] }))).toBe(
      'vm.json at $.network-interfaces[1].guest_mac: expected a MAC no other interface uses, found "52:54:00:aa:bb:cc", already the MAC of $.network-interfaces[0] (fix: give the interfaces different "guest_mac" values)',
    );
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'a', host_dev_name: 'tap0' }, { iface_id: 'b', host_dev_name: 'tap0' }] }))).toBe(
      'vm.json at $.network-interfaces[1].host_dev_name: expected a tap device no other interface uses, found "tap0", already used by $.network-interfaces[0] (fix: give each interface its own tap device)',
    );
  });

  it('rejects a second root drive', () => {
    const drives = [
      { drive_id: 'a', path_on_host: 'a.img', is_root_device: true },
      { drive_id: 'b', path_on_host: 'b.img', is_root_device: true },
    ];
    expect(messageFor(minimal({ drives }))).toBe(
      'vm.json at $.drives[1].is_root_device: expected at most one root drive, found a second root drive (the first is $.drives[0]) (fix: set "is_root_device": false on all drives but one)',
    );
  });

  it('rejects multicast and all-zero MACs, and a multicast OUI', () => {
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'eth0', guest_mac: '01:00:5E:00:00:01' }] }))).toBe(
      'vm.json at $.network-interfaces[0].guest_mac: expected a unicast MAC (bit 0 of the first octet clear), found "01:00:5E:00:00:01" (a multicast address) (fix: use "00:00:5e:00:00:01")',
    );
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'eth0', guest_mac: 'ff:ff:ff:ff:ff:ff' }] }))).toMatch(/found "ff:ff:ff:ff:ff:ff" \(a multicast address\) \(fix: use "fe:ff:ff:ff:ff:ff"\)$/);
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'eth0', guest_mac: '00:00:00:00:00:00' }] }))).toBe(
      'vm.json at $.network-interfaces[0].guest_mac: expected a non-zero MAC (Linux rejects 00:00:00:00:00:00), found "00:00:00:00:00:00" (fix: remove "guest_mac" to have one generated)',
    );
    expect(messageFor(minimal({ hypervisor: { mac_oui: '53:54:00' } }))).toBe(
      'vm.json at $.hypervisor.mac_oui: expected a unicast prefix (bit 0 of the first octet clear), found "53:54:00" (a multicast prefix) (fix: use "52:54:00")',
    );
  });

  it('rejects binary translation with nested paging, and says to use shadow paging', () => {
    expect(messageFor(minimal({ 'cpu-virt': 'bt', 'mem-virt': 'nested' }))).toBe(
      'vm.json at $.mem-virt: expected mem-virt "shadow" with cpu-virt "bt", found mem-virt "nested" (fix: set "mem-virt": "shadow": binary translators predate nested paging (EPT/NPT, 2008); VMware\'s BT VMM used shadow page tables)',
    );
    // nested came from the kvm profile: point at the explicit key and say what to add.
    expect(messageFor(minimal({ 'cpu-virt': 'bt' }))).toBe(
      'vm.json at $.cpu-virt: expected mem-virt "shadow" with cpu-virt "bt", found cpu-virt "bt" with mem-virt "nested" (the default of the kvm profile) (fix: add "mem-virt": "shadow": binary translators predate nested paging (EPT/NPT, 2008); VMware\'s BT VMM used shadow page tables)',
    );
    expect(messageFor(minimal({ 'mem-virt': 'nested', hypervisor: { profile: 'vmware-2006' } }))).toMatch(/^vm\.json at \$\.mem-virt: expected mem-virt "shadow" with cpu-virt "bt", found mem-virt "nested"/);
  });

  it('enforces the rules the schema cannot express', () => {
    expect(messageFor(minimal({ drives: [{ drive_id: 'r', path_on_host: 'r.img', is_root_device: true, backing_file: 'base.img' }] }))).toBe(
      'vm.json at $.drives[0].backing_file: expected a backing_file only with "format": "cow", found format "raw" (fix: add "format": "cow", or remove "backing_file" (a raw image is the whole disk))',
    );
    expect(messageFor(minimal({ 'network-interfaces': [{ iface_id: 'eth0', sriov_vf: true }] }))).toBe(
      'vm.json at $.network-interfaces[0].sriov_vf: expected sriov_vf only with "passthrough": true (a virtual function is a device assigned to the guest), found passthrough false (fix: add "passthrough": true, or remove "sriov_vf")',
    );
    expect(messageFor(minimal({ 'machine-config': { vcpu_count: 2, mem_size_mib: 128, smt: true } }))).toBe(
      'vm.json at $.machine-config.smt: expected false (ctsim does not model Firecracker\'s SMT siblings), found true (fix: remove "smt" or set it to false)',
    );
    expect(messageFor(minimal({ 'machine-config': { vcpu_count: 1, mem_size_mib: 128, track_dirty_pages: true } }))).toMatch(/at \$\.machine-config\.track_dirty_pages: expected false/);
    expect(messageFor(minimal({ 'machine-config': { vcpu_count: 1, mem_size_mib: 129, huge_pages: '2M' } }))).toBe(
      'vm.json at $.machine-config.mem_size_mib: expected an even number of MiB with huge_pages "2M" (guest memory is backed by 2 MiB pages), found the integer 129 (fix: use 128 or 130, or "huge_pages": "None")',
    );
    expect(messageFor(minimal({ balloon: { amount_mib: 129 } }))).toBe(
      'vm.json at $.balloon.amount_mib: expected at most mem_size_mib (128), found the integer 129 (fix: a balloon cannot take more memory than the guest has)',
    );
    expect(parseVmConfig(minimal({ balloon: { amount_mib: 128 } }), 'vm.json').balloonMib).toBe(128);
  });

  it('reports a JSON syntax error with line:column', () => {
    const e = errorOf(() => parseVmConfigText('{\n  "machine-config": {\n    "vcpu_count": 1,\n  }\n}\n', 'bad.json'));
    expect(e.message).toBe('bad.json at 4:3: expected valid JSON: a property name in double quotes, found "}" (fix: correct the JSON at line 4, column 3)');
    expect(e.facts.path).toBe('4:3');
    expect(errorOf(() => parseVmConfigText('', 'empty.json')).message).toBe(
      'empty.json at 1:1: expected valid JSON: a JSON value (object, array, string, number, true, false or null), found the end of the file (fix: correct the JSON at line 1, column 1)',
    );
  });
});

describe('generateMac', () => {
  it('gives pinned values: the OUI then 24 bits of FNV-1a("name/index") with the Murmur3 finalizer', () => {
    // Cross-checked with an independent Python implementation.
    expect(generateMac('52:54:00', 'web', 0)).toBe('52:54:00:ef:3d:ab');
    expect(generateMac('52:54:00', 'web', 1)).toBe('52:54:00:24:87:30');
    expect(generateMac('52:54:00', 'db', 0)).toBe('52:54:00:32:b4:1b');
    expect(generateMac('52:54:00', 'café', 0)).toBe('52:54:00:4c:e9:23');
    expect(generateMac('AA:FC:00', 'web', 0)).toBe('aa:fc:00:ef:3d:ab');
  });

  it('is deterministic, stays in the OUI, is unicast, and differs per index and per name', () => {
    const seen = new Set<string>();
    for (const name of ['web', 'web2', 'db', 'vm-a', 'vm-b']) {
      for (let i = 0; i < 16; i++) {
        const mac = generateMac('00:16:3e', name, i);
        expect(generateMac('00:16:3e', name, i)).toBe(mac);
        expect(mac).toMatch(/^00:16:3e(:[0-9a-f]{2}){3}$/);
        expect(parseInt(mac.slice(0, 2), 16) & 1).toBe(0);
        seen.add(mac);
      }
    }
    expect(seen.size).toBe(5 * 16);
  });

  it('refuses an OUI that is malformed or multicast, and a bad index', () => {
    expect(() => generateMac('52:54', 'vm', 0)).toThrow('generateMac: "52:54" is not a unicast 3-octet OUI');
    expect(() => generateMac('01:00:5e', 'vm', 0)).toThrow('generateMac: "01:00:5e" is not a unicast 3-octet OUI');
    expect(() => generateMac('52:54:00', 'vm', -1)).toThrow('generateMac: NIC index -1 is not a non-negative integer');
    expect(() => generateMac('52:54:00', 'vm', 0.5)).toThrow(RangeError);
  });
});

describe('toVmConfigDoc', () => {
  it('writes every default out in Firecracker\'s shape', () => {
    expect(toVmConfigDoc(example('firecracker.json'))).toEqual({
      'boot-source': { kernel_image_path: 'vmlinux', boot_args: 'console=ttyS0 reboot=k panic=1 pci=off', initrd_path: null },
      drives: [{ drive_id: 'rootfs', path_on_host: 'rootfs.img', is_root_device: true, is_read_only: true, format: 'raw' }],
      'machine-config': { vcpu_count: 1, mem_size_mib: 128, smt: false, track_dirty_pages: false, huge_pages: '2M' },
      'network-interfaces': [{ iface_id: 'eth0', guest_mac: 'aa:fc:00:49:5f:36', model: 'virtio', host_dev_name: 'tap0', passthrough: false, sriov_vf: false }],
      'cpu-virt': 'hw',
      'mem-virt': 'nested',
      hypervisor: { type: 2, profile: 'firecracker', mac_oui: 'aa:fc:00' },
      balloon: { amount_mib: 32 },
      serial: { enabled: false },
    });
  });

  it('round-trips every example and a config that sets every field', () => {
    const configs = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).map(example);
    configs.push(
      parseVmConfig(
        minimal({
          'boot-source': { kernel_image_path: 'k', boot_args: '', initrd_path: 'i.img' },
          drives: [
            { drive_id: 'base', path_on_host: 'top.img', is_root_device: true, is_read_only: true, format: 'cow', backing_file: 'base.img' },
            { drive_id: 'scratch', path_on_host: 's.img', is_root_device: false, format: 'cow' },
          ],
          'machine-config': { vcpu_count: 3, mem_size_mib: 512, huge_pages: '2M' },
          'network-interfaces': [
            { iface_id: 'eth0', guest_mac: '02:00:00:00:00:01', model: 'e1000', host_dev_name: 'tap9', vlan: 4094, switch: 'vsw0', passthrough: false, sriov_vf: false },
            { iface_id: 'eth1', guest_mac: '02:00:00:00:00:02', model: 'virtio', host_dev_name: 'eth1', vlan: 7, passthrough: true, sriov_vf: true },
            { iface_id: 'eth2', model: 'e1000', host_dev_name: 'eth2', passthrough: true, sriov_vf: false },
          ],
          'cpu-virt': 'pv',
          'mem-virt': 'nested',
          hypervisor: { type: 1, profile: 'hyperv', mac_oui: '02:00:00' },
          balloon: { amount_mib: 100 },
          serial: { enabled: false },
        }),
        'vm.json',
        { name: 'full' },
      ),
    );
    for (const c of configs) {
      const doc = toVmConfigDoc(c);
      // Through JSON text too: what a saved VM file carries.
      expect(parseVmConfigText(JSON.stringify(doc), 'saved.json', { name: c.name })).toEqual(c);
      // A profile option cannot change a saved config: the document names its profile.
      expect(parseVmConfig(doc, 'saved.json', { name: c.name, profile: 'vmware-2006' })).toEqual(c);
    }
    expect(configs.at(-1)!.drives[1].backingFile).toBeNull();
  });
});
