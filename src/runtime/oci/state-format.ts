/**
 * What `runc state` and `runc list` print, byte for byte (runc state.go and list.go;
 * OCI-NOTES §3). Both print runc's `containerState` struct:
 *
 *   ociVersion, id, pid, status, bundle, rootfs, created, annotations (omitempty), owner
 *
 * - `state`: json.MarshalIndent(v, "", "  ") — two spaces, no trailing newline;
 *   `owner` is always "".
 * - `list -f json`: json.NewEncoder(os.Stdout).Encode(slice) — one compact line and
 *   "\n"; an empty list is a nil slice, so `null\n`.
 * - `list` (table): tabwriter(minwidth 12, padding 3, ' '), header
 *   `ID PID STATUS BUNDLE CREATED OWNER`, CREATED in RFC3339Nano.
 */
import { goEncoderLine, goJson, goMap, type GoJsonValue } from './go-json.js';
import { rfc3339Nano } from './rfc3339.js';
import { RUNC_TABWRITER, tabwrite } from './tabwriter.js';
import type { ContainerStatus } from './types.js';

/** One container as `runc state`/`list` report it (runc's `containerState`). */
export interface RuncState {
  /** The spec version runc was built with (`OCI_VERSION`), not the bundle's. */
  ociVersion: string;
  id: string;
  /** Host pid of the init process; 0 when stopped. */
  pid: number;
  status: ContainerStatus;
  /** Absolute bundle directory. */
  bundle: string;
  /** Absolute rootfs directory. */
  rootfs: string;
  /** Creation time, ns since the Unix epoch (printed as RFC3339Nano UTC). */
  createdNs: bigint | number;
  /** The config's annotations; omitted from the JSON when empty. */
  annotations?: Readonly<Record<string, string>>;
  /** Owner of the state directory: a user name, or `#uid` without one; "" in `state`. */
  owner: string;
}

/** The Go struct value for one state, fields in runc's declaration order. */
function toGo(s: RuncState): GoJsonValue {
  const annotations = s.annotations && Object.keys(s.annotations).length > 0 ? goMap(s.annotations) : undefined;
  return {
    ociVersion: s.ociVersion,
    id: s.id,
    pid: s.pid,
    status: s.status,
    bundle: s.bundle,
    rootfs: s.rootfs,
    created: rfc3339Nano(s.createdNs),
    annotations,
    owner: s.owner,
  };
}

/** `runc state <id>` output: indented JSON, no trailing newline. */
export function formatStateJson(state: RuncState): string {
  return goJson(toGo(state), '  ');
}

/** `runc list --format json` output: one line + "\n"; `null\n` when there are none. */
export function formatListJson(states: readonly RuncState[]): string {
  return goEncoderLine(states.length === 0 ? null : states.map(toGo));
}

/**
 * `runc list` (table) output. runc lists the state directory with os.ReadDir, so in
 * id order (byte-wise); pass the states in that order.
 */
export function formatListTable(states: readonly RuncState[]): string {
  let text = 'ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n';
  for (const s of states) {
    text += `${s.id}\t${s.pid}\t${s.status}\t${s.bundle}\t${rfc3339Nano(s.createdNs)}\t${s.owner}\n`;
  }
  return tabwrite(text, RUNC_TABWRITER);
}

/** `runc list -q`: the ids, one per line. */
export function formatListQuiet(states: readonly RuncState[]): string {
  return states.map((s) => `${s.id}\n`).join('');
}
