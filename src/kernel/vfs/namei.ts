/**
 * Path resolution (path_resolution(7), fs/namei.c): a path is walked one component
 * at a time from the process's root (absolute paths) or working directory (or a
 * directory fd for *at() calls). Each step needs search permission on the directory,
 * crosses into a mount mounted on the entry, climbs out of a mount at "..", never
 * climbs above the process's root, and follows symbolic links (at most 40 per walk,
 * else ELOOP). Every component costs a dentry-cache lookup from the cost table.
 */
import { traceLookupFail } from './vfs-trace.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import type { Path } from './mount.js';
import { sameVnode, type Vnode } from './vnode.js';
import { AT_FDCWD, MAXSYMLINKS, NAME_MAX, PATH_MAX, isDir, isLnk } from './types.js';
import { MAY_EXEC, mayAccess } from './permission.js';

export interface WalkOptions {
  /** Follow a symbolic link in the last component (stat vs lstat). */
  follow: boolean;
  /** Directory fd for relative paths (AT_FDCWD for the working directory). */
  dirfd?: number;
}

/** Where a walk starts: the root for absolute paths, else the cwd or the directory fd. */
function startOf(t: Task, path: string, dirfd: number): Path | SysError {
  if (path.startsWith('/')) return t.fs.root;
  if (dirfd === AT_FDCWD) return t.fs.cwd;
  const f = t.files.get(dirfd);
  if (!f) return err('EBADF', `directory fd ${dirfd} is not open`);
  if (!f.vnode || !f.mnt || !isDir(f.vnode.mode())) return err('ENOTDIR', `fd ${dirfd} (${f.path}) is not a directory, so the relative path ${path} cannot start there`);
  return { mnt: f.mnt, vn: f.vnode };
}

/** One step down into `name` from directory `cur`, crossing mounts. */
function stepInto(k: Kernel, t: Task, cur: Path, name: string): Path | SysError {
  if (name === '..') return stepUp(t, cur);
  const vn = cur.vn.lookup ? cur.vn.lookup(name) : err('ENOTDIR', `${name} cannot be looked up: what contains it is not a directory`);
  if (vn instanceof SysError) return vn;
  let p: Path = { mnt: cur.mnt, vn };
  for (let m = p.mnt.childAt(p.vn); m !== undefined; m = p.mnt.childAt(p.vn)) p = { mnt: m, vn: m.root };
  k.charge(k.costs.vfsLookup);
  return p;
}

/** "..": stays at the process root, climbs out of mounts at their roots. */
function stepUp(t: Task, cur: Path): Path | SysError {
  let p = cur;
  const root = t.fs.root;
  for (;;) {
    if (p.mnt === root.mnt && sameVnode(p.vn, root.vn)) return p;
    if (sameVnode(p.vn, p.mnt.root) && p.mnt.parent !== null && p.mnt.mountpoint !== null) {
      p = { mnt: p.mnt.parent, vn: p.mnt.mountpoint };
      continue;
    }
    break;
  }
  if (sameVnode(p.vn, p.mnt.root)) return p;
  const up = p.vn.lookup ? p.vn.lookup('..') : err('ENOTDIR', '".." cannot be looked up: the current object is not a directory');
  if (up instanceof SysError) return up;
  return { mnt: p.mnt, vn: up };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/** Checks search permission on a directory. */
function canSearch(t: Task, vn: Vnode): boolean {
  return mayAccess(t.creds, vn.accessAttrs ? vn.accessAttrs() : vn.getattr(), MAY_EXEC);
}

interface WalkState {
  links: number;
  /** The component being looked up (for the vfs trace's lookup-fail), '' before the first. */
  at: string;
}

/**
 * Walks `components` from `start`. With `stopBeforeLast`, returns the parent of the
 * last component and the name (for create, unlink, rename).
 */
function walk(
  k: Kernel,
  t: Task,
  start: Path,
  components: string[],
  followLast: boolean,
  st: WalkState,
): Path | SysError {
  let cur = start;
  const queue = components.slice();
  while (queue.length > 0) {
    const name = queue.shift()!;
    st.at = name;
    if (!isDir(cur.vn.mode())) return err('ENOTDIR', `${name} cannot be looked up: the component before it is not a directory`);
    if (!canSearch(t, cur.vn)) {
      const a = cur.vn.getattr();
      return err('EACCES', `search (x) permission denied on ${pathOf(t, cur, false)} for uid ${t.creds.fsuid} (gid ${t.creds.fsgid}): mode ${(a.mode & 0o777).toString(8)}, owner ${a.uid}:${a.gid}, so ${name} in it cannot be looked up`);
    }
    if (name.length > NAME_MAX) return err('ENAMETOOLONG', `a component of the path is ${name.length} bytes; NAME_MAX is ${NAME_MAX}`);
    if (name === '.') continue;
    const next = stepInto(k, t, cur, name);
    if (next instanceof SysError) return next;
    const isLast = queue.length === 0;
    if (isLnk(next.vn.mode()) && (!isLast || followLast)) {
      if (++st.links > MAXSYMLINKS) return err('ELOOP', `more than ${MAXSYMLINKS} symbolic links followed in one walk (reached at ${name})`);
      if (next.vn.followLink) {
        const jumped = next.vn.followLink();
        if (jumped instanceof SysError) return jumped;
        cur = jumped;
        continue;
      }
      const target = next.vn.readlink ? next.vn.readlink() : err('EINVAL', `the symbolic link ${name} has no readable target`);
      if (target instanceof SysError) return target;
      if (target === '') return err('ENOENT', `the symbolic link ${name} has an empty target`);
      queue.unshift(...splitPath(target));
      if (target.startsWith('/')) cur = t.fs.root;
      continue;
    }
    cur = next;
  }
  return cur;
}

/** Resolves `path` to an object (namei / lookup_flags). */
export function resolve(k: Kernel, t: Task, path: string, opts: WalkOptions): Path | SysError {
  if (path === '') return err('ENOENT', 'the path is empty (path_resolution(7))');
  if (path.length >= PATH_MAX) return err('ENAMETOOLONG', `the path is ${path.length} bytes; PATH_MAX is ${PATH_MAX} including the terminating null`);
  const start = startOf(t, path, opts.dirfd ?? AT_FDCWD);
  if (start instanceof SysError) return start;
  // A trailing "/" or "/." (path_resolution(7)) asks for a directory: a last symlink is followed.
  const trailingSlash = path.endsWith('/') || /(^|\/)\.$/.test(path);
  const st: WalkState = { links: 0, at: '' };
  const res = walk(k, t, start, splitPath(path), opts.follow || trailingSlash, st);
  if (res instanceof SysError) {
    traceLookupFail(k, t, path, st.at, res);
    return res;
  }
  if (trailingSlash && !isDir(res.vn.mode())) {
    const e = err('ENOTDIR', `${path} ends in "/" but does not name a directory`);
    traceLookupFail(k, t, path, st.at, e);
    return e;
  }
  return res;
}

/** The result of resolving all but the last component. */
export interface ParentLookup {
  parent: Path;
  /** The last component; '' when the path names the root (or ends in "." / ".."). */
  name: string;
  trailingSlash: boolean;
}

/** Resolves the directory that would contain `path`'s last component. */
export function resolveParent(k: Kernel, t: Task, path: string, dirfd: number = AT_FDCWD): ParentLookup | SysError {
  if (path === '') return err('ENOENT', 'the path is empty (path_resolution(7))');
  if (path.length >= PATH_MAX) return err('ENAMETOOLONG', `the path is ${path.length} bytes; PATH_MAX is ${PATH_MAX} including the terminating null`);
  const start = startOf(t, path, dirfd);
  if (start instanceof SysError) return start;
  const comps = path.split('/').filter((c) => c !== '');
  const trailingSlash = path.endsWith('/') && comps.length > 0;
  const last = comps.pop();
  const st: WalkState = { links: 0, at: '' };
  const parent = walk(k, t, start, comps.filter((c) => c !== '.'), true, st);
  if (parent instanceof SysError) {
    traceLookupFail(k, t, path, st.at, parent);
    return parent;
  }
  if (!isDir(parent.vn.mode())) {
    const e = err('ENOTDIR', `the parent of ${last ?? 'the last component'} in ${path} is not a directory`);
    traceLookupFail(k, t, path, st.at, e);
    return e;
  }
  if (last === undefined || last === '.' || last === '..') return { parent, name: last ?? '', trailingSlash };
  if (last.length > NAME_MAX) {
    const e = err('ENAMETOOLONG', `the last component of the path is ${last.length} bytes; NAME_MAX is ${NAME_MAX}`);
    traceLookupFail(k, t, path, last, e);
    return e;
  }
  return { parent, name: last, trailingSlash };
}

/**
 * The absolute path of `p` as seen from the process root. Outside it, getcwd(2) (the
 * default) prefixes "(unreachable)"; d_path — readlink of /proc/PID/{cwd,root,fd/N},
 * `unreachable` false — gives the path from the root of `p`'s mount tree, unmarked.
 */
export function pathOf(t: Task, p: Path, unreachable = true): string {
  const mark = unreachable ? '(unreachable)' : '';
  const root = t.fs.root;
  const parts: string[] = [];
  let cur = p;
  for (let guard = 0; guard < 4096; guard++) {
    if (cur.mnt === root.mnt && sameVnode(cur.vn, root.vn)) break;
    if (sameVnode(cur.vn, cur.mnt.root)) {
      if (cur.mnt.parent === null || cur.mnt.mountpoint === null) {
        // Outside the process root (after chroot with a kept descriptor): Linux prefixes "(unreachable)".
        return mark + '/' + parts.reverse().join('/');
      }
      cur = { mnt: cur.mnt.parent, vn: cur.mnt.mountpoint };
      continue;
    }
    const up = cur.vn.lookup ? cur.vn.lookup('..') : null;
    if (!up || up instanceof SysError) break;
    const name = nameIn(up, cur.vn);
    if (name === null) return mark + '/' + parts.reverse().join('/');
    parts.push(name);
    cur = { mnt: cur.mnt, vn: up };
  }
  return '/' + parts.reverse().join('/');
}

/** The name of `child` in directory `dir`, or null. */
export function nameIn(dir: Vnode, child: Vnode): string | null {
  // A directory with thousands of entries (/var/lib/ctsim/containers) is not listed to name one.
  const known = dir.nameOf?.(child);
  if (known !== undefined) return known;
  const entries = dir.readdir ? dir.readdir() : null;
  if (!entries || entries instanceof SysError) return null;
  for (const e of entries) if (e.ino === child.ino && e.name !== '.' && e.name !== '..') return e.name;
  return null;
}
