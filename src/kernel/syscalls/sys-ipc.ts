/**
 * System V IPC (sysvipc(7), msgget(2), msgctl(2), msgsnd(2), msgrcv(2), shmget(2),
 * shmctl(2), semget(2), semctl(2)) on the caller's IPC namespace: objects are found by
 * key or ID only there (IPC-01).
 *
 *   get(key, flags)   IPC_PRIVATE makes a new object; a key finds one or, with
 *                     IPC_CREAT, makes it (EEXIST with IPC_EXCL, ENOENT without
 *                     IPC_CREAT, EACCES without permission, ENOSPC past msgmni/shmmni)
 *   ctl(id, IPC_RMID) removes it (the owner, creator, or CAP_SYS_ADMIN in the
 *                     namespace's user namespace; else EPERM; EINVAL for a bad ID)
 *
 * Simplification: shared memory segments are sizes, not mappings (shmat is not
 * offered); semaphore sets have no semop; msgsnd never blocks (a full queue is
 * EAGAIN) and msgrcv without a message fails with ENOMSG.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import type { HandlerTable } from './handler.js';
import type { IpcKind, IpcObject } from '../ns/ipc-ns.js';
import { CAP, nsCapable, capMissing } from '../ns/capabilities.js';
import { mayAccess, MAY_READ, MAY_WRITE } from '../vfs/permission.js';

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;

/** The key as a signed 32-bit number (key_t), as /proc/sysvipc prints it. */
const asKey = (key: number): number => key | 0;

/** An object's permission bits in octal, as ipcs(1) prints them. */
const modeOf = (o: IpcObject): string => (o.mode & 0o777).toString(8).padStart(3, '0');

function limitOf(k: Task['nsproxy']['ipc'], kind: IpcKind): number {
  const s = k.sysctls;
  return kind === 'msg' ? s.msgmni : kind === 'shm' ? s.shmmni : s.sem[3];
}

/** May `t` use `o` for `mask` (its mode bits as file permissions; CAP_IPC_OWNER overrides). */
function mayUse(t: Task, o: IpcObject, mask: number): boolean {
  // The mode bits as file permissions, without the file capabilities (IPC has its own, CAP_IPC_OWNER).
  const c = t.creds.clone();
  c.capEff = 0n;
  if (mayAccess(c, o, mask)) return true;
  return nsCapable(t.creds, t.nsproxy.ipc.owner!, CAP.IPC_OWNER);
}

function get(k: Kernel, t: Task, kind: IpcKind, key: number, flags: number, init: (o: IpcObject) => SysError | undefined): number | SysError {
  const ns = t.nsproxy.ipc;
  key = asKey(key);
  if (key !== IPC_PRIVATE) {
    const o = ns.byKey(kind, key);
    if (o) {
      if (flags & IPC_CREAT && flags & IPC_EXCL) return err('EEXIST', `an object with key 0x${(key >>> 0).toString(16)} exists`);
      const want = (flags & 0o400 ? MAY_READ : 0) | (flags & 0o200 ? MAY_WRITE : 0);
      if (want && !mayUse(t, o, want)) return err('EACCES', `mode ${modeOf(o)} of ${kind} object ${o.id} denies uid ${t.creds.euid} the access asked for, and it lacks CAP_IPC_OWNER`);
      return o.id;
    }
    if (!(flags & IPC_CREAT)) return err('ENOENT', `no object with key 0x${(key >>> 0).toString(16)} in this IPC namespace`);
  }
  if (ns.ids[kind].objects.size >= limitOf(ns, kind)) return err('ENOSPC', `the IPC namespace already holds ${limitOf(ns, kind)} ${kind} objects, the limit set by ${kind === 'msg' ? 'kernel.msgmni' : kind === 'shm' ? 'kernel.shmmni' : 'SEMMNI in kernel.sem'}`);
  const id = ns.ids[kind].allocate();
  if (id < 0) return err('ENOSPC', `no free ${kind} identifier is left in this IPC namespace`);
  const o: IpcObject = { kind, id, key, mode: flags & 0o777, uid: t.creds.euid, gid: t.creds.egid, cuid: t.creds.euid, cgid: t.creds.egid, ctime: Math.floor(k.realtimeNs / 1e9) };
  const bad = init(o);
  if (bad) return bad;
  ns.ids[kind].objects.set(id, o);
  return id;
}

function ctl(t: Task, kind: IpcKind, id: number, cmd: number): number | SysError | IpcObject {
  const ns = t.nsproxy.ipc;
  const o = ns.ids[kind].objects.get(id);
  if (!o) return err('EINVAL', `no ${kind} object ${id} in this IPC namespace`);
  if (cmd === IPC_STAT) return mayUse(t, o, MAY_READ) ? { ...o, messages: o.messages?.map((m) => ({ ...m })) } : err('EACCES', `IPC_STAT needs read permission on ${kind} object ${id} (mode ${modeOf(o)}) or CAP_IPC_OWNER`);
  if (cmd !== IPC_RMID) return err('EINVAL', `command ${cmd} is not modelled (IPC_STAT and IPC_RMID are)`);
  const c = t.creds;
  if (c.euid !== o.uid && c.euid !== o.cuid && !nsCapable(c, ns.owner!, CAP.SYS_ADMIN)) return err('EPERM', 'only the owner, the creator or CAP_SYS_ADMIN may remove it' + '; ' + capMissing(c, ns.owner!, CAP.SYS_ADMIN));
  ns.ids[kind].objects.delete(id);
  return 0;
}

export const ipcSyscalls: HandlerTable = {
  /** msgget({key, flags}). */
  msgget: (k, t, r: { key: number; flags: number }) => get(k, t, 'msg', r.key, r.flags, (o) => void (o.messages = [])),
  /** msgctl({id, cmd}): IPC_RMID, IPC_STAT. */
  msgctl: (_k, t, r: { id: number; cmd: number }) => ctl(t, 'msg', r.id, r.cmd),
  /** msgsnd({id, type, text}). */
  msgsnd(_k, t, r: { id: number; type: number; text: string }) {
    const ns = t.nsproxy.ipc;
    const o = ns.ids.msg.objects.get(r.id);
    if (!o || !o.messages) return err('EINVAL', `no message queue ${r.id} in this IPC namespace`);
    if (r.type < 1) return err('EINVAL', 'message types are positive');
    if (r.text.length > ns.sysctls.msgmax) return err('EINVAL', `messages are at most msgmax=${ns.sysctls.msgmax} bytes`);
    if (!mayUse(t, o, MAY_WRITE)) return err('EACCES', `msgsnd needs write permission on queue ${r.id} (mode ${modeOf(o)}) or CAP_IPC_OWNER`);
    const used = o.messages.reduce((n, m) => n + m.text.length, 0);
    if (used + r.text.length > ns.sysctls.msgmnb) return err('EAGAIN', 'the queue is full (msgmnb)');
    o.messages.push({ type: r.type, text: r.text });
    return 0;
  },
  /** msgrcv({id, type}): the first message (of that type when > 0). */
  msgrcv(_k, t, r: { id: number; type: number }) {
    const o = t.nsproxy.ipc.ids.msg.objects.get(r.id);
    if (!o || !o.messages) return err('EINVAL', `no message queue ${r.id} in this IPC namespace`);
    if (!mayUse(t, o, MAY_READ)) return err('EACCES', `msgrcv needs read permission on queue ${r.id} (mode ${modeOf(o)}) or CAP_IPC_OWNER`);
    // msgtyp < 0: the first message of the lowest type not above |msgtyp| (msgrcv(2)).
    let i = -1;
    if (r.type < 0) {
      for (let j = 0; j < o.messages.length; j++) if (o.messages[j].type <= -r.type && (i < 0 || o.messages[j].type < o.messages[i].type)) i = j;
    } else i = o.messages.findIndex((m) => r.type === 0 || m.type === r.type);
    if (i < 0) return err('ENOMSG', 'no message of that type (msgrcv does not block in ctsim)');
    return o.messages.splice(i, 1)[0];
  },
  /** shmget({key, size, flags}). */
  shmget: (k, t, r: { key: number; size: number; flags: number }) =>
    get(k, t, 'shm', r.key, r.flags, (o) => {
      if (r.size < 1) return err('EINVAL', 'the size must be at least 1 byte');
      o.size = r.size;
      o.cpid = t.pidIn(t.pidNs);
      return undefined;
    }),
  shmctl: (_k, t, r: { id: number; cmd: number }) => ctl(t, 'shm', r.id, r.cmd),
  /** semget({key, nsems, flags}). */
  semget: (k, t, r: { key: number; nsems: number; flags: number }) =>
    get(k, t, 'sem', r.key, r.flags, (o) => {
      if (r.nsems < 1 || r.nsems > t.nsproxy.ipc.sysctls.sem[0]) return err('EINVAL', `a new set needs 1..${t.nsproxy.ipc.sysctls.sem[0]} semaphores (SEMMSL)`);
      o.nsems = r.nsems;
      return undefined;
    }),
  semctl: (_k, t, r: { id: number; cmd: number }) => ctl(t, 'sem', r.id, r.cmd),
};

/** /proc/sysvipc/{msg,shm,sem}: the reader's IPC namespace's objects in the kernel's columns. */
export function renderSysvipc(t: Task, kind: IpcKind): string {
  const ns = t.nsproxy.ipc;
  const r = (v: number | string, w: number): string => String(v).padStart(w);
  const rows = ns.list(kind);
  if (kind === 'msg') {
    let out = '       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n';
    for (const o of rows) {
      const bytes = (o.messages ?? []).reduce((n, m) => n + m.text.length, 0);
      out += `${r(o.key, 10)} ${r(o.id, 10)} ${r(o.mode.toString(8), 5)} ${r(bytes, 11)} ${r(o.messages?.length ?? 0, 10)} ${r(0, 5)} ${r(0, 5)} ${r(o.uid, 5)} ${r(o.gid, 5)} ${r(o.cuid, 5)} ${r(o.cgid, 5)} ${r(0, 10)} ${r(0, 10)} ${r(o.ctime, 10)}\n`;
    }
    return out;
  }
  if (kind === 'shm') {
    let out = '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n';
    for (const o of rows) {
      out += `${r(o.key, 10)} ${r(o.id, 10)} ${r(o.mode.toString(8), 5)} ${r(o.size ?? 0, 21)} ${r(o.cpid ?? 0, 5)} ${r(0, 5)} ${r(0, 6)} ${r(o.uid, 5)} ${r(o.gid, 5)} ${r(o.cuid, 5)} ${r(o.cgid, 5)} ${r(0, 10)} ${r(0, 10)} ${r(o.ctime, 10)} ${r(0, 21)} ${r(0, 21)}\n`;
    }
    return out;
  }
  let out = '       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n';
  for (const o of rows) out += `${r(o.key, 10)} ${r(o.id, 10)} ${r(o.mode.toString(8), 5)} ${r(o.nsems ?? 0, 10)} ${r(o.uid, 5)} ${r(o.gid, 5)} ${r(o.cuid, 5)} ${r(o.cgid, 5)} ${r(0, 10)} ${r(o.ctime, 10)}\n`;
  return out;
}
