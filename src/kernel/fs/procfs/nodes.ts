/**
 * The building blocks of procfs: synthetic directories, files whose text is rendered
 * when they are opened (as seq_file renders at the first read), and symbolic links —
 * plain ones (/proc/self) and "magic" ones that jump to an object (/proc/PID/cwd).
 */
import { err, SysError } from '../../errno.js';
import type { FileOps, OpenFile } from '../../vfs/file.js';
import type { Path } from '../../vfs/mount.js';
import type { FileSystem, Vnode } from '../../vfs/vnode.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, dtype, type DirEntry, type Stat } from '../../vfs/types.js';
import type { Kernel } from '../../kernel.js';

/** A procfs instance's inode numbers and clock (implemented by ProcFs). */
export interface ProcFsBase extends FileSystem {
  readonly kernel: Kernel;
  inoFor(key: string): number;
}

/** Inode numbers of a synthetic file system, handed out by path key in order of first use. */
export class InoTable {
  private readonly inos = new Map<string, number>();
  private next: number;

  constructor(first: number, fixed: Record<string, number> = {}) {
    this.next = first;
    for (const [k, v] of Object.entries(fixed)) this.inos.set(k, v);
  }

  get(key: string): number {
    let ino = this.inos.get(key);
    if (ino === undefined) {
      ino = this.next++;
      this.inos.set(key, ino);
    }
    return ino;
  }
}

/** Who owns a procfs object: root, or the process a /proc/PID entry describes. */
export type Owner = () => { uid: number; gid: number };
export const ROOT_OWNER: Owner = () => ({ uid: 0, gid: 0 });

abstract class ProcNode implements Vnode {
  readonly fs: ProcFsBase;
  readonly ino: number;
  protected readonly perm: number;
  protected readonly owner: Owner;

  constructor(fs: ProcFsBase, key: string, perm: number, owner: Owner) {
    this.fs = fs;
    this.ino = fs.inoFor(key);
    this.perm = perm;
    this.owner = owner;
  }

  abstract mode(): number;

  protected size(): number {
    return 0;
  }

  /** What a path walk's search check needs, without a whole Stat (a directory's link count lists it). */
  accessAttrs(): Pick<Stat, 'mode' | 'uid' | 'gid'> {
    const o = this.owner();
    return { mode: this.mode(), uid: o.uid, gid: o.gid };
  }

  getattr(): Stat {
    const o = this.owner();
    const t = this.fs.kernel.config.bootEpochNs;
    return {
      dev: this.fs.dev,
      ino: this.ino,
      mode: this.mode(),
      nlink: 1,
      uid: o.uid,
      gid: o.gid,
      rdev: 0,
      size: this.size(),
      blksize: 1024,
      blocks: 0,
      atimeNs: t,
      mtimeNs: t,
      ctimeNs: t,
    };
  }
}

/** One entry of a procfs directory: its name, type bits and how to make its vnode. */
export interface ProcEntry {
  name: string;
  make: () => Vnode;
}

export class ProcDir extends ProcNode {
  private readonly entries: () => ProcEntry[];
  private readonly parent: () => Vnode;
  /** The entry `name` without listing them all (/proc with thousands of PIDs); without it, `entries` is searched. */
  private readonly find?: (name: string) => ProcEntry | undefined;
  /** kernfs (sysfs) counts a directory's links as 2 + its subdirectories; procfs reports 2. */
  countSubdirLinks = false;

  constructor(fs: ProcFsBase, key: string, perm: number, owner: Owner, entries: () => ProcEntry[], parent: () => Vnode, find?: (name: string) => ProcEntry | undefined) {
    super(fs, key, perm, owner);
    this.entries = entries;
    this.parent = parent;
    this.find = find;
  }

  mode(): number {
    return S_IFDIR | this.perm;
  }

  override getattr(): Stat {
    const st = super.getattr();
    st.nlink = this.countSubdirLinks ? 2 + this.entries().filter((e) => (e.make().mode() & S_IFMT) === S_IFDIR).length : 2;
    return st;
  }

  lookup(name: string): Vnode | SysError {
    if (name === '..') return this.parent();
    if (this.find) {
      const e = this.find(name);
      if (e) return e.make();
    } else for (const e of this.entries()) if (e.name === name) return e.make();
    return err('ENOENT', `${name} is not an entry of this directory`);
  }

  readdir(): DirEntry[] {
    const out: DirEntry[] = [
      { name: '.', ino: this.ino, type: dtype(this.mode()) },
      { name: '..', ino: this.parent().ino, type: dtype(S_IFDIR) },
    ];
    for (const e of this.entries()) {
      const v = e.make();
      out.push({ name: e.name, ino: v.ino, type: dtype(v.mode()) });
    }
    return out;
  }
}

/** A procfs file: `render` gives its text at open; `write` (if any) handles writes. */
export class ProcFile extends ProcNode {
  private readonly render: () => string | SysError;
  private readonly writeFn?: (data: string) => number | SysError;

  constructor(
    fs: ProcFsBase,
    key: string,
    perm: number,
    owner: Owner,
    render: () => string | SysError,
    write?: (data: string) => number | SysError,
  ) {
    super(fs, key, perm, owner);
    this.render = render;
    this.writeFn = write;
  }

  /** A check made when the file is opened for writing (an error refuses the open). */
  mayOpenForWrite?: () => SysError | undefined;

  mode(): number {
    return S_IFREG | this.perm;
  }

  open(flags: number): { ops: FileOps; priv?: unknown } | SysError {
    const wantRead = (flags & 3) !== 1;
    if ((flags & 3) !== 0 && this.mayOpenForWrite) {
      const denied = this.mayOpenForWrite();
      if (denied) return denied;
    }
    let text = '';
    if (wantRead) {
      const r = this.render();
      if (r instanceof SysError) return r;
      text = r;
    }
    return { ops: procFileOps, priv: { text, write: this.writeFn } };
  }
}

interface ProcFileState {
  text: string;
  write?: (data: string) => number | SysError;
}

const procFileOps: FileOps = {
  read(_k, _t, f: OpenFile, count: number) {
    const s = f.priv as ProcFileState;
    const out = s.text.slice(f.pos, f.pos + count);
    f.pos += out.length;
    return out;
  },
  write(_k, _t, f: OpenFile, data: string) {
    const s = f.priv as ProcFileState;
    if (!s.write) return err('EIO', 'this /proc or /sys file cannot be written: it has no write handler');
    return s.write(data);
  },
  seekable: (f: OpenFile) => (f.priv as ProcFileState).text.length,
};

/** A symbolic link; with `follow` it is a magic link that jumps to an object. */
export class ProcLink extends ProcNode {
  private readonly target: () => string | SysError;
  readonly followLink?: () => Path | SysError;

  constructor(fs: ProcFsBase, key: string, perm: number, owner: Owner, target: () => string | SysError, follow?: () => Path | SysError) {
    super(fs, key, perm, owner);
    this.target = target;
    if (follow) this.followLink = follow;
  }

  mode(): number {
    return S_IFLNK | this.perm;
  }

  protected override size(): number {
    const t = this.target();
    return typeof t === 'string' ? t.length : 0;
  }

  readlink(): string | SysError {
    return this.target();
  }
}
