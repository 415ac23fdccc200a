/**
 * Rules for a `process` object (config.json's, or `runc exec -p process.json`) that
 * the JSON Schema cannot express: config.md "Process" plus what runc enforces
 * (`validateProcessSpec`, `strToRlimit`, `prepareEnv`, capabilities). Called only on
 * a document that passed the schema, so every field has its declared type.
 */
import { Findings, formatJsonPath, type PathSegment } from './config-issue.js';
import type { OciProcess } from './types.js';

/** The rlimit names runc maps (runc rlimit_linux.go; getrlimit(2)). */
export const RLIMIT_TYPES = [
  'RLIMIT_CPU',
  'RLIMIT_FSIZE',
  'RLIMIT_DATA',
  'RLIMIT_STACK',
  'RLIMIT_CORE',
  'RLIMIT_RSS',
  'RLIMIT_NPROC',
  'RLIMIT_NOFILE',
  'RLIMIT_MEMLOCK',
  'RLIMIT_AS',
  'RLIMIT_LOCKS',
  'RLIMIT_SIGPENDING',
  'RLIMIT_MSGQUEUE',
  'RLIMIT_NICE',
  'RLIMIT_RTPRIO',
  'RLIMIT_RTTIME',
] as const;

/** Capability names, in number order (capabilities(7), Linux 5.9+: 0..40). */
export const CAPABILITY_NAMES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

const RLIMITS = new Set<string>(RLIMIT_TYPES);
const CAPS = new Set<string>(CAPABILITY_NAMES);

/** Process fields ctsim accepts but does not model. */
const UNMODELLED_PROCESS_FIELDS = ['apparmorProfile', 'selinuxLabel', 'scheduler', 'ioPriority', 'execCPUAffinity'] as const;

/** The process fields config-schema.json declares (others are ignored, with a warning). */
const KNOWN_PROCESS_FIELDS = new Set([
  'terminal', 'consoleSize', 'user', 'args', 'commandLine', 'env', 'cwd', 'capabilities', 'rlimits',
  'noNewPrivileges', 'apparmorProfile', 'oomScoreAdj', 'selinuxLabel', 'ioPriority', 'scheduler', 'execCPUAffinity',
]);

/** True for an absolute path (starts with `/`), like Go's filepath.IsAbs on Linux. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/');
}

/**
 * Checks one process object. `base` is where it sits (`['process']` in config.json,
 * `[]` in process.json).
 */
export function checkProcess(p: OciProcess, base: readonly PathSegment[]): Findings {
  const f = new Findings();
  const at = (...rest: PathSegment[]): string => formatJsonPath([...base, ...rest]);

  if (p.cwd === '') {
    f.error(at('cwd'), 'oci:cwd-absolute', 'expected an absolute path, found an empty string (fix: "cwd": "/")');
  } else if (!isAbsolutePath(p.cwd)) {
    f.error(at('cwd'), 'oci:cwd-absolute', `expected an absolute path, found ${JSON.stringify(p.cwd)} (fix: "/${p.cwd.replace(/^\.\/?/, '')}")`);
  }

  // config.md: at least one entry is REQUIRED on POSIX platforms; runc: "args must not be empty".
  if (p.args === undefined || p.args.length === 0) {
    const found = p.args === undefined ? 'no args' : 'an empty array';
    f.error(at('args'), 'oci:args-empty', `expected at least one argument (args[0] is the program, e.g. ["sh"]), found ${found}`);
  }
  if (p.commandLine !== undefined) f.warn(at('commandLine'), 'oci:not-linux', 'commandLine is for Windows only; ignored on Linux');

  (p.env ?? []).forEach((kv, i) => {
    const eq = kv.indexOf('=');
    if (eq === -1) f.error(at('env', i), 'oci:env-format', `expected "NAME=value", found ${JSON.stringify(kv)} (runc: invalid environment variable: missing '=')`);
    else if (eq === 0) f.error(at('env', i), 'oci:env-format', `expected "NAME=value", found ${JSON.stringify(kv)} (runc: invalid environment variable: name cannot be empty)`);
    else if (kv.includes('\0')) f.error(at('env', i), 'oci:env-format', `environment variable ${kv.slice(0, eq)} contains a NUL byte`);
  });

  const seenRlimit = new Map<string, number>();
  (p.rlimits ?? []).forEach((r, i) => {
    if (!RLIMITS.has(r.type)) {
      f.error(at('rlimits', i, 'type'), 'oci:rlimit-unknown', `expected one of ${RLIMIT_TYPES.join(', ')}, found ${JSON.stringify(r.type)} (runc: wrong rlimit value)`);
    }
    const prev = seenRlimit.get(r.type);
    if (prev !== undefined) {
      f.error(at('rlimits', i, 'type'), 'oci:rlimit-duplicate', `${r.type} is already set by ${at('rlimits', prev)}; each type may appear once (fix: remove one)`);
    } else {
      seenRlimit.set(r.type, i);
    }
    if (r.soft > r.hard) {
      f.error(at('rlimits', i), 'oci:rlimit-soft-above-hard', `expected soft <= hard, found soft ${r.soft} > hard ${r.hard} (setrlimit(2) fails with EINVAL)`);
    }
  });

  const caps = p.capabilities;
  if (caps) {
    const unknown = new Set<string>();
    for (const set of ['bounding', 'effective', 'inheritable', 'permitted', 'ambient'] as const) {
      for (const c of caps[set] ?? []) if (!CAPS.has(c)) unknown.add(c);
    }
    if (unknown.size > 0) {
      f.warn(at('capabilities'), 'oci:capability-unknown', `ignoring unknown or unavailable capabilities: ${[...unknown].sort().join(', ')} (runc's warning)`);
    }
  }

  for (const field of UNMODELLED_PROCESS_FIELDS) {
    if (p[field] !== undefined) f.warn(at(field), 'oci:not-modelled', `ctsim does not model ${field}; ignored`);
  }
  for (const key of Object.keys(p)) {
    if (!KNOWN_PROCESS_FIELDS.has(key)) f.warn(at(key), 'oci:unknown-property', `unknown property "${key}" is ignored (the spec says to ignore unknown properties; check the spelling)`);
  }
  return f;
}
