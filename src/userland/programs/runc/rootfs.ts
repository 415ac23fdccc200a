/**
 * The container's root file system, set up by its init in its new mount namespace
 * the way libcontainer's rootfs_linux.go does: / made rslave (or the configured
 * rootfsPropagation), the rootfs bind-mounted onto itself, config.json's mounts in
 * order under it, the default devices and /dev symlinks, then pivot_root(".", ".")
 * and a lazy unmount of the old root; after that maskedPaths, readonlyPaths and a
 * read-only root.
 *
 * Simplification: paths are joined under the rootfs without resolving symlinks that
 * point out of it (runc uses securejoin); device nodes are always bind-mounted from
 * the host's /dev (runc does so in a user namespace, and mknods them otherwise).
 */
import type { Op } from '../../../kernel/proc/program.js';
import { err, SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import {
  MNT_DETACH,
  MS_BIND,
  MS_NODEV,
  MS_NOEXEC,
  MS_NOSUID,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_RELATIME,
  MS_REMOUNT,
  MS_SHARED,
  MS_SLAVE,
  MS_UNBINDABLE,
} from '../../../kernel/syscalls/sys-mount.js';
import { O_CREAT, O_WRONLY, S_IFDIR, S_IFMT, isDir } from '../../../kernel/vfs/types.js';
import type { OciConfig, OciMount } from '../../../runtime/oci/index.js';

type Gen<T> = Generator<Op, T, unknown>;

const MS_NOATIME = 1024;
const MS_NODIRATIME = 2048;
const MS_STRICTATIME = 1 << 24;

/** Mount options that are flags (set or cleared); everything else is data for the file system (mount(8)'s table, as runc's). */
const FLAG_OPTIONS: Record<string, { set: boolean; flag: number }> = {
  ro: { set: true, flag: MS_RDONLY },
  rw: { set: false, flag: MS_RDONLY },
  nosuid: { set: true, flag: MS_NOSUID },
  suid: { set: false, flag: MS_NOSUID },
  nodev: { set: true, flag: MS_NODEV },
  dev: { set: false, flag: MS_NODEV },
  noexec: { set: true, flag: MS_NOEXEC },
  exec: { set: false, flag: MS_NOEXEC },
  relatime: { set: true, flag: MS_RELATIME },
  norelatime: { set: false, flag: MS_RELATIME },
  noatime: { set: true, flag: MS_NOATIME },
  atime: { set: false, flag: MS_NOATIME },
  nodiratime: { set: true, flag: MS_NODIRATIME },
  diratime: { set: false, flag: MS_NODIRATIME },
  strictatime: { set: true, flag: MS_STRICTATIME },
  nostrictatime: { set: false, flag: MS_STRICTATIME },
  bind: { set: true, flag: MS_BIND },
  rbind: { set: true, flag: MS_BIND | MS_REC },
  defaults: { set: false, flag: 0 },
  async: { set: false, flag: 0 },
};

const PROPAGATION_OPTIONS: Record<string, number> = {
  private: MS_PRIVATE,
  rprivate: MS_PRIVATE | MS_REC,
  shared: MS_SHARED,
  rshared: MS_SHARED | MS_REC,
  slave: MS_SLAVE,
  rslave: MS_SLAVE | MS_REC,
  unbindable: MS_UNBINDABLE,
  runbindable: MS_UNBINDABLE | MS_REC,
};

export interface ParsedMountOptions {
  flags: number;
  propagation: number[];
  data: string;
}

/** Splits a mount's options into flags, propagation changes and file-system data. */
export function parseMountOptions(options: readonly string[] = []): ParsedMountOptions {
  let flags = 0;
  const propagation: number[] = [];
  const data: string[] = [];
  for (const o of options) {
    const f = FLAG_OPTIONS[o];
    if (f) flags = f.set ? flags | f.flag : flags & ~f.flag;
    else if (o in PROPAGATION_OPTIONS) propagation.push(PROPAGATION_OPTIONS[o]);
    else data.push(o);
  }
  return { flags, propagation, data: data.join(',') };
}

const isBind = (m: OciMount): boolean => m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');

/**
 * Go's os.MkdirAll, which runc uses: a path that is a directory already costs one stat
 * (runc's mount points mostly are); otherwise the parent is made first, then the path.
 * A path that exists as something else is ENOTDIR ("mkdir PATH: not a directory").
 */
export function* mkdirAll(path: string, mode = 0o755): Gen<SysError | null> {
  const st = yield* sys.stat(path);
  if (!(st instanceof SysError)) return isDir(st.mode) ? null : err('ENOTDIR', `${path} exists and is not a directory`);
  let i = path.length;
  while (i > 0 && path[i - 1] === '/') i--;
  let j = i;
  while (j > 0 && path[j - 1] !== '/') j--;
  if (j > 1) {
    const e = yield* mkdirAll(path.slice(0, j - 1), mode);
    if (e) return e;
  }
  const r = yield* sys.mkdir(path, mode);
  if (!(r instanceof SysError)) return null;
  // "foo/." and a racing mkdir: what is there now may be a directory after all.
  const again = yield* sys.lstat(path);
  return !(again instanceof SysError) && isDir(again.mode) ? null : r;
}

/** Makes the mount point: a directory, or an empty file when a file is bind-mounted. */
function* makeMountPoint(dest: string, isFile: boolean): Gen<SysError | null> {
  if (!isFile) return yield* mkdirAll(dest);
  const parent = dest.slice(0, dest.lastIndexOf('/')) || '/';
  const e = yield* mkdirAll(parent);
  if (e) return e;
  const st = yield* sys.stat(dest);
  if (!(st instanceof SysError)) return null;
  const fd = yield* sys.open(dest, O_WRONLY | O_CREAT, 0o644);
  if (fd instanceof SysError) return fd;
  yield* sys.close(fd);
  return null;
}

/** runc's words for a failed mount: `error mounting "SRC" to rootfs at "DEST": mount SRC:DEST, flags: 0x…: reason`. */
const mountError = (m: OciMount, dest: string, e: SysError): string => {
  const src = m.source ?? m.type ?? 'none';
  return `error mounting ${JSON.stringify(src)} to rootfs at ${JSON.stringify(m.destination)}: mount ${src}:${dest}, flags: 0x${parseMountOptions(m.options).flags.toString(16)}: ${e.message.toLowerCase()}`;
};

/**
 * A container path made absolute and lexically clean, with ".." stopping at the root
 * (runc's CleanPath before securejoin): "tmp" is /tmp, "/../../x" is /x — never a
 * place outside the root file system.
 */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

/** Mounts one entry of config.json's `mounts` under `rootfs`; `newCgroupNs` chooses how a cgroup mount is made. */
function* mountOne(rootfs: string, m: OciMount, newCgroupNs: boolean, cgroupDir: string): Gen<string | null> {
  const inside = cleanPath(m.destination);
  const dest = rootfs + (inside === '/' ? '' : inside);
  const o = parseMountOptions(m.options);
  if (isBind(m)) {
    const src = m.source ?? '';
    const st = yield* sys.stat(src);
    if (st instanceof SysError) return `error mounting ${JSON.stringify(src)} to rootfs at ${JSON.stringify(m.destination)}: stat ${src}: ${st.message.toLowerCase()}`;
    const mp = yield* makeMountPoint(dest, (st.mode & S_IFMT) !== S_IFDIR);
    if (mp) return mountError(m, dest, mp);
    const r = yield* sys.mount(src, dest, 'bind', MS_BIND | (o.flags & MS_REC));
    if (r instanceof SysError) return mountError(m, dest, r);
    // Flags other than bind itself need a remount of the bind mount (mount(8) does the same).
    const extra = o.flags & ~(MS_BIND | MS_REC);
    if (extra) {
      const rr = yield* sys.mount(dest, dest, '', MS_BIND | MS_REMOUNT | extra);
      if (rr instanceof SysError) return mountError(m, dest, rr);
    }
  } else if (m.type === 'cgroup' || m.type === 'cgroup2') {
    const mp = yield* mkdirAll(dest);
    if (mp) return mountError(m, dest, mp);
    // On a cgroup v2 host runc mounts cgroup2 in a private cgroup namespace, else binds the container's own cgroup.
    const r = newCgroupNs
      ? yield* sys.mount(m.source ?? 'cgroup', dest, 'cgroup2', o.flags, o.data)
      : yield* sys.mount(cgroupDir, dest, 'bind', MS_BIND | MS_REC);
    if (r instanceof SysError) return mountError(m, dest, r);
    if (!newCgroupNs && o.flags & MS_RDONLY) yield* sys.mount(dest, dest, '', MS_BIND | MS_REMOUNT | MS_RDONLY);
  } else {
    const mp = yield* mkdirAll(dest);
    if (mp) return mountError(m, dest, mp);
    const r = yield* sys.mount(m.source ?? m.type ?? 'none', dest, m.type ?? '', o.flags & ~MS_BIND, o.data);
    if (r instanceof SysError) return mountError(m, dest, r);
  }
  for (const p of o.propagation) {
    const r = yield* sys.mount('', dest, '', p);
    if (r instanceof SysError) return mountError(m, dest, r);
  }
  return null;
}

/** The device nodes every Linux container gets (config-linux.md "Default Devices"). */
const DEFAULT_DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

/** /dev's default devices and symlinks, when config.json mounts its own /dev (runc's needsSetupDev). */
function* setupDev(rootfs: string, hasDevPts: boolean): Gen<string | null> {
  for (const d of DEFAULT_DEVICES) {
    const dest = `${rootfs}/dev/${d}`;
    const mp = yield* makeMountPoint(dest, true);
    if (mp) return `create device ${dest}: ${mp.message.toLowerCase()}`;
    const r = yield* sys.mount(`/dev/${d}`, dest, 'bind', MS_BIND);
    if (r instanceof SysError) return `bind mount /dev/${d}: ${r.message.toLowerCase()}`;
  }
  for (const [link, target] of [
    ['fd', '/proc/self/fd'],
    ['stdin', '/proc/self/fd/0'],
    ['stdout', '/proc/self/fd/1'],
    ['stderr', '/proc/self/fd/2'],
  ]) {
    yield* sys.symlink(target, `${rootfs}/dev/${link}`);
  }
  if (hasDevPts) {
    yield* sys.unlink(`${rootfs}/dev/ptmx`);
    yield* sys.symlink('pts/ptmx', `${rootfs}/dev/ptmx`);
  }
  return null;
}

/**
 * Everything before pivot_root: the propagation of /, the rootfs as a mount point and
 * the configured mounts. Runs in the container's new mount namespace.
 */
export function* prepareRootfs(config: OciConfig, rootfs: string, newCgroupNs: boolean, cgroupDir: string): Gen<string | null> {
  const prop = config.linux?.rootfsPropagation;
  // rootfsPropagation's values (shared, slave, private, unbindable) apply to the whole tree, as runc applies them.
  const rootProp = prop !== undefined && prop in PROPAGATION_OPTIONS ? PROPAGATION_OPTIONS[prop] | MS_REC : MS_SLAVE | MS_REC;
  let r = yield* sys.mount('', '/', '', rootProp);
  if (r instanceof SysError) return `make / ${prop ?? 'rslave'}: ${r.message.toLowerCase()}`;
  // pivot_root needs the mount the rootfs sits on to be private (runc's rootfsParentMountPrivate):
  // the deepest mount point above the rootfs — with rshared it is shared. As runc does
  // since 1.1, try a propagation change on each directory upwards until one is a mount
  // point (EINVAL: it is not), rather than reading /proc/self/mountinfo, whose text
  // grows with every mount on the host.
  for (let under = rootfs.slice(0, rootfs.lastIndexOf('/')) || '/'; ; under = under.slice(0, under.lastIndexOf('/')) || '/') {
    const p = yield* sys.mount('', under, '', MS_PRIVATE);
    if (!(p instanceof SysError)) break;
    if (p.errno !== 'EINVAL' || under === '/') return `make ${under} private: ${p.message.toLowerCase()}`;
  }
  r = yield* sys.mount(rootfs, rootfs, 'bind', MS_BIND | MS_REC);
  if (r instanceof SysError) return `bind mount rootfs ${rootfs}: ${r.message.toLowerCase()}`;
  let devMounted = false;
  let hasDevPts = false;
  for (const m of config.mounts ?? []) {
    const why = yield* mountOne(rootfs, m, newCgroupNs, cgroupDir);
    if (why) return why;
    if (m.destination === '/dev' && !isBind(m)) devMounted = true;
    if (m.destination === '/dev/pts') hasDevPts = true;
  }
  if (devMounted) return yield* setupDev(rootfs, hasDevPts);
  return null;
}

/** pivot_root(".", ".") and a lazy unmount of the old root stacked on the new one (runc's pivotRoot). */
export function* pivotInto(rootfs: string): Gen<string | null> {
  const c = yield* sys.chdir(rootfs);
  if (c instanceof SysError) return `chdir ${rootfs}: ${c.message.toLowerCase()}`;
  const p = yield* sys.pivotRoot('.', '.');
  if (p instanceof SysError) return `pivot_root .: ${p.message.toLowerCase()}`;
  // The old root, now on top of ".", must not propagate its unmount back to the host.
  yield* sys.mount('', '.', '', MS_SLAVE | MS_REC);
  const u = yield* sys.umount2('.', MNT_DETACH);
  if (u instanceof SysError) return `unmount old root: ${u.message.toLowerCase()}`;
  yield* sys.chdir('/');
  return null;
}

/** After pivot_root: root.readonly, readonlyPaths, then maskedPaths (a /dev/null bind over files, an empty read-only tmpfs over directories). */
export function* finishRootfs(config: OciConfig): Gen<string | null> {
  // runc's order: the root read-only, then readonlyPaths, then maskedPaths.
  if (config.root?.readonly) {
    const r = yield* sys.mount('/', '/', '', MS_BIND | MS_REMOUNT | MS_RDONLY);
    if (r instanceof SysError) return `remount / read-only: ${r.message.toLowerCase()}`;
  }
  for (const p of config.linux?.readonlyPaths ?? []) {
    const r = yield* sys.mount(p, p, 'bind', MS_BIND | MS_REC);
    if (r instanceof SysError) {
      if (r.errno === 'ENOENT') continue;
      return `readonly path ${p}: ${r.message.toLowerCase()}`;
    }
    const rr = yield* sys.mount(p, p, '', MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC);
    if (rr instanceof SysError) return `readonly path ${p}: ${rr.message.toLowerCase()}`;
  }
  for (const p of config.linux?.maskedPaths ?? []) {
    const st = yield* sys.stat(p);
    if (st instanceof SysError) continue;
    const r =
      (st.mode & S_IFMT) === S_IFDIR
        ? yield* sys.mount('tmpfs', p, 'tmpfs', MS_RDONLY)
        : yield* sys.mount('/dev/null', p, 'bind', MS_BIND);
    if (r instanceof SysError) return `mask path ${p}: ${r.message.toLowerCase()}`;
  }
  return null;
}
