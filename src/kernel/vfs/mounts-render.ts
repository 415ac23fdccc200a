/**
 * The text of /proc/PID/mounts and /proc/PID/mountinfo (proc(5)): the mounts of the
 * process's mount namespace that are reachable from its root, with mount points as
 * it sees them.
 */
import type { Task } from '../proc/task.js';
import type { Mount } from './mount.js';
import { pathOf } from './namei.js';
import { major, minor } from './types.js';
import { sameVnode } from './vnode.js';

/** Where `m` is mounted, as seen from `t`'s root; null when it is outside that root. */
function mountPointOf(t: Task, m: Mount): string | null {
  if (m === t.fs.root.mnt && sameVnode(m.root, t.fs.root.vn)) return '/';
  if (m.parent === null || m.mountpoint === null) return m === t.fs.root.mnt ? '/' : null;
  const p = pathOf(t, { mnt: m.parent, vn: m.mountpoint });
  return p.startsWith('(unreachable)') ? null : p;
}

function optionsOf(m: Mount): string {
  const o = [m.flags.readonly ? 'ro' : 'rw'];
  if (m.flags.nosuid) o.push('nosuid');
  if (m.flags.nodev) o.push('nodev');
  if (m.flags.noexec) o.push('noexec');
  o.push('relatime');
  return o.join(',');
}

/** Escapes spaces, tabs, newlines and backslashes as octal, as the kernel's seq_file does. */
function escape(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

export function renderMounts(t: Task): string {
  let out = '';
  for (const m of t.fs.mntNs.all()) {
    const at = mountPointOf(t, m);
    if (at === null) continue;
    const extra = m.fs.options();
    out += `${escape(m.fs.source)} ${escape(at)} ${m.fs.type} ${optionsOf(m)}${extra ? ',' + extra : ''} 0 0\n`;
  }
  return out;
}

export function renderMountinfo(t: Task): string {
  let out = '';
  for (const m of t.fs.mntNs.all()) {
    const at = mountPointOf(t, m);
    if (at === null) continue;
    const parentId = m.parent ? m.parent.id : m.id;
    const dev = `${major(m.fs.dev)}:${minor(m.fs.dev)}`;
    const extra = m.fs.options();
    out += `${m.id} ${parentId} ${dev} / ${escape(at)} ${optionsOf(m)} shared:${m.id - 20} - ${m.fs.type} ${escape(m.fs.source)} ${m.flags.readonly ? 'ro' : 'rw'}${extra ? ',' + extra : ''}\n`;
  }
  return out;
}
