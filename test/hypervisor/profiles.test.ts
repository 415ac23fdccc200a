import { describe, expect, it } from 'vitest';
import { findProfile, PROFILES } from '../../src/hypervisor/profiles.js';

const MS = 1_000_000;
const MIB = 1024 * 1024;

describe('PROFILES', () => {
  it('lists the seven presets in order, each name once', () => {
    expect(PROFILES.map((p) => p.name)).toEqual(['kvm', 'firecracker', 'esxi', 'vmware-2006', 'xen-pv', 'virtualbox', 'hyperv']);
  });

  it('gives each product its hypervisor type, virtualization, NIC model and MAC prefix', () => {
    const facts = PROFILES.map((p) => [p.name, p.hypervisorType, p.cpuVirt, p.memVirt, p.nicModel, p.macOui]);
    expect(facts).toEqual([
      ['kvm', 2, 'hw', 'nested', 'virtio', '52:54:00'],
      ['firecracker', 2, 'hw', 'nested', 'virtio', 'aa:fc:00'],
      ['esxi', 1, 'hw', 'nested', 'e1000', '00:50:56'],
      ['vmware-2006', 2, 'bt', 'shadow', 'e1000', '00:0c:29'],
      ['xen-pv', 1, 'pv', 'shadow', 'virtio', '00:16:3e'],
      ['virtualbox', 2, 'hw', 'nested', 'e1000', '08:00:27'],
      ['hyperv', 1, 'hw', 'nested', 'virtio', '00:15:5d'],
    ]);
  });

  it('has lower-case unicast OUIs and never pairs binary translation with nested paging', () => {
    for (const p of PROFILES) {
      expect(p.macOui).toMatch(/^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
      expect(parseInt(p.macOui.slice(0, 2), 16) & 1).toBe(0);
      expect(p.cpuVirt === 'bt' && p.memVirt === 'nested').toBe(false);
    }
  });

  it('charges the QEMU/KVM boot of VIRT-FIGURES §4/§9: SeaBIOS + kernel + init = 600 ms', () => {
    const { boot } = findProfile('kvm')!;
    expect([boot.firmwareNs, boot.kernelNs, boot.initNs]).toEqual([200 * MS, 300 * MS, 100 * MS]);
    expect(boot.firmwareNs + boot.kernelNs + boot.initNs).toBe(600 * MS);
    expect(boot.source).toContain('§4');
    expect(boot.source).toContain('design choice');
  });

  it('boots Firecracker and Xen PV kernels directly, without firmware', () => {
    const fc = findProfile('firecracker')!.boot;
    expect([fc.firmwareNs, fc.kernelNs, fc.initNs]).toEqual([0, 125 * MS, 0]);
    expect(fc.source).toContain('125 ms');
    expect(findProfile('xen-pv')!.boot.firmwareNs).toBe(0);
    for (const name of ['kvm', 'esxi', 'vmware-2006', 'virtualbox', 'hyperv']) expect(findProfile(name)!.boot.firmwareNs).toBeGreaterThan(0);
  });

  it('boots slower under binary translation than with hardware assist', () => {
    const bt = findProfile('vmware-2006')!.boot;
    const hw = findProfile('kvm')!.boot;
    expect(bt.kernelNs).toBe(2 * hw.kernelNs);
    expect(bt.initNs).toBe(3 * hw.initNs);
  });

  it('sizes the per-VM VMM overhead from VIRT-FIGURES (QEMU 130 MiB, Firecracker 5 MiB, Xen 20 KiB)', () => {
    expect(findProfile('kvm')!.vmmOverheadBytes).toBe(130 * MIB);
    expect(findProfile('firecracker')!.vmmOverheadBytes).toBe(5 * MIB);
    expect(findProfile('xen-pv')!.vmmOverheadBytes).toBe(20 * 1024);
    for (const p of PROFILES) expect(Number.isSafeInteger(p.vmmOverheadBytes) && p.vmmOverheadBytes > 0).toBe(true);
  });

  it('documents every preset: product, era, description and a cited boot source', () => {
    for (const p of PROFILES) {
      expect(p.product.length).toBeGreaterThan(10);
      expect(p.era).toMatch(/^\d{4}–(\d{4}|today)$/);
      expect(p.description.length).toBeGreaterThan(200);
      expect(p.boot.source).toMatch(/VIRT-FIGURES|§/);
      for (const ns of [p.boot.firmwareNs, p.boot.kernelNs, p.boot.initNs]) expect(Number.isSafeInteger(ns) && ns >= 0).toBe(true);
    }
  });
});

describe('findProfile', () => {
  it('finds by exact name only', () => {
    expect(findProfile('xen-pv')?.product).toBe('Xen with paravirtualized guests (XenoLinux)');
    expect(findProfile('KVM')).toBeUndefined();
    expect(findProfile('kvm ')).toBeUndefined();
    expect(findProfile('')).toBeUndefined();
  });
});
