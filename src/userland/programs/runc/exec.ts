/**
 * `runc exec`: a new process in a running container — in its cgroup (written by the
 * runtime before the process goes on), in each of its namespaces (setns on
 * /proc/INIT/ns/*, the user namespace first and the mount namespace last), forked
 * once more so that it is inside the PID namespace, then with the process's cwd,
 * user and capabilities, exec'd. runc waits for it and exits with its status (255
 * when runc itself fails), unless -d.
 */
import type { Op, Program } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { PR_SET_CHILD_SUBREAPER } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import type { OciProcess } from '../../../runtime/oci/index.js';
import { type ContainerRecord, writeFileAtomic } from './container-state.js';
import { joinCgroup } from './cgroup.js';
import { syncPipes, type SyncPipe } from './sync.js';
import { becomeProcess, JOIN_ORDER, leaveSession, lookPath, NS_TYPES, setRlimits } from './init.js';
import { RuncError } from './log.js';

type Gen<T> = Generator<Op, T, unknown>;


/** Sends the error to runc and ends the process (runc exec's failures are status 255). */
const fail = (sync: SyncPipe, why: string): Gen<number> => sync.fail(why, 255);

function joinAndFork(rec: ContainerRecord, p: OciProcess, sync: SyncPipe): () => Program {
  return function* (): Program {
    yield* sys.prctlSetName('runc:[1:CHILD]');
    if ((yield* sync.recv()) !== 'go') return 255;
    const types = new Set<string>((rec.config.linux?.namespaces ?? []).map((n) => n.type));
    for (const type of JOIN_ORDER) {
      if (!types.has(type)) continue;
      const path = `/proc/${rec.initPid}/ns/${NS_TYPES[type].file}`;
      const fd = yield* sys.open(path, 0);
      if (fd instanceof SysError) return yield* fail(sync, `failed to open ${path}: ${fd.message.toLowerCase()}`);
      const r = yield* sys.setns(fd, NS_TYPES[type].flag);
      yield* sys.close(fd);
      if (r instanceof SysError) return yield* fail(sync, `failed to setns into ${type} namespace: ${r.message.toLowerCase()}`);
    }
    const child = yield* sys.fork(function* (): Program {
      yield* sys.prctlSetName('runc:[2:INIT]');
      yield* leaveSession(p);
      const cd = yield* sys.chdir(p.cwd);
      if (cd instanceof SysError) return yield* fail(sync, `chdir to cwd (${JSON.stringify(p.cwd)}) set in config.json failed: ${cd.message.toLowerCase()}`);
      const rl = yield* setRlimits(p);
      if (rl) return yield* fail(sync, rl);
      const env = p.env ?? [];
      const who = yield* becomeProcess(p);
      if (who) return yield* fail(sync, who);
      const file = yield* lookPath(p.args![0], env);
      if (Array.isArray(file)) return yield* fail(sync, file[0]);
      // No "ready": the sync pipe is close-on-exec, so runc sees end of file once execve succeeds, or the error if it fails.
      const e = yield* sys.execve(file, p.args!, env);
      return yield* fail(sync, `exec ${file}: ${e instanceof SysError ? e.message.toLowerCase() : 'failed'}`);
    });
    if (child instanceof SysError) return yield* fail(sync, `fork: ${child.message.toLowerCase()}`);
    yield* sync.send(`pid ${child}`);
    return 0;
  };
}

/** Starts `p` in the container; returns its PID as the host sees it. */
export function* execInContainer(rec: ContainerRecord, p: OciProcess, pidFile: string | undefined): Gen<number> {
  const pipes = yield* syncPipes();
  if (pipes instanceof SysError) throw new RuncError(`pipe: ${pipes.message.toLowerCase()}`, 255);
  const [parent, child] = pipes;
  yield* sys.prctl(PR_SET_CHILD_SUBREAPER, 1);
  const s1 = yield* sys.fork(joinAndFork(rec, p, child));
  yield* child.close();
  if (s1 instanceof SysError) throw new RuncError(`fork: ${s1.message.toLowerCase()}`, 255);
  const joined = yield* joinCgroup(rec.cgroupDir, s1);
  if (joined) {
    yield* sys.kill(s1, 9);
    yield* sys.wait4(s1);
    throw new RuncError(joined, 255);
  }
  yield* parent.send('go');
  // Stage 1 says "pid"; then the pipe ends when the process has exec'd (close-on-exec), or says why it could not.
  let pid = 0;
  for (;;) {
    const msg = yield* parent.recv();
    if (msg === null) {
      if (pid === 0) throw new RuncError('exec failed: the process exited before it started', 255);
      break;
    }
    if (msg.startsWith('pid ')) {
      pid = Number(msg.slice(4));
      yield* sys.wait4(s1);
    } else if (msg.startsWith('error ')) {
      if (pid > 0) yield* sys.wait4(pid);
      throw new RuncError(`exec failed: unable to start container process: ${msg.slice(6)}`, 255);
    }
  }
  yield* parent.close();
  if (pidFile !== undefined) {
    const w = yield* writeFileAtomic(pidFile, `${pid}`, 0o644);
    if (w) throw new RuncError(`exec failed: write pid file ${pidFile}: ${w.message.toLowerCase()}`, 255);
  }
  return pid;
}
