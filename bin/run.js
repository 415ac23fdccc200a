#!/usr/bin/env node
// The `ctsim` executable: hands the command line to oclif, which comes with the
// commands in the bundles of dist/bundle/ (built by `npm install` through `prepare`;
// see src/cli/start.ts).
import { createRequire } from 'node:module';

await createRequire(import.meta.url)('../dist/bundle/start.cjs').start(import.meta.url);
