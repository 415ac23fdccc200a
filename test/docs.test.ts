/** The generated docs stay true to the code. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { FEATURE_AREAS, features } from '../src/features.js';
import { renderFeaturesMarkdown } from '../src/report/features-report.js';

test('docs/FEATURES.md is what `ctsim features --markdown` prints (run `npm run docs` after changing features)', () => {
  const onDisk = readFileSync(new URL('../docs/FEATURES.md', import.meta.url), 'utf8');
  expect(onDisk).toBe(renderFeaturesMarkdown(features(), FEATURE_AREAS));
});
