/**
 * overlay (Documentation/filesystems/overlayfs.rst): one merged tree over read-only
 * lower layers and a writable upper layer — the way container images are layered.
 *
 *   mount -t overlay overlay -o lowerdir=L1:L2,upperdir=U,workdir=W MERGED
 *
 *   lookup   the upper layer first, then each lower in order; a whiteout in a higher
 *            layer (a character device 0/0) hides the name below, an opaque
 *            directory hides everything below it
 *   readdir  the union of the layers' names, whiteouts and hidden names left out
 *   write    copy-up: a lower file (and the directories above it) is copied into
 *            the upper layer with its mode, owner and times, and changed there
 *   unlink   the upper copy goes; a name still present below gets a whiteout
 *   rename   of a directory that exists below is EXDEV (no redirect_dir), so mv
 *            falls back to copying, as on Linux
 *
 * Simplification: layers must be simfs (tmpfs or the root file system); opaque
 * directories are remembered by the mount instead of the trusted.overlay.opaque
 * xattr; permission checks use the caller's credentials on the merged inode only.
 */
import { err, SysError } from '../errno.js';
import type { FileSystem, FsIds, SetAttr, Vnode } from '../vfs/vnode.js';
import { S_IFCHR, S_IFDIR, S_IFMT, S_IFREG, isDir, type DirEntry, type Stat } from '../vfs/types.js';
import { SimVnode } from './simfs.js';
import type { FileOps } from '../vfs/file.js';

/** A whiteout: a character device with device number 0/0 (overlayfs.rst "whiteouts"). */
function isWhiteout(v: Vnode): boolean {
  return (v.mode() & S_IFMT) === S_IFCHR && v.getattr().rdev === 0;
}

/** A path below the overlay's root as a learner reads it: "/" or "/a/b" (relative to the mount point). */
function shown(path: string): string {
  return `/${path}`;
}

function child(dir: Vnode | null, name: string): Vnode | null {
  if (!dir || !dir.lookup) return null;
  const r = dir.lookup(name);
  return r instanceof SysError ? null : r;
}

export class OverlayFs implements FileSystem {
  readonly type = 'overlay';
  readonly source: string;
  readonly dev: number;
  readonly lowers: Vnode[];
  readonly upper: Vnode;
  private readonly opts: string;
  /** Merged directories (by path) that hide their lower layers (opaque). */
  readonly opaque = new Set<string>();
  private readonly nowNs: () => number;

  constructor(o: { source: string; dev: number; lowers: Vnode[]; upper: Vnode; options: string; nowNs: () => number }) {
    this.source = o.source;
    this.dev = o.dev;
    this.lowers = o.lowers;
    this.upper = o.upper;
    this.opts = o.options;
    this.nowNs = o.nowNs;
  }

  root(): Vnode {
    return new OverlayVnode(this, '', this.upper, this.lowers);
  }

  options(): string {
    return this.opts;
  }

  now(): number {
    return this.nowNs();
  }

  /** The merged object at `path` below the root. */
  at(path: string): Vnode | SysError {
    let cur: Vnode = this.root();
    for (const p of path.split('/').filter(Boolean)) {
      const n = cur.lookup!(p);
      if (n instanceof SysError) return n;
      cur = n;
    }
    return cur;
  }
}

export class OverlayVnode implements Vnode {
  readonly fs: OverlayFs;
  /** The path below the overlay's root ('' for the root, 'a/b' below it). */
  readonly path: string;
  /** The object in the upper layer, if any. */
  private upperV: Vnode | null;
  /** The objects in the lower layers (top first), down to the first non-directory or opaque one. */
  private readonly lowerV: Vnode[];

  constructor(fs: OverlayFs, path: string, upper: Vnode | null, lowers: Vnode[]) {
    this.fs = fs;
    this.path = path;
    this.upperV = upper;
    this.lowerV = lowers;
  }

  /** The layer object this vnode shows: the upper one, else the topmost lower one. */
  private get real(): Vnode {
    return this.upperV ?? this.lowerV[0];
  }

  get ino(): number {
    return this.real.ino;
  }

  mode(): number {
    return this.real.mode();
  }

  accessAttrs(): Pick<Stat, 'mode' | 'uid' | 'gid'> {
    const r = this.real;
    return r.accessAttrs ? r.accessAttrs() : r.getattr();
  }

  getattr(): Stat {
    const st = { ...this.real.getattr() };
    // Directories belong to the overlay's device; files keep the layer's (no xino).
    if (isDir(st.mode)) st.dev = this.fs.dev;
    return st;
  }

  childPath(name: string): string {
    return this.path === '' ? name : `${this.path}/${name}`;
  }

  /** The merged entry `name` below this directory, or null. */
  private entry(name: string): OverlayVnode | null {
    const up = child(this.upperV, name);
    if (up && isWhiteout(up)) return null;
    const lowers: Vnode[] = [];
    const hideLower = (up !== null && !isDir(up.mode())) || this.fs.opaque.has(this.childPath(name));
    if (!hideLower) {
      for (const l of this.lowerV) {
        const c = child(l, name);
        if (!c) continue;
        if (isWhiteout(c)) break;
        if (lowers.length > 0 && !isDir(c.mode())) break;
        if (up && !isDir(c.mode())) break;
        lowers.push(c);
        if (!isDir(c.mode())) break;
      }
    }
    if (!up && lowers.length === 0) return null;
    return new OverlayVnode(this.fs, this.childPath(name), up, lowers);
  }

  lookup(name: string): Vnode | SysError {
    if (name === '..') return this.path === '' ? this : this.fs.at(this.path.split('/').slice(0, -1).join('/'));
    if (!isDir(this.mode())) return err('ENOTDIR', `${shown(this.path)} in the overlay is not a directory, so it has no entry ${name}`);
    return this.entry(name) ?? err('ENOENT', `no layer of the overlay has ${shown(this.childPath(name))}, or a whiteout hides it`);
  }

  /**
   * The name of `child` here, from its path, when it is still what that name shows
   * (exec names its file: a merged /bin of hundreds of entries is not listed for it).
   * A file with other hard links is left to readdir, which lists the first name.
   */
  nameOf(child: Vnode): string | undefined {
    if (!(child instanceof OverlayVnode) || child.fs !== this.fs || child.path === '') return undefined;
    const slash = child.path.lastIndexOf('/');
    if ((slash < 0 ? '' : child.path.slice(0, slash)) !== this.path) return undefined;
    const name = child.path.slice(slash + 1);
    const now = this.entry(name);
    if (now === null || now.ino !== child.ino) return undefined;
    if (!isDir(now.mode()) && now.real.getattr().nlink !== 1) return undefined;
    return name;
  }

  readdir(): DirEntry[] | SysError {
    const names = new Map<string, DirEntry>();
    const hidden = new Set<string>();
    const layers = [this.upperV, ...(this.fs.opaque.has(this.path) ? [] : this.lowerV)].filter((v): v is Vnode => v !== null);
    for (const layer of layers) {
      const ents = layer.readdir ? layer.readdir() : [];
      if (ents instanceof SysError) continue;
      for (const e of ents) {
        if (e.name === '.' || e.name === '..' || names.has(e.name) || hidden.has(e.name)) continue;
        const c = child(layer, e.name);
        if (c && isWhiteout(c)) {
          hidden.add(e.name);
          continue;
        }
        names.set(e.name, e);
      }
    }
    return [{ name: '.', ino: this.ino, type: 4 }, { name: '..', ino: this.ino, type: 4 }, ...[...names.values()].sort((a, b) => (a.name < b.name ? -1 : 1))];
  }

  /** Makes sure this object exists in the upper layer (copy-up), parents first. */
  copyUp(): Vnode | SysError {
    if (this.upperV) return this.upperV;
    const parts = this.path.split('/');
    const name = parts.pop()!;
    const parent = this.fs.at(parts.join('/')) as OverlayVnode | SysError;
    if (parent instanceof SysError) return parent;
    const pu = parent.copyUp();
    if (pu instanceof SysError) return pu;
    // Copied up already through another vnode of the same path (a hard link to a file in
    // this directory copies the directory up first): that copy is this object's.
    const already = child(pu, name);
    if (already && !isWhiteout(already)) {
      this.upperV = already;
      return already;
    }
    const low = this.lowerV[0];
    const st = low.getattr();
    const owner: FsIds = { fsuid: st.uid, fsgid: st.gid };
    const now = this.fs.now();
    let made: Vnode | SysError;
    const type = st.mode & S_IFMT;
    if (type === S_IFDIR) made = pu.mkdir ? pu.mkdir(name, st.mode & 0o7777, owner, now) : err('EPERM', `copy-up of ${shown(this.path)}: the upper layer cannot make directories`);
    else if (type === S_IFREG) {
      if (!(low instanceof SimVnode)) return err('EXDEV', 'overlay copies up only from simfs layers');
      made = pu.create ? pu.create(name, st.mode & 0o7777, owner, now) : err('EPERM', `copy-up of ${shown(this.path)}: the upper layer cannot create files`);
      if (!(made instanceof SysError) && made instanceof SimVnode) made.setContents(low.contents());
    } else if (low.readlink && pu.symlink) {
      const target = low.readlink();
      if (target instanceof SysError) return target;
      made = pu.symlink(name, target, owner, now);
    } else made = pu.mknod ? pu.mknod(name, st.mode, st.rdev, owner, now) : err('EPERM', `copy-up of ${shown(this.path)}: the upper layer cannot make special files`);
    if (made instanceof SysError) return made;
    made.setattr?.({ mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, atimeNs: st.atimeNs, mtimeNs: st.mtimeNs, nowNs: now });
    this.upperV = made;
    return made;
  }

  setattr(attr: SetAttr): SysError | undefined {
    const up = this.copyUp();
    if (up instanceof SysError) return up;
    return up.setattr ? up.setattr(attr) : err('EPERM', `the overlay's upper layer cannot change the attributes of ${shown(this.path)}`);
  }

  /** True when a lower layer still has `name` (so removing it needs a whiteout). */
  lowerHas(name: string): boolean {
    if (this.fs.opaque.has(this.path)) return false;
    for (const l of this.lowerV) {
      const c = child(l, name);
      if (c) return !isWhiteout(c);
    }
    return false;
  }

  /** The upper directory, ready for a new entry `name` (a whiteout there is removed first). */
  private prepare(name: string): Vnode | SysError {
    const up = this.copyUp();
    if (up instanceof SysError) return up;
    const c = child(up, name);
    if (c && isWhiteout(c)) up.unlink?.(name, this.fs.now());
    return up;
  }

  private made(name: string, r: Vnode | SysError): Vnode | SysError {
    return r instanceof SysError ? r : this.entry(name) ?? r;
  }

  create(name: string, mode: number, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.entry(name)) return err('EEXIST', `${shown(this.childPath(name))} already exists in a layer of the overlay`);
    const up = this.prepare(name);
    if (up instanceof SysError) return up;
    return this.made(name, up.create ? up.create(name, mode, creds, nowNs) : err('EPERM', `the overlay's upper layer cannot create file ${name}`));
  }

  mkdir(name: string, mode: number, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.entry(name)) return err('EEXIST', `${shown(this.childPath(name))} already exists in a layer of the overlay`);
    const hadLower = this.lowerHas(name) || this.lowerV.some((l) => child(l, name) !== null);
    const up = this.prepare(name);
    if (up instanceof SysError) return up;
    const r = up.mkdir ? up.mkdir(name, mode, creds, nowNs) : err('EPERM', `the overlay's upper layer cannot make directory ${name}`);
    if (!(r instanceof SysError) && hadLower) this.fs.opaque.add(this.childPath(name));
    return this.made(name, r);
  }

  symlink(name: string, target: string, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.entry(name)) return err('EEXIST', `${shown(this.childPath(name))} already exists in a layer of the overlay`);
    const up = this.prepare(name);
    if (up instanceof SysError) return up;
    return this.made(name, up.symlink ? up.symlink(name, target, creds, nowNs) : err('EPERM', `the overlay's upper layer cannot make symlink ${name}`));
  }

  mknod(name: string, mode: number, rdev: number, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.entry(name)) return err('EEXIST', `${shown(this.childPath(name))} already exists in a layer of the overlay`);
    const up = this.prepare(name);
    if (up instanceof SysError) return up;
    return this.made(name, up.mknod ? up.mknod(name, mode, rdev, creds, nowNs) : err('EPERM', `the overlay's upper layer cannot make special file ${name}`));
  }

  link(name: string, target: Vnode, nowNs: number): SysError | undefined {
    if (!(target instanceof OverlayVnode) || target.fs !== this.fs) return err('EXDEV', `hard link ${name} must point to a file in the same overlay (${this.fs.source})`);
    const t = target.copyUp();
    if (t instanceof SysError) return t;
    const up = this.prepare(name);
    if (up instanceof SysError) return up;
    return up.link ? up.link(name, t, nowNs) : err('EPERM', `the overlay's upper layer cannot make hard link ${name}`);
  }

  /** Removes `name`: its upper copy, and a whiteout when a lower layer still has it. */
  private remove(name: string, dir: boolean, nowNs: number): SysError | undefined {
    const e = this.entry(name);
    if (!e) return err('ENOENT', `no layer of the overlay has ${shown(this.childPath(name))}, or a whiteout hides it`);
    if (dir) {
      const ents = e.readdir();
      if (!(ents instanceof SysError) && ents.length > 2) return err('ENOTEMPTY', `${shown(this.childPath(name))} still has entries in the merged view (${ents[2].name} and maybe more)`);
    }
    const up = this.copyUp();
    if (up instanceof SysError) return up;
    if (child(up, name)) {
      const r = dir ? up.rmdir?.(name, nowNs) : up.unlink?.(name, nowNs);
      if (r) {
        // An upper directory holding only whiteouts is removed with them.
        if (!(dir && r.errno === 'ENOTEMPTY')) return r;
        const inner = child(up, name)!;
        const list = inner.readdir ? inner.readdir() : [];
        if (!(list instanceof SysError)) for (const x of list) if (x.name !== '.' && x.name !== '..') inner.unlink?.(x.name, nowNs);
        const again = up.rmdir?.(name, nowNs);
        if (again) return again;
      }
    }
    this.fs.opaque.delete(this.childPath(name));
    if (this.lowerHas(name)) {
      const w = up.mknod ? up.mknod(name, S_IFCHR, 0, { fsuid: 0, fsgid: 0 }, nowNs) : err('EPERM', `the upper layer cannot make the whiteout that hides ${shown(this.childPath(name))} below`);
      if (w instanceof SysError) return w;
    }
    return undefined;
  }

  unlink(name: string, nowNs: number): SysError | undefined {
    const e = this.entry(name);
    if (e && isDir(e.mode())) return err('EISDIR', `${shown(this.childPath(name))} is a directory: unlink(2) removes files, use rmdir(2)`);
    return this.remove(name, false, nowNs);
  }

  rmdir(name: string, nowNs: number): SysError | undefined {
    const e = this.entry(name);
    if (e && !isDir(e.mode())) return err('ENOTDIR', `${shown(this.childPath(name))} is not a directory: rmdir(2) removes only directories`);
    return this.remove(name, true, nowNs);
  }

  rename(oldName: string, newDir: Vnode, newName: string, nowNs: number): SysError | undefined {
    if (!(newDir instanceof OverlayVnode) || newDir.fs !== this.fs) return err('EXDEV', `rename(2) cannot move ${oldName} out of overlay ${this.fs.source}`);
    const src = this.entry(oldName);
    if (!src) return err('ENOENT', `no layer of the overlay has ${shown(this.childPath(oldName))}, or a whiteout hides it`);
    // Without redirect_dir a directory that exists in a lower layer cannot be renamed.
    if (isDir(src.mode()) && src.lowerV.length > 0) return err('EXDEV', 'overlay: renaming a lower directory needs redirect_dir');
    // What the target name shows now, checked before anything changes.
    const existing = newDir.entry(newName);
    if (existing) {
      if (isDir(existing.mode()) !== isDir(src.mode()))
        return isDir(existing.mode())
          ? err('EISDIR', `cannot replace directory ${shown(existing.path)} with non-directory ${oldName}`)
          : err('ENOTDIR', `cannot replace non-directory ${shown(existing.path)} with directory ${oldName}`);
      const ents = isDir(existing.mode()) ? existing.readdir() : [];
      if (!(ents instanceof SysError) && ents.length > 2) return err('ENOTEMPTY', `target directory ${shown(existing.path)} still has entries (${ents[2].name} and maybe more)`);
    }
    const coversLower = newDir.lowerHas(newName);
    const s = src.copyUp();
    if (s instanceof SysError) return s;
    const from = this.copyUp();
    if (from instanceof SysError) return from;
    const to = newDir.copyUp();
    if (to instanceof SysError) return to;
    // Whatever the upper layer has at the target (a whiteout, an upper copy) is replaced.
    const old = child(to, newName);
    if (old) {
      const r = isDir(old.mode()) ? to.rmdir?.(newName, nowNs) : to.unlink?.(newName, nowNs);
      if (r) return r;
    }
    const r = from.rename ? from.rename(oldName, to, newName, nowNs) : err('EPERM', `the overlay's upper layer cannot rename ${oldName}`);
    if (r) return r;
    // A directory moved over a name a lower layer still has must hide it (opaque).
    if (coversLower && isDir(src.mode())) this.fs.opaque.add(newDir.childPath(newName));
    if (this.lowerHas(oldName)) from.mknod?.(oldName, S_IFCHR, 0, { fsuid: 0, fsgid: 0 }, nowNs);
    return undefined;
  }

  readlink(): string | SysError {
    return this.real.readlink ? this.real.readlink() : err('EINVAL', `${shown(this.path)} in the overlay is not a symbolic link`);
  }

  open(flags: number): { ops: FileOps; priv?: unknown } | SysError {
    const write = (flags & 3) !== 0 || (flags & 0o1000) !== 0;
    const v = write ? this.copyUp() : this.real;
    if (v instanceof SysError) return v;
    return v.open ? v.open(flags) : err('ENXIO', `${shown(this.path)} in the overlay cannot be opened: its layer has no open operation`);
  }
}
