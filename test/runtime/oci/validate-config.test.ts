/**
 * config.json validation against the official runtime-spec fixtures: every
 * examples/config-good file is accepted (Linux) or refused as unsupported (FreeBSD,
 * z/OS); every examples/config-bad file is refused with an error at the right path.
 */
import { describe, expect, test } from 'vitest';
import { formatConfigIssue, loadConfigText, parseConfigText, validateConfig } from '../../../src/runtime/oci/index.js';
import { fixtureNames, fixtureText } from './fixture-files.js';

const load = (rel: string) => loadConfigText(fixtureText(rel), rel.split('/').pop()!);

describe('examples/config-good', () => {
  const files = fixtureNames('config-good');

  test('the fixture set is the one the reference ships', () => {
    expect(files).toEqual([
      'freebsd-example.json',
      'freebsd-minimal.json',
      'linux-netdevice.json',
      'linux-rdma.json',
      'minimal-for-start.json',
      'minimal.json',
      'spec-example.json',
      'zos-example.json',
      'zos-minimal.json',
    ]);
  });

  for (const f of files.filter((n) => !n.startsWith('freebsd') && !n.startsWith('zos'))) {
    test(`${f} is accepted without errors`, () => {
      const v = load(`config-good/${f}`);
      expect(v.errors).toEqual([]);
      expect(v.config).toEqual(JSON.parse(fixtureText(`config-good/${f}`)));
    });
  }

  for (const f of files.filter((n) => n.startsWith('freebsd') || n.startsWith('zos'))) {
    test(`${f} is refused as unsupported`, () => {
      const v = load(`config-good/${f}`);
      const platform = f.split('-')[0]!;
      expect(v.errors).toEqual([expect.objectContaining({ path: platform, rule: 'oci:unsupported-platform' })]);
      expect(v.errors[0]!.message).toMatch(new RegExp(`^unsupported: a "${platform}" configuration`));
    });
  }

  test('spec-example.json: the fields ctsim does not model are warnings, and the 0.5.0-dev version too', () => {
    const v = load('config-good/spec-example.json');
    const paths = v.warnings.map((w) => w.path);
    expect(paths).toEqual(expect.arrayContaining(['ociVersion', 'linux.seccomp', 'linux.sysctl', 'linux.devices', 'linux.resources.hugepageLimits', 'linux.resources.blockIO', 'process.apparmorProfile']));
    expect(v.warnings.find((w) => w.path === 'ociVersion')!.rule).toBe('oci:version-pre-1.0');
  });

  test('linux-netdevice.json and linux-rdma.json warn about what they configure', () => {
    expect(load('config-good/linux-netdevice.json').warnings.map((w) => w.path)).toEqual(['linux.netDevices']);
    expect(load('config-good/linux-rdma.json').warnings.map((w) => w.path)).toEqual(['linux.resources.rdma']);
  });

  test('the config.md example is accepted', () => {
    expect(load('config-md-example.json').errors).toEqual([]);
  });

  test('minimal.json has nothing to say', () => {
    const v = load('config-good/minimal.json');
    expect(v.warnings).toEqual([]);
  });
});

describe('examples/config-bad', () => {
  const expected: Record<string, { path: string; rule: string }> = {
    'freebsd-vnet-disable.json': { path: 'freebsd.jail.vnet', rule: 'schema:enum' },
    'invalid-json.json': { path: '1:2', rule: 'json:syntax' },
    'linux-hugepage.json': { path: 'linux.resources.hugepageLimits[0].pageSize', rule: 'schema:pattern' },
    'linux-netdevice.json': { path: 'linux.netDevices.eth0.name', rule: 'schema:type' },
    'linux-rdma.json': { path: 'linux.resources.rdma.mlx5_1.hcaHandles', rule: 'schema:type' },
  };

  test('every bad fixture has an expectation', () => {
    expect(fixtureNames('config-bad')).toEqual(Object.keys(expected).sort());
  });

  for (const [f, want] of Object.entries(expected)) {
    test(`${f} is refused at ${want.path}`, () => {
      const v = load(`config-bad/${f}`);
      expect(v.errors[0]).toEqual(expect.objectContaining(want));
    });
  }

  test('the messages say what was expected and what was found', () => {
    const line = (f: string) => formatConfigIssue(f, load(`config-bad/${f}`).errors[0]!);
    expect(line('invalid-json.json')).toBe(`invalid-json.json: 1:2: invalid JSON: expected a property name in double quotes or '}', found "]"`);
    expect(line('linux-hugepage.json')).toBe(
      'linux-hugepage.json: linux.resources.hugepageLimits[0].pageSize: expected a page size like "2MB" or "64KB" (KB, MB or GB, upper case), matching /^[1-9][0-9]*[KMG]B$/, found the string "64kB"',
    );
    expect(line('linux-netdevice.json')).toBe('linux-netdevice.json: linux.netDevices.eth0.name: expected a string, found the integer 23');
    expect(line('linux-rdma.json')).toBe('linux-rdma.json: linux.resources.rdma.mlx5_1.hcaHandles: expected an integer, found the string "not a uint32"');
    expect(line('freebsd-vnet-disable.json')).toBe('freebsd-vnet-disable.json: freebsd.jail.vnet: expected one of "new", "inherit", found the string "disable"');
  });

  test('a FreeBSD config that is also invalid gets both errors', () => {
    expect(load('config-bad/freebsd-vnet-disable.json').errors.map((e) => e.rule)).toEqual(['schema:enum', 'oci:unsupported-platform']);
  });
});

describe('schema errors become one-line issues with JSON paths', () => {
  const base = { ociVersion: '1.3.0', root: { path: 'rootfs' }, process: { args: ['sh'], cwd: '/' }, linux: { namespaces: [{ type: 'mount' }] } };
  const errorsOf = (doc: unknown) => validateConfig(doc, 'config.json').errors;

  test('a missing required property is named by its own path, with a fix', () => {
    expect(errorsOf({ root: { path: 'rootfs' } })).toEqual([
      { path: 'ociVersion', rule: 'schema:required', message: 'required property "ociVersion" is missing (fix: add "ociVersion": "1.3.0" to the top level)' },
    ]);
    expect(errorsOf({ ...base, process: { args: ['sh'] } })).toEqual([
      { path: 'process.cwd', rule: 'schema:required', message: 'required property "cwd" is missing (fix: add "cwd": "/" to process)' },
    ]);
  });

  test('anyOf noise is dropped: a bad namespace type is one enum error', () => {
    const errors = errorsOf({ ...base, linux: { namespaces: [{ type: 'mount' }, { type: 'net' }] } });
    expect(errors).toEqual([
      {
        path: 'linux.namespaces[1].type',
        rule: 'schema:enum',
        message: 'expected one of "mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time", found the string "net"',
      },
    ]);
  });

  test('a namespace entry of the wrong type is one type error', () => {
    expect(errorsOf({ ...base, linux: { namespaces: ['pid'] } })).toEqual([
      { path: 'linux.namespaces[0]', rule: 'schema:type', message: 'expected an object, found the string "pid"' },
    ]);
  });

  test('integer bounds name the Go type', () => {
    const e = errorsOf({ ...base, process: { args: ['sh'], cwd: '/', user: { uid: -1, gid: 0 } } });
    expect(e).toEqual([{ path: 'process.user.uid', rule: 'schema:minimum', message: 'expected a value >= 0 (unsigned), found the integer -1' }]);
    const big = errorsOf({ ...base, process: { args: ['sh'], cwd: '/', user: { uid: 4294967296, gid: 0 } } });
    expect(big[0]!.message).toBe('expected a value <= 4294967295 (uint32), found the integer 4294967296');
  });

  test('hook timeouts must be positive', () => {
    const e = errorsOf({ ...base, hooks: { poststart: [{ path: '/bin/true', timeout: 0 }] } });
    expect(e).toEqual([expect.objectContaining({ path: 'hooks.poststart[0].timeout', rule: 'schema:minimum' })]);
    expect(e[0]!.message).toContain('must be > 0');
  });

  test('keys that are not identifiers are quoted in paths', () => {
    const e = errorsOf({ ...base, linux: { ...base.linux, sysctl: { 'net.ipv4.ip_forward': 1 } } });
    expect(e.map((x) => x.path)).toEqual(['linux.sysctl["net.ipv4.ip_forward"]']);
  });

  test('the document itself: null and non-objects', () => {
    expect(errorsOf(null)).toEqual([expect.objectContaining({ path: '(root)', rule: 'oci:config-null' })]);
    expect(errorsOf([])).toEqual([{ path: '(root)', rule: 'schema:type', message: 'expected an object, found an empty array' }]);
  });

  test('every problem is reported at once', () => {
    const e = errorsOf({ ociVersion: 1, root: {}, process: { cwd: 3 } });
    expect(e.map((x) => x.path).sort()).toEqual(['ociVersion', 'process.cwd', 'root.path']);
  });
});

describe('parseConfigText', () => {
  test('valid text parses', () => {
    expect(parseConfigText('{"a": [1, 2]}', 'x.json')).toEqual({ doc: { a: [1, 2] } });
  });

  test('syntax errors carry line:column', () => {
    const err = (t: string) => {
      const p = parseConfigText(t, 'x.json');
      return 'error' in p ? `${p.error.path} ${p.error.message}` : 'ok';
    };
    expect(err('{\n  "a": 1,\n}')).toBe(`3:1 invalid JSON: expected a property name in double quotes, found "}"`);
    expect(err('[1 2]')).toBe(`1:4 invalid JSON: expected ',' or ']' after an array element, found "2"`);
    expect(err('{"a": "x')).toBe(`1:9 invalid JSON: expected a closing '"', found the end of the file`);
    expect(err('{} x')).toBe('1:4 invalid JSON: expected the end of the document after the top-level value, found "x"');
    expect(err('{"a": tru}')).toBe('1:10 invalid JSON: expected the literal true, found "}"');
    expect(err('')).toBe('1:1 invalid JSON: expected a JSON value (object, array, string, number, true, false or null), found the end of the file');
    expect(err('{"é": 01}')).toBe(`1:8 invalid JSON: expected ',' or '}' after a property value, found "1"`);
    expect(err('{"a": "\t"}')).toBe('1:8 invalid JSON: expected a string character (control characters must be escaped, e.g. \\n), found control character U+0009');
  });
});
