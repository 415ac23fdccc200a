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
  mntNs: MountNamespace;
  users = 1;

  constructor(root: Path, cwd: Path, umask: number, mntNs: MountNamespace) {
    this.root = root;
    this.cwd = cwd;
    this.umask = umask;
    this.mntNs = mntNs;
  }

  copy(): FsContext {
    return new FsContext({ ...this.root }, { ...this.cwd }, this.umask, this.mntNs);
  }
}
