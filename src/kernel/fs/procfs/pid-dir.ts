/**
 * /proc/PID: one directory per process of the procfs's PID namespace (proc(5)),
 * owned by the process's effective user. Its fd/ directory holds magic links to the
 * open files; cwd, root and exe jump to their objects.
 */
import { CAP, capable, nsCapable } from '../../ns/capabilities.js';
import { renderMaps } from '../../mm/mm-render.js';
import { OOM_SCORE_ADJ_MAX, OOM_SCORE_ADJ_MIN, oomScore } from '../../mm/oom.js';
import { err, SysError } from '../../errno.js';
import type { Task } from '../../proc/task.js';
import { TaskState } from '../../proc/task.js';
import {
  renderCmdline,
  renderEnviron,
  renderLimits,
  renderSchedstat,
  renderStat,
  renderStatm,
  renderStatus,
} from '../../proc/proc-render.js';
import { renderMountinfo, renderMounts } from '../../vfs/mounts-render.js';
import { pathOf, resolve } from '../../vfs/namei.js';
import type { Path } from '../../vfs/mount.js';
import type { Vnode } from '../../vfs/vnode.js';
import type { OpenFile } from '../../vfs/file.js';
import { S_IFIFO, type Stat } from '../../vfs/types.js';
import { ProcDir, ProcFile, ProcLink, type Owner, type ProcEntry, type ProcFsBase } from './nodes.js';
import { NS_ENTRIES, nsLinkText, type Namespace, type NsEntry } from '../../ns/namespace.js';
import { taskNs } from '../../ns/nsproxy.js';
import { mayPtraceRead } from '../../ns/ptrace-access.js';
import { renderIdMap, writeIdMap, writeSetgroups } from '../../ns/idmap-write.js';
import type { UserNamespace } from '../../ns/user-ns.js';
import type { Creds } from '../../proc/creds.js';
import { renderProcCgroup } from '../../cgroup/cgroup-files.js';

/** The vnode behind /proc/PID/fd/N for an object without a path (a pipe). */
class AnonFileVnode implements Vnode {
  readonly fs: ProcFsBase;
  readonly ino: number;
  private readonly file: OpenFile;

  constructor(fs: ProcFsBase, file: OpenFile) {
    this.fs = fs;
    this.file = file;
    const desc = file.ops.describe?.(file) ?? '';
    this.ino = Number(/\[(\d+)\]/.exec(desc)?.[1] ?? 0);
  }

  mode(): number {
    return S_IFIFO | 0o600;
  }

  getattr(): Stat {
    const t = this.fs.kernel.realtimeNs;
    return { dev: 0x0e, ino: this.ino, mode: this.mode(), nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atimeNs: t, mtimeNs: t, ctimeNs: t };
  }

  open(flags: number) {
    if (!this.file.ops.reopen) return err('ENXIO', `${this.file.ops.describe?.(this.file) ?? this.file.path} cannot be reopened through /proc/PID/fd`);
    return this.file.ops.reopen(this.fs.kernel, this.file, flags);
  }
}

/** The tty fields of /proc/PID/stat; the terminal layer installs a better answer. */
export type TtyLookup = (t: Task) => { ttyNr: number; tpgid: number };

/** The procfs instance as /proc/PID needs it: its PID namespace, terminal lookup, root and mount. */
export interface PidDirHost extends ProcFsBase {
  readonly pidNs: Task['pidNs'];
  ttyOf: TtyLookup;
  procRoot: () => Vnode;
  procMountPath: () => Path;
}

export function pidDir(fs: PidDirHost, t: Task): ProcDir {
  const k = fs.kernel;
  const ns = fs.pidNs;
  const key = `pid:${t.tid}`;
  const owner: Owner = () => ({ uid: t.creds.euid, gid: t.creds.egid });
  const alive = (): boolean => t.state !== TaskState.Zombie && t.state !== TaskState.Dead;
  /** This directory as a learner reads it, for reasons: /proc/PID. */
  const dir = `/proc/${t.pidIn(ns)}`;
  const exited = `process ${t.pidIn(ns)} has exited`;
  const file = (name: string, perm: number, render: () => string | SysError, write?: (d: string) => number | SysError): ProcEntry => ({
    name,
    make: () => new ProcFile(fs, `${key}/${name}`, perm, owner, render, write),
  });
  const magic = (name: string, path: () => Path | null): ProcEntry => ({
    name,
    make: () =>
      new ProcLink(
        fs,
        `${key}/${name}`,
        0o777,
        owner,
        () => {
          const p = alive() ? path() : null;
          return p ? pathOf(k.current ?? t, p, false) : err('ENOENT', alive() ? `${dir}/${name}: the process has no ${name}` : `${exited}, so ${dir}/${name} leads nowhere`);
        },
        () => (alive() ? path() ?? err('ENOENT', `${dir}/${name}: the process has no ${name}`) : err('ENOENT', `${exited}, so ${dir}/${name} leads nowhere`)),
      ),
  });

  const readerNs = (): UserNamespace => k.current?.creds.userNs ?? k.initUserNs;
  const writer = (f: (c: Creds) => number | SysError): number | SysError => (k.current ? f(k.current.creds) : err('EPERM', `${dir} files are written by a process, and none is running`));

  // /proc/PID/ns: a magic link per namespace (namespaces(7), NS-01); reading one needs
  // ptrace read access to the process (CAP-06).
  const nsLink = (entry: NsEntry): Vnode => {
    const target = (): Namespace | SysError => {
      if (!alive()) return err('ENOENT', `${exited}, so ${dir}/ns/${entry} leads nowhere`);
      const reader = k.current;
      if (reader && !mayPtraceRead(reader, t)) return err('EACCES', `uid ${reader.creds.fsuid} may not inspect the namespaces of PID ${t.pid} (ptrace access mode)`);
      if (entry === 'pid_for_children') {
        const pns = t.pidNsForChildren;
        // Until its first process exists, a new PID namespace has no file (PID-04).
        return pns !== t.pidNs && pns.init === null && !pns.initDied ? err('ENOENT', `${dir}/ns/pid_for_children: the new PID namespace has no process yet (it appears with the first child)`) : pns;
      }
      return taskNs(t, entry === 'time_for_children' ? 'time' : entry);
    };
    return new ProcLink(
      fs,
      `${key}/ns/${entry}`,
      0o777,
      owner,
      () => {
        const ns = target();
        return ns instanceof SysError ? ns : nsLinkText(ns);
      },
      () => {
        const ns = target();
        return ns instanceof SysError ? ns : { mnt: k.nsfs.mount, vn: k.nsfs.vnodeOf(ns) };
      },
    );
  };
  const nsDir = (): ProcDir =>
    new ProcDir(fs, `${key}/ns`, 0o511, owner, () => NS_ENTRIES.map((e) => ({ name: e, make: () => nsLink(e) })), () => self);

  const fdDir = (): ProcDir =>
    new ProcDir(
      fs,
      `${key}/fd`,
      0o500,
      owner,
      () =>
        alive()
          ? t.files.openFds().map((fd) => ({
              name: String(fd),
              make: () => fdLink(fd),
            }))
          : [],
      () => self,
    );

  const fdLink = (fd: number): Vnode => {
    const f = t.files.get(fd);
    const perm = f ? 0o700 & ~(f.canRead ? 0 : 0o400) & ~(f.canWrite ? 0 : 0o200) : 0o700;
    return new ProcLink(
      fs,
      `${key}/fd/${fd}`,
      perm,
      owner,
      () => {
        const of = t.files.get(fd);
        if (!of) return err('ENOENT', `descriptor ${fd} of ${dir} is not open`);
        if (of.vnode && of.mnt) return pathOf(k.current ?? t, { mnt: of.mnt, vn: of.vnode }, false);
        return of.ops.describe?.(of) ?? of.path;
      },
      () => {
        const of = t.files.get(fd);
        if (!of) return err('ENOENT', `descriptor ${fd} of ${dir} is not open`);
        if (of.vnode && of.mnt) return { mnt: of.mnt, vn: of.vnode };
        return { mnt: fs.procMountPath().mnt, vn: new AnonFileVnode(fs, of) };
      },
    );
  };

  const entries = (): ProcEntry[] => [
    file('cmdline', 0o444, () => renderCmdline(t)),
    file('comm', 0o644, () => `${t.comm}\n`, (d) => {
      t.comm = d.replace(/\n$/, '').slice(0, 15);
      return d.length;
    }),
    magic('cwd', () => t.fs.cwd),
    file('environ', 0o400, () => renderEnviron(t)),
    {
      name: 'exe',
      make: () =>
        new ProcLink(fs, `${key}/exe`, 0o777, owner, () => (alive() ? t.exe : err('ENOENT', `${exited}, so ${dir}/exe leads nowhere`)), () => {
          if (!alive()) return err('ENOENT', `${exited}, so ${dir}/exe leads nowhere`);
          return resolve(k, k.current ?? t, t.exe, { follow: true });
        }),
    },
    { name: 'fd', make: fdDir },
    file('limits', 0o444, () => renderLimits(t)),
    file('maps', 0o444, () => renderMaps(t.mm)),
    file('oom_score', 0o444, () => `${oomScore(k, t)}\n`),
    file('oom_score_adj', 0o644, () => `${t.oomScoreAdj}\n`, (d) => {
      // -1000..1000; only a privileged writer may go below the lowest value one set (CAP_SYS_RESOURCE).
      if (!/^\s*-?\d+\s*$/.test(d)) return err('EINVAL', `${JSON.stringify(d.trim())} is not a whole number (${dir}/oom_score_adj)`);
      const v = Number(d.trim());
      if (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX) return err('EINVAL', `${v} is outside ${OOM_SCORE_ADJ_MIN}..${OOM_SCORE_ADJ_MAX} (${dir}/oom_score_adj)`);
      if (!alive()) return err('ESRCH', exited);
      const privileged = k.current ? capable(k.current.creds, CAP.SYS_RESOURCE) : true;
      if (v < t.oomScoreAdjMin && !privileged) return err('EACCES', 'lowering oom_score_adj below its minimum needs CAP_SYS_RESOURCE');
      t.oomScoreAdj = v;
      if (privileged) t.oomScoreAdjMin = v;
      return d.length;
    }),
    { name: 'ns', make: nsDir },
    file('cgroup', 0o444, () => (alive() || t.state === TaskState.Zombie ? renderProcCgroup((k.current?.nsproxy ?? k.initNsproxy).cgroup.root, t.cgroup) : err('ESRCH', `process ${t.pidIn(ns)} has been reaped`))),
    file('mountinfo', 0o444, () => (alive() ? renderMountinfo(t) : err('EINVAL', `${exited} and has no mounts to show`))),
    file('mounts', 0o444, () => (alive() ? renderMounts(t) : err('EINVAL', `${exited} and has no mounts to show`))),
    magic('root', () => t.fs.root),
    file('schedstat', 0o444, () => renderSchedstat(k, t)),
    {
      name: 'setgroups',
      make: () => {
        const f = new ProcFile(fs, `${key}/setgroups`, 0o644, owner, () => (alive() ? `${t.creds.userNs.setgroupsAllowed ? 'allow' : 'deny'}\n` : err('ESRCH', exited)), (d) => writer((c) => writeSetgroups(t.creds.userNs, c, d)));
        // Opening it for writing needs CAP_SYS_ADMIN in the namespace (proc_setgroups_open).
        f.mayOpenForWrite = () => (k.current && !nsCapable(k.current.creds, t.creds.userNs, CAP.SYS_ADMIN) ? err('EACCES', 'writing setgroups needs CAP_SYS_ADMIN in the user namespace') : undefined);
        return f;
      },
    },
    file('stat', 0o444, () => renderStat(k, t, ns, fs.ttyOf(t))),
    file('statm', 0o444, () => renderStatm(t)),
    file('status', 0o444, () => renderStatus(k, t, ns)),
    file('uid_map', 0o644, () => renderIdMap(t.creds.userNs, 'uid', readerNs()), (d) => writer((c) => writeIdMap(t.creds.userNs, 'uid', c, d))),
    file('gid_map', 0o644, () => renderIdMap(t.creds.userNs, 'gid', readerNs()), (d) => writer((c) => writeIdMap(t.creds.userNs, 'gid', c, d))),
  ];
  const self: ProcDir = new ProcDir(fs, key, 0o555, owner, entries, () => fs.procRoot());
  return self;
}
