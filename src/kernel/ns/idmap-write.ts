/**
 * Writing /proc/PID/uid_map and gid_map (user_namespaces(7) "Defining user and group
 * ID mappings"), in the order the kernel checks (map_write):
 *
 *   1. the writer is in the namespace or its parent, else EPERM
 *   2. the map is written once: a second write is EPERM (USER-03); the writer needs
 *      CAP_SYS_ADMIN in the namespace
 *   3. each line is "inside outside count" with count > 0, at most 340 lines, no
 *      overlapping ranges on either side, else EINVAL (USER-04)
 *   4. permission (new_idmap_permitted): CAP_SETUID/CAP_SETGID in the parent namespace
 *      for any map; without it only one line mapping the writer's own euid/egid with
 *      count 1 by the namespace's owner — for gid_map only after setgroups "deny"
 *      (USER-05, USER-06); mapping the parent's UID 0 also needs CAP_SETFCAP (USER-14)
 *   5. every outside ID must be mapped in the parent namespace, else EPERM
 */
import { err, SysError } from '../errno.js';
import type { Creds } from '../proc/creds.js';
import { CAP, nsCapable, capMissing } from './capabilities.js';
import { IdMap, MAX_MAP_LINES, type IdExtent, type UserNamespace } from './user-ns.js';

const U32_MAX = 4294967295;

function parseMap(text: string): IdExtent[] | SysError {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return err('EINVAL', 'the map is empty');
  if (lines.length > MAX_MAP_LINES) return err('EINVAL', `a map has at most ${MAX_MAP_LINES} lines`);
  const out: IdExtent[] = [];
  for (const line of lines) {
    const f = line.trim().split(/[ \t]+/);
    if (f.length !== 3 || !f.every((x) => /^\d+$/.test(x))) return err('EINVAL', `"${line}" is not "ID-inside-ns ID-outside-ns length"`);
    const [first, lowerFirst, count] = f.map(Number);
    if (count === 0 || first + count - 1 > U32_MAX - 1 || lowerFirst + count - 1 > U32_MAX - 1) return err('EINVAL', `"${line}": the length must be positive and the ranges must fit below 4294967295`);
    for (const e of out) {
      const overlap = (a: number, b: number): boolean => a < b + e.count && b < a + count;
      if (overlap(first, e.first) || overlap(lowerFirst, e.lowerFirst)) return err('EINVAL', `"${line}" overlaps an earlier line`);
    }
    out.push({ first, lowerFirst, count, kfirst: -1 });
  }
  return out;
}

export function writeIdMap(ns: UserNamespace, kind: 'uid' | 'gid', writer: Creds, text: string): number | SysError {
  const parent = ns.parent;
  if (!parent) return err('EPERM', 'the initial user namespace\'s maps are fixed');
  if (writer.userNs !== ns && writer.userNs !== parent) return err('EPERM', 'the writer must be in the user namespace or its parent');
  if ((kind === 'uid' ? ns.uidMap : ns.gidMap) !== null) return err('EPERM', `${kind}_map can be written only once (USER-03)`);
  if (!nsCapable(writer, ns, CAP.SYS_ADMIN)) return err('EPERM', `writing ${kind}_map needs CAP_SYS_ADMIN in the user namespace` + '; ' + capMissing(writer, ns, CAP.SYS_ADMIN));
  const extents = parseMap(text);
  if (extents instanceof SysError) return extents;
  const toParent = (id: number): number => (kind === 'uid' ? parent.kuid(id) : parent.kgid(id));

  const cap = kind === 'uid' ? CAP.SETUID : CAP.SETGID;
  // Mapping the parent's UID 0 needs CAP_SETFCAP (USER-14).
  if (kind === 'uid' && extents.some((e) => e.lowerFirst <= 0 && 0 < e.lowerFirst + e.count)) {
    const ok = writer.userNs === parent ? nsCapable(writer, parent, CAP.SETFCAP) : ns.creatorHadSetfcap;
    if (!ok) return err('EPERM', 'mapping UID 0 of the parent namespace needs CAP_SETFCAP (USER-14)');
  }
  const self = extents.length === 1 && extents[0].count === 1 && ns.ownerUid === writer.euid;
  let permitted: boolean;
  if (self && kind === 'uid' && toParent(extents[0].lowerFirst) === writer.euid) permitted = true;
  else if (self && kind === 'gid' && toParent(extents[0].lowerFirst) === writer.egid && !ns.setgroupsAllowed) permitted = true;
  else permitted = nsCapable(writer, parent, cap);
  if (!permitted) {
    const why = kind === 'gid' && self && ns.setgroupsAllowed ? ' (write "deny" to /proc/PID/setgroups first, USER-06)' : '';
    return err('EPERM', `without CAP_SET${kind.toUpperCase()} in the parent namespace only a single line mapping the writer's own ${kind === 'uid' ? 'euid' : 'egid'} may be written${why}`);
  }
  // Each range must lie inside one extent of the parent's map (map_id_range_down).
  const parentMap = kind === 'uid' ? parent.uidMap : parent.gidMap;
  for (const e of extents) {
    const pe = parentMap?.extents.find((p) => e.lowerFirst >= p.first && e.lowerFirst + e.count <= p.first + p.count);
    if (!pe) return err('EPERM', `outside IDs ${e.lowerFirst}..${e.lowerFirst + e.count - 1} are not mapped in the parent namespace`);
    e.kfirst = pe.kfirst + (e.lowerFirst - pe.first);
  }
  if (kind === 'uid') ns.uidMap = new IdMap(extents);
  else ns.gidMap = new IdMap(extents);
  return text.length;
}

/** /proc/PID/setgroups writes: "deny" before gid_map is written, never back to "allow" (USER-06). */
export function writeSetgroups(ns: UserNamespace, writer: Creds, text: string): number | SysError {
  const v = text.trim();
  if (v !== 'allow' && v !== 'deny') return err('EINVAL', 'write "allow" or "deny"');
  if (v === 'allow') {
    if (!ns.setgroupsAllowed) return err('EPERM', 'setgroups cannot be allowed again once denied (USER-06)');
  } else {
    if (ns.gidMap !== null && ns.setgroupsAllowed) return err('EPERM', 'setgroups cannot be denied after gid_map was written');
    ns.setgroupsAllowed = false;
  }
  return text.length;
}

/** The text of uid_map/gid_map for a reader in `reader`: outside IDs as the reader (or, inside, the parent) sees them. */
export function renderIdMap(ns: UserNamespace, kind: 'uid' | 'gid', reader: UserNamespace): string {
  const map = kind === 'uid' ? ns.uidMap : ns.gidMap;
  if (!map) return '';
  const lower = reader === ns && ns.parent ? ns.parent : reader;
  const lmap = kind === 'uid' ? lower.uidMap : lower.gidMap;
  return map.render((e) => {
    const v = lmap ? lmap.up(e.kfirst) : -1;
    return v < 0 ? U32_MAX : v;
  });
}
