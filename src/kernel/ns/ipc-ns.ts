/**
 * An IPC namespace (ipc_namespaces(7)): its own System V message queues, shared
 * memory segments and semaphore sets, and its own IPC sysctls (IPC-01, IPC-02). A
 * new namespace starts empty with default limits; when it dies its objects go too
 * (IPC-03).
 *
 * IDs are built as Linux's ipc_buildid does: the index (allocated cyclically from
 * 0) plus the sequence number times 32768, the sequence moving on when the index
 * wraps back.
 */
import { Namespace } from './namespace.js';
import type { UserNamespace } from './user-ns.js';

export type IpcKind = 'msg' | 'shm' | 'sem';

/** An object's ipc_perm plus what /proc/sysvipc shows of it. */
export interface IpcObject {
  kind: IpcKind;
  id: number;
  key: number;
  /** Permission bits (the low 9 bits of the msgflg/shmflg/semflg). */
  mode: number;
  /** Owner and creator (kernel IDs). */
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  /** ctime in seconds since the epoch. */
  ctime: number;
  /** Message queues: the queued messages (type, bytes). */
  messages?: { type: number; text: string }[];
  /** Shared memory: the size in bytes and the creator's PID (in the namespace's terms). */
  size?: number;
  cpid?: number;
  /** Semaphores: how many in the set. */
  nsems?: number;
}

/** IPCMNI: indices run below 32768 (ipc_mni without the extend boot option). */
const IPCMNI = 32768;

/** The System V IPC sysctls with their defaults (Documentation/admin-guide/sysctl/kernel.rst). */
export interface IpcSysctls {
  msgmax: number;
  msgmnb: number;
  msgmni: number;
  shmmax: bigint;
  shmall: bigint;
  shmmni: number;
  shm_rmid_forced: number;
  sem: [number, number, number, number];
}

export function defaultIpcSysctls(): IpcSysctls {
  return {
    msgmax: 8192,
    msgmnb: 16384,
    msgmni: 32000,
    shmmax: 18446744073692774399n,
    shmall: 18446744073692774399n,
    shmmni: 4096,
    shm_rmid_forced: 0,
    sem: [32000, 1024000000, 500, 32000],
  };
}

class IpcIds {
  readonly objects = new Map<number, IpcObject>();
  private lastIdx = -1;
  private seq = 0;

  /** The next ID, or -1 when every index is taken. */
  allocate(): number {
    const used = new Set<number>();
    for (const id of this.objects.keys()) used.add(id % IPCMNI);
    for (let i = 1; i <= IPCMNI; i++) {
      const idx = (this.lastIdx + i) % IPCMNI;
      if (used.has(idx)) continue;
      if (idx <= this.lastIdx) this.seq = (this.seq + 1) % 65536;
      this.lastIdx = idx;
      return this.seq * IPCMNI + idx;
    }
    return -1;
  }
}

export class IpcNamespace extends Namespace {
  readonly nsType = 'ipc' as const;
  readonly sysctls: IpcSysctls = defaultIpcSysctls();
  readonly ids: Record<IpcKind, IpcIds> = { msg: new IpcIds(), shm: new IpcIds(), sem: new IpcIds() };

  constructor(inum: number, owner: UserNamespace) {
    super(inum, owner);
  }

  /** The object of `kind` with key `key` (not IPC_PRIVATE), if any. */
  byKey(kind: IpcKind, key: number): IpcObject | undefined {
    for (const o of this.ids[kind].objects.values()) if (o.key === key) return o;
    return undefined;
  }

  /** The objects of `kind` in ID order. */
  list(kind: IpcKind): IpcObject[] {
    return [...this.ids[kind].objects.values()].sort((a, b) => (a.id % IPCMNI) - (b.id % IPCMNI));
  }

  /** How many objects the namespace holds, of every kind. */
  get size(): number {
    return this.ids.msg.objects.size + this.ids.shm.objects.size + this.ids.sem.objects.size;
  }

  protected override teardown(): void {
    for (const k of Object.values(this.ids)) k.objects.clear();
  }
}
