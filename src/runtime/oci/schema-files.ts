/**
 * Loads the official OCI runtime-spec JSON Schemas that ship with ctsim under
 * `fixtures/oci-runtime-spec/schema/` (runtime-spec v1.3.0 plus two post-release
 * fixes; see that folder's README). This is the only file of `runtime/oci` that
 * touches the filesystem: it reads package data, never simulated state.
 *
 * Found from the package root (sim/fixtures.ts), so it works from `src/` (tests),
 * `dist/` and the CLI's bundles alike.
 */
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../sim/fixtures.js';

/** Every schema file, by the name other files `$ref` it with (the schemas have no `$id`). */
export const SCHEMA_FILES = [
  'defs.json',
  'defs-linux.json',
  'defs-windows.json',
  'defs-vm.json',
  'defs-zos.json',
  'defs-freebsd.json',
  'config-linux.json',
  'config-solaris.json',
  'config-windows.json',
  'config-vm.json',
  'config-zos.json',
  'config-freebsd.json',
  'config-schema.json',
  'state-schema.json',
  'features-linux.json',
  'features-schema.json',
] as const;

export type SchemaFileName = (typeof SCHEMA_FILES)[number];

/** Reads and parses one shipped schema file. */
export function readSchemaFile(name: SchemaFileName): unknown {
  return JSON.parse(readFileSync(fixturePath(`oci-runtime-spec/schema/${name}`), 'utf8'));
}
