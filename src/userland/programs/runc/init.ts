/**
 * The container's init, as libcontainer's nsexec + `runc init` build it. Stage 1 runs
 * in the runtime's namespaces: it waits until the parent has put it in the cgroup,
 * joins the namespaces given by path, makes a user namespace (the parent writes its
 * maps), unshares the other new namespaces and forks stage 2 — PID 1 of a new PID
 * namespace. Stage 2 sets everything up (loopback, mounts, hooks, pivot_root, masked
 * and read-only paths, hostname, rlimits, cwd, user, capabilities), says "ready" and
 * blocks opening exec.fifo until `runc start` opens it; then it execs process.args.
 */
import type { Op, Program } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { utf8 } from '../../lib/io.js';
import { rtnl } from '../../lib/rtnl.js';
import { getenv, DEFAULT_PATH } from '../../lib/exec.js';
import { NS_KINDS, writeProcFile, type NsKind } from '../nsutils/common.js';
import { MS_REC, MS_SHARED } from '../../../kernel/syscalls/sys-mount.js';
import { O_CLOEXEC, O_DIRECTORY, O_PATH, O_WRONLY, S_IFDIR, S_IFMT, S_IFREG } from '../../../kernel/vfs/types.js';
import { CAP_NAMES, CAP_LAST_CAP } from '../../../kernel/ns/capabilities.js';
import { CLONE_NEWUSER, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS } from '../../../kernel/syscalls/abi.js';
import { RLIMIT_TYPES, type OciConfig, type OciProcess } from '../../../runtime/oci/index.js';
import type { SyncPipe } from './sync.js';
import { cleanPath, finishRootfs, mkdirAll, pivotInto, prepareRootfs } from './rootfs.js';
import { runHooks, type HookState } from './hooks.js';

type Gen<T> = Generator<Op, T, unknown>;

/** OCI namespace types → clone flags and /proc/PID/ns names: util-linux's table under OCI's names. */
export const NS_TYPES: Record<string, NsKind> = {
  user: NS_KINDS.user,
  ipc: NS_KINDS.ipc,
  uts: NS_KINDS.uts,
  network: NS_KINDS.net,
  pid: NS_KINDS.pid,
  cgroup: NS_KINDS.cgroup,
  mount: NS_KINDS.mnt,
};
/** The order namespaces are joined in: the user namespace first, so that joining the others is allowed; mount last. */
export const JOIN_ORDER = ['user', 'ipc', 'uts', 'network', 'pid', 'cgroup', 'mount'];

/** What stage 2 needs that the parent already knows. */
export interface InitPlan {
  config: OciConfig;
  id: string;
  bundle: string;
  /** Absolute rootfs path. */
  rootfs: string;
  fifo: string;
  cgroupDir: string;
  ociVersion: string;
  annotations: Record<string, string>;
}

const hasNs = (c: OciConfig, type: string): boolean => (c.linux?.namespaces ?? []).some((n) => n.type === type && !n.path);

/** Sends the error to the parent and ends this stage. */
const fail = (sync: SyncPipe, why: string): Gen<number> => sync.fail(why, 1);

/** Stage 1: namespaces, then fork the init. */
export function stage1(plan: InitPlan, sync: SyncPipe): () => Program {
  return function* (): Program {
    yield* sys.prctlSetName('runc:[1:CHILD]');
    if ((yield* sync.recv()) !== 'go') return 1;
    const namespaces = plan.config.linux?.namespaces ?? [];
    for (const type of JOIN_ORDER) {
      const ns = namespaces.find((n) => n.type === type && n.path);
      if (!ns) continue;
      const fd = yield* sys.open(ns.path!, 0);
      if (fd instanceof SysError) return yield* fail(sync, `failed to open ${ns.path}: ${fd.message.toLowerCase()}`);
      const r = yield* sys.setns(fd, NS_TYPES[type].flag);
      yield* sys.close(fd);
      if (r instanceof SysError) return yield* fail(sync, `failed to setns into ${type} namespace ${ns.path}: ${r.message.toLowerCase()}`);
    }
    if (hasNs(plan.config, 'user')) {
      const r = yield* sys.unshare(CLONE_NEWUSER);
      if (r instanceof SysError) return yield* fail(sync, `failed to unshare user namespace: ${r.message.toLowerCase()}`);
      yield* sync.send('map');
      if ((yield* sync.recv()) !== 'mapped') return 1;
      yield* sys.setresgid(0, 0, 0);
      yield* sys.setresuid(0, 0, 0);
    }
    let flags = 0;
    for (const type of JOIN_ORDER) if (type !== 'user' && hasNs(plan.config, type)) flags |= NS_TYPES[type].flag;
    if (flags) {
      const r = yield* sys.unshare(flags);
      if (r instanceof SysError) return yield* fail(sync, `failed to unshare namespaces: ${r.message.toLowerCase()}`);
    }
    const init = yield* sys.fork(stage2(plan, sync));
    if (init instanceof SysError) return yield* fail(sync, `fork init: ${init.message.toLowerCase()}`);
    yield* sync.send(`pid ${init}`);
    return 0;
  };
}

/**
 * Finds `file` as Go's exec.LookPath does for runc's init (PATH from the container's
 * environment). A path with a slash is checked as it is (findExecutable): its stat
 * error, "is a directory", or "permission denied" when it may not be executed — what
 * docker run turns into 127 and 126. A bare name is looked for along PATH, skipping
 * what is not an executable file.
 */
export function* lookPath(file: string, env: readonly string[]): Gen<string | string[]> {
  if (file.includes('/')) {
    const st = yield* sys.stat(file);
    const q = JSON.stringify(file);
    if (st instanceof SysError) return [`exec: ${q}: stat ${file}: ${st.message.toLowerCase()}`];
    if ((st.mode & S_IFMT) === S_IFDIR) return [`exec: ${q}: is a directory`];
    if ((yield* sys.access(file, 1)) instanceof SysError) return [`exec: ${q}: permission denied`];
    return file;
  }
  const candidates = (getenv(env, 'PATH') ?? DEFAULT_PATH).split(':').map((d) => `${d || '.'}/${file}`);
  for (const c of candidates) {
    const st = yield* sys.stat(c);
    if (st instanceof SysError || (st.mode & S_IFMT) !== S_IFREG) continue;
    if ((yield* sys.access(c, 1)) instanceof SysError) continue;
    return c;
  }
  return [`exec: ${JSON.stringify(file)}: executable file not found in $PATH`];
}

const capMask = (names: readonly string[] | undefined): bigint => {
  let m = 0n;
  for (const n of names ?? []) {
    const i = CAP_NAMES.indexOf(n.replace(/^CAP_/, '').toLowerCase() as (typeof CAP_NAMES)[number]);
    if (i >= 0) m |= 1n << BigInt(i);
  }
  return m;
};


/**
 * The process's identity, as runc's finalizeNamespace + setupUser: the bounding set,
 * then the user (keeping capabilities across setuid), then the other capability sets,
 * the ambient ones and no_new_privs. Shared by the init and `runc exec`.
 */
export function* becomeProcess(p: OciProcess): Gen<string | null> {
  const caps = p.capabilities;
  if (caps) {
    const bounding = capMask(caps.bounding);
    for (let c = 0; c <= CAP_LAST_CAP; c++) if (!(bounding & (1n << BigInt(c)))) yield* sys.capbsetDrop(c);
    yield* sys.prctl(PR_SET_KEEPCAPS, 1);
  }
  const user = p.user ?? { uid: 0, gid: 0 };
  const groups = user.additionalGids ?? [];
  const g = yield* sys.setgroups(groups);
  if (g instanceof SysError && user.additionalGids) return `setgroups: ${g.message.toLowerCase()}`;
  const rg = yield* sys.setresgid(user.gid, user.gid, user.gid);
  if (rg instanceof SysError) return `setresgid ${user.gid}: ${rg.message.toLowerCase()}`;
  const ru = yield* sys.setresuid(user.uid, user.uid, user.uid);
  if (ru instanceof SysError) return `setresuid ${user.uid}: ${ru.message.toLowerCase()}`;
  if (caps) {
    yield* sys.prctl(PR_SET_KEEPCAPS, 0);
    const r = yield* sys.capset({ effective: capMask(caps.effective), permitted: capMask(caps.permitted), inheritable: capMask(caps.inheritable) });
    if (r instanceof SysError) return `capset: ${r.message.toLowerCase()}`;
    for (const name of caps.ambient ?? []) {
      const i = CAP_NAMES.indexOf(name.replace(/^CAP_/, '').toLowerCase() as (typeof CAP_NAMES)[number]);
      // Caps that cannot be granted are only a warning (runtime-spec config.md).
      if (i >= 0) yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i);
    }
  }
  if (p.noNewPrivileges) yield* sys.prctl(PR_SET_NO_NEW_PRIVS, 1);
  if (user.umask !== undefined) yield* sys.umask(user.umask);
  return null;
}

/** Resource limits (process.rlimits), set on the process itself. */
export function* setRlimits(p: OciProcess): Gen<string | null> {
  for (const rl of p.rlimits ?? []) {
    // RLIMIT_TYPES is in resource-number order (getrlimit(2)).
    const res = (RLIMIT_TYPES as readonly string[]).indexOf(rl.type);
    if (res < 0) return `unknown rlimit type ${rl.type}`;
    const big = (v: number): number => (v >= 2 ** 63 - 1 || v < 0 ? Infinity : v);
    const r = yield* sys.prlimit(0, res, { soft: big(rl.soft), hard: big(rl.hard) });
    if (r instanceof SysError) return `error setting rlimit type ${rl.type.slice(7).toLowerCase()}: ${r.message.toLowerCase()}`;
  }
  return null;
}

/**
 * nsexec's stage 2 calls setsid(2): the container's process leads a session of its own
 * and has no controlling terminal (ps shows "?", its SID is its PID). Shared by `runc exec`.
 * Simplification: with process.terminal ctsim gives the container no pty of its own, so it
 * stays in the caller's session, on the caller's terminal.
 */
export function* leaveSession(p: OciProcess): Gen<void> {
  if (!p.terminal) yield* sys.setsid();
}

/** Stage 2: PID 1 of the container. */
function stage2(plan: InitPlan, sync: SyncPipe): () => Program {
  return function* (): Program {
    yield* sys.prctlSetName('runc:[2:INIT]');
    const c = plan.config;
    const proc = c.process!;
    yield* leaveSession(proc);
    if (hasNs(c, 'network')) {
      const r = yield* rtnl({ op: 'setlink', dev: 'lo', up: true });
      if (r instanceof SysError) return yield* fail(sync, `unable to bring up loopback: ${r.message.toLowerCase()}`);
    }
    // exec.fifo is outside the container's root: keep a descriptor of its directory across pivot_root (runc keeps an O_PATH fd).
    const stateDir = yield* sys.open(plan.fifo.slice(0, plan.fifo.lastIndexOf('/')), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (stateDir instanceof SysError) return yield* fail(sync, `open state directory: ${stateDir.message.toLowerCase()}`);
    const why = yield* prepareRootfs(c, plan.rootfs, hasNs(c, 'cgroup'), plan.cgroupDir);
    if (why) return yield* fail(sync, why);
    // Hooks get the init's PID as the host sees it; getpid() says 1. The host's /proc (still
    // mounted here, before pivot_root) names it: /proc/self follows the reader of that procfs's PID namespace.
    const selfLink = yield* sys.readlink('/proc/self');
    const hostPid = typeof selfLink === 'string' ? Number(selfLink) : 0;
    const state = (status: string): HookState => ({ ociVersion: plan.ociVersion, id: plan.id, status, pid: hostPid, bundle: plan.bundle, annotations: plan.annotations });
    if ((c.hooks?.prestart?.length ?? 0) + (c.hooks?.createRuntime?.length ?? 0) > 0) {
      yield* sync.send('hooks');
      if ((yield* sync.recv()) !== 'hooks-done') return 1;
    }
    const hk = yield* runHooks('createContainer', c.hooks?.createContainer, state('creating'));
    if (hk) return yield* fail(sync, hk);
    // runc makes a missing cwd in the rootfs before pivot_root (a read-only root could not take it later).
    yield* mkdirAll(plan.rootfs + cleanPath(proc.cwd));
    const pv = yield* pivotInto(plan.rootfs);
    if (pv) return yield* fail(sync, pv);
    // The parent was made private for pivot_root; a shared rootfsPropagation is applied again to the new root.
    if (c.linux?.rootfsPropagation === 'shared') yield* sys.mount('', '/', '', MS_SHARED | MS_REC);
    const fin = yield* finishRootfs(c);
    if (fin) return yield* fail(sync, fin);
    if (c.hostname !== undefined) {
      const r = yield* sys.sethostname(c.hostname);
      if (r instanceof SysError) return yield* fail(sync, `sethostname: ${r.message.toLowerCase()}`);
    }
    if (c.domainname !== undefined) {
      const r = yield* sys.setdomainname(c.domainname);
      if (r instanceof SysError) return yield* fail(sync, `setdomainname: ${r.message.toLowerCase()}`);
    }
    const rl = yield* setRlimits(proc);
    if (rl) return yield* fail(sync, rl);
    if (proc.oomScoreAdj !== undefined) yield* writeProcFile('/proc/self/oom_score_adj', String(proc.oomScoreAdj));
    const cd = yield* sys.chdir(proc.cwd);
    if (cd instanceof SysError) return yield* fail(sync, `chdir to cwd (${JSON.stringify(proc.cwd)}) set in config.json failed: ${cd.message.toLowerCase()}`);
    const env = proc.env ?? [];
    const who = yield* becomeProcess(proc);
    if (who) return yield* fail(sync, who);
    // As the container's user, with its capabilities: what it cannot execute is an error now (runc's LookPath after finalizeNamespace).
    const file = yield* lookPath(proc.args![0], env);
    if (Array.isArray(file)) return yield* fail(sync, file[0]);
    yield* sync.send('ready');
    // Blocks until `runc start` opens the other end.
    const fd = yield* sys.openat(stateDir, 'exec.fifo', O_WRONLY | O_CLOEXEC);
    if (fd instanceof SysError) {
      yield* sys.write(2, `runc init: open exec fifo: ${fd.message.toLowerCase()}\n`);
      return 1;
    }
    // The descriptor stays open (close-on-exec): `runc start` reads to end of file, which comes when the program is exec'd,
    // so its poststart hooks run after that.
    yield* sys.write(fd, '0');
    const sh = yield* runHooks('startContainer', c.hooks?.startContainer, state('created'));
    if (sh) {
      yield* sys.write(2, utf8(`${sh}\n`));
      return 1;
    }
    const e = yield* sys.execve(file, proc.args!, env);
    yield* sys.write(2, `exec ${file}: ${e instanceof SysError ? e.message.toLowerCase() : 'failed'}\n`);
    return 127;
  };
}
