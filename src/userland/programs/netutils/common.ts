/**
 * What `ip` and `bridge` share, as iproute2's lib/ does: one rtnetlink request and
 * its error report (libnetlink.c rtnl_talk: "Error: MSG." from the extended ack, else
 * "RTNETLINK answers: strerror"), the table of links that names are resolved
 * against (ll_map.c), the names of network namespaces under /run/netns and their
 * nsids (ipnetns.c), and switching to a named namespace (namespace.c netns_switch).
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import type { LinkInfo, RtnlReply, RtnlRequest } from '../../../kernel/net/rtnl-abi.js';
import { CLONE_NEWNET, CLONE_NEWNS } from '../../../kernel/syscalls/abi.js';
import { MNT_DETACH, MS_REC, MS_SLAVE } from '../../../kernel/syscalls/sys-mount.js';
import { O_CLOEXEC, O_DIRECTORY, O_RDONLY } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { rtnl } from '../../lib/rtnl.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import type { LinkView } from './format-link.js';
import { rtnlErrorText } from './rtnl-error.js';

export type Gen<T> = Generator<Op, T, unknown>;
export type RtnlOk = Extract<RtnlReply, { ok: true }>;

/** Where `ip netns add` binds namespaces (NETNS_RUN_DIR). */
export const NETNS_RUN_DIR = '/run/netns';

/** The options before the object (ip.c main / bridge.c main). */
export interface GlobalOptions {
  /** -4, -6, -0 (link), or -f FAMILY. */
  family?: 'inet' | 'inet6' | 'link' | 'bridge';
  brief: boolean;
  stats: number;
  details: number;
  oneline: boolean;
  json: boolean;
  pretty: boolean;
  all: boolean;
}

/** iproute2's matches(word, keyword): `word` is a prefix of `keyword` (so "l" and "li" name link). */
export function matches(word: string, keyword: string): boolean {
  return keyword.startsWith(word);
}

/** Prints `msg` on stderr and returns `status`. */
export function* fail(msg: string, status: number): Gen<number> {
  yield* errOut(msg);
  return status;
}

/** invarg(): 'Error: argument "ARG" is wrong: MSG' and exit(-1). `msg` often ends in its own newline. */
export function* invarg(msg: string, arg: string): Gen<number> {
  return yield* fail(`Error: argument "${arg}" is wrong: ${msg}\n`, 255);
}

/** Writes `text` to standard output; 1 if that fails. */
export function* writeOut(text: string): Gen<number> {
  const out = new OutBuffer(1);
  yield* out.write(text);
  return (yield* out.flush()) ? 1 : 0;
}

/**
 * Sends one request. The kernel's refusal is reported and `failStatus` returned (ip
 * exits 2 after rtnl_talk fails, bridge 255); a socket that cannot be opened is 1.
 */
export function* talk(req: RtnlRequest, failStatus = 2): Gen<RtnlOk | number> {
  const r = yield* rtnl(req);
  if (r instanceof SysError) return yield* fail(`Cannot open netlink socket: ${r.message}\n`, 1);
  if (!r.ok) return yield* fail(rtnlErrorText(r), failStatus);
  return r;
}

/** The links of this namespace, by name and index (iproute2's ll_map cache). */
export class Links {
  readonly byIndex = new Map<number, LinkInfo>();
  private readonly byName = new Map<string, LinkInfo>();

  constructor(readonly list: LinkInfo[]) {
    for (const l of list) {
      this.byIndex.set(l.ifindex, l);
      this.byName.set(l.name, l);
    }
  }

  named(name: string): LinkInfo | undefined {
    return this.byName.get(name);
  }

  /** ll_index_to_name: the name, or "ifN" for an index not known here. */
  nameOf(ifindex: number): string {
    return this.byIndex.get(ifindex)?.name ?? `if${ifindex}`;
  }
}

/**
 * Dumps the links (RTM_GETLINK); a failure is reported and its status returned. With
 * `names` (the words of a command line), only the links so named and those they point
 * to: enough for every lookup of a name the command was given (see RtnlRequest).
 */
export function* loadLinks(failStatus = 2, names?: string[]): Gen<Links | number> {
  const r = yield* talk(names ? { op: 'getlink', names } : { op: 'getlink' }, failStatus);
  if (typeof r === 'number') return r;
  return new Links(r.links ?? []);
}

/**
 * The names under /run/netns in the order `ip netns list` shows them. Linux's tmpfs
 * lists a directory newest first; ctsim's simfs lists it in creation order, so the
 * order is reversed here to show what a Debian host shows.
 */
export function* netnsNames(): Gen<string[]> {
  const fd = yield* sys.open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY);
  if (fd instanceof SysError) return [];
  const ents = yield* sys.getdents(fd);
  yield* sys.close(fd);
  if (ents instanceof SysError) return [];
  return ents.filter((e) => e.name !== '.' && e.name !== '..').map((e) => e.name).reverse();
}

/** The nsid this namespace gives the namespace bound at /run/netns/NAME (RTM_GETNSID), or -1. */
export function* nsidOf(name: string): Gen<number> {
  const fd = yield* sys.open(`${NETNS_RUN_DIR}/${name}`, O_RDONLY | O_CLOEXEC);
  if (fd instanceof SysError) return -1;
  const r = yield* rtnl({ op: 'getnsid', netnsFd: fd });
  yield* sys.close(fd);
  return r instanceof SysError || !r.ok || r.nsid === undefined ? -1 : r.nsid;
}

/** nsid → /run/netns name, for " link-netns NAME" (ipnetns.c netns_map_init). */
export function* nsidNames(): Gen<Map<number, string>> {
  const map = new Map<number, string>();
  for (const name of yield* netnsNames()) {
    const id = yield* nsidOf(name);
    if (id >= 0 && !map.has(id)) map.set(id, name);
  }
  return map;
}

/** The view link records are printed with. */
export function linkView(links: Links, names: Map<number, string>, o: GlobalOptions, showLinkLayer: boolean): LinkView {
  return { byIndex: links.byIndex, nsName: (id) => names.get(id), details: o.details, stats: o.stats, oneline: o.oneline, showLinkLayer };
}

/**
 * netns_switch(): join the network namespace bound at /run/netns/NAME, then a private
 * mount namespace (slave to the old one) with a /sys that shows the new network
 * namespace. Reports failures as iproute2 does; returns false on failure.
 */
export function* netnsSwitch(name: string): Gen<boolean> {
  const fd = yield* sys.open(`${NETNS_RUN_DIR}/${name}`, O_RDONLY | O_CLOEXEC);
  if (fd instanceof SysError) {
    yield* errOut(`Cannot open network namespace "${name}": ${fd.message}\n`);
    return false;
  }
  const s = yield* sys.setns(fd, CLONE_NEWNET);
  yield* sys.close(fd);
  if (s instanceof SysError) {
    yield* errOut(`setting the network namespace "${name}" failed: ${s.message}\n`);
    return false;
  }
  const u = yield* sys.unshare(CLONE_NEWNS);
  if (u instanceof SysError) {
    yield* errOut(`unshare failed: ${u.message}\n`);
    return false;
  }
  const m = yield* sys.mount('', '/', 'none', MS_SLAVE | MS_REC);
  if (m instanceof SysError) {
    yield* errOut(`"mount --make-rslave /" failed: ${m.message}\n`);
    return false;
  }
  // A /sys that cannot be unmounted is simply overlaid (iproute2 ignores the error).
  yield* sys.umount2('/sys', MNT_DETACH);
  const sysfs = yield* sys.mount(name, '/sys', 'sysfs', 0);
  if (sysfs instanceof SysError) {
    yield* errOut(`mount of /sys failed: ${sysfs.message}\n`);
    return false;
  }
  return true;
}
