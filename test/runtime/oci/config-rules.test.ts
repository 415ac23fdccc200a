/**
 * The rules the schema cannot express (OCI-NOTES §2-4, runc's validator), one small
 * case each. Every case starts from a minimal valid Linux config.
 */
import { describe, expect, test } from 'vitest';
import { checkStartable, validateConfig, type ConfigRuleOptions } from '../../../src/runtime/oci/index.js';

type Doc = Record<string, unknown>;
const base = (): Doc => ({
  ociVersion: '1.3.0',
  root: { path: 'rootfs' },
  process: { args: ['sh'], cwd: '/' },
  linux: { namespaces: [{ type: 'mount' }, { type: 'uts' }] },
});
const withProcess = (p: Doc): Doc => ({ ...base(), process: { args: ['sh'], cwd: '/', ...p } });
const withLinux = (l: Doc): Doc => ({ ...base(), linux: { namespaces: [{ type: 'mount' }, { type: 'uts' }], ...l } });
const check = (doc: Doc, opts: ConfigRuleOptions = {}) => validateConfig(doc, 'config.json', opts);
const errs = (doc: Doc, opts?: ConfigRuleOptions) => check(doc, opts).errors.map((e) => `${e.path} ${e.rule}`);
const warns = (doc: Doc, opts?: ConfigRuleOptions) => check(doc, opts).warnings.map((e) => `${e.path} ${e.rule}`);

test('the base config is clean', () => {
  expect(check(base())).toEqual(expect.objectContaining({ errors: [], warnings: [] }));
});

describe('ociVersion', () => {
  test('must be SemVer', () => {
    expect(errs({ ...base(), ociVersion: '1.0' })).toEqual(['ociVersion oci:version-semver']);
    expect(errs({ ...base(), ociVersion: 'v1.0.0' })).toEqual(['ociVersion oci:version-semver']);
  });
  test('2.x is unsupported; 0.x and newer 1.x are warnings', () => {
    expect(check({ ...base(), ociVersion: '2.0.0' }).errors[0]!.message).toMatch(/^unsupported: ociVersion 2\.0\.0/);
    expect(warns({ ...base(), ociVersion: '0.5.0-dev' })).toEqual(['ociVersion oci:version-pre-1.0']);
    expect(warns({ ...base(), ociVersion: '1.4.0' })).toEqual(['ociVersion oci:version-newer']);
    expect(check({ ...base(), ociVersion: '1.0.2-dev+abc' }).errors).toEqual([]);
  });
});

describe('process', () => {
  test('cwd must be absolute', () => {
    const v = check(withProcess({ cwd: 'tmp' }));
    expect(v.errors).toEqual([{ path: 'process.cwd', rule: 'oci:cwd-absolute', message: 'expected an absolute path, found "tmp" (fix: "/tmp")' }]);
    expect(errs(withProcess({ cwd: '' }))).toEqual(['process.cwd oci:cwd-absolute']);
  });
  test('args must have at least one entry when process is present', () => {
    expect(errs(withProcess({ args: [] }))).toEqual(['process.args oci:args-empty']);
    expect(errs({ ...base(), process: { cwd: '/' } })).toEqual(['process.args oci:args-empty']);
  });
  test('start needs a process (a separate check)', () => {
    const { process: _p, ...noProcess } = base();
    expect(check(noProcess).errors).toEqual([]);
    expect(checkStartable(check(noProcess).config)).toEqual([expect.objectContaining({ path: 'process', rule: 'oci:process-required' })]);
    expect(checkStartable(check(base()).config)).toEqual([]);
  });
  test('rlimits: unknown type, duplicate type, soft above hard', () => {
    expect(errs(withProcess({ rlimits: [{ type: 'RLIMIT_FOO', soft: 1, hard: 1 }] }))).toEqual(['process.rlimits[0].type oci:rlimit-unknown']);
    const dup = check(withProcess({ rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 1 }, { type: 'RLIMIT_NOFILE', soft: 2, hard: 2 }] }));
    expect(dup.errors).toEqual([expect.objectContaining({ path: 'process.rlimits[1].type', rule: 'oci:rlimit-duplicate' })]);
    expect(dup.errors[0]!.message).toContain('already set by process.rlimits[0]');
    expect(errs(withProcess({ rlimits: [{ type: 'RLIMIT_NOFILE', soft: 2048, hard: 1024 }] }))).toEqual(['process.rlimits[0] oci:rlimit-soft-above-hard']);
  });
  test('env entries must be NAME=value', () => {
    expect(errs(withProcess({ env: ['A=1', 'B', '=x'] }))).toEqual(['process.env[1] oci:env-format', 'process.env[2] oci:env-format']);
  });
  test('unknown capabilities are a warning, as in runc', () => {
    const v = check(withProcess({ capabilities: { bounding: ['CAP_KILL', 'CAP_FLY'] } }));
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([{ path: 'process.capabilities', rule: 'oci:capability-unknown', message: "ignoring unknown or unavailable capabilities: CAP_FLY (runc's warning)" }]);
  });
});

describe('namespaces', () => {
  test('a duplicate type is an error', () => {
    const v = check(withLinux({ namespaces: [{ type: 'mount' }, { type: 'uts' }, { type: 'mount' }] }));
    expect(v.errors).toEqual([expect.objectContaining({ path: 'linux.namespaces[2].type', rule: 'oci:namespace-duplicate' })]);
    expect(v.errors[0]!.message).toMatch(/^malformed spec file: duplicated ns "mount"/);
  });
  test('a namespace path must be absolute', () => {
    expect(errs(withLinux({ namespaces: [{ type: 'mount' }, { type: 'uts' }, { type: 'network', path: 'proc/1/ns/net' }] }))).toEqual(['linux.namespaces[2].path oci:namespace-path-absolute']);
  });
  test('hostname and domainname need a uts namespace (runc)', () => {
    const v = check({ ...withLinux({ namespaces: [{ type: 'mount' }] }), hostname: 'h', domainname: 'd' });
    expect(v.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'hostname: unable to set hostname without a private UTS namespace (fix: add {"type": "uts"} to linux.namespaces)',
      'domainname: unable to set domainname without a private UTS namespace (fix: add {"type": "uts"} to linux.namespaces)',
    ]);
    expect(check({ ...base(), hostname: 'h' }).errors).toEqual([]);
    // Joining an existing UTS namespace counts too.
    expect(check({ ...withLinux({ namespaces: [{ type: 'mount' }, { type: 'uts', path: '/proc/1/ns/uts' }] }), hostname: 'h' }).errors).toEqual([]);
  });
  test('a user namespace needs mappings (or a path); mappings need a user namespace', () => {
    const userns = [{ type: 'mount' }, { type: 'uts' }, { type: 'user' }];
    const map = [{ containerID: 0, hostID: 1000, size: 1 }];
    expect(errs(withLinux({ namespaces: userns }))).toEqual(['linux.namespaces oci:userns-needs-mappings']);
    expect(check(withLinux({ namespaces: userns, uidMappings: map, gidMappings: map }))).toEqual(expect.objectContaining({ errors: [], warnings: [] }));
    expect(warns(withLinux({ namespaces: userns, uidMappings: map }))).toEqual(['linux.gidMappings oci:userns-half-mapped']);
    expect(errs(withLinux({ uidMappings: map, gidMappings: map }))).toEqual(['linux.uidMappings oci:mappings-without-userns']);
    expect(check(withLinux({ namespaces: [{ type: 'mount' }, { type: 'uts' }, { type: 'user', path: '/proc/1/ns/user' }] })).errors).toEqual([]);
  });
  test('id mappings: no empty ranges, no overlaps', () => {
    const userns = [{ type: 'mount' }, { type: 'uts' }, { type: 'user' }];
    const gid = [{ containerID: 0, hostID: 1000, size: 1 }];
    expect(errs(withLinux({ namespaces: userns, gidMappings: gid, uidMappings: [{ containerID: 0, hostID: 1000, size: 0 }] }))).toEqual(['linux.uidMappings[0].size oci:idmap-range']);
    const overlap = [
      { containerID: 0, hostID: 1000, size: 10 },
      { containerID: 5, hostID: 5000, size: 10 },
    ];
    expect(errs(withLinux({ namespaces: userns, gidMappings: gid, uidMappings: overlap }))).toEqual(['linux.uidMappings[1] oci:idmap-range']);
  });
  test('time offsets need a time namespace', () => {
    const offsets = { monotonic: { secs: 1, nanosecs: 0 } };
    expect(errs(withLinux({ timeOffsets: offsets }))).toEqual(['linux.timeOffsets oci:time-offsets-need-timens']);
    expect(warns(withLinux({ timeOffsets: offsets, namespaces: [{ type: 'mount' }, { type: 'uts' }, { type: 'time' }] }))).toEqual(['linux.timeOffsets oci:not-modelled']);
  });
});

describe('paths', () => {
  test('mount destinations: relative is accepted with a warning, as runc does', () => {
    const v = check({ ...base(), mounts: [{ destination: 'proc', type: 'proc', source: 'proc' }] });
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([expect.objectContaining({ path: 'mounts[0].destination', rule: 'oci:mount-destination-relative' })]);
  });
  test('id-mapped mounts: both mappings, bind only', () => {
    const map = [{ containerID: 0, hostID: 1000, size: 1 }];
    expect(errs({ ...base(), mounts: [{ destination: '/m', source: '/s', options: ['bind'], uidMappings: map }] })).toEqual(['mounts[0] oci:idmap-mount']);
    expect(errs({ ...base(), mounts: [{ destination: '/m', source: '/s', type: 'tmpfs', uidMappings: map, gidMappings: map }] })).toEqual(['mounts[0] oci:idmap-mount']);
  });
  test('hook paths must be absolute', () => {
    expect(errs({ ...base(), hooks: { createRuntime: [{ path: 'hook.sh' }] } })).toEqual(['hooks.createRuntime[0].path oci:hook-path-absolute']);
    expect(warns({ ...base(), hooks: { prestart: [{ path: '/bin/true' }] } })).toEqual(['hooks.prestart oci:hook-prestart-deprecated']);
  });
  test('maskedPaths and readonlyPaths are absolute and need a mount namespace', () => {
    expect(errs(withLinux({ maskedPaths: ['proc/kcore'], readonlyPaths: ['/proc/sys', 'sys'] }))).toEqual([
      'linux.maskedPaths[0] oci:masked-path-absolute',
      'linux.readonlyPaths[1] oci:readonly-path-absolute',
    ]);
    expect(errs(withLinux({ namespaces: [{ type: 'uts' }], maskedPaths: ['/proc/kcore'] }))).toEqual(['linux.maskedPaths oci:paths-need-mountns']);
  });
  test('cgroupsPath: systemd form with --systemd-cgroup, a path otherwise', () => {
    expect(check(withLinux({ cgroupsPath: '/myRuntime/c1' })).warnings).toEqual([]);
    expect(check(withLinux({ cgroupsPath: 'c1' })).warnings).toEqual([]);
    expect(errs(withLinux({ cgroupsPath: '/myRuntime/c1' }), { systemdCgroup: true })).toEqual(['linux.cgroupsPath oci:cgroups-path']);
    expect(check(withLinux({ cgroupsPath: 'system.slice:runc:c1' }), { systemdCgroup: true }).errors).toEqual([]);
    expect(warns(withLinux({ cgroupsPath: 'system.slice:runc:c1' }))).toEqual(['linux.cgroupsPath oci:cgroups-path']);
    expect(warns(withLinux({ cgroupsPath: '/a/../../b' }))).toEqual(['linux.cgroupsPath oci:cgroups-path']);
  });
  test('root is required (runc)', () => {
    const { root: _r, ...noRoot } = base();
    expect(errs(noRoot)).toEqual(['root oci:root-required']);
  });
});

describe('platforms and unmodelled fields', () => {
  test('a non-Linux section is unsupported, even beside linux', () => {
    expect(errs({ ...base(), windows: { layerFolders: ['C:\\layers'] } })).toEqual(['windows oci:unsupported-platform']);
    expect(errs({ ...base(), vm: { kernel: { path: '/boot/vmlinuz' } } })).toEqual(['vm oci:unsupported-platform']);
    expect(errs({ ociVersion: '1.3.0', root: { path: 'rootfs' }, solaris: {} })).toEqual(['solaris oci:unsupported-platform']);
  });
  test('Linux features ctsim does not model are warnings, not errors', () => {
    const v = check(withLinux({ seccomp: { defaultAction: 'SCMP_ACT_ALLOW' }, sysctl: { 'net.ipv4.ip_forward': '1' }, personality: { domain: 'LINUX' } }));
    expect(v.errors).toEqual([]);
    expect(v.warnings.map((w) => w.path)).toEqual(['linux.sysctl', 'linux.seccomp', 'linux.personality']);
  });
  test('unknown properties are ignored with a warning (the spec says to ignore them)', () => {
    expect(warns({ ...base(), hostnmae: 'x' })).toEqual(['hostnmae oci:unknown-property']);
    expect(warns(withProcess({ cwdd: '/' }))).toEqual(['process.cwdd oci:unknown-property']);
  });
  test('resources that runc would refuse are errors here too', () => {
    const v = check(withLinux({ resources: { memory: { limit: 200, swap: 100 } } }));
    expect(v.errors).toEqual([expect.objectContaining({ path: 'linux.resources.memory.swap', rule: 'oci:memory-swap' })]);
    expect(v.errors[0]!.message).toMatch(/^memory\+swap limit should be >= memory limit/);
  });
});
