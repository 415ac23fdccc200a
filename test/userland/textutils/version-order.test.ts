/**
 * sort -V's order (sort-version.ts) against the real GNU `sort -s -V` 9.1
 * (fixtures/sort-version-real.json, captured by fixtures/capture-textutils.py), and the
 * examples of the coreutils manual's "Version sort ordering" chapter.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { versionCompare, withoutSuffix } from '../../../src/userland/programs/textutils/sort-version.js';

const LISTS: { lines: string[]; sorted: string[] }[] = JSON.parse(readFileSync(new URL('./fixtures/sort-version-real.json', import.meta.url), 'utf8'));

/** A stable sort, as `sort -s` keeps input order among equals. */
function stableSort(lines: string[]): string[] {
  return lines
    .map((l, i) => [l, i] as const)
    .sort((a, b) => versionCompare(a[0], b[0]) || a[1] - b[1])
    .map(([l]) => l);
}

describe('version order', () => {
  test('agrees with sort -s -V on every captured list', () => {
    expect(LISTS.length).toBeGreaterThan(50);
    for (const { lines, sorted } of LISTS) expect(stableSort(lines)).toEqual(sorted);
  });

  test.each([
    [['a1', 'a120', 'a13', 'a2'], ['a1', 'a2', 'a13', 'a120']],
    [['8.10', '8.5', '8.1', '8.01', '8.010', '8.100', '8.49'], ['8.01', '8.1', '8.5', '8.010', '8.10', '8.49', '8.100']],
    [['1', '1%', '1.2', '1~', '~'], ['~', '1~', '1', '1%', '1.2']],
    [['a', '', 'b', '.', 'c', '..', '.d20', '.d3'], ['', '.', '..', '.d3', '.d20', 'a', 'b', 'c']],
    [['hello-8.2.txt', 'hello-8.txt'], ['hello-8.txt', 'hello-8.2.txt']],
    [['foo07.7z', 'foo7a.7z'], ['foo7a.7z', 'foo07.7z']],
    [['az', 'a%'], ['az', 'a%']],
  ])('the manual: %j', (input, want) => {
    // Plain sort -V: equal versions fall back to comparing the bytes.
    const bytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    expect([...input].sort((a, b) => versionCompare(a, b) || bytes(a, b))).toEqual(want);
  });

  test('file suffixes', () => {
    expect(withoutSuffix('hello-8.0.12.tar.gz')).toBe('hello-8.0.12');
    expect(withoutSuffix('gcc-c++-10.8.12-0.7rc2.fc9.tar.bz2')).toBe('gcc-c++-10.8.12-0.7rc2');
    expect(withoutSuffix('.autom4te.cfg')).toBe('');
    expect(withoutSuffix('hello-8.2')).toBe('hello-8.2');
  });

  test('numbers that differ only in leading zeros are equal', () => {
    expect(versionCompare('a01', 'a1')).toBe(0);
    expect(versionCompare('x.01', 'x.1')).toBe(0);
  });
});
