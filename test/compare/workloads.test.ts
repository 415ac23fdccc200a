/**
 * The built-in workload kinds are shell scripts of ctsim's own programs: each runs on
 * a plain host with status 0, and doing more of it takes more simulated time.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { workloadNeeds, workloadScript, WORKLOAD_DEFAULTS } from '../../src/compare/workloads.js';
import type { ScenarioWorkload } from '../../src/compare/scenario.js';

const kinds = Object.keys(WORKLOAD_DEFAULTS) as Exclude<ScenarioWorkload['kind'], 'script'>[];
const wl = (kind: ScenarioWorkload['kind'], ops: number | null = null): ScenarioWorkload => ({ name: kind, kind, script: null, ops, sizeBytes: null });

describe('workload kinds', () => {
  it('each runs natively with status 0, and twice the operations take longer', () => {
    const host = createHost({ disks: [64 * 1024 * 1024] });
    host.sh('mkdir -p /www && echo hi > /www/index.html && dd if=/dev/zero of=/www/bulk-1048576 bs=1M count=1 2>/dev/null && httpd -p 8080 -h /www');
    const env = ['CTSIM_PEER=127.0.0.1:8080', 'CTSIM_DISK=/dev/sda'];
    for (const kind of kinds) {
      const once = host.sh(workloadScript(wl(kind)), { env: [...env, 'PATH=/usr/sbin:/usr/bin:/sbin:/bin'] });
      expect({ kind, status: once.status, stderr: once.stderr }).toEqual({ kind, status: 0, stderr: '' });
      // One transfer is one transfer.
      if (kind === 'net-bulk') continue;
      const twice = host.sh(workloadScript(wl(kind, 2 * WORKLOAD_DEFAULTS[kind].ops)), { env: [...env, 'PATH=/usr/sbin:/usr/bin:/sbin:/bin'] });
      expect({ kind, status: twice.status }).toEqual({ kind, status: 0 });
      expect({ kind, longer: twice.elapsedNs > once.elapsedNs * 1.3 }).toEqual({ kind, longer: true });
    }
  });

  it('a script is itself; the network and disk kinds say what they need', () => {
    expect(workloadScript({ name: 's', kind: 'script', script: 'echo hi', ops: null, sizeBytes: null })).toBe('echo hi');
    expect(workloadNeeds(wl('net-rr'))).toEqual(['CTSIM_PEER']);
    expect(workloadNeeds(wl('disk'))).toEqual(['CTSIM_DISK']);
    expect(workloadNeeds(wl('cpu'))).toEqual([]);
  });
});
