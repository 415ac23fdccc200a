/** `runc exec -p process.json` validation and state-document validation. */
import { describe, expect, test } from 'vitest';
import { validateProcess, validateState } from '../../../src/runtime/oci/index.js';
import { fixtureJson } from './fixture-files.js';

describe('validateProcess', () => {
  test('a good process.json', () => {
    const doc = { cwd: '/', args: ['sh', '-c', 'true'], env: ['A=1'], user: { uid: 0, gid: 0 } };
    expect(validateProcess(doc)).toEqual({ process: doc, errors: [], warnings: [] });
  });
  test('paths are relative to the process object', () => {
    expect(validateProcess({ args: ['sh'] }).errors).toEqual([expect.objectContaining({ path: 'cwd', rule: 'schema:required' })]);
    expect(validateProcess({ cwd: '/', args: ['sh'], terminal: 'yes' }).errors).toEqual([
      { path: 'terminal', rule: 'schema:type', message: 'expected a boolean (true or false), found the string "yes"' },
    ]);
    expect(validateProcess({ cwd: 'x', args: [] }).errors.map((e) => `${e.path} ${e.rule}`)).toEqual(['cwd oci:cwd-absolute', 'args oci:args-empty']);
  });
  test('the process of the config.md example is a valid process.json', () => {
    const md = fixtureJson('config-md-example.json') as { process: unknown };
    expect(validateProcess(md.process).errors).toEqual([]);
  });
});

describe('validateState', () => {
  test('the runtime.md state example validates', () => {
    expect(validateState(fixtureJson('state-good/spec-example.json')).errors).toEqual([]);
  });
  test("runc's state output validates (its extra fields are allowed)", () => {
    expect(validateState(fixtureJson('runc/runc-state-output.json')).errors).toEqual([]);
  });
  test("runc's paused status is accepted, checked like running", () => {
    const paused = { ociVersion: '1.3.0', id: 'c1', status: 'paused', pid: 42, bundle: '/b' };
    expect(validateState(paused)).toEqual({ state: paused, errors: [], warnings: [] });
    expect(validateState({ ...paused, pid: undefined }).errors).toEqual([expect.objectContaining({ path: 'pid', rule: 'oci:state-pid-required' })]);
  });
  test('status values, pid and bundle', () => {
    const st = { ociVersion: '1.3.0', id: 'c1', status: 'running', pid: 42, bundle: '/b' };
    expect(validateState({ ...st, status: 'exited' }).errors.map((e) => `${e.path} ${e.rule}`)).toEqual(['status schema:enum']);
    expect(validateState({ ...st, pid: -1 }).errors.map((e) => `${e.path} ${e.rule}`)).toEqual(['pid schema:minimum']);
    expect(validateState({ ...st, bundle: 'b' }).errors.map((e) => `${e.path} ${e.rule}`)).toEqual(['bundle oci:state-bundle-absolute']);
    expect(validateState({ ociVersion: '1.3.0', id: 'c1', status: 'stopped', bundle: '/b' }).errors).toEqual([]);
    expect(validateState({ id: 'c1', status: 'stopped', bundle: '/b' }).errors.map((e) => e.path)).toEqual(['ociVersion']);
  });
});
