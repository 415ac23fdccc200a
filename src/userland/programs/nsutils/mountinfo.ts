/**
 * Reading /proc/PID/mountinfo (proc(5)) as libmount does: one mount per line,
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2)(3)   (4)   (5)      (6)       (7)   (8) (9)     (10)       (11)
 *
 * with spaces, tabs, newlines and backslashes in paths written as octal escapes.
 */

export interface MountEntry {
  id: number;
  parent: number;
  dev: string;
  /** The mount's root inside its file system (a subdirectory for binds). */
  root: string;
  target: string;
  /** Per-mount options (field 6). */
  vfsOptions: string;
  /** shared:N, master:N, propagate_from:N, unbindable. */
  propagation: string[];
  fstype: string;
  source: string;
  /** Per-superblock options (field 11). */
  superOptions: string;
  /** Both, as `mount` prints them: the per-mount ones, then the file system's own. */
  options: string;
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (dash < 0) continue;
    const vfsOptions = f[5];
    const superOptions = f[dash + 3] ?? '';
    const extra = superOptions.split(',').filter((o) => o !== 'rw' && o !== 'ro' && o !== '');
    out.push({
      id: Number(f[0]),
      parent: Number(f[1]),
      dev: f[2],
      root: unescape(f[3]),
      target: unescape(f[4]),
      vfsOptions,
      propagation: f.slice(6, dash),
      fstype: f[dash + 1],
      source: unescape(f[dash + 2]),
      superOptions,
      options: [vfsOptions, ...extra].join(','),
    });
  }
  return out;
}
