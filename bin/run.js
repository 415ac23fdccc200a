#!/usr/bin/env node
// The `ctsim` executable: hands the command line to oclif, which loads the
// compiled commands from dist/ (built by `npm install` through `prepare`).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
