/**
 * The virtual-memory teaching tools' public surface: page replacement (OSTEP ch. 22,
 * `ctsim mem replay`) and multi-level address translation (OSTEP ch. 20, `ctsim mem
 * translate`), as pure functions.
 */
export {
  CLOCK_DEFAULT_BITS,
  MAX_FRAMES,
  MAX_TRACE_ACCESSES,
  RANDOM_TRACE,
  REPLACEMENT_POLICIES,
  isReplacementPolicy,
  randomTrace,
  replay,
  replayTotals,
} from './replay.js';
export type { PageTrace, ReplacementPolicy, ReplayAccess, ReplayParams, ReplayResult, ReplayTotals } from './replay.js';
export { nextUses } from './resident-set.js';
export { ARCH_NAMES, ARCH_PRESETS, MAX_ADDRESS_BITS, MAX_LEVELS, archGeometry, canonicalAddress, customGeometry, geometryProblem, geometrySpecOf, isArchName } from './geometry.js';
export type { ArchName, EntryFormat, Geometry, GeometryProblem, GeometrySpec } from './geometry.js';
export { encodeEntry, pageTableDocument, parsePageTable, physicalFrames } from './page-table.js';
export type { PageTable, TableEntries } from './page-table.js';
export { bitField, splitAddress, translate } from './translate.js';
export type { Translation, WalkFault, WalkStep } from './translate.js';
export { GENERATED_MAX_FRAMES, GENERATED_REGIONS, GENERATED_REGION_PAGES, generatePageTable, sampleAddresses } from './generate-table.js';
export type { GeneratedRegion, GeneratedTable } from './generate-table.js';
