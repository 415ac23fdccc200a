/**
 * The text of /proc/PID/mounts and /proc/PID/mountinfo (proc(5)): the mounts of the
 * process's mount namespace that are reachable from its root, with mount points as
 * it sees them.
 */
import type { Task } from '../proc/task.js';
import type { Mount } from './mount.js';
import { nameIn, pathOf } from './namei.js';
import { major, minor } from './types.js';
import { sameVnode, type Vnode } from './vnode.js';
import { SysError } from '../errno.js';

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
  // nsfs is an internal SB_NOUSER file system: its binds show no atime option.
  if (m.fs.type !== 'nsfs') o.push('relatime');
  return o.join(',');
}

/** The mount's root inside its file system (mountinfo field 4): `/` or the bind-mounted subdirectory. */
export function rootInFs(m: Mount): string {
  if (m.fs.rootName) return m.fs.rootName(m.root);
  const parts: string[] = [];
  let cur: Vnode = m.root;
  const top = m.fs.root();
  for (let guard = 0; guard < 4096 && !sameVnode(cur, top); guard++) {
    const up = cur.lookup ? cur.lookup('..') : null;
    if (!up || up instanceof SysError) break;
    const name = nameIn(up, cur);
    if (name === null) break;
    parts.unshift(name);
    cur = up;
  }
  return '/' + parts.join('/');
}

/** The optional fields of mountinfo: `shared:N`, `master:N`, `unbindable`. */
function propagationOf(m: Mount): string {
  const f: string[] = [];
  if (m.peerGroup) f.push(`shared:${m.peerGroup}`);
  if (m.master) f.push(`master:${m.master}`);
  if (m.unbindable) f.push('unbindable');
  return f.map((x) => ' ' + x).join('');
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
    out += `${m.id} ${parentId} ${dev} ${escape(rootInFs(m))} ${escape(at)} ${optionsOf(m)}${propagationOf(m)} - ${m.fs.type} ${escape(m.fs.source)} ${m.flags.readonly ? 'ro' : 'rw'}${extra ? ',' + extra : ''}\n`;
  }
  return out;
}
