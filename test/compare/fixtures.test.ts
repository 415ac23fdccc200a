/**
 * Every scenario shipped under fixtures/scenarios/ runs, and every claim it carries —
 * each a published finding with its source in the file — holds. The default one is
 * what `ctsim compare` runs with no argument (VIRT-FIGURES §1–§6).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parseScenario } from '../../src/compare/scenario.js';
import { runCompare } from '../../src/compare/runner.js';

const DIR = 'fixtures/scenarios';
const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json'));

describe('the scenarios ctsim ships', () => {
  it('include the default one', () => {
    expect(files).toContain('default.yaml');
  });

  for (const f of files) {
    it(`${f}: runs, and every claim it makes holds`, () => {
      const text = readFileSync(`${DIR}/${f}`, 'utf8');
      const s = parseScenario(text, `${DIR}/${f}`);
      expect(s.expect.length, 'a shipped scenario says what it shows').toBeGreaterThan(0);
      expect(s.expect.every((e) => e.source.length > 0)).toBe(true);
      const report = runCompare(s, { name: f, text }, { ctsim: 'ctsim test' });
      for (const v of report.variants) {
        const failed = v.checks.filter((c) => !c.holds).map((c) => `${v.label}: ${c.claim}: ${c.detail}`);
        expect(failed).toEqual([]);
        expect(v.checks).toHaveLength(s.expect.length);
      }
    }, 120_000);
  }
});
