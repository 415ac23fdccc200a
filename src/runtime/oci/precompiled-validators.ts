/**
 * The OCI schema validators compiled ahead of time, or null here. Ajv turns the
 * schemas into JavaScript on first use, and for config-schema.json that is most of a
 * quarter of a second — a large part of a `ctsim run`. The CLI's bundle has, in place of
 * this module, the one `precompiledModuleSource` writes: Ajv's standalone code for the
 * same schemas and options, with PRECOMPILED set (scripts/bundle.js). So the CLI
 * validates without compiling, and the library and the tests compile on first use;
 * either way the validators are the code Ajv generates for these schemas.
 */
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { ValidateFunction } from 'ajv';
import { ENTRY_REF, ociAjv, type SchemaEntry } from './schema-validator.js';

type StandaloneCode = typeof standaloneModule.default;
// CommonJS with `exports.default`, as ajv-draft-04 (see schema-validator.ts).
const standaloneCode: StandaloneCode = ((standaloneModule as unknown as { default?: StandaloneCode }).default ?? standaloneModule) as StandaloneCode;

export const PRECOMPILED: Readonly<Record<SchemaEntry, ValidateFunction>> | null = null;

/** The text of this module as the CLI's bundle has it: an ES module that exports PRECOMPILED, set. */
export function precompiledModuleSource(): string {
  const ajv = ociAjv({ source: true, esm: true });
  const entries = Object.keys(ENTRY_REF) as SchemaEntry[];
  const code = standaloneCode(ajv, Object.fromEntries(entries.map((e) => [`validate_${e}`, ENTRY_REF[e]])));
  return `${code}\nexport const PRECOMPILED = { ${entries.map((e) => `${e}: validate_${e}`).join(', ')} };\n`;
}
