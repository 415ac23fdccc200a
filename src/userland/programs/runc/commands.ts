/**
 * runc's commands that read or act on an existing container: state, list, kill,
 * delete, pause, resume, ps and events (runc's state.go, list.go, kill.go, delete.go,
 * pause.go, ps.go, events.go), and spec.
 */
import type { Op, Program } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { out, readAll, utf8 } from '../../lib/io.js';
import { UserDb } from '../../lib/passwd.js';
import { O_CREAT, O_EXCL, O_WRONLY } from '../../../kernel/vfs/types.js';
import {
  OCI_VERSION,
  formatEventsStats,
  formatListJson,
  formatListTable,
  formatRuncSpec,
  formatStateJson,
  parseSignal,
  runcDefaultSpec,
  type RuncState,
  type StatsInput,
} from '../../../runtime/oci/index.js';
import { type ContainerRecord, type ContainerStatus, initAlive, listIds, loadRecord, stateDirOf, statusOf } from './container-state.js';
import { cgroupPids, readCgroupFile, setFrozen } from './cgroup.js';
import { destroyContainer, killAll } from './create.js';
import { RuncError } from './log.js';

type Gen<T> = Generator<Op, T, unknown>;

/** Writes `text` to standard output; 1 when that fails. */
export function* print(text: string): Gen<number> {
  return (yield* out(utf8(text))) ? 1 : 0;
}

/** The container, or runc's "container does not exist". */
export function* mustLoad(root: string, id: string): Gen<ContainerRecord> {
  const rec = yield* loadRecord(root, id);
  if (!rec) throw new RuncError('container does not exist');
  return rec;
}

function runcState(rec: ContainerRecord, status: ContainerStatus, owner: string): RuncState {
  return {
    ociVersion: OCI_VERSION,
    id: rec.id,
    pid: status === 'stopped' ? 0 : rec.initPid,
    status,
    bundle: rec.bundle,
    rootfs: rec.rootfs,
    createdNs: rec.createdNs,
    annotations: rec.annotations,
    owner,
  };
}

export function* cmdState(root: string, id: string): Gen<number> {
  const rec = yield* mustLoad(root, id);
  const status = yield* statusOf(root, rec);
  return yield* print(formatStateJson(runcState(rec, status, '')));
}

export function* cmdList(root: string, format: string, quiet: boolean): Gen<number> {
  const db = yield* UserDb.load();
  const states: RuncState[] = [];
  for (const id of yield* listIds(root)) {
    const rec = yield* loadRecord(root, id);
    if (!rec) continue;
    const st = yield* sys.stat(stateDirOf(root, id));
    const uid = st instanceof SysError ? 0 : st.uid;
    const owner = db.getpwuid(uid)?.name ?? `#${uid}`;
    states.push(runcState(rec, yield* statusOf(root, rec), owner));
  }
  if (quiet) return yield* print(states.map((s) => s.id + '\n').join(''));
  if (format === 'json') return yield* print(formatListJson(states));
  if (format !== 'table') throw new RuncError(`invalid format option`);
  return yield* print(formatListTable(states));
}

export function* cmdKill(root: string, id: string, sigName: string | undefined, all: boolean): Gen<number> {
  const rec = yield* mustLoad(root, id);
  const sig = parseSignal(sigName ?? 'SIGTERM');
  if (sig === null) throw new RuncError(`unknown signal ${JSON.stringify(sigName)}`);
  const status = yield* statusOf(root, rec);
  if (status === 'stopped') throw new RuncError('container not running');
  // Without a PID namespace of its own, SIGKILL (or --all) reaches every process of the cgroup.
  if ((!rec.ownPidNs && sig === 9) || all) {
    if (sig === 9) yield* killAll(rec);
    else for (const pid of yield* cgroupPids(rec.cgroupDir)) yield* sys.kill(pid, sig);
    return 0;
  }
  const r = yield* sys.kill(rec.initPid, sig);
  if (r instanceof SysError) throw new RuncError(r.errno === 'ESRCH' ? 'container not running' : `kill: ${r.message.toLowerCase()}`);
  // SIGKILL to a paused container also thaws it, so that the kill takes effect.
  if (status === 'paused' && sig === 9) yield* setFrozen(rec.cgroupDir, false);
  return 0;
}

/** Waits (simulated time, a few ms at most) for the init to be gone after a kill. */
function* waitGone(rec: ContainerRecord): Gen<void> {
  for (let i = 0; i < 100 && (yield* initAlive(rec)); i++) yield* sys.nanosleep(100_000);
}

export function* cmdDelete(root: string, id: string, force: boolean): Gen<number> {
  const rec = yield* loadRecord(root, id);
  if (!rec) {
    // runc: deleting a missing container with --force succeeds silently.
    if (force) return 0;
    throw new RuncError('container does not exist');
  }
  const status = yield* statusOf(root, rec);
  if (status === 'created') {
    yield* killAll(rec);
    yield* waitGone(rec);
  } else if (status === 'running' || status === 'paused') {
    if (!force) throw new RuncError(`cannot delete container ${id} that is not stopped: ${status}`);
    yield* killAll(rec);
    yield* waitGone(rec);
  }
  yield* destroyContainer(root, rec);
  return 0;
}

export function* cmdPause(root: string, id: string): Gen<number> {
  const rec = yield* mustLoad(root, id);
  const status = yield* statusOf(root, rec);
  if (status !== 'running' && status !== 'created') throw new RuncError('container not running');
  const e = yield* setFrozen(rec.cgroupDir, true);
  if (e) throw new RuncError(`unable to freeze: ${e.message.toLowerCase()}`);
  return 0;
}

export function* cmdResume(root: string, id: string): Gen<number> {
  const rec = yield* mustLoad(root, id);
  const status = yield* statusOf(root, rec);
  if (status !== 'paused') throw new RuncError('container not paused');
  const e = yield* setFrozen(rec.cgroupDir, false);
  if (e) throw new RuncError(`unable to thaw: ${e.message.toLowerCase()}`);
  return 0;
}

/** `runc ps`: the host PIDs in the container's cgroup, as JSON or as ps(1)'s lines for them. */
export function* cmdPs(root: string, id: string, format: string, psArgs: string[]): Gen<number> {
  const rec = yield* mustLoad(root, id);
  // A stopped container has no processes: runc prints `null` (a nil slice) or the bare header.
  const pids = yield* cgroupPids(rec.cgroupDir);
  if (format === 'json') return yield* print(pids.length ? JSON.stringify(pids) + '\n' : 'null\n');
  if (format !== 'table') throw new RuncError(`invalid format option`);
  const text = yield* runCapture(['ps', ...(psArgs.length ? psArgs : ['-ef'])]);
  if (text === null) throw new RuncError('ps: failed to run ps');
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  const col = header.trim().split(/\s+/).indexOf('PID');
  if (col < 0) throw new RuncError("couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const out = [header, ...lines.slice(1).filter((l) => l.trim() !== '' && wanted.has(Number(l.trim().split(/\s+/)[col])))];
  return yield* print(out.join('\n') + '\n');
}

/** Runs a command found on PATH with its output captured (runc's exec.Command(...).Output()). */
function* runCapture(argv: string[]): Gen<string | null> {
  const p = yield* sys.pipe2(0);
  if (p instanceof SysError) return null;
  const [r, w] = p;
  const child = yield* sys.fork(function* (): Program {
    yield* sys.close(r);
    yield* sys.dup2(w, 1);
    yield* sys.close(w);
    for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
      yield* sys.execve(`${dir}/${argv[0]}`, argv, ['PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    }
    return 127;
  });
  yield* sys.close(w);
  if (child instanceof SysError) return null;
  const text = yield* readAll(r);
  yield* sys.close(r);
  yield* sys.wait4(child);
  return text instanceof SysError ? null : text;
}

const num = (s: string | null): number => (s === null ? 0 : Number(s.trim()) || 0);

/** The cgroup files behind `runc events --stats`. */
function* readStats(rec: ContainerRecord): Gen<StatsInput> {
  const dir = rec.cgroupDir;
  const kv = (text: string | null): Map<string, number> =>
    new Map(
      (text ?? '')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [k, v] = l.split(' ');
          return [k, Number(v)] as [string, number];
        }),
    );
  const cpu = kv(yield* readCgroupFile(dir, 'cpu.stat'));
  const memStat = kv(yield* readCgroupFile(dir, 'memory.stat'));
  const memMax = (yield* readCgroupFile(dir, 'memory.max'))?.trim() ?? 'max';
  const swapMax = (yield* readCgroupFile(dir, 'memory.swap.max'))?.trim() ?? 'max';
  const pidsMax = (yield* readCgroupFile(dir, 'pids.max'))?.trim() ?? 'max';
  return {
    cpu: {
      usageNs: (cpu.get('usage_usec') ?? 0) * 1000,
      userNs: (cpu.get('user_usec') ?? 0) * 1000,
      kernelNs: (cpu.get('system_usec') ?? 0) * 1000,
      periods: cpu.get('nr_periods') ?? 0,
      throttledPeriods: cpu.get('nr_throttled') ?? 0,
      throttledTimeNs: (cpu.get('throttled_usec') ?? 0) * 1000,
    },
    memory: {
      current: num(yield* readCgroupFile(dir, 'memory.current')),
      max: memMax === 'max' ? null : Number(memMax),
      peak: num(yield* readCgroupFile(dir, 'memory.peak')),
      swapCurrent: num(yield* readCgroupFile(dir, 'memory.swap.current')),
      swapMax: swapMax === 'max' ? null : Number(swapMax),
      stat: memStat,
    },
    pids: { current: num(yield* readCgroupFile(dir, 'pids.current')), limit: pidsMax === 'max' ? 0 : Number(pidsMax) },
  };
}

export function* cmdEvents(root: string, id: string, stats: boolean): Gen<number> {
  const rec = yield* mustLoad(root, id);
  const status = yield* statusOf(root, rec);
  if (status === 'stopped') throw new RuncError(`container with id ${id} is not running`);
  if (!stats) throw new RuncError('events: only --stats is supported by ctsim (the event stream needs a live runc)');
  return yield* print(formatEventsStats(id, yield* readStats(rec)));
}

/** `runc spec`: writes the starter config.json into the bundle directory. */
export function* cmdSpec(bundle: string, rootless: boolean): Gen<number> {
  const uid = yield* sys.geteuid();
  const gid = yield* sys.getegid();
  const spec = runcDefaultSpec({ rootless, uid: typeof uid === 'number' ? uid : 0, gid: typeof gid === 'number' ? gid : 0 });
  const path = `${bundle}/config.json`;
  const fd = yield* sys.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o666);
  if (fd instanceof SysError) throw new RuncError(fd.errno === 'EEXIST' ? 'File config.json exists. Remove it first' : `open ${path}: ${fd.message.toLowerCase()}`);
  const w = yield* sys.write(fd, utf8(formatRuncSpec(spec)));
  yield* sys.close(fd);
  if (w instanceof SysError) throw new RuncError(`write ${path}: ${w.message.toLowerCase()}`);
  return 0;
}
