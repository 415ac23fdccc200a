/**
 * The OCI runtime layer's pure half: the config.json / state / process.json formats
 * of the OCI runtime-spec (v1.3.0), validation against the official schemas plus the
 * rules runc enforces, and runc's output formats byte for byte. No kernel, no clock,
 * no filesystem beyond reading the shipped schema files. See README.md.
 */
export { OCI_VERSION, NAMESPACE_CLONE_FLAG } from './types.js';
export type {
  ContainerStatus,
  IdMapping,
  OciCapabilities,
  OciConfig,
  OciCpu,
  OciDeviceCgroup,
  OciHook,
  OciHooks,
  OciLinux,
  OciMemory,
  OciMount,
  OciNamespace,
  OciNamespaceType,
  OciPids,
  OciProcess,
  OciResources,
  OciRlimit,
  OciRoot,
  OciState,
  OciUser,
} from './types.js';

export { describeValue, formatConfigIssue, formatJsonPath, pointerToSegments, ROOT_PATH } from './config-issue.js';
export { TYPE_WORDS } from './schema-validator.js';
export type { ConfigIssue, PathSegment } from './config-issue.js';
export { checkStartable, loadConfigText, parseConfigText, validateConfig, validateProcess, validateState } from './validate-config.js';
export type { ConfigValidation, ParsedJson, ProcessValidation, StateValidation } from './validate-config.js';
export type { ConfigRuleOptions } from './config-rules.js';
export { CAPABILITY_NAMES, RLIMIT_TYPES, isAbsolutePath } from './process-rules.js';
export { findJsonSyntaxError } from './json-syntax.js';
export type { JsonSyntaxError } from './json-syntax.js';

export { resourcesToCgroupFiles, sharesToWeight, sharesToWeightLinear, swapToCgroupV2 } from './cgroup-resources.js';
export type { CgroupMapping, CgroupWrite } from './cgroup-resources.js';

export { formatRuncSpec, runcDefaultSpec } from './runc-spec.js';
export type { RuncSpecOptions } from './runc-spec.js';
export { formatListJson, formatListQuiet, formatListTable, formatStateJson } from './state-format.js';
export type { RuncState } from './state-format.js';
export { formatEventsStats, formatOomEvent, statsData } from './events-stats.js';
export type { StatsInput } from './events-stats.js';
export { rfc3339Nano } from './rfc3339.js';
export { goEncoderLine, goJson, goQuote } from './go-json.js';
export type { GoJsonValue } from './go-json.js';
export { RUNC_TABWRITER, tabwrite } from './tabwriter.js';
export type { TabwriterOptions } from './tabwriter.js';

export { INVALID_CONTAINER_ID, isValidContainerId } from './container-id.js';
export { SIGNAL_NUMBERS, parseSignal, signalName } from './signals.js';
