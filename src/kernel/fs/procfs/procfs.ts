/**
 * procfs (proc(5)): a synthetic file system whose files are the kernel's state as
 * text. An instance belongs to the PID namespace of the process that mounted it and
 * lists that namespace's processes, whoever looks (pid_namespaces(7), PID-16).
 *
 *   /proc ── PID/ (status, stat, cmdline, fd/, cwd, …)   one per process of the namespace
 *        ├── self → PID of the reader    ├── uptime, loadavg, stat, meminfo, cpuinfo, version
 *        ├── mounts → self/mounts         └── sys/kernel/{hostname, pid_max, threads-max, …},
 *                                           sys/vm/{min_free_kbytes, overcommit_memory, overcommit_ratio}
 */
import { renderMeminfo, renderVmstat } from '../../mm/mm-render.js';
import type { Kernel } from '../../kernel.js';
import { UTS_RELEASE, UTS_VERSION, UTS_SYSNAME } from '../../kernel.js';
import { err, SysError } from '../../errno.js';
import type { PidNamespace } from '../../proc/pid-namespace.js';
import type { Task } from '../../proc/task.js';
import type { Mount, Path } from '../../vfs/mount.js';
import type { Vnode } from '../../vfs/vnode.js';
import { InoTable, ProcDir, ProcFile, ProcLink, ROOT_OWNER, type ProcEntry } from './nodes.js';
import { pidDir, type TtyLookup } from './pid-dir.js';
import { formatLoad, loadAverages } from '../../sched/loadavg.js';
import { threadsMax } from '../../proc/task-clone.js';
import { USER_HZ } from '../../syscalls/sys-info.js';
import { Piece } from '../../cpu-loop.js';
import { ttyInfo } from '../../tty/tty.js';
import type { UtsNamespace } from '../../ns/uts-ns.js';
import type { IpcSysctls } from '../../ns/ipc-ns.js';
import type { NetNamespace } from '../../ns/net-ns.js';
import { renderNfConntrack } from '../../net/nat.js';
import { renderProcArp, renderProcRoute } from '../../net/proc-net.js';
import { BondDevice, renderProcBonding } from '../../net/bond.js';
import { renderSysvipc } from '../../syscalls/sys-ipc.js';
import { OVERFLOW_ID, type UserNamespace } from '../../ns/user-ns.js';
import { COUNTED_TYPES } from '../../ns/namespace.js';
import { CAP, CAP_LAST_CAP, nsCapable, capMissing } from '../../ns/capabilities.js';

export class ProcFs {
  readonly type = 'proc';
  readonly source: string;
  readonly dev: number;
  readonly kernel: Kernel;
  readonly pidNs: PidNamespace;
  private readonly inos = new InoTable(4026531840 - 4096, { '/': 1 });
  private readonly rootDir: ProcDir;
  /** Readers already told (in the ns trace) why this procfs shows another PID namespace. */
  private readonly explained = new WeakSet<Task>();
  /** The mount this procfs was first mounted at (for magic links to anonymous files). */
  mount: Mount | null = null;
  /** Answers the tty fields of /proc/PID/stat. */
  ttyOf: TtyLookup = (t) => ttyInfo(this.kernel, t, this.pidNs);

  constructor(k: Kernel, pidNs: PidNamespace, dev: number, source = 'proc') {
    this.kernel = k;
    this.source = source;
    this.pidNs = pidNs;
    this.dev = dev;
    this.rootDir = new ProcDir(this, '/', 0o555, ROOT_OWNER, () => this.rootEntries(), () => this.rootDir, (name) => this.rootEntry(name));
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

  procRoot = (): Vnode => this.rootDir;

  procMountPath = (): Path => {
    if (!this.mount) throw new Error('procfs used before it was mounted');
    return { mnt: this.mount, vn: this.rootDir };
  };

  /** The PID of the task reading, in this procfs's namespace (0 if it cannot be seen). */
  private readerPid(): number {
    const t = this.kernel.current;
    return t ? t.pidIn(this.pidNs) : 0;
  }

  private file(name: string, render: () => string | SysError, perm = 0o444, write?: (d: string) => number | SysError): ProcEntry {
    return { name, make: () => new ProcFile(this, `/${name}`, perm, ROOT_OWNER, render, write) };
  }

  /** A directory of read-only files below the root (/proc/net, /proc/sysvipc), and subdirectories `sub` makes. */
  private dir(name: string, files: Record<string, () => string | SysError>, sub?: (self: () => Vnode) => ProcEntry[]): ProcEntry {
    let self: ProcDir | null = null;
    const entries = (): ProcEntry[] => [
      ...Object.entries(files).map(([f, render]) => ({ name: f, make: () => new ProcFile(this, `/${name}/${f}`, 0o444, ROOT_OWNER, render) })),
      ...(sub ? sub(() => self!) : []),
    ];
    return { name, make: () => (self = new ProcDir(this, `/${name}`, 0o555, ROOT_OWNER, entries, () => this.rootDir)) };
  }

  /** /proc/net/bonding: a file per bond of the reader's network namespace (there while it has one). */
  private bondingDir(parent: () => Vnode): ProcEntry[] {
    const bonds = [...this.net().devices.values()].filter((d): d is BondDevice => d instanceof BondDevice);
    if (bonds.length === 0) return [];
    const k = this.kernel;
    const files = (): ProcEntry[] => bonds.map((b) => ({ name: b.name, make: () => new ProcFile(this, `/net/bonding/${b.name}`, 0o444, ROOT_OWNER, () => renderProcBonding(b, UTS_RELEASE, k.now)) }));
    return [{ name: 'bonding', make: () => new ProcDir(this, '/net/bonding', 0o555, ROOT_OWNER, files, parent) }];
  }

  private rootEntries(): ProcEntry[] {
    const fixed = this.fixedEntries();
    this.explainView();
    const pids: ProcEntry[] = [];
    for (const [pid, t] of [...this.pidNs.tasks.entries()].sort((a, b) => a[0] - b[0])) {
      pids.push({ name: String(pid), make: () => pidDir(this, t) });
    }
    return [...fixed, ...pids];
  }

  /** The root's entry `name` (what a lookup finds in rootEntries), found without listing every PID. */
  private rootEntry(name: string): ProcEntry | undefined {
    this.explainView();
    // No fixed entry has a number for a name: a PID directory is found without making them.
    if (!/^[1-9][0-9]*$/.test(name)) return this.fixedEntries().find((f) => f.name === name);
    const t = this.pidNs.tasks.get(Number(name));
    return t ? { name, make: () => pidDir(this, t) } : undefined;
  }

  /** The entries of /proc besides the PID directories. */
  private fixedEntries(): ProcEntry[] {
    const k = this.kernel;
    return [
      this.file('cmdline', () => `${k.cmdline}\n`),
      this.file('cpuinfo', () => this.cpuinfo()),
      this.file('filesystems', () => 'nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tdevpts\nnodev\tmqueue\nnodev\tcgroup2\nnodev\toverlay\n\text4\n\tctsimfs\n'),
      this.file('loadavg', () => this.loadavg()),
      this.file('meminfo', () => renderMeminfo(k)),
      { name: 'mounts', make: () => new ProcLink(this, '/mounts', 0o777, ROOT_OWNER, () => 'self/mounts') },
      {
        name: 'self',
        make: () => new ProcLink(this, '/self', 0o777, ROOT_OWNER, () => (this.readerPid() ? String(this.readerPid()) : err('ENOENT', '/proc/self names the reading process, and the reader has no PID in the PID namespace of this procfs'))),
      },
      this.file('stat', () => this.stat()),
      // /proc/net follows the reader's network namespace (network_namespaces(7), NET-04).
      this.dir('net', {
        arp: () => renderProcArp(this.net(), k.now),
        dev: () => this.netDev(),
        ...(this.net().netfilter ? { nf_conntrack: () => renderNfConntrack(this.net(), k.now) ?? '' } : {}),
        route: () => renderProcRoute(this.net()),
      }, (self) => this.bondingDir(self)),
      { name: 'sys', make: () => this.sysDir() },
      this.dir('sysvipc', {
        msg: () => renderSysvipc(k.current ?? this.anyTask(), 'msg'),
        sem: () => renderSysvipc(k.current ?? this.anyTask(), 'sem'),
        shm: () => renderSysvipc(k.current ?? this.anyTask(), 'shm'),
      }),
      {
        name: 'thread-self',
        make: () => new ProcLink(this, '/thread-self', 0o777, ROOT_OWNER, () => (this.readerPid() ? `${this.readerPid()}/task/${this.readerPid()}` : err('ENOENT', '/proc/thread-self names the reading thread, and the reader has no PID in the PID namespace of this procfs'))),
      },
      this.file('uptime', () => this.uptime()),
      this.file('vmstat', () => renderVmstat(k)),
      this.file('version', () => `${UTS_SYSNAME} version ${UTS_RELEASE} (ctsim@ctsim) (gcc (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) ${UTS_VERSION}\n`),
    ];
  }

  /** Tells the trace why a reader in another PID namespace sees this one's processes (once per reader). */
  private explainView(): void {
    const k = this.kernel;
    // Why ps shows other processes than a PID namespace holds: this procfs lists the
    // namespace of the process that mounted it, whoever reads it (PID-16).
    const reader = k.current;
    if (reader && reader.pidNs !== this.pidNs && (k.engine.trace.on('ns') || k.engine.trace.on('explain')) && !this.explained.has(reader)) {
      this.explained.add(reader);
      const why = 'a procfs lists the PID namespace of the process that mounted it; mount a new one (unshare --mount-proc) to see this namespace';
      k.engine.trace.emit('ns', 'procfs-view', { pid: reader.tid, reader_pidns: reader.pidNs.inum, procfs_pidns: this.pidNs.inum, why });
      const inside = isAncestorPidNs(this.pidNs, reader.pidNs);
      k.engine.trace.emit('explain', 'procfs-view', {
        pid: reader.tid,
        comm: reader.comm,
        ...(k.machine.kind === 'virtual' ? { vm: k.machine.name } : {}),
        reader_pidns: reader.pidNs.inum,
        procfs_pidns: this.pidNs.inum,
        reason: `it was mounted by a process of PID namespace ${this.pidNs.inum}${inside ? ' (an ancestor of the reader\'s)' : ''} and lists that namespace's ${this.pidNs.tasks.size} processes under their PIDs there, while the reader's namespace holds ${reader.pidNs.tasks.size}; ${why}`,
      });
    }
  }

  /** Some task for renderings that need one when no process is running (the namespace's init). */
  private anyTask(): Task {
    return this.pidNs.init ?? this.kernel.initPidNs.init!;
  }

  /** The System V IPC sysctls of the reader's IPC namespace (IPC-02). */
  private ipcSysctls(w: (apply: (v: string) => SysError | undefined) => (d: string) => number | SysError): ProcEntry[] {
    const ipc = (): IpcSysctls => (this.kernel.current?.nsproxy ?? this.kernel.initNsproxy).ipc.sysctls;
    const num = (name: 'msgmax' | 'msgmnb' | 'msgmni' | 'shmmni' | 'shm_rmid_forced'): ProcEntry => ({
      name,
      make: () =>
        new ProcFile(this, `/sys/kernel/${name}`, 0o644, ROOT_OWNER, () => `${ipc()[name]}\n`, w((v) => {
          if (!/^\s*\d+\s*$/.test(v) || Number(v) > 2147483647) return err('EINVAL', `${JSON.stringify(v.trim())} is not a whole number from 0 to 2147483647 (kernel.${name})`);
          ipc()[name] = Number(v);
          return undefined;
        })),
    });
    const big = (name: 'shmmax' | 'shmall'): ProcEntry => ({
      name,
      make: () =>
        new ProcFile(this, `/sys/kernel/${name}`, 0o644, ROOT_OWNER, () => `${ipc()[name]}\n`, w((v) => {
          if (!/^\s*\d+\s*$/.test(v)) return err('EINVAL', `${JSON.stringify(v.trim())} is not a whole number of ${name === 'shmmax' ? 'bytes' : 'pages'} (kernel.${name})`);
          ipc()[name] = BigInt(v.trim());
          return undefined;
        })),
    });
    const sem: ProcEntry = {
      name: 'sem',
      make: () =>
        new ProcFile(this, '/sys/kernel/sem', 0o644, ROOT_OWNER, () => `${ipc().sem.join('\t')}\n`, w((v) => {
          const f = v.trim().split(/\s+/).map(Number);
          if (f.length !== 4 || f.some((x) => !Number.isInteger(x) || x < 0)) return err('EINVAL', `kernel.sem takes four whole numbers (SEMMSL SEMMNS SEMOPM SEMMNI), got ${JSON.stringify(v.trim())}`);
          ipc().sem = f as [number, number, number, number];
          return undefined;
        })),
    };
    return [num('msgmax'), num('msgmnb'), num('msgmni'), sem, big('shmall'), big('shmmax'), num('shmmni'), num('shm_rmid_forced')];
  }

  /** The reader's network namespace. */
  private net(): NetNamespace {
    return (this.kernel.current?.nsproxy ?? this.kernel.initNsproxy).net;
  }

  /** /proc/net/dev: the reader's network namespace's devices and their counters (dev_seq_show). */
  private netDev(): string {
    const net = this.net();
    let out = 'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
    for (const d of net.devices.values()) {
      const s = d.stats;
      const cols = [
        [s.rx_bytes, 8], [s.rx_packets, 7], [s.rx_errors, 4], [s.rx_dropped, 4], [0, 4], [0, 5], [0, 10], [s.multicast, 9],
        [s.tx_bytes, 8], [s.tx_packets, 7], [s.tx_errors, 4], [s.tx_dropped, 4], [0, 4], [0, 5], [0, 7], [0, 10],
      ] as const;
      out += `${d.name.padStart(6)}:${cols.map(([v, w]) => String(v).padStart(w)).join(' ')}\n`;
    }
    return out;
  }

  /** The UTS namespace of the task reading or writing. */
  private uts(): UtsNamespace {
    return (this.kernel.current?.nsproxy ?? this.kernel.initNsproxy).uts;
  }

  /** /proc/sys: the kernel's tunables (sysctl(8)). */
  private sysDir(): ProcDir {
    const k = this.kernel;
    const w = (apply: (v: string) => SysError | undefined) => (d: string): number | SysError => {
      const t = k.current;
      if (t && t.creds.euid !== 0) return err('EACCES', `writing a /proc/sys tunable needs euid 0, and the writer's euid is ${t.creds.euid}`);
      const r = apply(d.replace(/\n$/, ''));
      return r ?? d.length;
    };
    const kernelEntries = (): ProcEntry[] => [
      // The reader's (writer's) UTS namespace, as the uts sysctls are per namespace.
      {
        name: 'domainname',
        make: () => new ProcFile(this, '/sys/kernel/domainname', 0o644, ROOT_OWNER, () => `${this.uts().domainname}\n`, w((v) => void (this.uts().domainname = v.slice(0, 64)))),
      },
      {
        name: 'hostname',
        make: () => new ProcFile(this, '/sys/kernel/hostname', 0o644, ROOT_OWNER, () => `${this.uts().hostname}\n`, w((v) => void (this.uts().hostname = v.slice(0, 64)))),
      },
      ...this.ipcSysctls(w),
      { name: 'cap_last_cap', make: () => new ProcFile(this, '/sys/kernel/cap_last_cap', 0o444, ROOT_OWNER, () => `${CAP_LAST_CAP}\n`) },
      { name: 'overflowgid', make: () => new ProcFile(this, '/sys/kernel/overflowgid', 0o644, ROOT_OWNER, () => `${OVERFLOW_ID}\n`) },
      { name: 'overflowuid', make: () => new ProcFile(this, '/sys/kernel/overflowuid', 0o644, ROOT_OWNER, () => `${OVERFLOW_ID}\n`) },
      { name: 'ostype', make: () => new ProcFile(this, '/sys/kernel/ostype', 0o444, ROOT_OWNER, () => `${UTS_SYSNAME}\n`) },
      { name: 'osrelease', make: () => new ProcFile(this, '/sys/kernel/osrelease', 0o444, ROOT_OWNER, () => `${UTS_RELEASE}\n`) },
      {
        name: 'pid_max',
        make: () =>
          new ProcFile(this, '/sys/kernel/pid_max', 0o644, ROOT_OWNER, () => `${k.initPidNs.pidMax}\n`, w((v) => {
            const n = Number(v);
            if (!Number.isInteger(n) || n < 301 || n > 4194304) return err('EINVAL', `${JSON.stringify(v)} is not a whole number from 301 to 4194304 (kernel.pid_max)`);
            k.initPidNs.pidMax = n;
            return undefined;
          })),
      },
      { name: 'threads-max', make: () => new ProcFile(this, '/sys/kernel/threads-max', 0o644, ROOT_OWNER, () => `${threadsMax(k.machine.ramBytes)}\n`) },
      { name: 'version', make: () => new ProcFile(this, '/sys/kernel/version', 0o444, ROOT_OWNER, () => `${UTS_VERSION}\n`) },
    ];
    // vm: the memory tunables ctsim acts on (Documentation/admin-guide/sysctl/vm.rst).
    const intKnob = (name: string, get: () => number, set: (n: number) => void, ok: (n: number) => boolean): ProcEntry => ({
      name,
      make: () =>
        new ProcFile(this, `/sys/vm/${name}`, 0o644, ROOT_OWNER, () => `${get()}\n`, w((v) => {
          const n = Number(v.trim());
          if (!/^\s*-?\d+\s*$/.test(v) || !ok(n)) return err('EINVAL', `${JSON.stringify(v.trim())} is not an allowed value of vm.${name} (vm.rst)`);
          set(n);
          return undefined;
        })),
    });
    const mem = k.mem;
    const vmEntries = (): ProcEntry[] => [
      intKnob('min_free_kbytes', () => mem.minFreeKbytes, (n) => (mem.minFreeKbytes = n), (n) => n >= 0 && n <= mem.totalFrames * 4),
      intKnob('overcommit_memory', () => mem.overcommitMemory, (n) => (mem.overcommitMemory = n), (n) => n >= 0 && n <= 2),
      intKnob('overcommit_ratio', () => mem.overcommitRatio, (n) => (mem.overcommitRatio = n), (n) => n >= 0),
    ];
    // user: the reader's user namespace's limits on namespaces it may own (NS-05); its root may change them.
    const userNs = (): UserNamespace => k.current?.creds.userNs ?? k.initUserNs;
    // Owned by the namespace's root, so that it can write them (the user sysctls' set_ownership).
    const nsRootOwner = (): { uid: number; gid: number } => {
      const ns = userNs();
      const uid = ns.kuid(0);
      const gid = ns.kgid(0);
      return { uid: uid < 0 ? 0 : uid, gid: gid < 0 ? 0 : gid };
    };
    const userEntries = (): ProcEntry[] =>
      COUNTED_TYPES.map((type) => ({
        name: `max_${type}_namespaces`,
        make: () =>
          new ProcFile(this, `/sys/user/max_${type}_namespaces`, 0o644, nsRootOwner, () => `${userNs().maxNamespaces[type]}\n`, (d) => {
            const t = k.current;
            const ns = userNs();
            if (t && !nsCapable(t.creds, ns, CAP.SYS_RESOURCE)) return err('EPERM', `writing user.max_${type}_namespaces needs CAP_SYS_RESOURCE in the writer's user namespace` + '; ' + capMissing(t.creds, ns, CAP.SYS_RESOURCE));
            const n = Number(d.trim());
            if (!/^\s*\d+\s*$/.test(d) || n > 2147483647) return err('EINVAL', `${JSON.stringify(d.trim())} is not a whole number from 0 to 2147483647 (user.max_${type}_namespaces)`);
            ns.maxNamespaces[type] = n;
            return d.length;
          }),
      }));
    // net: the reader's (writer's) network namespace; CAP_NET_ADMIN over it to change (net_ctl_permissions).
    // Its files belong to root of the user namespace owning that network namespace when
    // that root is mapped (net_ctl_set_ownership), so root of `unshare -Urn` may open them.
    const netRootOwner = (): { uid: number; gid: number } => {
      const owner = this.net().owner!;
      const uid = owner.kuid(0);
      const gid = owner.kgid(0);
      return { uid: uid < 0 ? 0 : uid, gid: gid < 0 ? 0 : gid };
    };
    const netKnob = (dir: string, name: string, get: (n: NetNamespace) => string, set: (n: NetNamespace, v: string) => boolean): ProcEntry => ({
      name,
      make: () =>
        new ProcFile(this, `/sys/net/${dir}/${name}`, 0o644, netRootOwner, () => `${get(this.net())}\n`, (d) => {
          const t = k.current;
          const net = this.net();
          if (t && !nsCapable(t.creds, net.owner!, CAP.NET_ADMIN)) return err('EPERM', `writing net.${dir}.${name} needs CAP_NET_ADMIN over the writer's network namespace` + '; ' + capMissing(t.creds, net.owner!, CAP.NET_ADMIN));
          return set(net, d.trim()) ? d.length : err('EINVAL', `${JSON.stringify(d.trim())} is not an allowed value of net.${dir}.${name}`);
        }),
    });
    const ipv4Entries = (): ProcEntry[] => [
      netKnob('ipv4', 'ip_forward', (n) => (n.ipForward ? '1' : '0'), (n, v) => {
        if (!/^-?\d+$/.test(v)) return false;
        n.ipForward = Number(v) !== 0;
        return true;
      }),
      netKnob('ipv4', 'ping_group_range', (n) => n.pingGroupRange.join('\t'), (n, v) => {
        const m = /^(\d+)\s+(\d+)$/.exec(v);
        if (!m) return false;
        n.pingGroupRange = [Number(m[1]), Number(m[2])];
        return true;
      }),
    ];
    const netfilterEntries = (): ProcEntry[] =>
      this.net().netfilter
        ? [{ name: 'nf_conntrack_count', make: () => new ProcFile(this, '/sys/net/netfilter/nf_conntrack_count', 0o444, ROOT_OWNER, () => `${renderNfConntrack(this.net(), k.now)!.split('\n').length - 1}\n`) }]
        : [];
    const netEntries = (): ProcEntry[] => [
      { name: 'ipv4', make: () => new ProcDir(this, '/sys/net/ipv4', 0o555, ROOT_OWNER, ipv4Entries, () => sys) },
      ...(this.net().netfilter ? [{ name: 'netfilter', make: () => new ProcDir(this, '/sys/net/netfilter', 0o555, ROOT_OWNER, netfilterEntries, () => sys) }] : []),
    ];
    const sys: ProcDir = new ProcDir(
      this,
      '/sys',
      0o555,
      ROOT_OWNER,
      () => [
        { name: 'kernel', make: () => new ProcDir(this, '/sys/kernel', 0o555, ROOT_OWNER, kernelEntries, () => sys) },
        { name: 'net', make: () => new ProcDir(this, '/sys/net', 0o555, ROOT_OWNER, netEntries, () => sys) },
        { name: 'user', make: () => new ProcDir(this, '/sys/user', 0o555, ROOT_OWNER, userEntries, () => sys) },
        { name: 'vm', make: () => new ProcDir(this, '/sys/vm', 0o555, ROOT_OWNER, vmEntries, () => sys) },
      ],
      () => this.rootDir,
    );
    return sys;
  }

  /** A CPU's times including the piece it is in the middle of. */
  private cpuTimes(i: number): CpuTimes {
    return cpuTimesOf(this.kernel, i);
  }

  private stat(): string {
    const k = this.kernel;
    const tick = (ns: number): number => Math.floor(ns / (1e9 / USER_HZ));
    // proc(5): user nice system idle iowait irq softirq steal guest guest_nice.
    const line = (name: string, c: CpuTimes): string => `${name} ${tick(c.user)} 0 ${tick(c.system)} ${tick(c.idle)} ${tick(c.iowait)} 0 0 ${tick(c.steal)} ${tick(c.guest)} 0`;
    const per = k.percpu.map((_, i) => this.cpuTimes(i));
    const sum = per.reduce(
      (a, c) => ({ user: a.user + c.user, system: a.system + c.system, idle: a.idle + c.idle, iowait: a.iowait + c.iowait, steal: a.steal + c.steal, guest: a.guest + c.guest }),
      { user: 0, system: 0, idle: 0, iowait: 0, steal: 0, guest: 0 },
    );
    let ctxt = 0;
    for (const pc of k.percpu) ctxt += pc.switches;
    let blocked = 0;
    for (const t of k.tasks.values()) if (t.state === 'D') blocked++;
    return [
      line('cpu ', sum),
      ...per.map((c, i) => line(`cpu${i}`, c)),
      'intr 0',
      `ctxt ${ctxt}`,
      `btime ${Math.floor(k.config.bootEpochNs / 1e9)}`,
      `processes ${k.forks + 1}`,
      `procs_running ${k.sched.nrRunning()}`,
      `procs_blocked ${blocked}`,
      'softirq 0 0 0 0 0 0 0 0 0 0 0',
    ].join('\n') + '\n';
  }

  private uptime(): string {
    const k = this.kernel;
    let idle = 0;
    for (let i = 0; i < k.percpu.length; i++) idle += this.cpuTimes(i).idle;
    const s = (ns: number): string => (Math.floor(ns / 1e7) / 100).toFixed(2);
    return `${s(k.uptimeNs)} ${s(idle)}\n`;
  }

  private loadavg(): string {
    const k = this.kernel;
    const l = loadAverages(k);
    let last = 0;
    for (const pid of this.pidNs.tasks.keys()) if (pid > last) last = pid;
    return `${formatLoad(l[0])} ${formatLoad(l[1])} ${formatLoad(l[2])} ${k.sched.nrRunning()}/${this.pidNs.tasks.size} ${last}\n`;
  }

  private cpuinfo(): string {
    const k = this.kernel;
    const n = k.machine.cpus.length;
    let out = '';
    for (let i = 0; i < n; i++) {
      out += [
        `processor\t: ${i}`,
        'vendor_id\t: GenuineIntel',
        'cpu family\t: 6',
        'model\t\t: 85',
        'model name\t: ctsim simulated x86-64 CPU @ 3.00GHz',
        'cpu MHz\t\t: 3000.000',
        `physical id\t: 0`,
        `siblings\t: ${n}`,
        `core id\t\t: ${i}`,
        `cpu cores\t: ${n}`,
        'flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc rep_good nopl xtopology cpuid pni vmx ssse3 cx16 sse4_1 sse4_2 x2apic popcnt hypervisor lahf_lm',
        'bogomips\t: 6000.00',
        '',
      ].join('\n') + '\n';
    }
    return out;
  }
}

export type { Task };

/** A CPU's time by state, in ns (the /proc/stat cpu columns ctsim fills). */
export interface CpuTimes {
  user: number;
  system: number;
  idle: number;
  iowait: number;
  /** Time a virtual CPU waited for its physical CPU (only inside a VM). */
  steal: number;
  /** Time spent running guests' virtual CPUs (counted in user too, as Linux does). */
  guest: number;
}

/** CPU `i`'s times by state (/proc/stat's cpuN line, in ns), including the piece it is in the middle of. */
export function cpuTimesOf(k: Kernel, i: number): CpuTimes {
  const pc = k.percpu[i];
  const cpu = pc.cpu;
  const open = Math.max(0, k.now - pc.pieceStart - (cpu.lostNs - pc.stealMark));
  const idleOpen = pc.piece === Piece.Idle ? open : 0;
  return {
    user: cpu.userNs + (pc.piece === Piece.User || pc.piece === Piece.Guest ? open : 0),
    system: cpu.systemNs + (pc.piece === Piece.Kernel || pc.piece === Piece.Switch ? open : 0),
    idle: cpu.idleNs + (pc.nrIowait > 0 ? 0 : idleOpen),
    iowait: cpu.iowaitNs + (pc.nrIowait > 0 ? idleOpen : 0),
    steal: cpu.stealNs,
    guest: cpu.guestNs + (pc.piece === Piece.Guest ? open : 0),
  };
}

/** True when `a` is `b` or one of its ancestors (a PID namespace sees its descendants' processes). */
function isAncestorPidNs(a: PidNamespace, b: PidNamespace): boolean {
  for (let n: PidNamespace | null = b; n !== null; n = n.parent) if (n === a) return true;
  return false;
}
