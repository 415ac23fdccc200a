/**
 * Runs every golden scenario in this folder (see README.md): a rule of Linux, its
 * source, a script, and the exact output and status a real Debian box gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createHost } from '../../src/index.js';
import { ExplainPresenter } from '../../src/report/explain.js';
import type { TraceCategory, TraceRecord } from '../../src/sim/trace.js';

const dir = dirname(fileURLToPath(import.meta.url));

interface Scenario {
  name: string;
  rule: string;
  source: string;
  host: { cpus?: number; seed?: number; memoryBytes?: number; swapBytes?: number; swapPolicy?: 'clock' | 'lru' | 'fifo' | 'rand' };
  status: number;
  script: string;
  stdout: string;
  stderr: string;
  /** What `ctsim sh --explain` adds on standard error, when the scenario says (null: not checked). */
  explain: string | null;
}

export function parseScenario(name: string, text: string): Scenario {
  const header: Record<string, string> = {};
  const sections: Record<string, string> = {};
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  let current: string | null = null;
  let noNewline = false;
  let buf: string[] = [];
  const flush = (): void => {
    if (current !== null) sections[current] = buf.length === 0 ? '' : buf.join('\n') + (noNewline ? '' : '\n');
  };
  for (const line of lines) {
    const m = /^--- (script|stdout|stderr|explain)( -n)?$/.exec(line);
    if (m) {
      flush();
      current = m[1];
      noNewline = m[2] !== undefined;
      buf = [];
      continue;
    }
    if (current === null) {
      const h = /^# (\w+): (.*)$/.exec(line);
      if (h) header[h[1].toLowerCase()] = h[2];
      continue;
    }
    buf.push(line);
  }
  flush();
  if (!header.rule || !header.source) throw new Error(`${name}: a scenario needs "# Rule:" and "# Source:" lines`);
  if (sections.script === undefined) throw new Error(`${name}: missing "--- script" section`);
  const host: Scenario['host'] = {};
  for (const kv of (header.host ?? '').split(/\s+/).filter(Boolean)) {
    const [k, v] = kv.split('=');
    if (k === 'cpus') host.cpus = Number(v);
    else if (k === 'seed') host.seed = Number(v);
    else if (k === 'memory') host.memoryBytes = Number(v);
    else if (k === 'swap') host.swapBytes = Number(v);
    else if (k === 'swap-policy') host.swapPolicy = v as Scenario['host']['swapPolicy'];
    else throw new Error(`${name}: unknown host setting ${k}`);
  }
  // The script section's last newline separates it from the next marker.
  const body = (s: string | undefined): string => (s === undefined ? '' : s);
  return {
    name,
    rule: header.rule,
    source: header.source,
    host,
    status: Number(header.status ?? 0),
    script: body(sections.script),
    stdout: body(sections.stdout),
    stderr: body(sections.stderr),
    explain: sections.explain ?? null,
  };
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.scenario'))
  .sort();

describe('golden shell scenarios', () => {
  test('the folder has scenarios', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    const sc = parseScenario(f, readFileSync(join(dir, f), 'utf8'));
    test(`${f}: ${sc.rule}`, () => {
      // With an explain section, explain mode is on as `ctsim sh --explain` has it.
      const presenter = sc.explain === null ? null : new ExplainPresenter({ boot: true });
      const explained: string[] = [];
      const trace = presenter ? { categories: ['explain', 'proc'] as TraceCategory[], sink: (rec: TraceRecord): void => void explained.push(...presenter.push(rec)) } : undefined;
      const host = createHost({ cpus: 2, seed: 1, ...sc.host, ...(trace ? { trace } : {}) });
      presenter?.markStart();
      const r = host.sh(Buffer.from(sc.script, 'utf8').toString('latin1'), { maxSteps: 20_000_000 });
      if (presenter) explained.push(...presenter.flush());
      expect({ stdout: r.stdout, stderr: r.stderr, status: r.status, ...(presenter ? { explain: explained.join('') } : {}) }).toEqual({
        stdout: Buffer.from(sc.stdout, 'utf8').toString('latin1'),
        stderr: Buffer.from(sc.stderr, 'utf8').toString('latin1'),
        status: sc.status,
        ...(sc.explain !== null ? { explain: sc.explain } : {}),
      });
    });
  }
});
