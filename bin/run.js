#!/usr/bin/env node
// The `ctsim` executable: hands the command line to oclif, which comes with the
// commands in the bundles of dist/bundle/ (built by `npm install` through `prepare`,
// or `npm run build`; see src/cli/start.ts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const start = fileURLToPath(new URL('../dist/bundle/start.cjs', import.meta.url));
if (!existsSync(start)) {
  process.stderr.write('ctsim: dist/bundle/ is missing: build ctsim first (npm run build)\n');
  process.exit(70);
}
await createRequire(import.meta.url)(start).start(import.meta.url);
