/**
 * The shell's data in the simulated machine's memory: dash keeps its variables in
 * malloc'd strings (savestr), so a script that grows a variable — the classic memory
 * hog `x=x; while :; do x=$x$x; done` — grows its heap, and the kernel sees it: its
 * pages fault in, count in RSS and in the cgroup's memory.current, and past
 * memory.max (or the machine's RAM and swap) the OOM killer ends the shell, as it
 * would end dash on Linux. When malloc cannot get the memory (brk refused by the
 * overcommit policy), dash says "Out of space" (memalloc.c ckmalloc → sh_error).
 *
 * Evaluation calls `settleData` after each command when the variables' bytes have
 * left the band the heap was sized for: it moves the break to fit them and writes the
 * new pages. A shell that never holds more than DATA_SLACK bytes of variables (nearly
 * every script) makes no call at all, so its trace is what it was.
 *
 * Simplification: only variables are charged (not positional parameters, functions,
 * here-documents or the expansion's temporaries, which dash holds on its stack
 * blocks while a word is built), all in one brk heap (glibc would mmap a block of
 * 128 KiB or more); the first DATA_SLACK bytes live in the heap dash's start-up left,
 * which ctsim's small program image does not map.
 */
import { brk, touch } from '../../lib/mem.js';
import type { Shell, Gen } from './shell.js';

/** Variable bytes that need no heap beyond the image (glibc's first arena of ~132 KiB). */
export const DATA_SLACK = 128 * 1024;
/** The heap grows and is trimmed in these steps (glibc's M_TOP_PAD and M_TRIM_THRESHOLD). */
export const DATA_PAD = 128 * 1024;

/** What the shell's heap holds for its data, and the band of variable bytes it fits. */
export interface DataHeap {
  /** The break before the shell's first growth (brk(0)); -1 until then. */
  base: number;
  /** Heap bytes mapped and written for the data. */
  charged: number;
  /** Above this many variable bytes the heap must grow. */
  high: number;
  /** At or below this many it is trimmed. */
  low: number;
}

export function newDataHeap(): DataHeap {
  return { base: -1, charged: 0, high: DATA_SLACK, low: -1 };
}

/** Whether the variables' bytes have left the band the heap was sized for (cheap: after every command). */
export function dataUnsettled(sh: Shell): boolean {
  const b = sh.vars.bytes;
  return b > sh.data.high || b <= sh.data.low;
}

/** Moves the break to fit the variables and writes the pages it added; "Out of space" when brk refuses. */
export function* settleData(sh: Shell): Gen<void> {
  const d = sh.data;
  const bytes = sh.vars.bytes;
  const want = bytes <= DATA_SLACK ? 0 : Math.ceil((bytes - DATA_SLACK) / DATA_PAD) * DATA_PAD;
  if (want !== d.charged) {
    if (d.base < 0) {
      const b = yield* brk(0);
      if (typeof b !== 'number') throw yield* sh.error('Out of space');
      d.base = b;
    }
    const got = yield* brk(d.base + want);
    if (got !== d.base + want) {
      // dash's setvar never happened (malloc failed first); here the value is set, so
      // leave it uncharged rather than fail again after every command of a shell that goes on.
      d.high = bytes;
      throw yield* sh.error('Out of space');
    }
    if (want > d.charged) yield* touch(d.base + d.charged, want - d.charged, true);
    d.charged = want;
  }
  d.high = DATA_SLACK + want;
  // Trimmed only when two steps or more would be free at the top (and then to fit), so
  // that a variable that grows and shrinks by a little does not move the break each
  // time; a last step of 128 KiB stays, as glibc keeps a top below M_TRIM_THRESHOLD.
  d.low = want === 0 ? -1 : DATA_SLACK + want - 2 * DATA_PAD;
}
