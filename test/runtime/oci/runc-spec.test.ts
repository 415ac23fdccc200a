/** `runc spec` and `runc spec --rootless`: the object and the exact bytes. */
import { describe, expect, test } from 'vitest';
import { formatRuncSpec, runcDefaultSpec, validateConfig } from '../../../src/runtime/oci/index.js';
import { fixtureJson, fixtureText } from './fixture-files.js';

describe('runc spec', () => {
  test('deep-equals runc-spec-default.json', () => {
    expect(runcDefaultSpec({ rootless: false })).toEqual(fixtureJson('runc/runc-spec-default.json'));
  });
  test('is written byte for byte as runc writes it (tabs, Go field order, no trailing newline)', () => {
    const text = formatRuncSpec(runcDefaultSpec({ rootless: false }));
    expect(text).toBe(fixtureText('runc/runc-spec-default.json'));
    expect(text.endsWith('}')).toBe(true);
  });
  test('validates against the schema with nothing to say', () => {
    expect(validateConfig(runcDefaultSpec({ rootless: false }), 'config.json')).toEqual(expect.objectContaining({ errors: [], warnings: [] }));
  });
});

describe('runc spec --rootless', () => {
  const spec = runcDefaultSpec({ rootless: true, uid: 1000, gid: 1001 });

  test('drops the network namespace and adds a user namespace last', () => {
    expect(spec.linux!.namespaces!.map((n) => n.type)).toEqual(['pid', 'ipc', 'uts', 'mount', 'cgroup', 'user']);
  });
  test('maps container root to the caller, one id each', () => {
    expect(spec.linux!.uidMappings).toEqual([{ containerID: 0, hostID: 1000, size: 1 }]);
    expect(spec.linux!.gidMappings).toEqual([{ containerID: 0, hostID: 1001, size: 1 }]);
  });
  test('rbinds /sys, strips gid=/uid= options and removes resources', () => {
    const byDest = new Map(spec.mounts!.map((m) => [m.destination, m]));
    expect(byDest.get('/sys')).toEqual({ destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] });
    expect(byDest.get('/dev/pts')!.options).toEqual(['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620']);
    expect(spec.linux!.resources).toBeUndefined();
  });
  test('keeps specs-go field order in the bytes', () => {
    expect(Object.keys(spec.linux!)).toEqual(['uidMappings', 'gidMappings', 'namespaces', 'maskedPaths', 'readonlyPaths']);
    const text = formatRuncSpec(spec);
    expect(text).toContain('\t\t{\n\t\t\t"destination": "/sys",\n\t\t\t"type": "none",\n\t\t\t"source": "/sys",\n\t\t\t"options": [\n\t\t\t\t"rbind",');
    expect(text).toContain('\t"linux": {\n\t\t"uidMappings": [\n\t\t\t{\n\t\t\t\t"containerID": 0,\n\t\t\t\t"hostID": 1000,\n\t\t\t\t"size": 1\n\t\t\t}\n\t\t],');
    expect(text).not.toContain('"resources"');
    // The /proc mount has no options at all (a nil slice stays nil).
    expect(text).toContain('"destination": "/proc",\n\t\t\t"type": "proc",\n\t\t\t"source": "proc"\n\t\t}');
  });
  test('validates with nothing to say', () => {
    expect(validateConfig(spec, 'config.json')).toEqual(expect.objectContaining({ errors: [], warnings: [] }));
  });
  test('needs the uid and gid', () => {
    expect(() => runcDefaultSpec({ rootless: true })).toThrow(/uid and gid/);
  });
});
