/**
 * cgroup2, the cgroup v2 file system (cgroup-v2.rst "Basic Operations"), mounted at
 * /sys/fs/cgroup: one directory per group, made with mkdir and removed with rmdir,
 * holding the interface files of the core and of each enabled controller.
 *
 *   read  ──▶ render the group's state in the file's format (§2 of CGROUP-V2-NOTES.md)
 *   write ──▶ parse, check (the errno the kernel gives), apply — limits take effect at once
 *
 * An instance is rooted at the cgroup-namespace root of the process that mounted it
 * (CGNS-03). Ownership can be handed to a user with chown (delegation, CG-13).
 */
import type { Kernel } from '../kernel.js';
import { err, SysError } from '../errno.js';
import type { Task } from '../proc/task.js';
import type { Vnode, FsIds, SetAttr } from '../vfs/vnode.js';
import { ProcDir, ProcFile, type ProcEntry, type ProcFsBase } from '../fs/procfs/nodes.js';
import { Cgroup, cgroupMigrate, cgroupPathFrom, ROOT_CONTROLLERS, UNLIMITED, type Controller } from './cgroup.js';
import { allCgroupFileNames, cgroupFiles, type CgFileSpec } from './cgroup-files.js';
import { mayAccess, MAY_WRITE } from '../vfs/permission.js';
import { sendSignal } from '../proc/task-signal.js';
import { SIG } from '../proc/signals.js';
import { CAP, nsCapable } from '../ns/capabilities.js';
import { cpuControl } from './cpu-control.js';

/** Names mkdir refuses in cgroupfs (they would shadow interface files). */
function badName(name: string): boolean {
  return name.includes('.') && (ROOT_CONTROLLERS as readonly string[]).concat('cgroup').includes(name.split('.')[0]);
}

export class CgroupFs implements ProcFsBase {
  readonly type = 'cgroup2';
  readonly source = 'cgroup2';
  readonly dev: number;
  readonly kernel: Kernel;
  /** The group this instance shows as its root. */
  readonly rootCgroup: Cgroup;
  private readonly inos = new Map<string, number>();
  private nextIno = 2;

  constructor(k: Kernel, root: Cgroup, dev: number) {
    this.kernel = k;
    this.rootCgroup = root;
    this.dev = dev;
  }

  options(): string {
    return 'nsdelegate,memory_recursiveprot';
  }

  inoFor(key: string): number {
    let ino = this.inos.get(key);
    if (ino === undefined) {
      ino = key === '/' ? 1 : this.nextIno++;
      this.inos.set(key, ino);
    }
    return ino;
  }

  root(): Vnode {
    return this.dirOf(this.rootCgroup);
  }

  /** mountinfo's root field: this instance's root as the reader's cgroup namespace sees it (CGNS-03). */
  rootName(): string {
    const reader = this.kernel.current;
    const nsRoot = reader ? reader.nsproxy.cgroup.root : this.kernel.cgroupRoot;
    return cgroupPathFrom(nsRoot, this.rootCgroup);
  }

  /** The directory vnode of a group. */
  dirOf(cg: Cgroup): CgDir {
    return new CgDir(this, cg);
  }

  /** The task writing or reading now (the kernel's current task). */
  get current(): Task | null {
    return this.kernel.current;
  }
}

/** Owner of a group's directory or file (root unless delegated with chown). */
function ownerOf(cg: Cgroup, name: string): () => { uid: number; gid: number } {
  return () => cg.attrs.get(name) ?? { uid: 0, gid: 0 };
}

function setOwner(cg: Cgroup, name: string, attr: SetAttr): SysError | undefined {
  const cur = cg.attrs.get(name) ?? { uid: 0, gid: 0 };
  cg.attrs.set(name, { uid: attr.uid !== undefined && attr.uid !== -1 ? attr.uid : cur.uid, gid: attr.gid !== undefined && attr.gid !== -1 ? attr.gid : cur.gid });
  return undefined;
}

/** A controller turned off for a group loses its state (it is created afresh when turned on again). */
function resetController(cg: Cgroup, c: Controller): void {
  if (c === 'pids') {
    cg.pidsMax = Infinity;
    cg.pidsEventsMax = cg.pidsEventsMaxLocal = 0;
  } else if (c === 'memory') {
    const m = cg.mem;
    m.maxPages = m.highPages = m.swapMaxPages = Infinity;
    m.lowPages = m.minPages = 0;
    m.oomGroup = false;
    for (const e of [m.events, m.eventsLocal]) for (const key of Object.keys(e) as (keyof typeof e)[]) e[key] = 0;
  } else if (c === 'cpu') {
    const s = cg.cpu;
    s.weight = 100;
    s.quotaUs = Infinity;
    s.periodUs = 100_000;
    s.burstUs = 0;
    s.nrPeriods = s.nrThrottled = s.throttledNs = 0;
  }
}

/** The files of a cgroup namespace's root a process inside it may write (cgroup_file_write with nsdelegate). */
const NS_ROOT_WRITABLE = new Set(['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control']);

class CgFile extends ProcFile {
  private readonly cg: Cgroup;
  private readonly fileName: string;

  constructor(fs: CgroupFs, cg: Cgroup, spec: CgFileSpec) {
    const write = spec.write;
    super(fs, `${cg.id}/${spec.name}`, spec.mode, ownerOf(cg, spec.name), () => (spec.read ? spec.read(fs, cg) : err('EINVAL', `${spec.name} of ${cg.path} is write-only`)), write ? (d) => {
      // nsdelegate: inside a cgroup namespace the root's limits are not the namespace's to change.
      const w = fs.current;
      if (w && w.nsproxy.cgroup.root === cg && w.nsproxy.cgroup !== fs.kernel.initNsproxy.cgroup && !NS_ROOT_WRITABLE.has(spec.name)) return err('EPERM', 'the cgroup namespace root\'s files are not writable from inside it');
      return write(fs, cg, d);
    } : undefined);
    this.cg = cg;
    this.fileName = spec.name;
  }

  setattr(attr: SetAttr): SysError | undefined {
    return setOwner(this.cg, this.fileName, attr);
  }
}

export class CgDir extends ProcDir {
  private readonly cgfs: CgroupFs;
  readonly cg: Cgroup;

  constructor(fs: CgroupFs, cg: Cgroup) {
    const entries = (): ProcEntry[] => [
      ...[...cg.children.values()].sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ name: c.name, make: () => fs.dirOf(c) })),
      ...cgroupFiles(cg).map((spec) => ({ name: spec.name, make: () => new CgFile(fs, cg, spec) })),
    ];
    const parent = (): Vnode => (cg === fs.rootCgroup || !cg.parent ? fs.dirOf(cg) : fs.dirOf(cg.parent));
    // A child group by its name without sorting the thousands a /ctsim group may hold; else an interface file.
    const find = (name: string): ProcEntry | undefined => {
      const c = cg.children.get(name);
      if (c) return { name, make: () => fs.dirOf(c) };
      const spec = cgroupFiles(cg).find((s) => s.name === name);
      return spec ? { name, make: () => new CgFile(fs, cg, spec) } : undefined;
    };
    super(fs, cg === fs.rootCgroup ? '/' : `${cg.id}`, 0o755, ownerOf(cg, ''), entries, parent, find);
    this.cgfs = fs;
    this.cg = cg;
  }

  setattr(attr: SetAttr): SysError | undefined {
    return setOwner(this.cg, '', attr);
  }

  /** mkdir: a new group, within cgroup.max.depth and cgroup.max.descendants of every ancestor (CG-09). */
  mkdir(name: string, _mode: number, creds: FsIds): Vnode | SysError {
    const cg = this.cg;
    if (!cg.alive) return err('ENOENT', `${cg.path} has been removed`);
    if (cg.children.has(name) || cgroupFiles(cg).some((f) => f.name === name)) return err('EEXIST', `${name} already exists in ${cg.path}`);
    if (badName(name)) return err('EINVAL', `"${name}" looks like an interface file`);
    for (let a: Cgroup | null = cg; a !== null; a = a.parent) {
      if (cg.depth + 1 - a.depth > a.maxDepth) return err('EAGAIN', `cgroup.max.depth of ${a.path} is reached`);
      if (a.maxDescendants !== UNLIMITED && a.subtree().length - 1 + 1 > a.maxDescendants) return err('EAGAIN', `cgroup.max.descendants of ${a.path} is reached`);
    }
    const child = new Cgroup(name, cg, this.cgfs.kernel.allocCgroupId());
    cg.children.set(name, child);
    // The creator owns the new directory and its files (cgroup_kn_set_ugid), so delegation works.
    if (creds.fsuid !== 0 || creds.fsgid !== 0) {
      for (const name of ['', ...allCgroupFileNames()]) child.attrs.set(name, { uid: creds.fsuid, gid: creds.fsgid });
    }
    cpuControl(this.cgfs.kernel).groupCreated(child);
    return this.cgfs.dirOf(child);
  }

  /** rmdir: only an empty group — no children, no live process (zombies do not count, CG-05, CG-06). */
  rmdir(name: string): SysError | undefined {
    const child = this.cg.children.get(name);
    if (!child) return cgroupFiles(this.cg).some((f) => f.name === name) ? err('ENOTDIR', `${name} in ${this.cg.path} is an interface file, not a group`) : err('ENOENT', `${this.cg.path} has no child group ${name}`);
    if (child.children.size > 0) return err('EBUSY', `${child.path} has child groups`);
    if (child.liveTasks().length > 0) return err('EBUSY', `${child.path} has processes`);
    child.alive = false;
    this.cg.children.delete(name);
    cpuControl(this.cgfs.kernel).groupRemoved(child);
    return undefined;
  }

  create(): SysError {
    return err('EACCES', 'files cannot be created in a cgroup directory');
  }
}

/**
 * A write of a PID to cgroup.procs (CG-03, CG-07, CG-13): the process named in the
 * writer's PID namespace (0: the writer) moves to `to`.
 */
export function writeProcs(fs: CgroupFs, to: Cgroup, data: string): number | SysError {
  const k = fs.kernel;
  const writer = fs.current;
  if (!writer) return err('EPERM', `the write to ${to.path}/cgroup.procs did not come from a process`);
  const text = data.trim();
  if (!/^\d+$/.test(text)) return err('EINVAL', `"${text}" is not a PID`);
  const pid = Number(text);
  const t = pid === 0 ? writer : writer.pidNs.tasks.get(pid);
  if (!t || t.exiting) return err('ESRCH', `no process ${pid}`);
  if (!to.alive) return err('ENOENT', `${to.path} has been removed`);
  // nsdelegate: both ends must be inside the writer's cgroup namespace.
  const nsRoot = writer.nsproxy.cgroup.root;
  if (!t.cgroup.isWithin(nsRoot) || !to.isWithin(nsRoot)) return err('ENOENT', 'the source or destination cgroup is outside the writer\'s cgroup namespace');
  // No internal processes: a non-root group giving resources to children takes none itself.
  if (to.parent && to.subtreeControl.size > 0) return err('EBUSY', `${to.path} has controllers enabled in cgroup.subtree_control`);
  // Delegation: without privilege the writer needs write access to the common ancestor's cgroup.procs too.
  if (!nsCapable(writer.creds, k.initUserNs, CAP.SYS_ADMIN)) {
    let common: Cgroup = t.cgroup;
    while (!to.isWithin(common)) common = common.parent!;
    const owner = common.attrs.get('cgroup.procs') ?? { uid: 0, gid: 0 };
    if (!mayAccess(writer.creds, { mode: 0o100644, uid: owner.uid, gid: owner.gid }, MAY_WRITE)) return err('EACCES', `moving out of ${t.cgroup.path} needs write access to ${common.path}/cgroup.procs`);
  }
  cgroupMigrate(t, to);
  cpuControl(k).taskMoved(t);
  return data.length;
}

/** cgroup.subtree_control writes: "+cpu -memory", all or nothing (CG-02, CG-07, CG-08). */
export function writeSubtreeControl(cg: Cgroup, data: string): number | SysError {
  const tokens = data.split(/\s+/).filter(Boolean);
  const want = new Map<Controller, boolean>();
  for (const tok of tokens) {
    const name = tok.slice(1) as Controller;
    if ((tok[0] !== '+' && tok[0] !== '-') || !(ROOT_CONTROLLERS as readonly string[]).includes(name)) return err('EINVAL', `"${tok}" is not +CONTROLLER or -CONTROLLER`);
    want.set(name, tok[0] === '+');
  }
  const available = cg.controllers();
  for (const [c, on] of want) {
    if (on && !available.has(c)) return err('ENOENT', `${c} is not in ${cg.path}/cgroup.controllers (enable it in the parent first)`);
    if (!on && cg.subtreeControl.has(c)) for (const child of cg.children.values()) if (child.subtreeControl.has(c)) return err('EBUSY', `${child.path} still enables ${c}`);
  }
  const enabling = [...want].some(([c, on]) => on && !cg.subtreeControl.has(c));
  if (enabling && cg.parent && cg.liveTasks().length > 0) return err('EBUSY', `${cg.path} has processes: move them to a leaf first (no internal processes)`);
  for (const [c, on] of want) {
    if (on) cg.subtreeControl.add(c);
    else if (cg.subtreeControl.delete(c)) for (const child of cg.children.values()) resetController(child, c);
  }
  return data.length;
}

/** cgroup.kill: "1" SIGKILLs every process of the subtree (CG-10); anything else is ERANGE. */
export function writeKill(cg: Cgroup, data: string, k: Kernel): number | SysError {
  if (data.trim() !== '1') return err('ERANGE', 'write 1 to kill the cgroup');
  for (const c of cg.subtree()) for (const t of c.liveTasks()) sendSignal(k, t, SIG.SIGKILL, false);
  return data.length;
}
