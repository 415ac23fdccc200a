/**
 * The config.json rules the JSON Schema cannot express (config.md, config-linux.md,
 * runtime.md) plus the checks runc makes before it creates anything
 * (libcontainer/configs/validate, specconv). Each finding carries the JSON path and a
 * rule id; runc's own wording is quoted where a user would search for it.
 *
 * Called only on a document that passed the schema. The platform check is separate
 * (`platformIssues`) because it is useful even when the schema failed.
 */
import { Findings, formatJsonPath, isPlainObject, type ConfigIssue, type PathSegment } from './config-issue.js';
import { checkProcess, isAbsolutePath } from './process-rules.js';
import { resourcesToCgroupFiles } from './cgroup-resources.js';
import { OCI_VERSION, type IdMapping, type OciConfig, type OciLinux, type OciNamespaceType } from './types.js';

/** Options that change what is valid, as runc's global flags do. */
export interface ConfigRuleOptions {
  /** `runc --systemd-cgroup`: cgroupsPath must be `slice:prefix:name`. */
  systemdCgroup?: boolean;
}

/** Platform sections of config-schema.json other than `linux`. */
const OTHER_PLATFORMS = ['windows', 'solaris', 'vm', 'zos', 'freebsd'] as const;

/** Top-level properties config-schema.json declares. */
const KNOWN_TOP = new Set(['ociVersion', 'process', 'root', 'hostname', 'domainname', 'mounts', 'hooks', 'annotations', 'linux', ...OTHER_PLATFORMS]);

/** `linux` properties ctsim accepts but does not model, each with what it would do. */
const UNMODELLED_LINUX: ReadonlyArray<[keyof OciLinux, string]> = [
  ['devices', 'creating device nodes (linux.devices)'],
  ['netDevices', 'moving network devices into the container (linux.netDevices)'],
  ['sysctl', 'sysctl settings (linux.sysctl)'],
  ['seccomp', 'seccomp filtering'],
  ['mountLabel', 'SELinux mount labels'],
  ['intelRdt', 'Intel RDT (resctrl)'],
  ['memoryPolicy', 'NUMA memory policy (set_mempolicy)'],
  ['personality', 'personality(2)'],
];

/** The `linux` properties config-linux.json declares. */
const KNOWN_LINUX = new Set([
  'devices', 'netDevices', 'uidMappings', 'gidMappings', 'namespaces', 'resources', 'cgroupsPath', 'rootfsPropagation',
  'seccomp', 'sysctl', 'maskedPaths', 'readonlyPaths', 'mountLabel', 'intelRdt', 'memoryPolicy', 'personality', 'timeOffsets',
]);

const HOOK_KINDS = ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'] as const;

/** SemVer 2.0.0 (semver.org's recommended expression). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * "unsupported: …" when the document configures a platform other than Linux. ctsim
 * simulates Linux containers only (the `vm` section belongs to VM-based runtimes
 * such as Kata, not to runc).
 */
export function platformIssues(doc: unknown): ConfigIssue[] {
  if (!isPlainObject(doc)) return [];
  const out: ConfigIssue[] = [];
  for (const p of OTHER_PLATFORMS) {
    if (doc[p] === undefined) continue;
    out.push({
      path: p,
      rule: 'oci:unsupported-platform',
      message: `unsupported: a "${p}" configuration; ctsim simulates Linux containers only (fix: remove "${p}" and configure "linux")`,
    });
  }
  return out;
}

/**
 * `ociVersion` must be SemVer. ctsim implements 1.3.0: another 1.x is accepted (1.x
 * is backward compatible; a newer minor gets a warning), 0.x drafts get a warning,
 * and 2.x or later is an error.
 */
export function checkVersion(version: string): Findings {
  const f = new Findings();
  const m = SEMVER.exec(version);
  if (!m) {
    f.error('ociVersion', 'oci:version-semver', `expected a SemVer version like "${OCI_VERSION}", found ${JSON.stringify(version)}`);
    return f;
  }
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 0) {
    f.warn('ociVersion', 'oci:version-pre-1.0', `ociVersion ${version} is a pre-1.0 draft; ctsim reads it as ${OCI_VERSION}`);
  } else if (major > 1) {
    f.error('ociVersion', 'oci:version-unsupported', `unsupported: ociVersion ${version}; ctsim implements runtime-spec 1.x (${OCI_VERSION}) (fix: "ociVersion": "${OCI_VERSION}")`);
  } else if (minor > Number(OCI_VERSION.split('.')[1])) {
    f.warn('ociVersion', 'oci:version-newer', `ociVersion ${version} is newer than ${OCI_VERSION}; properties added since are ignored`);
  }
  return f;
}

/** Every rule for a Linux config.json that passed the schema. */
export function checkConfig(c: OciConfig, opts: ConfigRuleOptions = {}): Findings {
  const f = new Findings();
  f.merge(checkVersion(c.ociVersion));
  for (const key of Object.keys(c)) {
    if (!KNOWN_TOP.has(key)) f.warn(key, 'oci:unknown-property', `unknown property "${key}" is ignored (the spec says to ignore unknown properties; check the spelling)`);
  }
  // The spec makes root optional (for VM-based runtimes); runc: "root must be specified".
  if (c.root === undefined) f.error('root', 'oci:root-required', 'root must be specified (fix: "root": {"path": "rootfs"})');
  if (c.process) f.merge(checkProcess(c.process, ['process']));

  (c.mounts ?? []).forEach((m, i) => {
    if (!isAbsolutePath(m.destination)) {
      // runc ≥ 1.1 accepts it, relative to "/", with a deprecation warning (specconv).
      f.warn(formatJsonPath(['mounts', i, 'destination']), 'oci:mount-destination-relative', `mount destination ${JSON.stringify(m.destination)} is not absolute; used as relative to / (deprecated; fix: "/${m.destination}")`);
    }
    if (m.uidMappings !== undefined || m.gidMappings !== undefined) {
      const at = formatJsonPath(['mounts', i]);
      if (m.uidMappings === undefined || m.gidMappings === undefined) f.error(at, 'oci:idmap-mount', 'id-mapped mounts must have both uid and gid mappings specified');
      else if (!(m.options ?? []).some((o) => o === 'bind' || o === 'rbind')) f.error(at, 'oci:idmap-mount', 'id-mapped mounts are only supported for bind-mounts (fix: add "bind" or "rbind" to options)');
      else f.warn(at, 'oci:not-modelled', 'ctsim does not model id-mapped mounts; mounted without the mapping');
    }
  });

  for (const kind of HOOK_KINDS) {
    (c.hooks?.[kind] ?? []).forEach((h, i) => {
      if (!isAbsolutePath(h.path)) {
        f.error(formatJsonPath(['hooks', kind, i, 'path']), 'oci:hook-path-absolute', `expected an absolute path to the hook program, found ${JSON.stringify(h.path)}`);
      }
    });
  }
  if ((c.hooks?.prestart ?? []).length > 0) {
    f.warn('hooks.prestart', 'oci:hook-prestart-deprecated', 'prestart hooks are deprecated (runc still runs them, before createRuntime); use createRuntime');
  }

  f.merge(checkLinux(c, opts));
  return f;
}

function nsSet(linux: OciLinux | undefined): Map<OciNamespaceType, string | undefined> {
  const out = new Map<OciNamespaceType, string | undefined>();
  for (const ns of linux?.namespaces ?? []) if (!out.has(ns.type)) out.set(ns.type, ns.path);
  return out;
}

function checkLinux(c: OciConfig, opts: ConfigRuleOptions): Findings {
  const f = new Findings();
  const linux = c.linux;
  const namespaces = nsSet(linux);
  const fixAdd = (t: string): string => `(fix: add {"type": "${t}"} to linux.namespaces)`;

  const firstIndex = new Map<string, number>();
  (linux?.namespaces ?? []).forEach((ns, i) => {
    const prev = firstIndex.get(ns.type);
    if (prev !== undefined) {
      f.error(formatJsonPath(['linux', 'namespaces', i, 'type']), 'oci:namespace-duplicate', `malformed spec file: duplicated ns "${ns.type}" (also at linux.namespaces[${prev}]; fix: remove one)`);
    } else {
      firstIndex.set(ns.type, i);
    }
    if (ns.path !== undefined && !isAbsolutePath(ns.path)) {
      f.error(formatJsonPath(['linux', 'namespaces', i, 'path']), 'oci:namespace-path-absolute', `expected an absolute path to a namespace file such as "/proc/1234/ns/${ns.type === 'mount' ? 'mnt' : ns.type === 'network' ? 'net' : ns.type}", found ${JSON.stringify(ns.path)}`);
    }
  });

  if (c.hostname !== undefined && c.hostname !== '' && !namespaces.has('uts')) {
    f.error('hostname', 'oci:hostname-needs-uts', `unable to set hostname without a private UTS namespace ${fixAdd('uts')}`);
  }
  if (c.domainname !== undefined && c.domainname !== '' && !namespaces.has('uts')) {
    f.error('domainname', 'oci:hostname-needs-uts', `unable to set domainname without a private UTS namespace ${fixAdd('uts')}`);
  }

  // User namespace and id mappings (validate.namespaces + specconv).
  const hasUserns = namespaces.has('user');
  const uid = linux?.uidMappings;
  const gid = linux?.gidMappings;
  if (hasUserns) {
    const path = namespaces.get('user');
    if (path === undefined && uid === undefined && gid === undefined) {
      f.error('linux.namespaces', 'oci:userns-needs-mappings', 'user namespaces enabled, but no namespace path to join nor mappings to apply specified (fix: add linux.uidMappings and linux.gidMappings, e.g. [{"containerID": 0, "hostID": 1000, "size": 1}])');
    } else if (path === undefined && (uid === undefined || gid === undefined)) {
      const missing = uid === undefined ? 'uidMappings' : 'gidMappings';
      f.warn(`linux.${missing}`, 'oci:userns-half-mapped', `user namespace has no ${missing}: every ${missing === 'uidMappings' ? 'uid' : 'gid'} inside is unmapped (shown as 65534)`);
    } else if (path !== undefined && (uid !== undefined || gid !== undefined)) {
      f.warn('linux.uidMappings', 'oci:userns-path-and-mappings', 'both a user namespace path to join and mappings are given; you may only provide one (the mappings must match the joined namespace)');
    }
  } else if (uid !== undefined || gid !== undefined) {
    f.error(uid !== undefined ? 'linux.uidMappings' : 'linux.gidMappings', 'oci:mappings-without-userns', `user namespace mappings specified, but user namespace isn't enabled in the config ${fixAdd('user')}`);
  }
  if (uid) checkIdMappings(f, uid, 'uidMappings');
  if (gid) checkIdMappings(f, gid, 'gidMappings');

  if (linux?.timeOffsets !== undefined) {
    if (!namespaces.has('time')) {
      f.error('linux.timeOffsets', 'oci:time-offsets-need-timens', `time namespace offsets specified, but time namespace isn't enabled in the config ${fixAdd('time')}`);
    } else if (namespaces.get('time') !== undefined) {
      f.error('linux.timeOffsets', 'oci:time-offsets-need-timens', 'time namespace enabled, but both namespace path and time offsets specified -- you may only provide one');
    } else {
      f.warn('linux.timeOffsets', 'oci:not-modelled', 'ctsim does not model time namespace offsets; the clocks are not shifted');
    }
  }

  for (const key of ['maskedPaths', 'readonlyPaths'] as const) {
    (linux?.[key] ?? []).forEach((p, i) => {
      if (!isAbsolutePath(p)) f.error(formatJsonPath(['linux', key, i]), key === 'maskedPaths' ? 'oci:masked-path-absolute' : 'oci:readonly-path-absolute', `expected an absolute path inside the container, found ${JSON.stringify(p)}`);
    });
  }
  if (((linux?.maskedPaths ?? []).length > 0 || (linux?.readonlyPaths ?? []).length > 0) && !namespaces.has('mount')) {
    f.error((linux?.maskedPaths ?? []).length > 0 ? 'linux.maskedPaths' : 'linux.readonlyPaths', 'oci:paths-need-mountns', `unable to restrict sys entries without a private MNT namespace ${fixAdd('mount')}`);
  }

  if (linux?.cgroupsPath !== undefined) checkCgroupsPath(f, linux.cgroupsPath, opts);
  if (linux?.resources) f.merge(resourcesToCgroupFiles(linux.resources));

  for (const [key, what] of UNMODELLED_LINUX) {
    if (linux?.[key] !== undefined) f.warn(formatJsonPath(['linux', key]), 'oci:not-modelled', `ctsim does not model ${what}; ignored`);
  }
  for (const key of Object.keys(linux ?? {})) {
    if (!KNOWN_LINUX.has(key)) f.warn(formatJsonPath(['linux', key]), 'oci:unknown-property', `unknown property "${key}" is ignored (check the spelling)`);
  }
  return f;
}

/** uid_map/gid_map rules the kernel enforces on write (user_namespaces(7)). */
function checkIdMappings(f: Findings, maps: readonly IdMapping[], key: 'uidMappings' | 'gidMappings'): void {
  maps.forEach((m, i) => {
    const at: PathSegment[] = ['linux', key, i];
    if (m.size === 0) f.error(formatJsonPath([...at, 'size']), 'oci:idmap-range', 'expected a size >= 1 (a mapping of 0 ids is refused with EINVAL), found 0');
    for (let j = 0; j < i; j++) {
      const o = maps[j]!;
      const overlaps = (a: number, b: number): boolean => a < b + o.size && b < a + m.size;
      if (overlaps(m.containerID, o.containerID) || overlaps(m.hostID, o.hostID)) {
        f.error(formatJsonPath(at), 'oci:idmap-range', `mapping overlaps ${formatJsonPath(['linux', key, j])}; the kernel refuses overlapping ranges with EINVAL`);
      }
    }
  });
}

/**
 * cgroupsPath forms: cgroupfs takes a path (absolute = from the cgroup root, relative
 * = under runc's own cgroup); the systemd driver takes `slice:prefix:name`.
 */
function checkCgroupsPath(f: Findings, p: string, opts: ConfigRuleOptions): void {
  const systemdForm = p.split(':').length === 3;
  if (p.includes('\0')) {
    f.error('linux.cgroupsPath', 'oci:cgroups-path', 'cgroupsPath contains a NUL byte');
  } else if (opts.systemdCgroup) {
    if (p !== '' && !systemdForm) f.error('linux.cgroupsPath', 'oci:cgroups-path', `expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got ${JSON.stringify(p)} instead`);
  } else if (systemdForm && !p.includes('/')) {
    f.warn('linux.cgroupsPath', 'oci:cgroups-path', `${JSON.stringify(p)} looks like the systemd form slice:prefix:name, but the cgroupfs driver takes it as a directory name (fix: use --systemd-cgroup, or a path like "/mycontainer")`);
  } else if (p.split('/').includes('..')) {
    f.warn('linux.cgroupsPath', 'oci:cgroups-path', `cgroupsPath ${JSON.stringify(p)} contains "..": runc cleans it lexically, so it cannot climb above the cgroup root`);
  }
}
