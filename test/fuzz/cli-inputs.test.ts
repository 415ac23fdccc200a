/**
 * Bad input at the command line (issue 11): mutated files given to the commands that
 * read them, and odd values for their flags, through the commands themselves — each
 * run must end with the project's exit codes (0, 2 for usage, 3 for invalid input)
 * and at most one line on stderr naming the file or flag, never "internal error" (70)
 * or an escaped exception. Fewer cases than the readers' fuzz (each boots a host);
 * FUZZ_RUNS scales them too.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from '@oclif/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { REPO_ROOT, runCli, type CliRun } from '../helpers/cli.js';
import { fuzzRuns, jsonMutants, yamlMutants } from './mutate.js';
import Sh from '../../src/commands/sh.js';
import Oci from '../../src/commands/oci.js';
import LessonList from '../../src/commands/lesson/list.js';
import VmCreate from '../../src/commands/vm/create.js';
import VmExec from '../../src/commands/vm/exec.js';
import VmConsole from '../../src/commands/vm/console.js';
import Run from '../../src/commands/run.js';
import Sched from '../../src/commands/sched.js';
import MemReplay from '../../src/commands/mem/replay.js';
import MemTranslate from '../../src/commands/mem/translate.js';
import Features from '../../src/commands/features.js';
import NsTree from '../../src/commands/ns/tree.js';
import CgroupTree from '../../src/commands/cgroup/tree.js';
import Compare from '../../src/commands/compare.js';

// `ctsim sh` reads a piped standard input (fd 0): give it none.
vi.mock('node:fs', async (importOriginal) => {
  const { fsWithStdin } = await import('../helpers/stdin-mock.js');
  return fsWithStdin(await importOriginal<typeof import('node:fs')>(), () => '');
});

const work = mkdtempSync(path.join(tmpdir(), 'ctsim-fuzz-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const d = path.join(work, String(n++));
  mkdirSync(d, { recursive: true });
  return d;
};

/** The run ended as ctsim promises: one of `codes`, and an error (if any) in one line naming `names`. */
function endsCleanly(r: CliRun, codes: number[], names: string | RegExp): void {
  const why = `exit ${r.exitCode}\nstderr: ${r.stderr}`;
  expect(codes, why).toContain(r.exitCode);
  expect(r.stderr, why).not.toMatch(/internal error|uncaught|\n\s+at /);
  if (r.exitCode === 2 || r.exitCode === 3) {
    const line = r.stderr.trim().split('\n').filter((l) => !/^ctsim [a-z ]+: warning: /.test(l))[0];
    if (typeof names === 'string') expect(line, why).toContain(names);
    else expect(line, why).toMatch(names);
  }
  // One line (after any warnings), and for a usage error perhaps the help to read ("See: ctsim sh --help").
  if (r.exitCode !== 0 && r.exitCode !== 124) {
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('See: ctsim ') && !/^ctsim [a-z ]+: warning: /.test(l)), why).toHaveLength(1);
  }
}

const CLI_RUNS = (ci: number): number => Math.max(ci, Math.ceil(fuzzRuns(0) / 100));

describe('commands under mutated files and odd flags', () => {
  it('ctsim sh --costs FILE: a mutated cost table runs or is refused with exit 3 naming the file', { timeout: 600_000 }, async () => {
    const seed = readFileSync(path.join(REPO_ROOT, 'fixtures/costs/adams-agesen-2006.json'), 'utf8');
    await fc.assert(
      fc.asyncProperty(jsonMutants(seed), async (text) => {
        const f = path.join(fresh(), 'costs.json');
        writeFileSync(f, text);
        endsCleanly(await runCli(Sh, ['--costs', f, '-c', 'echo ok'], 'sh'), [0, 3], f);
      }),
      { numRuns: CLI_RUNS(40) },
    );
  });

  it('ctsim lesson list --dir DIR: a mutated lesson is listed or refused with exit 3 naming the file', { timeout: 600_000 }, async () => {
    const seed = readFileSync(path.join(REPO_ROOT, 'lessons/chroot.yaml'), 'utf8');
    await fc.assert(
      fc.asyncProperty(yamlMutants(seed), async (text) => {
        const d = fresh();
        writeFileSync(path.join(d, 'chroot.yaml'), text);
        endsCleanly(await runCli(LessonList, ['--dir', d], 'lesson:list'), [0, 3], 'chroot.yaml');
      }),
      { numRuns: CLI_RUNS(40) },
    );
  });

  it('ctsim vm create --config FILE: a mutated VM config is created, refused with exit 3 naming the file, or refused by the hypervisor (1)', { timeout: 600_000 }, async () => {
    const seeds = readdirSync(path.join(REPO_ROOT, 'fixtures/vm/examples')).map((f) => readFileSync(path.join(REPO_ROOT, 'fixtures/vm/examples', f), 'utf8'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds).chain(jsonMutants), async (text) => {
        const d = fresh();
        const f = path.join(d, 'vm.json');
        writeFileSync(f, text);
        endsCleanly(await runCli(VmCreate, ['--root', path.join(d, 'state'), '--config', f, 'web'], 'vm:create'), [0, 1, 3], f);
      }),
      { numRuns: CLI_RUNS(40) },
    );
  });

  it('ctsim oci --root DIR list: a damaged host.json is read or reported unusable with exit 3', { timeout: 600_000 }, async () => {
    const made = fresh();
    const made1 = await runCli(Sh, ['--root', made, '-c', 'echo hi > /root/f; mkdir -p /srv/www'], 'sh');
    expect(made1.exitCode).toBe(0);
    const seed = readFileSync(path.join(made, 'host.json'), 'utf8');
    await fc.assert(
      fc.asyncProperty(jsonMutants(seed), async (text) => {
        const d = fresh();
        cpSync(made, d, { recursive: true });
        writeFileSync(path.join(d, 'host.json'), text);
        endsCleanly(await runCli(Oci, ['--root', d, 'list'], 'oci'), [0, 3], d);
      }),
      { numRuns: CLI_RUNS(40) },
    );
  });

  it('ctsim sh with odd values for its flags: runs, or a usage error (2) naming the flag', { timeout: 600_000 }, async () => {
    const odd = fc.oneof(
      fc.constantFrom('', '0', '-1', '1', '2', '1e3', '1e999', 'NaN', 'Infinity', '4G', '512M', '16M', '1k', '0.5', '1.5s', '10ms', 'none', 'lots', ' ', '-', '--', '9999999999999999999', '2048'),
      fc.string({ maxLength: 6 }),
    );
    const flag = fc.constantFrom('--cpus', '--memory', '--seed', '--swap', '--sched', '--swap-policy', '--time-limit', '--max-events', '--max-memory', '--trace', '--trace-format');
    await fc.assert(
      fc.asyncProperty(flag, odd, async (f, v) => {
        // Bounded in simulated time, unless that is the flag under test (124: a limit stopped it).
        const bound = f === '--time-limit' ? [] : ['--time-limit', '1s'];
        endsCleanly(await runCli(Sh, [`${f}=${v}`, ...bound, '-c', 'echo ok'], 'sh'), [0, 2, 124], f);
      }),
      { numRuns: CLI_RUNS(60) },
    );
  });
});

describe('run, oci and vm under odd flag values', () => {
  const odd = fc.oneof(
    fc.constantFrom('', '0', '-1', '1', '2', '0.001', '0.5', '1e3', '1e9', '1e999', 'NaN', 'Infinity', '4G', '64m', '6m', '1k', '2T', '1.5s', '0s', 'none', 'host', 'bridge', ' ', '-', '--', 'a/b', 'x'.repeat(70), '9999999999999999999', '80', '0:80', '8080:80', '99999:80', 'A', '=x', 'K=V', '/', 'rel', '0:0', '1000:1000'),
    fc.string({ maxLength: 8 }),
  );

  it('ctsim run: runs, a usage error (2) naming the flag, or what docker says for the daemon (125)', { timeout: 600_000 }, async () => {
    // Not --volume or --rootfs: their values are this machine's paths, copied in.
    const flag = fc.constantFrom('--cpus', '--memory', '--memory-swap', '--cpu-shares', '--pids-limit', '--hostname', '--user', '--network', '--publish', '--env', '--workdir', '--name', '--image', '--host-cpus', '--host-memory', '--host-swap', '--seed', '--time-limit', '--userns', '--max-events', '--max-memory');
    await fc.assert(
      fc.asyncProperty(flag, odd, async (f, v) => {
        const more = f === '--memory-swap' ? ['--memory', '64m'] : [];
        const bound = f === '--time-limit' ? [] : ['--time-limit', '1s'];
        endsCleanly(await runCli(Run, [`${f}=${v}`, ...more, ...bound, '--', 'true'], 'run'), [0, 2, 124, 125], f);
      }),
      { numRuns: CLI_RUNS(60) },
    );
  });

  it("ctsim oci's global options: a listing, or a usage error (2) naming the option", { timeout: 600_000 }, async () => {
    const flag = fc.constantFrom('--cpus', '--memory', '--swap', '--seed', '--after', '--max-events', '--max-memory');
    await fc.assert(
      fc.asyncProperty(flag, odd, async (f, v) => {
        // 124: --max-events 2 stops even a listing (its host boots).
        endsCleanly(await runCli(Oci, ['--root', fresh(), f, v, 'list'], 'oci'), [0, 2, 124], f);
      }),
      { numRuns: CLI_RUNS(40) },
    );
  });

  it('ctsim vm: odd names, profiles and limits are usage or input errors, or "no such VM" (1)', { timeout: 600_000 }, async () => {
    const config = path.join(REPO_ROOT, 'fixtures/vm/examples/firecracker.json');
    const cases = fc.oneof(
      // "--" as the name leaves none: oclif's "Missing 1 required arg: name".
      odd.map((v) => ({ cmd: VmCreate, id: 'vm:create', args: ['--config', config, v], names: /NAME|arg: name/ })),
      odd.map((v) => ({ cmd: VmCreate, id: 'vm:create', args: ['--config', config, '--profile', v, 'web'], names: '--profile' })),
      odd.map((v) => ({ cmd: VmExec, id: 'vm:exec', args: [v, '--', 'true'], names: v })),
      odd.map((v) => ({ cmd: VmConsole, id: 'vm:console', args: ['--time-limit', v, 'web'], names: '--time-limit' })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const r = await runCli(c.cmd, ['--root', fresh(), ...c.args], c.id);
        endsCleanly(r, [0, 1, 2, 3], typeof c.names === 'string' ? c.names.split('\n')[0].slice(0, 20) : c.names);
      }),
      { numRuns: CLI_RUNS(40) },
    );
  });
});

describe('the teaching and comparison commands under odd flag values', () => {
  const odd = fc.oneof(
    fc.constantFrom('', '0', '-1', '1', '3', '0.5', '1e3', '1e9', '1e999', 'NaN', '4096', '4G', '0x1000', '0xffffffffffffffff', '1,2,3', '1,,2', '-5,0', 'x', ' ', '-', 'fifo', 'rr', 'mlfq', 'lru', 'clock', 'x86', 'ostep', 'pid', 'net', 'cpu', '1/2', '0/2', '3/2', 'a=1', 'host.h.cpus=1,2', 'sh -c true', '/', '9999999999999999999'),
    fc.string({ maxLength: 8 }),
  );
  // A scenario that runs in a moment, for the flags of ctsim compare that get as far as running it.
  const scenario = path.join(work, 'tiny.yaml');
  writeFileSync(scenario, 'version: 1\nhosts: [{ name: h }]\ninstances: [{ name: c, kind: container, host: h }]\nworkloads: [{ name: t, kind: script, script: "true" }]\nphases: [{ name: go, start: [c], run: [t] }]\n');
  /** Each flag with what it needs beside it (a policy, the other geometry flags, a scenario). */
  const cases: { cmd: Command.Class; id: string; flag: string; args: string[]; names?: RegExp }[] = [
    ...['--policy', '--jobs', '--seed'].map((flag) => ({ cmd: Sched, id: 'sched', flag, args: [] })),
    { cmd: Sched, id: 'sched', flag: '--quantum', args: ['--policy', 'rr'] },
    ...['--queues', '--quanta', '--allotment', '--allotments', '--boost', '--io-time'].map((flag) => ({ cmd: Sched, id: 'sched', flag, args: ['--policy', 'mlfq'] })),
    { cmd: Sched, id: 'sched', flag: '--tickets', args: ['--policy', 'lottery'] },
    ...['--nice', '--latency', '--min-granularity'].map((flag) => ({ cmd: Sched, id: 'sched', flag, args: ['--policy', 'cfs'] })),
    ...['--policy', '--frames', '--trace', '--seed'].map((flag) => ({ cmd: MemReplay, id: 'mem:replay', flag, args: [] })),
    { cmd: MemReplay, id: 'mem:replay', flag: '--clock-bits', args: ['--policy', 'clock'] },
    ...['--address', '--arch', '--seed'].map((flag) => ({ cmd: MemTranslate, id: 'mem:translate', flag, args: [] })),
    ...['--levels', '--page-size', '--address-bits', '--entry-bytes', '--phys-bits'].map((flag) => ({
      cmd: MemTranslate,
      id: 'mem:translate',
      flag,
      args: ['--levels', '2', '--page-size', '4096', '--address-bits', '32'].filter((_, i, a) => a[i - (i % 2)] !== flag),
      // A geometry that does not add up may be blamed on any of its flags.
      names: /--(levels|page-size|address-bits|entry-bytes|phys-bits)/,
    })),
    ...['--area', '--level'].map((flag) => ({ cmd: Features, id: 'features', flag, args: [] })),
    ...['--type', '--command', '--cpus', '--memory', '--seed', '--sched', '--swap', '--swap-policy'].map((flag) => ({ cmd: NsTree, id: 'ns:tree', flag, args: [] })),
    ...['--command', '--cpus', '--memory', '--seed'].map((flag) => ({ cmd: CgroupTree, id: 'cgroup:tree', flag, args: [] })),
    ...['--param', '--repeat', '--seed-from', '--jobs', '--shard', '--max-events', '--max-memory'].map((flag) => ({ cmd: Compare, id: 'compare', flag, args: [scenario] })),
  ];

  it('each flag of sched, mem, features, ns tree, cgroup tree and compare: a result, or a usage error (2) naming the flag', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), odd, async (c, v) => {
        const r = await runCli(c.cmd, [...c.args, `${c.flag}=${v}`], c.id);
        // 1: a compare claim that does not hold; 3: a file a flag named (--command, --param) that is not one.
        endsCleanly(r, [0, 1, 2, 3, 124], c.names ?? c.flag);
      }),
      { numRuns: CLI_RUNS(80) },
    );
  });
});

// Cases the long fuzz found (npm run fuzz, 2026-11-28).
describe('commands: kept cases the fuzz found', () => {
  it('a seed or a RAM size past what the simulation takes is a usage error, not an internal error', async () => {
    for (const [flag, value, want] of [
      ['--seed', '9999999999999999999', /--seed: expected a whole number from 0 to 9007199254740991, found 10000000000000000000/],
      ['--memory', '16T', /--memory: expected a size from 16M to 1T, like 512M or 4G, found 16T/],
      ['--swap', '100T', /--swap: expected a size of 0 \(no swap\) or from 40K to 1T, like 512M or 2G, found 100T/],
    ] as const) {
      const r = await runCli(Sh, [flag, value, '-c', 'true'], 'sh');
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(want);
    }
  });

  it("ctsim oci's --seed names what was given (it said NaN), and its --swap has the same bounds as sh's", async () => {
    const seed = await runCli(Oci, ['--root', fresh(), '--seed', '-1', 'list'], 'oci');
    expect(seed.stderr).toBe('ctsim oci: --seed: expected a whole number from 0 to 9007199254740991, found -1\n');
    expect(seed.exitCode).toBe(2);
    const swap = await runCli(Oci, ['--root', fresh(), '--swap', '2T', 'list'], 'oci');
    expect(swap.stderr).toBe('ctsim oci: --swap: expected a size of 0 (no swap) or from 40K to 1T, like 512M or 2G, found 2T\n');
  });
});
