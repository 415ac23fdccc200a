/**
 * `runc create`, `runc start` and `runc run`, and the teardown `delete` shares: the
 * runtime's (parent's) side of building a container — read and check config.json,
 * claim the state directory and exec.fifo, make the cgroup, start the init (init.ts)
 * and answer it (ID maps, hooks), record the container; later open exec.fifo to let
 * the init exec the user's program.
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { PR_SET_CHILD_SUBREAPER } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { readFile, readAll, fromUtf8 } from '../../lib/io.js';
import { writeProcFile } from '../nsutils/common.js';
import { O_RDONLY, S_IFIFO } from '../../../kernel/vfs/types.js';
import { WEXITSTATUS, WIFEXITED, WTERMSIG } from '../../../kernel/proc/wstatus.js';
import { OCI_VERSION, isValidContainerId, parseConfigText, validateConfig, formatConfigIssue, type OciConfig, type OciHook, type IdMapping } from '../../../runtime/oci/index.js';
import { type ContainerRecord, fifoOf, initAlive, loadRecord, procStat, saveRecord, stateDirOf, statusOf, writeFileAtomic } from './container-state.js';
import { cgroupDirFor, cgroupPids, createCgroup, joinCgroup, removeCgroup, setFrozen } from './cgroup.js';
import { syncPipes } from './sync.js';
import { stage1, type InitPlan } from './init.js';
import { cleanPath, mkdirAll } from './rootfs.js';
import { runHooks, type HookState } from './hooks.js';
import { logWarning, RuncError } from './log.js';

type Gen<T> = Generator<Op, T, unknown>;


export interface CreateOptions {
  root: string;
  id: string;
  /** The bundle as given (-b), default ".". */
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  /** `runc run` in the foreground: a terminal may be used without a console socket. */
  foreground: boolean;
}

function* absolute(path: string): Gen<string> {
  if (path.startsWith('/')) return path;
  const cwd = yield* sys.getcwd();
  return cleanPath(`${cwd instanceof SysError ? '/' : cwd}/${path}`);
}

/** Reads and checks config.json; warnings are logged, errors thrown as one RuncError listing them. */
export function* loadBundleConfig(bundle: string): Gen<OciConfig> {
  const text = yield* readFile(`${bundle}/config.json`);
  if (text instanceof SysError) throw new RuncError(text.errno === 'ENOENT' ? 'JSON specification file config.json not found' : `open config.json: ${text.message.toLowerCase()}`);
  const parsed = parseConfigText(fromUtf8(text), 'config.json');
  if ('error' in parsed) throw new RuncError(formatConfigIssue('config.json', parsed.error));
  const v = validateConfig(parsed.doc, 'config.json');
  for (const w of v.warnings) yield* logWarning(formatConfigIssue('config.json', w));
  if (v.errors.length) throw new RuncError(v.errors.map((e) => formatConfigIssue('config.json', e)).join('; '));
  const c = v.config;
  if (!c.process) throw new RuncError('config.json: process: process property must not be empty');
  if (!c.root) throw new RuncError('config.json: root: root must be specified');
  const types = (c.linux?.namespaces ?? []).map((n) => n.type);
  if (!types.includes('mount')) throw new RuncError('config.json: linux.namespaces: ctsim\'s runc needs a private mount namespace (add {"type": "mount"})');
  if (types.includes('time')) throw new RuncError('config.json: linux.namespaces: unsupported: time namespaces are not modelled by ctsim');
  return c;
}

const mapText = (maps: readonly IdMapping[] | undefined): string => (maps ?? []).map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');

/**
 * Removes what create made: the init (killed), the cgroup, exec.fifo, state.json and
 * the state directory; then, once the container had an init, its poststop hooks, as
 * libcontainer's destroy does (a failed hook earlier must still be undone).
 */
function* undoCreate(root: string, id: string, initPid: number, cgroupDir: string | null, madeCgroup: boolean, poststop?: HookState & { hooks: OciHook[] | undefined }, stage1 = 0): Gen<void> {
  // Stage 1 and the init are runc's children (the init by the subreaper rule): kill and reap them.
  for (const pid of [stage1, initPid]) {
    if (pid <= 0) continue;
    yield* sys.kill(pid, 9);
    yield* sys.wait4(pid);
  }
  if (cgroupDir) for (const pid of yield* cgroupPids(cgroupDir)) yield* sys.kill(pid, 9);
  if (cgroupDir && madeCgroup) {
    const e = yield* removeCgroup(cgroupDir);
    if (e) yield* logWarning(`unable to remove cgroup ${cgroupDir}: ${e.message.toLowerCase()}`);
  }
  const dir = stateDirOf(root, id);
  yield* sys.unlink(`${dir}/exec.fifo`);
  yield* sys.unlink(`${dir}/state.json`);
  yield* sys.rmdir(dir);
  if (poststop && initPid > 0) {
    const why = yield* runHooks('poststop', poststop.hooks, { ...poststop, status: 'stopped', pid: 0 });
    if (why) yield* logWarning(why);
  }
}

/** `runc create`: everything up to the init waiting on exec.fifo. Returns the record. */
export function* createContainer(o: CreateOptions): Gen<ContainerRecord> {
  if (!isValidContainerId(o.id)) throw new RuncError('invalid container ID format');
  // A relative --pid-file is where runc was started, not in the bundle it changes into.
  const pidFile = o.pidFile !== undefined ? yield* absolute(o.pidFile) : undefined;
  const bundle = yield* absolute(o.bundle);
  const ch = yield* sys.chdir(bundle);
  if (ch instanceof SysError) throw new RuncError(`chdir ${bundle}: ${ch.message.toLowerCase()}`);
  const config = yield* loadBundleConfig(bundle);
  if (config.process!.terminal && !o.foreground && o.consoleSocket === undefined) {
    throw new RuncError('cannot allocate tty if runc will detach without setting console socket');
  }
  if (o.consoleSocket !== undefined) throw new RuncError('--console-socket: unsupported: ctsim does not pass terminals over a socket (set process.terminal to false, or use run in the foreground)');
  const rootPath = config.root!.path;
  const rootfs = yield* absolute(rootPath.startsWith('/') ? rootPath : `${bundle}/${rootPath}`);
  const rst = yield* sys.stat(rootfs);
  if (rst instanceof SysError) throw new RuncError(`rootfs (${JSON.stringify(rootfs)}) does not exist`);

  const e = yield* mkdirAll(o.root, 0o711);
  if (e) throw new RuncError(`mkdir ${o.root}: ${e.message.toLowerCase()}`);
  const dir = stateDirOf(o.root, o.id);
  const md = yield* sys.mkdir(dir, 0o711);
  if (md instanceof SysError) throw new RuncError(md.errno === 'EEXIST' ? 'container with given ID already exists' : `mkdir ${dir}: ${md.message.toLowerCase()}`);

  const fifo = fifoOf(o.root, o.id);
  const oldMask = yield* sys.umask(0);
  const mf = yield* sys.mknod(fifo, S_IFIFO | 0o622);
  yield* sys.umask(typeof oldMask === 'number' ? oldMask : 0o22);
  if (mf instanceof SysError) {
    yield* undoCreate(o.root, o.id, 0, null, false);
    throw new RuncError(`mkfifo ${fifo}: ${mf.message.toLowerCase()}`);
  }
  const cgroupDir = yield* cgroupDirFor(config, o.id);
  const cg = yield* createCgroup(cgroupDir, config);
  if (typeof cg === 'string') {
    yield* undoCreate(o.root, o.id, 0, null, false);
    throw new RuncError(cg);
  }
  const annotations = config.annotations ?? {};
  let s1 = 0;
  let s1Reaped = false;
  const fail = function* (why: string, initPid: number): Gen<never> {
    yield* undoCreate(o.root, o.id, initPid, cgroupDir, cg.made, { ociVersion: OCI_VERSION, id: o.id, status: 'stopped', bundle, annotations, hooks: config.hooks?.poststop }, s1Reaped ? 0 : s1);
    throw new RuncError(`unable to start container process: ${why}`);
  };

  const plan: InitPlan = { config, id: o.id, bundle, rootfs, fifo, cgroupDir, ociVersion: OCI_VERSION, annotations };
  const pipes = yield* syncPipes();
  if (pipes instanceof SysError) return yield* fail(`pipe: ${pipes.message.toLowerCase()}`, 0);
  const [parent, child] = pipes;
  // The init is stage 1's child: as a subreaper, runc becomes its parent when stage 1 exits.
  yield* sys.prctl(PR_SET_CHILD_SUBREAPER, 1);
  const forked = yield* sys.fork(stage1(plan, child));
  yield* child.close();
  if (forked instanceof SysError) return yield* fail(`fork: ${forked.message.toLowerCase()}`, 0);
  s1 = forked;
  const joined = yield* joinCgroup(cgroupDir, s1);
  if (joined) return yield* fail(joined, 0);
  yield* parent.send('go');
  // Stage 1's "pid" and stage 2's messages share the pipe and may come in either order.
  let initPid = 0;
  let hooksAsked = false;
  let ready = false;
  const runRuntimeHooks = function* (): Gen<void> {
    const st: HookState = { ociVersion: OCI_VERSION, id: o.id, status: 'creating', pid: initPid, bundle, annotations };
    const why = (yield* runHooks('prestart', config.hooks?.prestart, st)) ?? (yield* runHooks('createRuntime', config.hooks?.createRuntime, st));
    if (why) return yield* fail(why, initPid);
    yield* parent.send('hooks-done');
  };
  while (!(ready && initPid > 0)) {
    const msg = yield* parent.recv();
    if (msg === null) return yield* fail('init exited before it was ready', initPid);
    if (msg === 'map') {
      for (const [file, maps] of [['uid_map', config.linux?.uidMappings], ['gid_map', config.linux?.gidMappings]] as const) {
        const w = yield* writeProcFile(`/proc/${s1}/${file}`, mapText(maps));
        if (w) return yield* fail(`failed to write ${file}: ${w.message.toLowerCase()}`, initPid);
      }
      yield* parent.send('mapped');
    } else if (msg.startsWith('pid ')) {
      initPid = Number(msg.slice(4));
      yield* sys.wait4(s1);
      s1Reaped = true;
      if (hooksAsked) yield* runRuntimeHooks();
    } else if (msg === 'hooks') {
      hooksAsked = true;
      if (initPid > 0) yield* runRuntimeHooks();
    } else if (msg === 'ready') {
      ready = true;
    } else if (msg.startsWith('error ')) {
      return yield* fail(msg.slice(6), initPid);
    }
  }
  yield* parent.close();
  const st = yield* procStat(initPid);
  const now = yield* sys.clockGettime(0);
  const ownPidNs = (config.linux?.namespaces ?? []).some((n) => n.type === 'pid' && !n.path);
  const rec: ContainerRecord = {
    id: o.id,
    initPid,
    initStartTime: st?.startTime ?? 0,
    bundle,
    rootfs,
    createdNs: typeof now === 'number' ? now : 0,
    annotations,
    cgroupDir,
    ownPidNs,
    config,
  };
  const saved = yield* saveRecord(o.root, rec);
  if (saved) return yield* fail(`write state: ${saved.message.toLowerCase()}`, initPid);
  if (pidFile !== undefined) {
    const w = yield* writeFileAtomic(pidFile, `${initPid}`, 0o644);
    if (w) return yield* fail(`write pid file ${pidFile}: ${w.message.toLowerCase()}`, initPid);
  }
  return rec;
}

/** `runc start`: lets a created container's init exec its program, then runs the poststart hooks. */
export function* startContainer(root: string, id: string): Gen<ContainerRecord> {
  const rec = yield* loadRecord(root, id);
  if (!rec) throw new RuncError('container does not exist');
  const status = yield* statusOf(root, rec);
  if (status === 'stopped') throw new RuncError('cannot start a container that has stopped');
  if (status === 'running') throw new RuncError('cannot start an already running container');
  if (status === 'paused') throw new RuncError('cannot start a container in the paused state');
  const fifo = fifoOf(root, id);
  const fd = yield* sys.open(fifo, O_RDONLY);
  if (fd instanceof SysError) throw new RuncError(`open exec fifo: ${fd.message.toLowerCase()}`);
  const data = yield* readAll(fd);
  yield* sys.close(fd);
  yield* sys.unlink(fifo);
  if (data instanceof SysError || data === '') throw new RuncError('cannot start an already running container');
  const why = yield* runHooks('poststart', rec.config.hooks?.poststart, hookState(rec, 'running'));
  if (why) {
    // A failing poststart hook stops and destroys the container (runtime.md "Lifecycle").
    yield* killAll(rec);
    yield* destroyContainer(root, rec);
    throw new RuncError(why);
  }
  return rec;
}

export const hookState = (rec: ContainerRecord, status: string): HookState => ({
  ociVersion: OCI_VERSION,
  id: rec.id,
  status,
  pid: status === 'stopped' ? 0 : rec.initPid,
  bundle: rec.bundle,
  annotations: rec.annotations,
});

/** SIGKILL to every process of the container (its cgroup), thawing it so the signal lands. */
export function* killAll(rec: ContainerRecord): Gen<void> {
  yield* setFrozen(rec.cgroupDir, true);
  for (const pid of yield* cgroupPids(rec.cgroupDir)) yield* sys.kill(pid, 9);
  yield* setFrozen(rec.cgroupDir, false);
  if (yield* initAlive(rec)) yield* sys.kill(rec.initPid, 9);
}

/** Undoes create for a stopped container: leftover processes, cgroup, state directory; then the poststop hooks (their failure only warns). */
export function* destroyContainer(root: string, rec: ContainerRecord): Gen<void> {
  // Without a PID namespace of its own, the init's death does not end the other processes: runc kills them.
  if (!rec.ownPidNs) yield* killAll(rec);
  const e = yield* removeCgroup(rec.cgroupDir);
  if (e) yield* logWarning(`unable to remove cgroup ${rec.cgroupDir}: ${e.message.toLowerCase()}`);
  const dir = stateDirOf(root, rec.id);
  yield* sys.unlink(`${dir}/exec.fifo`);
  yield* sys.unlink(`${dir}/state.json`);
  yield* sys.rmdir(dir);
  const why = yield* runHooks('poststop', rec.config.hooks?.poststop, hookState(rec, 'stopped'));
  if (why) yield* logWarning(why);
}

/** Waits for the init (runc is its parent, as a subreaper) and returns the shell-style status. */
export function* waitInit(initPid: number): Gen<number> {
  for (;;) {
    const r = yield* sys.wait4(initPid);
    if (r instanceof SysError) {
      if (r.errno === 'EINTR') continue;
      return 255;
    }
    if (WIFEXITED(r.status)) return WEXITSTATUS(r.status);
    return 128 + WTERMSIG(r.status);
  }
}
