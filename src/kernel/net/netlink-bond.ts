/**
 * rtnetlink for bonds (drivers/net/bonding/bond_netlink.c and bond_options.c): the
 * IFLA_BOND_* options `ip link add|set … type bond` sends, the checks on enslaving,
 * and what RTM_GETLINK reports of a bond and of its slaves.
 */
import type { NetStack } from './stack.js';
import { LoopbackDevice, type NetDevice } from './netdev.js';
import { BOND_MODES, BondDevice, HASH_POLICIES, MODELLED_MODES, type HashPolicy } from './bond.js';
import { fail, type Fail } from './netlink.js';
import type { BondInfo, BondOptions, BondSlaveInfo } from './rtnl-abi.js';

/** bond_opt_error_interpret's extack messages. */
const HAS_SLAVES = 'unable to set option because the bond device has slaves';
const IS_UP = 'unable to set option because the bond is up';

/** A name or its number in `table` (bond_opt_parse), or null. */
function lookup<T extends string>(table: readonly T[], v: string): T | null {
  if (/^\d+$/.test(v)) return table[Number(v)] ?? null;
  return table.includes(v as T) ? (v as T) : null;
}

/**
 * Applies options in the driver's order (mode first). Mode changes need a bond that
 * is down and has no slaves (BOND_OPTFLAG_IFDOWN | NOSLAVES: EBUSY, ENOTEMPTY); lacp_rate
 * only exists in 802.3ad mode (EACCES) and needs the bond down.
 */
export function applyBondOptions(stack: NetStack, b: BondDevice, o: BondOptions): Fail | null {
  if (o.mode !== undefined) {
    const mode = lookup(BOND_MODES, o.mode);
    if (mode === null) return fail('EINVAL', `invalid mode "${o.mode}"`);
    if (mode !== b.mode) {
      if (!MODELLED_MODES.includes(mode)) return fail('EOPNOTSUPP', `ctsim does not model bonding mode ${mode}`);
      if (b.slaves.length > 0) return fail('ENOTEMPTY', HAS_SLAVES);
      if (b.adminUp) return fail('EBUSY', IS_UP);
      b.mode = mode;
    }
  }
  if (o.xmitHashPolicy !== undefined) {
    const p = lookup(HASH_POLICIES, o.xmitHashPolicy);
    if (p === null) return fail('EINVAL', `invalid xmit_hash_policy "${o.xmitHashPolicy}"`);
    b.xmitHashPolicy = p as HashPolicy;
  }
  if (o.lacpRate !== undefined) {
    const rate = lookup(['slow', 'fast'] as const, o.lacpRate);
    if (rate === null) return fail('EINVAL', `invalid lacp_rate "${o.lacpRate}"`);
    if (b.mode !== '802.3ad') return fail('EACCES', 'option not supported in mode');
    if (rate !== b.ad.lacpRate && b.adminUp) return fail('EBUSY', IS_UP);
    b.ad.lacpRate = rate;
  }
  if (o.adSelect !== undefined && lookup(['stable', 'bandwidth', 'count'] as const, o.adSelect) !== 'stable') {
    return fail('EOPNOTSUPP', 'ctsim models ad_select stable only');
  }
  if (o.miimon !== undefined) {
    // The delays are kept as a number of polls: their value in ms follows miimon.
    b.miimon = o.miimon;
    b.stopMii(stack);
    b.armMii(stack);
  }
  // updelay and downdelay are rounded down to a multiple of miimon (_bond_option_delay_set),
  // and need MII monitoring.
  for (const [key, v] of [['updelay', o.updelay], ['downdelay', o.downdelay]] as const) {
    if (v === undefined) continue;
    if (b.miimon === 0) return fail('EPERM', `unable to set ${key} as MII monitoring is disabled`);
    b[key] = Math.floor(v / b.miimon);
  }
  if (o.minLinks !== undefined) {
    b.minLinks = o.minLinks;
    b.linkChanged(stack);
  }
  return null;
}

/** bond_enslave's refusals, before anything changes (the device has left any other master). */
export function enslaveCheck(d: NetDevice, b: BondDevice): Fail | null {
  if (d === b) return fail('EPERM', 'Cannot enslave bond to itself.');
  if (d instanceof LoopbackDevice) return fail('EINVAL', 'Can not enslave loopback device');
  if (d.adminUp) return fail('EPERM', 'Device can not be enslaved while up');
  return null;
}

export function bondInfo(b: BondDevice): BondInfo {
  const info: BondInfo = {
    mode: b.mode,
    miimon: b.miimon,
    updelay: b.updelay * b.miimon,
    downdelay: b.downdelay * b.miimon,
    xmitHashPolicy: b.xmitHashPolicy,
    minLinks: b.minLinks,
    lacpRate: b.ad.lacpRate,
  };
  const id = b.ad.active;
  if (b.mode === '802.3ad' && id !== null) {
    const m = b.ad.members(id);
    if (m.length > 0) info.ad = { aggregator: id, numPorts: m.length, actorKey: b.ad.key(m[0]), partnerKey: m[0].partner.key, partnerMac: m[0].partner.system };
  }
  return info;
}

const MII: Record<string, BondSlaveInfo['miiStatus']> = { up: 'UP', down: 'DOWN', 'going-down': 'GOING_DOWN', 'going-up': 'GOING_BACK' };

export function bondSlaveInfo(b: BondDevice, d: NetDevice): BondSlaveInfo | undefined {
  const s = b.slaveOf(d);
  if (!s) return undefined;
  const info: BondSlaveInfo = {
    state: b.collects(s) ? 'ACTIVE' : 'BACKUP',
    miiStatus: MII[s.link],
    linkFailureCount: s.linkFailureCount,
    permHwaddr: s.permMac,
  };
  if (s.port) {
    info.aggregatorId = s.port.aggregator;
    info.actorState = b.ad.actorState(s.port);
    info.partnerState = s.port.partner.state;
  }
  return info;
}
