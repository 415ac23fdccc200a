/**
 * sysfs (sysfs(5)): the kernel's objects as directories. ctsim models the network
 * part — /sys/class/net/NAME links into /sys/devices/…/net/NAME, each with the
 * attributes tools read (address, mtu, operstate, carrier, ifindex, iflink, flags,
 * statistics/*, and for bridges and their ports bridge/, brif/ and master) — and
 * keeps the rest of the skeleton (block, fs/cgroup as a mount point, kernel).
 *
 * /sys/class/net shows the network namespace of whoever mounted this sysfs, not
 * of the reader: a new network namespace still sees the host's devices until it
 * mounts a sysfs of its own (NET-04; `ip netns exec` does that).
 *
 * Simplification: no other classes, buses or drivers; attributes are read-only.
 */
import type { Kernel } from '../kernel.js';
import type { NetNamespace } from '../ns/net-ns.js';
import type { Vnode } from '../vfs/vnode.js';
import { InoTable, ProcDir, ProcFile, ProcLink, ROOT_OWNER, type ProcEntry, type ProcFsBase } from './procfs/nodes.js';
import { EtherDevice, type NetDevice } from '../net/netdev.js';
import { BridgeDevice } from '../net/bridge.js';
import { BOND_MODES, BondDevice, HASH_POLICIES } from '../net/bond.js';
import { bondInfo, bondSlaveInfo } from '../net/netlink-bond.js';
import { setNumVfs, SRIOV_TOTAL_VFS } from '../net/sriov.js';
import { err } from '../errno.js';
import { CAP, nsCapable, capMissing } from '../ns/capabilities.js';
import type { DevStats } from '../net/netdev.js';

/** The statistics files, in the order ls lists them. */
const STAT_FILES = [
  'collisions', 'multicast', 'rx_bytes', 'rx_compressed', 'rx_crc_errors', 'rx_dropped', 'rx_errors', 'rx_fifo_errors', 'rx_frame_errors',
  'rx_length_errors', 'rx_missed_errors', 'rx_nohandler', 'rx_over_errors', 'rx_packets', 'tx_aborted_errors', 'tx_bytes', 'tx_carrier_errors',
  'tx_compressed', 'tx_dropped', 'tx_errors', 'tx_fifo_errors', 'tx_heartbeat_errors', 'tx_packets', 'tx_window_errors',
] as const;

/** Where a device lives under /sys/devices: the physical NIC on the PCI bus, the rest virtual. */
function devicePath(d: NetDevice): string {
  return d instanceof EtherDevice ? `devices/pci0000:00/0000:00:03.0/net/${d.name}` : `devices/virtual/net/${d.name}`;
}

export class SysFs implements ProcFsBase {
  readonly type = 'sysfs';
  readonly source: string;
  readonly dev: number;
  readonly kernel: Kernel;
  /** The network namespace of the mounter (NET-04). */
  readonly netns: NetNamespace;
  private readonly inos = new InoTable(1);
  private readonly rootDir: ProcDir;

  constructor(k: Kernel, dev: number, netns: NetNamespace, source = 'sysfs') {
    this.kernel = k;
    this.dev = dev;
    this.netns = netns;
    this.source = source;
    this.rootDir = this.dir('/', () => this.rootEntries(), () => this.rootDir, 0o555);
  }

  root(): Vnode {
    return this.rootDir;
  }

  options(): string {
    return '';
  }

  inoFor(key: string): number {
    return this.inos.get(key);
  }

  private dir(key: string, entries: () => ProcEntry[], parent: () => Vnode, perm = 0o755, find?: (name: string) => ProcEntry | undefined): ProcDir {
    const d = new ProcDir(this, key, perm, ROOT_OWNER, entries, parent, find);
    d.countSubdirLinks = true;
    return d;
  }

  private subdir(parentKey: string, name: string, entries: () => ProcEntry[], parent: () => Vnode, find?: (name: string) => ProcEntry | undefined): ProcEntry {
    const key = `${parentKey === '/' ? '' : parentKey}/${name}`;
    const e: ProcEntry = { name, make: () => this.dir(key, entries, parent, 0o755, find) };
    return e;
  }

  private file(key: string, name: string, render: () => string): ProcEntry {
    return { name, make: () => new ProcFile(this, `${key}/${name}`, 0o444, ROOT_OWNER, render) };
  }

  private link(key: string, name: string, target: () => string): ProcEntry {
    return { name, make: () => new ProcLink(this, `${key}/${name}`, 0o777, ROOT_OWNER, target) };
  }

  /** The devices of the mounter's namespace, by ifindex. */
  private devices(): NetDevice[] {
    return [...this.netns.devices.values()].filter((d) => d.registered).sort((a, b) => a.ifindex - b.ifindex);
  }

  /**
   * The registered device `name`, found without listing them all: a host with thousands
   * of containers has a veth each in its namespace, and a path walk through
   * /sys/class/net/NAME should not cost one entry per device.
   */
  private device(name: string): NetDevice | undefined {
    const d = this.netns.byName(name);
    return d?.registered ? d : this.devices().find((x) => x.name === name);
  }

  private rootEntries(): ProcEntry[] {
    const root = (): Vnode => this.rootDir;
    const empty = (): ProcEntry[] => [];
    return [
      this.subdir('/', 'block', empty, root),
      this.subdir('/', 'class', () => [this.subdir('/class', 'net', () => this.classNet(), () => this.lookupDir('/class'), (name) => this.classNetEntry(name))], root),
      this.subdir('/', 'devices', () => this.devicesEntries(), root),
      this.subdir('/', 'fs', () => [this.subdir('/fs', 'cgroup', empty, () => this.lookupDir('/fs'))], root),
      this.subdir('/', 'kernel', empty, root),
    ];
  }

  /** A directory by absolute key, for `..` of nested directories. */
  private lookupDir(key: string): Vnode {
    let v: Vnode = this.rootDir;
    for (const part of key.split('/').filter(Boolean)) {
      const next = v.lookup!(part);
      if (!('ino' in next)) return this.rootDir;
      v = next;
    }
    return v;
  }

  private classNet(): ProcEntry[] {
    const links = this.devices().map((d) => this.link('/class/net', d.name, () => `../../${devicePath(d)}`));
    // bonding_masters appears with the bonding driver (here: once the namespace has a bond).
    const bonds = this.devices().filter((d) => d instanceof BondDevice);
    if (bonds.length > 0) links.push(this.file('/class/net', 'bonding_masters', () => `${bonds.map((b) => b.name).join(' ')}\n`));
    return links;
  }

  /** /sys/class/net/NAME by name (the listing's entry, without making the others). */
  private classNetEntry(name: string): ProcEntry | undefined {
    const d = this.device(name);
    if (d) return this.link('/class/net', d.name, () => `../../${devicePath(d)}`);
    return name === 'bonding_masters' ? this.classNet().find((e) => e.name === name) : undefined;
  }

  private devicesEntries(): ProcEntry[] {
    const physical = (d: NetDevice): boolean => d instanceof EtherDevice;
    // The devices are listed when the directory is read, and found one by one by name.
    const netDir = (base: string, phys: boolean): ProcEntry => {
      const entry = (d: NetDevice): ProcEntry => this.subdir(`${base}/net`, d.name, () => this.devAttrs(d, `/${devicePath(d)}`), () => this.lookupDir(`${base}/net`));
      return this.subdir(
        base,
        'net',
        () => this.devices().filter((d) => physical(d) === phys).map(entry),
        () => this.lookupDir(base),
        (name) => {
          const d = this.device(name);
          return d && physical(d) === phys ? entry(d) : undefined;
        },
      );
    };
    return [
      this.subdir('/devices', 'pci0000:00', () => [this.subdir('/devices/pci0000:00', '0000:00:03.0', () => [netDir('/devices/pci0000:00/0000:00:03.0', true)], () => this.lookupDir('/devices/pci0000:00'))], () => this.lookupDir('/devices')),
      this.subdir('/devices', 'virtual', () => [netDir('/devices/virtual', false)], () => this.lookupDir('/devices')),
    ];
  }

  /** The attribute files of one device (net-sysfs.c). */
  private devAttrs(d: NetDevice, key: string): ProcEntry[] {
    const parent = (): Vnode => this.lookupDir(key);
    const line = (v: string | number): string => `${v}\n`;
    const out: ProcEntry[] = [
      this.file(key, 'addr_assign_type', () => line(d.macSource === 'perm' ? 0 : d.macSource === 'random' ? 1 : d.macSource === 'stolen' ? 2 : 3)),
      this.file(key, 'address', () => line(d.mac)),
      this.file(key, 'broadcast', () => line(d.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff')),
      this.file(key, 'carrier', () => line(d.adminUp ? (d.carrier() ? 1 : 0) : '')),
      this.file(key, 'flags', () => line(`0x${d.flags().toString(16)}`)),
      this.file(key, 'ifindex', () => line(d.ifindex)),
      this.file(key, 'iflink', () => line(d.link()?.ifindex ?? d.ifindex)),
      this.file(key, 'mtu', () => line(d.mtu)),
      this.file(key, 'operstate', () => line(d.operstate().toLowerCase())),
      this.subdir(key, 'statistics', () => STAT_FILES.map((f) => this.file(`${key}/statistics`, f, () => line(d.stats[f as keyof DevStats] ?? 0))), parent),
      this.file(key, 'tx_queue_len', () => line(d.txqueuelen)),
      this.file(key, 'type', () => line(d.kind === 'loopback' ? 772 : 1)),
    ];
    if (d.master) out.push(this.link(key, 'master', () => `../${d.master!.name}`));
    if (d instanceof BridgeDevice) {
      out.push(
        this.subdir(key, 'bridge', () => [
          this.file(`${key}/bridge`, 'ageing_time', () => line(Math.round(d.ageingNs / 10_000_000))),
          this.file(`${key}/bridge`, 'vlan_filtering', () => line(d.vlanFiltering ? 1 : 0)),
        ], parent),
        this.subdir(key, 'brif', () => d.ports.map((p) => this.link(`${key}/brif`, p.name, () => `../../${p.name}/brport`)), parent),
      );
    }
    if (d.master instanceof BridgeDevice) out.push(this.subdir(key, 'brport', () => [this.file(`${key}/brport`, 'state', () => line(d.adminUp && d.carrier() ? 3 : 0))], parent));
    if (d instanceof BondDevice) out.push(this.subdir(key, 'bonding', () => this.bondAttrs(d, `${key}/bonding`), parent));
    if (d instanceof EtherDevice && d.sriovCapable) out.push(this.subdir(key, 'device', () => this.sriovAttrs(d, `${key}/device`), parent));
    if (d.master instanceof BondDevice) {
      const b = d.master;
      out.push(this.subdir(key, 'bonding_slave', () => this.bondSlaveAttrs(b, d, `${key}/bonding_slave`), parent));
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /**
   * The PCI device's SR-IOV files (sriov_totalvfs, sriov_numvfs: write N to make N
   * virtual functions, 0 to remove them; CAP_SYS_ADMIN). Simplification: `device` is a
   * directory here, not the link into /sys/devices/pci….
   */
  private sriovAttrs(d: EtherDevice, key: string): ProcEntry[] {
    const k = this.kernel;
    const numvfs: ProcEntry = {
      name: 'sriov_numvfs',
      make: () =>
        new ProcFile(this, `${key}/sriov_numvfs`, 0o644, ROOT_OWNER, () => `${d.eswitch?.pf === d ? d.eswitch.vfs.length : 0}\n`, (data) => {
          const t = k.current;
          if (t && !nsCapable(t.creds, k.initUserNs, CAP.SYS_ADMIN)) return err('EPERM', `writing /sys${key}/sriov_numvfs needs CAP_SYS_ADMIN in the initial user namespace` + '; ' + capMissing(t.creds, k.initUserNs, CAP.SYS_ADMIN));
          if (!/^\s*\d+\s*$/.test(data)) return err('EINVAL', `${JSON.stringify(data.trim())} is not a number of virtual functions (/sys${key}/sriov_numvfs)`);
          const n = Number(data.trim());
          const cur = d.eswitch?.vfs.length ?? 0;
          const e = setNumVfs(k.net, d, n);
          if (!e) return data.length;
          const why = {
            EINVAL: `${d.name} is not SR-IOV capable`,
            ERANGE: `${n} virtual functions is more than sriov_totalvfs=${SRIOV_TOTAL_VFS}`,
            EBUSY: `${d.name} already has ${cur} virtual functions: write 0 before a new number`,
            EPERM: `a virtual function of ${d.name} is assigned to a guest and cannot be removed`,
          }[e];
          return err(e, why);
        }),
    };
    return [numvfs, this.file(key, 'sriov_totalvfs', () => `${SRIOV_TOTAL_VFS}\n`)];
  }

  /** /sys/class/net/BOND/bonding (bond_sysfs.c): read-only here. */
  private bondAttrs(b: BondDevice, key: string): ProcEntry[] {
    const line = (v: string | number): string => `${v}\n`;
    const info = (): ReturnType<typeof bondInfo> => bondInfo(b);
    const files: [string, () => string][] = [
      ['mode', () => line(`${b.mode} ${BOND_MODES.indexOf(b.mode)}`)],
      ['slaves', () => line(b.slaves.map((s) => s.dev.name).join(' '))],
      ['miimon', () => line(b.miimon)],
      ['updelay', () => line(info().updelay)],
      ['downdelay', () => line(info().downdelay)],
      ['min_links', () => line(b.minLinks)],
      ['mii_status', () => line(b.adminUp && b.carrier() ? 'up' : 'down')],
      ['xmit_hash_policy', () => line(`${b.xmitHashPolicy} ${HASH_POLICIES.indexOf(b.xmitHashPolicy)}`)],
      ['lacp_rate', () => line(`${b.ad.lacpRate} ${b.ad.lacpRate === 'fast' ? 1 : 0}`)],
      ['ad_select', () => line('stable 0')],
      // Nothing at all without an active slave (bonding_show_active_slave).
      ['active_slave', () => (b.mode === 'active-backup' && b.activeSlave ? line(b.activeSlave.dev.name) : '')],
    ];
    if (b.mode === '802.3ad') {
      // Without an active aggregator: 0 (bonding_show_ad_*).
      const ad = (): NonNullable<ReturnType<typeof bondInfo>['ad']> | undefined => bondInfo(b).ad;
      files.push(
        ['ad_aggregator', () => line(ad()?.aggregator ?? 0)],
        ['ad_num_ports', () => line(ad()?.numPorts ?? 0)],
        ['ad_actor_key', () => line(ad()?.actorKey ?? 0)],
        ['ad_partner_key', () => line(ad()?.partnerKey ?? 0)],
        ['ad_partner_mac', () => line(ad()?.partnerMac ?? '00:00:00:00:00:00')],
      );
    }
    return files.map(([n, f]) => this.file(key, n, f)).sort((x, y) => (x.name < y.name ? -1 : 1));
  }

  /** /sys/class/net/SLAVE/bonding_slave (bond_sysfs_slave.c). */
  private bondSlaveAttrs(b: BondDevice, d: NetDevice, key: string): ProcEntry[] {
    const line = (v: string | number): string => `${v}\n`;
    const i = () => bondSlaveInfo(b, d);
    const files: [string, () => string][] = [
      ['state', () => line(i()?.state.toLowerCase() ?? '')],
      ['mii_status', () => line((i()?.miiStatus ?? 'DOWN').toLowerCase().replace('going_back', 'going back').replace('going_down', 'going down'))],
      ['link_failure_count', () => line(i()?.linkFailureCount ?? 0)],
      ['perm_hwaddr', () => line(i()?.permHwaddr ?? '')],
      ['queue_id', () => line(0)],
    ];
    if (b.mode === '802.3ad') {
      files.push(
        ['ad_aggregator_id', () => line(i()?.aggregatorId ?? '')],
        ['ad_actor_oper_port_state', () => line(i()?.actorState ?? '')],
        ['ad_partner_oper_port_state', () => line(i()?.partnerState ?? '')],
      );
    }
    return files.map(([n, f]) => this.file(key, n, f)).sort((x, y) => (x.name < y.name ? -1 : 1));
  }
}
