/** `runc state` / `runc list` output, byte for byte, and RFC3339Nano. */
import { describe, expect, test } from 'vitest';
import { formatListJson, formatListQuiet, formatListTable, formatStateJson, rfc3339Nano, validateState, type RuncState } from '../../../src/runtime/oci/index.js';
import { fixtureText, utcNs } from './fixture-files.js';

const c1: RuncState = {
  ociVersion: '1.3.0',
  id: 'c1',
  pid: 4422,
  status: 'running',
  bundle: '/containers/c1',
  rootfs: '/containers/c1/rootfs',
  createdNs: utcNs(2025, 11, 2, 7, 35, 43, 123456789n),
  owner: 'root',
};
const c2: RuncState = {
  ociVersion: '1.3.0',
  id: 'c2',
  pid: 0,
  status: 'stopped',
  bundle: '/containers/c2',
  rootfs: '/containers/c2/rootfs',
  createdNs: utcNs(2025, 11, 2, 7, 36, 1, 500000000n),
  annotations: { 'com.example.k': 'v' },
  owner: 'root',
};

describe('runc state', () => {
  const mine: RuncState = { ...c1, id: 'mycontainer', bundle: '/containers/mycontainer', rootfs: '/containers/mycontainer/rootfs', owner: '' };

  test('matches runc-state-output.json byte for byte (2 spaces, no trailing newline)', () => {
    expect(formatStateJson(mine)).toBe(fixtureText('runc/runc-state-output.json'));
  });
  test('its output validates as a state, paused included', () => {
    expect(validateState(JSON.parse(formatStateJson(mine))).errors).toEqual([]);
    expect(validateState(JSON.parse(formatStateJson({ ...mine, status: 'paused' }))).errors).toEqual([]);
    expect(validateState(JSON.parse(formatStateJson({ ...mine, status: 'stopped', pid: 0 }))).errors).toEqual([]);
  });
  test('annotations sit between created and owner, keys sorted as Go sorts map keys', () => {
    const text = formatStateJson({ ...mine, annotations: { b: '2', a: '1', '9': 'x', '10': 'y' } });
    expect(text).toContain('"created": "2025-11-02T07:35:43.123456789Z",\n  "annotations": {\n    "10": "y",\n    "9": "x",\n    "a": "1",\n    "b": "2"\n  },\n  "owner": ""\n}');
  });
  test('empty annotations are omitted; HTML characters are escaped as Go does', () => {
    expect(formatStateJson({ ...mine, annotations: {} })).toBe(formatStateJson(mine));
    expect(formatStateJson({ ...mine, annotations: { k: '<a&b>' } })).toContain('"k": "\\u003ca\\u0026b\\u003e"');
  });
});

describe('runc list', () => {
  test('--format json matches runc-list-format-json-output.json (one line + newline)', () => {
    expect(formatListJson([c1, c2])).toBe(fixtureText('runc/runc-list-format-json-output.json'));
  });
  test('--format json with no containers is null', () => {
    expect(formatListJson([])).toBe('null\n');
  });
  test('the table is a Go tabwriter(12, 1, 3, " ", 0): cells padded to width + 3, the last column not padded', () => {
    expect(formatListTable([c1, c2])).toBe(
      'ID          PID         STATUS      BUNDLE           CREATED                          OWNER\n' +
        'c1          4422        running     /containers/c1   2025-11-02T07:35:43.123456789Z   root\n' +
        'c2          0           stopped     /containers/c2   2025-11-02T07:36:01.5Z           root\n',
    );
  });
  test('an empty table is the header at minimum width', () => {
    expect(formatListTable([])).toBe('ID          PID         STATUS      BUNDLE      CREATED     OWNER\n');
  });
  test('an owner without a name is #uid; -q prints ids', () => {
    expect(formatListTable([{ ...c1, owner: '#1000' }]).split('\n')[1]).toMatch(/ {3}#1000$/);
    expect(formatListQuiet([c1, c2])).toBe('c1\nc2\n');
  });
});

describe('rfc3339Nano', () => {
  test('trims trailing zeros of the fraction and drops it when zero', () => {
    expect(rfc3339Nano(0)).toBe('1970-01-01T00:00:00Z');
    expect(rfc3339Nano(1n)).toBe('1970-01-01T00:00:00.000000001Z');
    expect(rfc3339Nano(1_500_000_000)).toBe('1970-01-01T00:00:01.5Z');
    expect(rfc3339Nano(utcNs(2025, 11, 2, 7, 35, 43, 123456789n))).toBe('2025-11-02T07:35:43.123456789Z');
    expect(rfc3339Nano(utcNs(2025, 11, 2, 7, 35, 43, 120000000n))).toBe('2025-11-02T07:35:43.12Z');
  });
  test('calendar edges: leap days, centuries, before the epoch, year 9999', () => {
    expect(rfc3339Nano(utcNs(2024, 2, 29, 23, 59, 59))).toBe('2024-02-29T23:59:59Z');
    expect(rfc3339Nano(utcNs(2000, 3, 1, 0, 0, 0))).toBe('2000-03-01T00:00:00Z');
    expect(rfc3339Nano(utcNs(2100, 3, 1, 0, 0, 0))).toBe('2100-03-01T00:00:00Z');
    expect(rfc3339Nano(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(rfc3339Nano(253402300799999999999n)).toBe('9999-12-31T23:59:59.999999999Z');
  });
  test('agrees with Date for a spread of millisecond instants', () => {
    for (let ms = -2_000_000_000_000; ms < 5_000_000_000_000; ms += 97_654_321_987) {
      const iso = new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z');
      expect(rfc3339Nano(BigInt(ms) * 1_000_000n)).toBe(iso);
    }
  });
  test('refuses a non-integer number', () => {
    expect(() => rfc3339Nano(1.5)).toThrow(RangeError);
  });
});
