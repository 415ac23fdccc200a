/**
 * Property (issue 11, "Isolation fuzzing" on shared interfaces): containers on docker's
 * bridge (ctsim0) run random hostile network commands — their link down, another
 * container's address taken, the address flushed, eth0 deleted or moved to "PID 1"
 * (the host's init), a veth into the host, the default route through a neighbour,
 * iptables flushed, forwarding off, a new MAC, a bridge of their own, a tiny MTU, the
 * host's bridge, traffic to the host and the other containers.
 *
 *   c0  `ctsim run` with docker's default capabilities (no CAP_NET_ADMIN);
 *   c1  a network namespace owned by a user namespace (`unshare -U -r -n`), whose root
 *       has CAP_NET_ADMIN there, on the bridge through a veth the host made (vx);
 *   c2  a bystander, `ctsim run` too.
 *
 * Invariants, as on Linux (rtnetlink checks CAP_NET_ADMIN against the user namespace
 * that owns the network namespace, and a namespace sees and changes only its own
 * links): c0's every change is refused and its network stays as it was; c1 changes
 * only its own namespace (moving a link to the host's is refused); the host's links,
 * addresses, routes, iptables rules and forwarding stay exactly as they were — except
 * the host end of c1's veth, which loses its carrier while c1's end is down and goes
 * with it when c1 deletes it (veth(4); checked on this machine's kernel), and the
 * bridge, whose address is its ports' lowest, may change address then; c2's links,
 * addresses and routes stay as they were and the host still reaches it.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createHost, type Host } from '../../src/index.js';
import { defaultPrograms } from '../../src/userland/index.js';
import { planRun } from '../../src/runtime/run-plan.js';
import { applyEntry, type OutputSwitch } from '../../src/runtime/host-log.js';
import type { RunSpec } from '../../src/runtime/docker-run.js';
import { fuzzRuns } from '../fuzz/mutate.js';

const programs = new Set(defaultPrograms().all().map((s) => s.name));
const quiet: OutputSwitch = { live: false, stdout: () => {}, stderr: () => {} };

/** Commands a hostile container tries; $N is its number, $O another container's address. */
const ATTACKS = [
  'ip link set eth0 down',
  'ip link set eth0 up',
  'ip addr add $O/16 dev eth0',
  'ip addr flush dev eth0',
  'ip link del eth0',
  'ip link set eth0 netns 1',
  'ip link add x$N type veth peer name y$N netns 1',
  'ip route del default; ip route add default via $O',
  'iptables -F; iptables -t nat -F; iptables -P FORWARD DROP',
  'echo 0 > /proc/sys/net/ipv4/ip_forward',
  'ip link set eth0 address 02:42:ac:11:00:99',
  'ping -c 1 -W 1 172.17.0.1; ping -c 1 -W 1 $O',
  'ip link add br-evil type bridge && ip link set eth0 master br-evil',
  'ip link set eth0 mtu 100',
  'ip link set ctsim0 down',
];
/** Attacks that change nothing, or only try to reach the host's namespace. */
const HARMLESS = /^(ping|ip link set ctsim0)/;
const TO_HOST = /netns 1$/;

/** The host's network, one fact per line. */
const HOST_STATE = 'ip -o link | sed "s/ qlen [0-9]*//"; ip -o addr; ip route; iptables -S; iptables -t nat -S; cat /proc/sys/net/ipv4/ip_forward';
/** A container's own network, as seen from inside it. */
const OWN_STATE = 'ip -o link; ip -o addr; ip route';

function start(host: Host, i: number): string {
  const spec: RunSpec = { name: `c${i}`, image: 'busybox', network: 'bridge', publish: [], volumes: [], env: [], rm: false, detach: true, userns: false, cmd: ['sleep', '3600'] };
  const plan = planRun(spec, i, 1, programs);
  const r = applyEntry(host, { ...plan.entry, atNs: host.now }, (id) => plan.blobs.get(id)!.toString('latin1'), quiet);
  expect(r.status).toBe(0);
  return `runc exec c${i} sh -c`;
}

/** c1: a network namespace its user namespace's root administers, cabled to the bridge by the host. */
function startAdmin(host: Host): string {
  const r = host.sh(`unshare -U -r -n sleep 100000 > /dev/null 2>&1 & pid=$!; sleep 0.1
ip link add vx type veth peer name eth0 netns $pid && ip link set vx master ctsim0 up &&
nsenter -t $pid -U -n sh -c 'ip addr add 172.17.0.50/16 dev eth0 && ip link set eth0 up && ip link set lo up && ip route add default via 172.17.0.1' && echo $pid`);
  expect(r.stderr).toBe('');
  return `nsenter -t ${r.stdout.trim()} -U -n sh -c`;
}

const inside = (host: Host, enter: string, cmd: string) => host.sh(`${enter} '${cmd.replaceAll("'", "'\\''")}'`, { timeLimitNs: 5e9 });
const without = (state: string, re: RegExp) => state.split('\n').filter((l) => !re.test(l)).join('\n');

describe('isolation on a shared bridge', () => {
  test('property: a container changes only its own network namespace, and only with CAP_NET_ADMIN there', { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...ATTACKS), { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 2 }), fc.integer({ min: 1, max: 1000 }), (plans, seed) => {
        const host = createHost({ cpus: 2, seed });
        const enter = [start(host, 0), startAdmin(host), start(host, 2)];
        const addr = enter.map((e) => /inet (172\.17\.0\.\d+)\//.exec(inside(host, e, 'ip -o -4 addr show eth0').stdout)![1]);
        const hostBefore = host.sh(HOST_STATE).stdout;
        const ownBefore = enter.map((e) => inside(host, e, OWN_STATE).stdout);
        plans.forEach((plan, n) => {
          for (const a of plan) {
            const r = inside(host, enter[n], a.replaceAll('$N', String(n)).replaceAll('$O', addr[n === 0 ? 2 : 0]));
            if (HARMLESS.test(a)) continue;
            // Without CAP_NET_ADMIN nothing is allowed; with it, nothing towards the host's namespace.
            if (n === 0 || TO_HOST.test(a)) expect(r.stderr, a).toMatch(/Operation not permitted|Permission denied|Read-only file system|Cannot find device/);
          }
          // It sees its own links only (netlink answers from its namespace).
          const links = inside(host, enter[n], "ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' '").stdout.trim().split('\n');
          for (const l of links) expect(['lo', 'eth0', `x${n}`, 'br-evil'], l).toContain(l);
        });
        expect(inside(host, enter[0], OWN_STATE).stdout).toBe(ownBefore[0]);
        expect(inside(host, enter[2], OWN_STATE).stdout).toBe(ownBefore[2]);
        // The host: as it was, but for the host end of c1's veth.
        const eth0 = inside(host, enter[1], 'ip -o link show eth0').stdout;
        // A bridge whose address was never set takes its ports' lowest: losing vx may change it (br_stp_recalculate_bridge_id).
        const bridgeMac = (st: string) => (eth0 === '' ? st.replace(/(ctsim0: .*link\/ether )[0-9a-f:]+/, '$1any') : st);
        expect(bridgeMac(without(host.sh(HOST_STATE).stdout, /\bvx\b/))).toBe(bridgeMac(without(hostBefore, /\bvx\b/)));
        const vx = host.sh('ip -o link show vx 2>/dev/null').stdout;
        if (eth0 === '') expect(vx).toBe('');
        else expect(vx.includes('NO-CARRIER'), `${eth0}\n${vx}`).toBe(!/[<,]UP[,>]/.test(eth0));
        expect(host.sh(`ping -c 1 -W 1 ${addr[2]} > /dev/null && echo reached`).stdout).toBe('reached\n');
      }),
      { numRuns: Math.max(25, Math.ceil(fuzzRuns(0) / 200)) },
    );
  });

  test("with CAP_NET_ADMIN in its namespace a container does change its own links: the host's end sees only the carrier", () => {
    const host = createHost({ cpus: 2, seed: 1 });
    start(host, 0);
    const c1 = startAdmin(host);
    const before = host.sh('ip -o link show vx').stdout;
    expect(inside(host, c1, 'ip link set eth0 mtu 100 && ip link set eth0 down && ip -o link show eth0').stdout).toMatch(/eth0@if\d+: <BROADCAST,MULTICAST> mtu 100 /);
    const after = host.sh('ip -o link show vx').stdout;
    expect(after).toMatch(/vx@if\d+: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 .* state DOWN /);
    expect(before).toMatch(/<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 /);
    expect(inside(host, c1, 'ip link del eth0 && ip -o link | wc -l').stdout).toBe('1\n');
    expect(host.sh('ip -o link show vx').stderr).toBe('Device "vx" does not exist.\n');
  });
});
