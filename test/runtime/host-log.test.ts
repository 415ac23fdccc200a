/**
 * The persistent host as a log: parsing refuses damaged or foreign state with a reason,
 * replay rebuilds the same host (same PIDs, files and containers), input typed at a
 * terminal is fed again at the simulated times it came, and a replay that ends
 * differently from the record is reported instead of silently trusted.
 */
import { describe, expect, test } from 'vitest';
import { applyEntry, HostLogError, newHostLog, parseHostLog, replayHostLog, type HostLog, type OutputSwitch } from '../../src/runtime/host-log.js';

const collect = (): OutputSwitch & { text: () => string } => {
  let out = '';
  return { live: true, stdout: (b) => (out += b), stderr: (b) => (out += b), text: () => out };
};
const noBlobs = (): string => {
  throw new Error('no blobs here');
};
const sh = (script: string, atNs: number, status = 0): HostLog['entries'][number] => ({ atNs, argv: ['sh', '-c', script], path: '/bin/sh', cwd: '/', uploads: [], stdin: '', status });

describe('host log', () => {
  test('parse: damaged, foreign and newer states each get their reason', () => {
    expect(() => parseHostLog('{"format":')).toThrow(/not valid JSON .*: the file is damaged/);
    expect(() => parseHostLog('{"hello":1}')).toThrow('not a ctsim host state (no "format": "ctsim-host-state")');
    expect(() => parseHostLog('{"format":"ctsim-host-state","version":2}')).toThrow('state format version 2 is not the one this ctsim reads (1): it was written by a newer ctsim');
    const log = newHostLog('0.1.0', 1, { cpus: 2, memoryBytes: 1 << 30, swapBytes: 0 });
    log.entries.push(sh('true', 5), sh('true', 3));
    expect(() => parseHostLog(JSON.stringify(log))).toThrow('entry 2 goes back in time');
    log.entries[1] = { ...sh('true', 9), argv: [] };
    expect(() => parseHostLog(JSON.stringify(log))).toThrow(HostLogError);
  });

  test('replay rebuilds the same host: files, PIDs and time', () => {
    const log = newHostLog('0.1.0', 7, { cpus: 2, memoryBytes: 1 << 30, swapBytes: 0 });
    const quiet = { live: false, stdout: () => {}, stderr: () => {} };
    const first = replayHostLog(log, { io: quiet, blobs: noBlobs });
    for (const [i, script] of ['echo one > /root/f; sleep 100 &', 'echo two >> /root/f'].entries()) {
      const e = sh(script, first.now + i * 1_000_000_000);
      e.status = applyEntry(first, e, noBlobs, quiet).status;
      log.entries.push(e);
    }
    log.nowNs = first.now;
    const again = replayHostLog(log, { io: quiet, blobs: noBlobs });
    expect(again.now).toBe(first.now);
    const check = "cat /root/f; pgrep -x sleep; echo $$";
    expect(again.sh(check).stdout).toBe(first.sh(check).stdout);
    expect(again.sh('cat /root/f').stdout).toBe('one\ntwo\n');
  });

  test('input typed at a terminal is fed again at the times it came', () => {
    const log = newHostLog('0.1.0', 1, { cpus: 1, memoryBytes: 1 << 30, swapBytes: 0 });
    const entry = {
      ...sh('while read l; do echo "$(cat /proc/uptime | cut -d" " -f1) $l"; done; echo eof', 0),
      input: [
        { atNs: 2_000_000_000, bytes: 'a\n' },
        { atNs: 5_500_000_000, bytes: 'b\n' },
      ],
      inputEndNs: 7_000_000_000,
    };
    const io = collect();
    const host = replayHostLog(log, { io: { ...io, live: false }, blobs: noBlobs });
    const r = applyEntry(host, entry, noBlobs, io);
    expect(r.status).toBe(0);
    expect(io.text()).toBe('2.00 a\n5.50 b\neof\n');
  });

  test('an entry\'s time limit is part of the record: the replay stops the command where the run stopped it', () => {
    const log = newHostLog('0.1.0', 1, { cpus: 1, memoryBytes: 1 << 30, swapBytes: 0 });
    const quiet = { live: false, stdout: () => {}, stderr: () => {} };
    const host = replayHostLog(log, { io: quiet, blobs: noBlobs });
    const e = { ...sh('sleep 5; echo late > /root/late', host.now), timeLimitNs: 1e9 };
    e.status = applyEntry(host, e, noBlobs, quiet).status;
    expect(e.status).toBe(124);
    log.entries.push(e);
    log.nowNs = host.now;
    const again = replayHostLog(parseHostLog(JSON.stringify(log)), { io: quiet, blobs: noBlobs });
    expect(again.now).toBe(host.now);
    expect(again.sh('cat /root/late 2>&1').stdout).toBe(host.sh('cat /root/late 2>&1').stdout);
  });

  test('a replay that ends differently from the record is an error, not a silent change', () => {
    const log = newHostLog('0.0.9', 1, { cpus: 1, memoryBytes: 1 << 30, swapBytes: 0 });
    log.entries.push(sh('exit 3', 0, 0));
    expect(() => replayHostLog(log, { io: { live: false, stdout: () => {}, stderr: () => {} }, blobs: noBlobs })).toThrow(
      'replaying entry 1 (sh -c exit 3) ended with status 3, but 0 was recorded: the state was written by a ctsim that behaves differently (0.0.9)',
    );
  });
});
