/**
 * The OCI runtime-spec `config.json` (v1.3.0, config.md + config-linux.md) as the
 * TypeScript shapes ctsim reads. Written by hand from `schema/config-schema.json`,
 * `config-linux.json` and `defs*.json`, with the Go names of runtime-spec's
 * `specs-go` in the doc comments. Only the Linux platform is typed.
 *
 * These types describe a document that `validateConfig` has accepted: every field the
 * schema declares has the declared JSON type. Fields ctsim does not model (seccomp,
 * devices, …) are typed loosely (`unknown`) so that they survive a round trip.
 *
 * Simplification: JSON numbers are JS numbers, so int64/uint64 values above 2^53
 * lose precision (the schema's own bounds are compared as doubles as well).
 */

/** The spec version this simulator (and the runc it imitates) implements. */
export const OCI_VERSION = '1.3.0';

/** `linux.namespaces[].type` (specs-go `LinuxNamespaceType`), with its clone flag. */
export type OciNamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup' | 'time';

/** clone(2)/unshare(2) flag of each namespace type (include/uapi/linux/sched.h). */
export const NAMESPACE_CLONE_FLAG: Readonly<Record<OciNamespaceType, string>> = {
  mount: 'CLONE_NEWNS',
  uts: 'CLONE_NEWUTS',
  ipc: 'CLONE_NEWIPC',
  user: 'CLONE_NEWUSER',
  pid: 'CLONE_NEWPID',
  network: 'CLONE_NEWNET',
  cgroup: 'CLONE_NEWCGROUP',
  time: 'CLONE_NEWTIME',
};

/** `linux.namespaces[]`: create a new namespace, or join the one at `path`. */
export interface OciNamespace {
  type: OciNamespaceType;
  /** An nsfs file such as `/proc/1234/ns/net`; absent = create a new namespace. */
  path?: string;
}

/** `linux.uidMappings[]` / `gidMappings[]` (specs-go `LinuxIDMapping`): one uid_map line. */
export interface IdMapping {
  /** First id inside the user namespace. */
  containerID: number;
  /** First id in the parent (host) user namespace. */
  hostID: number;
  /** Number of consecutive ids mapped. */
  size: number;
}

/** `process.user` (specs-go `User`): ids as seen inside the container's user namespace. */
export interface OciUser {
  uid: number;
  gid: number;
  umask?: number;
  additionalGids?: number[];
}

/** `process.capabilities`: each set is a list of `CAP_*` names (capabilities(7)). */
export interface OciCapabilities {
  bounding?: string[];
  effective?: string[];
  inheritable?: string[];
  permitted?: string[];
  ambient?: string[];
}

/** `process.rlimits[]` (specs-go `POSIXRlimit`): one setrlimit(2) call. */
export interface OciRlimit {
  /** `RLIMIT_NOFILE`, … — the names of getrlimit(2). */
  type: string;
  soft: number;
  hard: number;
}

/** `process` (specs-go `Process`): the container's init (or, for `runc exec -p`, the new process). */
export interface OciProcess {
  terminal?: boolean;
  consoleSize?: { height: number; width: number };
  user?: OciUser;
  /** argv; args[0] is resolved like execvp(3). At least one entry on Linux. */
  args?: string[];
  /** Windows only; ignored on Linux (with a warning). */
  commandLine?: string;
  /** `["KEY=value", …]`. */
  env?: string[];
  /** Absolute working directory inside the container. */
  cwd: string;
  capabilities?: OciCapabilities;
  rlimits?: OciRlimit[];
  noNewPrivileges?: boolean;
  /** /proc/self/oom_score_adj. */
  oomScoreAdj?: number;
  /** Not modelled by ctsim (accepted with a warning). */
  apparmorProfile?: string;
  selinuxLabel?: string;
  scheduler?: unknown;
  ioPriority?: unknown;
  execCPUAffinity?: unknown;
}

/** `root` (specs-go `Root`). */
export interface OciRoot {
  /** The rootfs, absolute or relative to the bundle directory. */
  path: string;
  readonly?: boolean;
}

/** `mounts[]` (specs-go `Mount`), mounted in order after the rootfs. */
export interface OciMount {
  /** Absolute path inside the container (runc still accepts relative, with a warning). */
  destination: string;
  /** Filesystem type for mount(2) (`proc`, `tmpfs`, …; `none`/absent for binds). */
  type?: string;
  source?: string;
  /** mount(8)-style options; `bind`/`rbind` make it a bind mount. */
  options?: string[];
  uidMappings?: IdMapping[];
  gidMappings?: IdMapping[];
}

/** One hook (specs-go `Hook`): a program run with the state JSON on stdin. */
export interface OciHook {
  /** Absolute path of the program, like execv(3)'s path. */
  path: string;
  args?: string[];
  env?: string[];
  /** Seconds; > 0. */
  timeout?: number;
}

/** `hooks` (specs-go `Hooks`), in the order runtime.md runs them. */
export interface OciHooks {
  /** Deprecated in the spec; runc still runs them (before createRuntime). */
  prestart?: OciHook[];
  createRuntime?: OciHook[];
  createContainer?: OciHook[];
  startContainer?: OciHook[];
  poststart?: OciHook[];
  poststop?: OciHook[];
}

/** `linux.resources.memory` (specs-go `LinuxMemory`): bytes; -1 = unlimited. */
export interface OciMemory {
  limit?: number;
  reservation?: number;
  /** memory + swap (the cgroup v1 meaning), not swap alone. */
  swap?: number;
  /** Deprecated; runc warns and ignores them. */
  kernel?: number;
  kernelTCP?: number;
  swappiness?: number;
  disableOOMKiller?: boolean;
  useHierarchy?: boolean;
  checkBeforeUpdate?: boolean;
}

/** `linux.resources.cpu` (specs-go `LinuxCPU`). */
export interface OciCpu {
  /** cgroup v1 cpu.shares (2..262144), converted to cpu.weight on v2. */
  shares?: number;
  /** µs of CPU per period; ≤ 0 = no limit. */
  quota?: number;
  /** µs; default 100000. */
  period?: number;
  burst?: number;
  realtimeRuntime?: number;
  realtimePeriod?: number;
  /** cpuset list syntax (`0-3,5`). */
  cpus?: string;
  mems?: string;
  idle?: number;
}

/** `linux.resources.pids` (specs-go `LinuxPids`). */
export interface OciPids {
  /** Max tasks; -1 (or any negative) = max, 0 is written as 1 by runc. */
  limit: number;
}

/** `linux.resources.devices[]` (specs-go `LinuxDeviceCgroup`): the device allow list. */
export interface OciDeviceCgroup {
  allow: boolean;
  type?: string;
  major?: number;
  minor?: number;
  access?: string;
}

/** `linux.resources` (specs-go `LinuxResources`): the cgroup settings. */
export interface OciResources {
  devices?: OciDeviceCgroup[];
  memory?: OciMemory;
  cpu?: OciCpu;
  pids?: OciPids;
  /** Not modelled by ctsim (accepted with a warning). */
  blockIO?: unknown;
  hugepageLimits?: unknown[];
  network?: unknown;
  rdma?: Record<string, unknown>;
  /** Raw cgroup v2 `file → value`, written verbatim after everything else. */
  unified?: Record<string, string>;
}

/** `linux` (specs-go `Linux`). */
export interface OciLinux {
  uidMappings?: IdMapping[];
  gidMappings?: IdMapping[];
  sysctl?: Record<string, string>;
  resources?: OciResources;
  /** cgroupfs: a path (absolute = from the cgroup root); systemd: `slice:prefix:name`. */
  cgroupsPath?: string;
  namespaces?: OciNamespace[];
  /** Absolute paths made unreadable inside the container. */
  maskedPaths?: string[];
  /** Absolute paths remounted read-only inside the container. */
  readonlyPaths?: string[];
  /** Not modelled by ctsim (accepted with a warning). */
  devices?: unknown[];
  netDevices?: Record<string, unknown>;
  seccomp?: unknown;
  rootfsPropagation?: string;
  mountLabel?: string;
  intelRdt?: unknown;
  memoryPolicy?: unknown;
  personality?: unknown;
  timeOffsets?: Record<string, unknown>;
}

/** A whole `config.json` (specs-go `Spec`) for the Linux platform. */
export interface OciConfig {
  ociVersion: string;
  /** Required by `start` (and by runc already at `create`). */
  process?: OciProcess;
  root?: OciRoot;
  hostname?: string;
  domainname?: string;
  mounts?: OciMount[];
  hooks?: OciHooks;
  annotations?: Record<string, string>;
  linux?: OciLinux;
}

/** `state.json` / `runc state` status values: the spec's four plus runc's `paused`. */
export type ContainerStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

/** The OCI state (runtime.md "State"), as hooks receive it on stdin. */
export interface OciState {
  ociVersion: string;
  id: string;
  status: ContainerStatus;
  /** Host pid of the init process; required on Linux when created or running. */
  pid?: number;
  /** Absolute path of the bundle directory. */
  bundle: string;
  annotations?: Record<string, string>;
}
