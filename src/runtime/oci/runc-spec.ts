/**
 * `runc spec [--rootless]`: the starter config.json runc writes (runc spec.go, with
 * the values of libcontainer/specconv `Example()` and `ToRootless()`), and the exact
 * bytes: json.MarshalIndent(spec, "", "\t") written with os.WriteFile, so tab-indented
 * and **without** a trailing newline. Keys are in specs-go's struct field order.
 *
 * The host is taken to be on cgroup v2, so the namespaces include `cgroup` (runc adds
 * it only when cgroups.IsCgroup2UnifiedMode()).
 */
import { goJson } from './go-json.js';
import { OCI_VERSION, type OciConfig, type OciMount, type OciNamespace } from './types.js';

/** Options of `runc spec`. */
export interface RuncSpecOptions {
  /** `--rootless`. */
  rootless: boolean;
  /** The caller's effective uid/gid (runc: os.Geteuid()/Getegid()). Precondition: given when rootless. */
  uid?: number;
  gid?: number;
}

const CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

function exampleMounts(): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
}

/**
 * The object `runc spec` serializes. Every object is built in specs-go field order
 * (Spec: ociVersion, process, root, hostname, mounts, linux; Linux: uidMappings,
 * gidMappings, resources, namespaces, maskedPaths, readonlyPaths), because that order
 * is the order of the bytes.
 */
export function runcDefaultSpec(opts: RuncSpecOptions): OciConfig {
  const namespaces: OciNamespace[] = [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }];
  const maskedPaths = [
    '/proc/acpi',
    '/proc/asound',
    '/proc/kcore',
    '/proc/keys',
    '/proc/latency_stats',
    '/proc/timer_list',
    '/proc/timer_stats',
    '/proc/sched_debug',
    '/sys/firmware',
    '/proc/scsi',
  ];
  const readonlyPaths = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];
  const spec: OciConfig = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
      // LinuxCapabilities order: bounding, effective, inheritable, permitted, ambient.
      capabilities: { bounding: [...CAPS], effective: [...CAPS], permitted: [...CAPS] },
      // POSIXRlimit order: type, hard, soft.
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'runc',
    mounts: exampleMounts(),
    linux: {
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces,
      maskedPaths,
      readonlyPaths,
    },
  };
  if (!opts.rootless) return spec;
  if (opts.uid === undefined || opts.gid === undefined) throw new Error('runcDefaultSpec: rootless needs the caller\'s uid and gid');

  // ToRootless: no network namespace (a rootless runtime cannot configure one), a
  // user namespace mapping container root to the caller, /sys rbound from the host
  // (sysfs cannot be mounted without owning a network namespace), no uid=/gid=
  // mount options (those ids are not mapped), and no cgroup settings.
  const ns: OciNamespace[] = namespaces.filter((n) => n.type !== 'network' && n.type !== 'user');
  ns.push({ type: 'user' });
  const mounts: OciMount[] = spec.mounts!.map((m) => {
    if (m.destination === '/sys') return { destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] };
    const options = m.options?.filter((o) => !o.startsWith('gid=') && !o.startsWith('uid='));
    const out: OciMount = { destination: m.destination, type: m.type, source: m.source };
    // A nil options slice stays nil (omitted); Go's append over a non-empty list keeps it.
    if (options !== undefined && options.length > 0) out.options = options;
    return out;
  });
  return {
    ...spec,
    mounts,
    linux: {
      uidMappings: [{ containerID: 0, hostID: opts.uid, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: opts.gid, size: 1 }],
      namespaces: ns,
      maskedPaths,
      readonlyPaths,
    },
  };
}

/**
 * The bytes `runc spec` writes to config.json: tab-indented, no trailing newline.
 * Objects are written in their key insertion order, which `runcDefaultSpec` makes
 * specs-go's field order.
 */
export function formatRuncSpec(spec: OciConfig): string {
  return goJson(spec as unknown as Parameters<typeof goJson>[0], '\t');
}
