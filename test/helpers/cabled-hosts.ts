/**
 * Two hosts of one simulation with three physical NICs each, eth1–eth1 and eth2–eth2
 * cabled together (the links a bond or a teamed switch uplink runs over).
 */
import { createHost, type Host } from '../../src/host.js';
import { Engine } from '../../src/sim/engine.js';

export function cabledHosts(a = 'a', b = 'b'): { a: Host; b: Host; engine: Engine } {
  const engine = new Engine(1);
  const ha = createHost({ engine, machineName: a, hostname: a, nics: 3 });
  const hb = createHost({ engine, machineName: b, hostname: b, nics: 3 });
  ha.plug('eth1', hb, 'eth1');
  ha.plug('eth2', hb, 'eth2');
  return { a: ha, b: hb, engine };
}
