import { describe, expect, test } from 'vitest';
import Features from '../../src/commands/features.js';
import { runCli } from '../helpers/cli.js';
import { features } from '../../src/features.js';
import { NR } from '../../src/kernel/syscalls/numbers.js';
import { SYSCALL_TABLE } from '../../src/kernel/syscalls/dispatch.js';

describe('ctsim features', () => {
  test('--json lists every known system call with its support level', async () => {
    const r = await runCli(Features, ['--area', 'syscall', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as { features: { name: string; level: string }[] };
    expect(doc.features.length).toBe(Object.keys(NR).length);
    const byName = new Map(doc.features.map((f) => [f.name.split(' ')[0], f.level]));
    expect(byName.get('read')).toBe('full');
    expect(byName.get('clone')).toBe('partial');
    expect(byName.get('mmap')).toBe('partial');
    expect(byName.get('brk')).toBe('full');
  });

  test('a call without a handler is never listed as supported', () => {
    for (const f of features().filter((x) => x.area === 'syscall')) {
      const name = f.name.split(' ')[0] as keyof typeof NR;
      const has = SYSCALL_TABLE[NR[name]] !== undefined;
      expect(f.level === 'none', `${name}`).toBe(!has);
    }
  });

  test('an unknown area is a usage error (exit 2)', async () => {
    const r = await runCli(Features, ['--area', 'gpu']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--area');
  });
});
