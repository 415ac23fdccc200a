/**
 * `--param KEY=v1,v2,…` and the file's matrix share one rule: the key names an
 * instance, a kind some instance is of, or a host, and a field it can have; every value
 * must be one the schema accepts for that field. --param errors name the flag and the
 * key (exit 2 for a malformed flag, 3 for a key or value that names nothing valid).
 */
import { describe, expect, it } from 'vitest';
import { expandMatrix, parseParamFlag } from '../../src/compare/matrix.js';
import { parseScenario } from '../../src/compare/scenario.js';
import { InputError } from '../../src/sim/input-error.js';
import { SMALL_SCENARIO } from '../helpers/compare-scenario.js';

/** The error `f` throws: its one line and exit code. */
function failure(f: () => unknown): { message: string; exitCode: number } {
  try {
    f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { message: e.message, exitCode: e.exitCode };
  }
  throw new Error('no error');
}

const withParams = (...flags: string[]) => parseScenario(SMALL_SCENARIO, 'small.yaml', flags.map(parseParamFlag));

describe('--param', () => {
  it('reads numbers and booleans where values look like them, else strings', () => {
    expect(parseParamFlag('v1.vcpus=1,2, 4')).toEqual({ key: 'v1.vcpus', values: [1, 2, 4] });
    expect(parseParamFlag('c.limits=true,false')).toEqual({ key: 'c.limits', values: [true, false] });
    expect(parseParamFlag('vm.memory=256MiB,0.5,bt')).toEqual({ key: 'vm.memory', values: ['256MiB', 0.5, 'bt'] });
    expect(parseParamFlag('host.h1.cpus=2')).toEqual({ key: 'host.h1.cpus', values: [2] });
  });

  it('replaces the file key of the same name where it stands, and adds new keys after, in flag order', () => {
    const s = withParams('host.h.cpus=1,4', 'c1.network=none,host');
    expect(s.matrix).toEqual([
      { key: 'c1.network', values: ['none', 'host'] },
      { key: 'host.h.cpus', values: [1, 4] },
    ]);
    const v = expandMatrix(s);
    expect(v.map((x) => x.label)).toEqual(['c1.network=none host.h.cpus=1', 'c1.network=none host.h.cpus=4', 'c1.network=host host.h.cpus=1', 'c1.network=host host.h.cpus=4']);
    expect(v[1].scenario.hosts[0].cpus).toBe(4);
    expect(v[2].scenario.instances[1].settings).toEqual({ network: 'host' });
  });

  it('refuses a malformed flag as a usage error (exit 2), naming --param', () => {
    for (const flag of ['c1.network', 'c1=bridge', 'c1.network=', 'c1.network=bridge,,host', '=x', 'vm.vcpus=1,1']) {
      const f = failure(() => parseParamFlag(flag));
      expect(f.exitCode, flag).toBe(2);
      expect(f.message, flag).toMatch(/^--param: expected KEY=v1,v2,… with a key INSTANCE\.FIELD, KIND\.FIELD or host\.NAME\.FIELD and one or more values, found /);
      expect(f.message).not.toContain('\n');
    }
  });

  it('refuses, as invalid input (exit 3) naming --param and the key, a key naming nothing or a value the field cannot take', () => {
    expect(failure(() => withParams('c9.network=bridge'))).toEqual({ exitCode: 3, message: '--param c9.network: expected a key INSTANCE.FIELD naming an instance, a kind (native, container, vm) or host.NAME, found "c9.network"' });
    expect(failure(() => withParams('vm.cpuVirt=bt')).message).toBe('--param vm.cpuVirt: expected a key INSTANCE.FIELD naming an instance, a kind (native, container, vm) or host.NAME, found "vm.cpuVirt", but no instance is of kind vm');
    expect(failure(() => withParams('host.nope.cpus=2')).message).toMatch(/^--param host\.nope\.cpus: expected a key INSTANCE\.FIELD naming/);
    expect(failure(() => withParams('c1.colour=red')).message).toMatch(/^--param c1\.colour: expected a field an instance has \(count, image, network, .*\), found "colour"$/);
    expect(failure(() => withParams('c1.name=x')).message).toMatch(/^--param c1\.name: expected a field other than name, kind, host/);
    expect(failure(() => withParams('c1.network=bridge,wifi'))).toEqual({ exitCode: 3, message: '--param c1.network: expected one of "bridge", "host", "none", found the string "wifi" (value 2 of 2)' });
    expect(failure(() => withParams('host.h.cpus=2,0')).message).toBe('--param host.h.cpus: expected a number of at least 1, found the number 0 (value 2 of 2)');
    expect(failure(() => withParams('container.memory=64MB')).message).toBe('--param container.memory: expected a size such as 256MiB (B, KiB, MiB, GiB, TiB) or a number of bytes, found the string "64MB" (value 1 of 1)');
  });

  it('holds the file’s own matrix to the same rule, at its place in the file', () => {
    const bad = SMALL_SCENARIO.replace('c1.network: [bridge, host]', 'c1.network: [bridge, wifi]');
    expect(failure(() => parseScenario(bad, 'small.yaml')).message).toBe('small.yaml:21:24 at $.matrix["c1.network"][1]: expected one of "bridge", "host", "none", found the string "wifi"');
  });
});
