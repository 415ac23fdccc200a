import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine.js';
import { PhysicalMemory } from '../../src/hw/physical-memory.js';
import { DirectBacking } from '../../src/hypervisor/backing.js';
import { DedicatedCpus } from '../../src/hypervisor/virtual-machine.js';
import { bootVm } from '../../src/hypervisor/vm.js';
import { parseVmConfig } from '../../src/hypervisor/vm-config.js';
import { defaultPrograms } from '../../src/userland/index.js';
import { DEFAULT_BOOT_EPOCH_NS } from '../../src/host.js';

function vm(cpu: string, mem: string) {
  const engine = new Engine(1);
  const cfg = parseVmConfig({ 'machine-config': { vcpu_count: 1, mem_size_mib: 64 }, 'boot-source': { kernel_image_path: 'vmlinux' }, 'cpu-virt': cpu, 'mem-virt': mem }, 't.json', { name: 'g1' });
  const v = bootVm(engine, cfg, new DirectBacking(new PhysicalMemory(1024 ** 3), 7), { programs: defaultPrograms(), bootEpochNs: DEFAULT_BOOT_EPOCH_NS, boot: { firmwareNs: 0, kernelNs: 0, initNs: 0 } });
  v.machine.start(new DedicatedCpus());
  return v;
}

describe('a guest on a VM', () => {
  for (const [c, m] of [['hw', 'nested'], ['hw', 'shadow'], ['bt', 'shadow'], ['pv', 'shadow'], ['pv', 'nested']]) {
    it(`runs the same shell under ${c}+${m}`, () => {
      const v = vm(c, m);
      const r = v.sh('echo hi | cat; x=0; while [ $x -lt 5 ]; do x=$((x+1)); done; echo $x; /bin/true; uname -n');
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('hi\n5\ng1\n');
      expect(r.status).toBe(0);
    });
  }
});
