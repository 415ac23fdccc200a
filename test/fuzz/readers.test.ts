/**
 * Every reader of a file ctsim reads, fed thousands of mutants of valid files
 * (issue 11, "Bad input, everywhere"): each must accept the input or say what is
 * wrong in the error it is meant to raise — an InputError naming the file (exit 3 at
 * the command line), or for the state files HostLogError (reported as "unusable" with
 * the fix), or, where ctsim speaks runc, a list of config errors as values — and never
 * throw anything else or hang. `npm run fuzz` runs the same with FUZZ_RUNS inputs per
 * reader (over 10^5 in all); a failure shrinks to a small mutant, kept below as a
 * regression case.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REPO_ROOT } from '../helpers/cli.js';
import { bytesMutants, fuzzRuns, jsonMutants, yamlMutants } from './mutate.js';
import { InputError } from '../../src/sim/input-error.js';
import { parseScenario } from '../../src/compare/scenario.js';
import { parseVmConfigText } from '../../src/hypervisor/vm-config.js';
import { loadDefaultCosts, parseCostTable } from '../../src/hw/cost-table.js';
import { parseLesson, parseTranslation, parseWords } from '../../src/teach/lesson/lesson-file.js';
import { loadConfigText } from '../../src/runtime/oci/validate-config.js';
import { formatRuncSpec, runcDefaultSpec } from '../../src/runtime/oci/runc-spec.js';
import { planRun } from '../../src/runtime/run-plan.js';
import { HostLogError, parseHostLog, newHostLog } from '../../src/runtime/host-log.js';
import { buildTar, parseTar, type TarEntry } from '../../src/userland/programs/archive/tar-format.js';
import { defaultPrograms } from '../../src/userland/index.js';

const file = (rel: string): string => readFileSync(path.join(REPO_ROOT, rel), 'utf8');
const filesIn = (dir: string, ext: string): string[] =>
  readdirSync(path.join(REPO_ROOT, dir))
    .filter((f) => f.endsWith(ext) && !f.endsWith('.schema.json'))
    .map((f) => `${dir}/${f}`);

/** A call that takes longer than this did not finish: a hang, not a slow reader. */
const HANG_MS = 10_000;

/**
 * Runs `read` on `text`: passes when it returns or throws one of `allowed`; an
 * InputError must name `source`. Anything else — another exception, a message
 * without the file — fails, with the input.
 */
function readsCleanly(read: (text: string) => unknown, text: string, allowed: (abstract new (...a: never[]) => Error)[], source: string): void {
  const t0 = performance.now();
  try {
    read(text);
  } catch (e) {
    if (!allowed.some((c) => e instanceof c)) throw new Error(`uncaught ${(e as Error)?.constructor?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    if (e instanceof InputError) {
      expect(e.message.startsWith(source), `names ${source}: ${e.message}`).toBe(true);
      expect(e.message).not.toContain('\n');
    }
  }
  expect(performance.now() - t0).toBeLessThan(HANG_MS);
}

const readSchema = (f: string): object => JSON.parse(file(`lessons/schema/${f}`)) as object;

interface Reader {
  name: string;
  /** The valid files mutated. */
  seeds: () => { name: string; text: string }[];
  mutants: (text: string) => fc.Arbitrary<string>;
  read: (text: string, source: string) => unknown;
  allowed: (abstract new (...a: never[]) => Error)[];
}

const READERS: Reader[] = [
  {
    name: 'compare scenario (YAML)',
    seeds: () => filesIn('fixtures/scenarios', '.yaml').map((f) => ({ name: f, text: file(f) })),
    mutants: yamlMutants,
    read: (text, source) => parseScenario(text, source),
    allowed: [InputError],
  },
  {
    name: 'VM config (JSON)',
    seeds: () => filesIn('fixtures/vm/examples', '.json').map((f) => ({ name: f, text: file(f) })),
    mutants: jsonMutants,
    read: (text, source) => parseVmConfigText(text, source),
    allowed: [InputError],
  },
  {
    name: 'cost table (--costs, a scenario\'s costs)',
    seeds: () => filesIn('fixtures/costs', '.json').map((f) => ({ name: f, text: file(f) })),
    mutants: jsonMutants,
    // As loadCostsFile: the JSON first (readJsonFile's InputError), then the table on the defaults.
    read: (text, source) => {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return null;
      }
      return parseCostTable(doc, source, loadDefaultCosts());
    },
    allowed: [InputError],
  },
  {
    name: 'lesson (YAML), its translation and its words',
    seeds: () => [
      ...filesIn('lessons', '.yaml').map((f) => ({ name: f, text: file(f) })),
      ...readdirSync(path.join(REPO_ROOT, 'lessons/i18n')).flatMap((l) => filesIn(`lessons/i18n/${l}`, '.yaml').map((f) => ({ name: f, text: file(f) }))),
    ],
    mutants: yamlMutants,
    read: (text, source) => {
      const base = path.basename(source, '.yaml');
      if (base === '_ui') return parseWords(text, source, readSchema);
      if (source.includes('/i18n/')) return parseTranslation(text, source, parseLesson(file(`lessons/${base}.yaml`), `lessons/${base}.yaml`, base, readSchema), readSchema);
      return parseLesson(text, source, base, readSchema);
    },
    allowed: [InputError],
  },
  {
    name: 'OCI config.json (runc create/run, ctsim oci)',
    seeds: () => {
      const names = new Set(defaultPrograms().all().map((p) => p.name));
      const run = planRun({ image: 'busybox', network: 'bridge', publish: [{ hostPort: 8080, containerPort: 80 }], volumes: [], env: ['A=1'], rm: false, detach: true, userns: true, memoryBytes: 64 << 20, pidsLimit: 20, cmd: ['sh'] }, 0, 1, names);
      return [
        { name: 'runc spec', text: formatRuncSpec(runcDefaultSpec({ rootless: false })) },
        { name: 'runc spec --rootless', text: formatRuncSpec(runcDefaultSpec({ rootless: true, uid: 1000, gid: 1000 })) },
        { name: 'ctsim run --userns -m 64m --pids-limit 20 -p 8080:80', text: JSON.stringify(run.config, null, 2) },
      ];
    },
    mutants: jsonMutants,
    // runc reports config errors as values (it exits 1 with them), never by throwing.
    read: (text, source) => loadConfigText(text, source),
    allowed: [],
  },
  {
    name: 'rootfs tar archive (--rootfs, image import)',
    seeds: () => {
      const entries: TarEntry[] = [
        { path: 'bin', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeSec: 1700000000 },
        { path: 'bin/sh', type: 'file', mode: 0o755, uid: 0, gid: 0, mtimeSec: 1700000000, content: '#!ctsim dash\n' },
        { path: 'bin/ls', type: 'hardlink', mode: 0o755, uid: 0, gid: 0, mtimeSec: 0, linkTarget: 'bin/sh' },
        { path: 'etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeSec: 1700000000.5, uname: 'root', gname: 'root', content: 'root:x:0:0:root:/root:/bin/sh\n'.repeat(30) },
        { path: 'lib/ld.so', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtimeSec: 0, linkTarget: '/lib/ld-musl.so.1' },
        { path: 'dev/null', type: 'chardev', mode: 0o666, uid: 0, gid: 0, mtimeSec: 0, devMajor: 1, devMinor: 3 },
        { path: 'a/very/long/path/' + 'x'.repeat(120) + '/file', type: 'file', mode: 0o600, uid: 1000, gid: 1000, mtimeSec: 1, content: 'deep' },
      ];
      return [{ name: 'a small root file system', text: buildTar(entries) }];
    },
    mutants: bytesMutants,
    // parseTar says what is wrong as a value; tarFileEntries makes it an InputError naming the file.
    read: (text) => {
      const r = parseTar(text);
      if (!Array.isArray(r)) expect(typeof r.error).toBe('string');
      return r;
    },
    allowed: [],
  },
  {
    name: 'persisted host state (host.json of --root)',
    seeds: () => {
      const log = newHostLog('1.0.0', 7, { cpus: 2, memoryBytes: 4 * 1024 ** 3, swapBytes: 0 });
      log.nowNs = 9e9;
      log.entries.push(
        { atNs: 0, argv: ['sh', '-c', 'echo hi > /root/f'], path: '/bin/sh', cwd: '/root', stdin: '', status: 0, uploads: [{ dest: '/var/lib/x.tar', blob: 'a'.repeat(64) }] },
        { atNs: 1e9, argv: ['ctsim-vm', 'create', 'web'], path: '', cwd: '/', stdin: '', status: 0, uploads: [], vm: { op: 'create', name: 'web', config: { name: 'web', memory: '256M' } } as never },
        { atNs: 2e9, argv: ['sh'], path: '/bin/sh', cwd: '/root', stdin: '', input: [{ atNs: 2.5e9, bytes: 'ls\n' }], inputEndNs: 3e9, timeLimitNs: Number.MAX_SAFE_INTEGER, status: 0, uploads: [] },
        { atNs: 4e9, argv: ['ctsim-vm', 'exec', 'web', '--', 'uname'], path: '', cwd: '/', stdin: '', status: 0, uploads: [], vm: { op: 'exec', name: 'web', argv: ['uname'] } as never },
      );
      return [{ name: 'host.json', text: JSON.stringify(log) }];
    },
    mutants: jsonMutants,
    // StateStore.load reports a HostLogError as "unusable" with the fix (ctsim oci reset).
    read: (text) => parseHostLog(text),
    allowed: [HostLogError],
  },
];

describe('readers under mutated input', () => {
  for (const r of READERS) {
    it(`${r.name}: accepts or reports every mutant, never throws otherwise`, { timeout: 600_000 }, () => {
      const seeds = r.seeds();
      expect(seeds.length).toBeGreaterThan(0);
      // The seeds themselves are valid.
      for (const s of seeds) expect(() => r.read(s.text, s.name), s.name).not.toThrow();
      const perSeed = Math.max(1, Math.ceil(fuzzRuns(400) / seeds.length));
      for (const s of seeds) {
        fc.assert(
          fc.property(r.mutants(s.text), (text) => readsCleanly((t) => r.read(t, s.name), text, r.allowed, s.name)),
          { numRuns: perSeed },
        );
      }
    });
  }
});

// Cases the long fuzz found (npm run fuzz, 2026-11-28), kept small.
describe('readers: kept cases the fuzz found', () => {
  it('a YAML alias to no anchor is an InputError naming the file, not a ReferenceError', () => {
    expect(() => parseScenario('version: 1\nseed: *a1\n', 's.yaml')).toThrow(new InputError({ source: 's.yaml', expected: 'valid YAML or JSON', found: 'Unresolved alias (the anchor must be set before the alias): a1' }));
  });

  it('a key with a newline in it is quoted in one line', () => {
    let msg = '';
    try {
      parseVmConfigText('{"boot-source": {"kernel_image_path": "vmlinux"}, "machine-co\\nfig": {}}', 'vm.json');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^vm\.json/);
    expect(msg).toContain('machine-co\\nfig');
    expect(msg).not.toContain('\n');
  });

  it('host.json: a null entry, or a host shape no command line makes, is damage (HostLogError), not a TypeError', () => {
    const log = newHostLog('1.0.0', 1, { cpus: 2, memoryBytes: 4 * 1024 ** 3, swapBytes: 0 });
    expect(() => parseHostLog(JSON.stringify({ ...log, entries: [null] }))).toThrow(new HostLogError('entry 1 is damaged'));
    expect(() => parseHostLog(JSON.stringify({ ...log, host: { cpus: 2, memoryBytes: Number.MAX_SAFE_INTEGER, swapBytes: 0 } }))).toThrow(HostLogError);
    expect(() => parseHostLog(JSON.stringify({ ...log, host: { cpus: 0, memoryBytes: 4 * 1024 ** 3, swapBytes: 0 } }))).toThrow(/1 to 1024 CPUs/);
  });
});
