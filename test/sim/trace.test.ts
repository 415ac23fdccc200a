/**
 * The trace's switches as a live session's monitor uses them: a category turned on for
 * one `:step --to` and off again, a sink added and removed.
 */
import { describe, expect, it } from 'vitest';
import { Trace, type TraceRecord } from '../../src/sim/trace.js';

describe('Trace', () => {
  it('turns categories off again and lets a sink go', () => {
    const trace = new Trace({ now: 5 });
    const got: TraceRecord[] = [];
    const sink = (r: TraceRecord): void => void got.push(r);
    trace.enable(['proc', 'sched']);
    trace.addSink(sink);
    expect(trace.isEnabled('proc')).toBe(true);
    trace.disable(['proc']);
    expect(trace.isEnabled('proc')).toBe(false);
    expect(trace.on('sched')).toBe(true);
    trace.emit('proc', 'exit', { pid: 1 });
    trace.emit('sched', 'switch');
    expect(got).toEqual([{ t: 5, cat: 'sched', ev: 'switch' }]);
    trace.removeSink(sink);
    expect(trace.on('sched')).toBe(false);
    trace.emit('sched', 'switch');
    expect(got).toHaveLength(1);
  });
});
