// The state directory of a kept host (src/cli/state-store.ts): what a ctsim killed in
// the middle of a write leaves is swept by the next one to take the lock, and only that.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/cli/state-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('StateStore', () => {
  it('taking the lock removes the temporary and lock files of dead processes, not those of live ones', () => {
    const dead = spawnSync('true').pid!;
    const live = spawn('sleep', ['30']);
    try {
      mkdirSync(path.join(dir, 'blobs'), { recursive: true });
      const left = [`host.json.tmp-${dead}`, `lock.${dead}`, `lock.stale.${dead}`, `blobs/abc.tmp-${dead}`];
      const kept = [`host.json.tmp-${live.pid}`, `lock.${live.pid}`, 'host.json.tmp-x', 'notes'];
      for (const f of [...left, ...kept]) writeFileSync(path.join(dir, f), '');
      const store = new StateStore(dir);
      store.lock();
      store.unlock();
      for (const f of left) expect(existsSync(path.join(dir, f)), f).toBe(false);
      for (const f of kept) expect(existsSync(path.join(dir, f)), f).toBe(true);
      expect(readdirSync(path.join(dir, 'blobs'))).toEqual([]);
    } finally {
      live.kill();
    }
  });
});
