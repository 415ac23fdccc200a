/**
 * A process's file-system context (Linux's fs_struct): its root directory (changed by
 * chroot), its working directory, its umask, and the mount namespace it resolves
 * paths in. Shared by CLONE_FS, copied by fork.
 */
import type { MountNamespace, Path } from './mount.js';

export class FsContext {
  root: Path;
  cwd: Path;
  /** The file mode creation mask (umask(2)); 022 by default. */
  umask: number;
  private ns: MountNamespace;
  users = 1;

  constructor(root: Path, cwd: Path, umask: number, mntNs: MountNamespace) {
    this.root = root;
    this.cwd = cwd;
    this.umask = umask;
    this.ns = mntNs;
    mntNs.contexts.add(this);
  }

  /** The mount namespace paths are resolved in; setting it moves the context to that namespace's list. */
  get mntNs(): MountNamespace {
    return this.ns;
  }

  set mntNs(ns: MountNamespace) {
    if (ns === this.ns) return;
    const listed = this.ns.contexts.delete(this);
    this.ns = ns;
    if (listed) ns.contexts.add(this);
  }

  /** Its last user exited: it leaves its namespace's list (pivot_root no longer moves it). */
  release(): void {
    this.ns.contexts.delete(this);
  }

  copy(): FsContext {
    return new FsContext({ ...this.root }, { ...this.cwd }, this.umask, this.ns);
  }
}
