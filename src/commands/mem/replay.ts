/**
 * `ctsim mem replay`: replays a trace of page numbers under one page-replacement
 * policy of OSTEP chapter 22 and prints, per access, hit or miss, the page evicted and
 * the resident pages, then the totals. FIFO, LRU, OPT, UNOPT and MRU give the answers
 * of OSTEP's paging-policy.py on the same inputs.
 *
 * This file only parses and checks flags (every bad value is a UsageError naming the
 * flag, what was expected, what was found and a fix), reads a --trace-file, calls
 * src/teach/mem and hands the result to src/report/mem-replay-report.
 */
import { Flags } from '@oclif/core';
import { InputError, Rng, UsageError } from '../../sim/index.js';
import {
  CLOCK_DEFAULT_BITS,
  MAX_FRAMES,
  MAX_TRACE_ACCESSES,
  RANDOM_TRACE,
  REPLACEMENT_POLICIES,
  isReplacementPolicy,
  randomTrace,
  replay,
  replayTotals,
  type PageTrace,
  type ReplayParams,
} from '../../teach/mem/index.js';
import { isDetailedReplay, renderReplayReport } from '../../report/mem-replay-report.js';
import { BaseCommand } from '../base.js';
import { parseSeed, parseWhole } from '../flag-values.js';
import { readInputBytes } from '../input-files.js';

/** Resident-page entries a detailed run may record (accesses × resident pages); past it, --summary. */
export const MAX_DETAIL_ENTRIES = 10_000_000;

const PAGE = /^\d+$/;

/** Bytes the fast scan takes as separators: ',' and the ASCII white space of /\s/. */
function isAsciiSeparator(c: number): boolean {
  return c === 10 || c === 44 || c === 32 || c === 13 || c === 9 || c === 11 || c === 12;
}

/** Digits a page may have for the fast scan: below 10^9, so it fits an Int32Array. */
const SCAN_MAX_DIGITS = 9;

/**
 * The page numbers of `bytes` when they are only ASCII digits and separators, with at
 * least one page and at most MAX_TRACE_ACCESSES, each of at most SCAN_MAX_DIGITS
 * digits; otherwise undefined, and parsePages reads the text the slow way (which gives
 * the same pages for any input this takes) or names what is wrong. One pass over the
 * bytes into a growing Int32Array, without strings: a trace file of 10,000,000 lines
 * reads in under 0.2 s of CPU instead of seconds.
 */
function scanPages(bytes: Uint8Array): Int32Array | undefined {
  let pages = new Int32Array(1024);
  let count = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i];
    if (c < 48 || c > 57) {
      if (!isAsciiSeparator(c)) return undefined;
      i++;
      continue;
    }
    const start = i;
    let page = 0;
    for (; i < n && bytes[i] >= 48 && bytes[i] <= 57; i++) page = (page * 10 + (bytes[i] - 48)) | 0;
    if (i - start > SCAN_MAX_DIGITS || count === MAX_TRACE_ACCESSES) return undefined;
    if (count === pages.length) {
      const grown = new Int32Array(Math.min(2 * pages.length, MAX_TRACE_ACCESSES));
      grown.set(pages);
      pages = grown;
    }
    pages[count++] = page;
  }
  return count > 0 ? pages.subarray(0, count) : undefined;
}

/**
 * Parses page numbers separated by commas and/or white space, from a flag's text or a
 * file's bytes. `where(i, line)` names an entry in errors: `entry N` for a flag, `line
 * N` for a file.
 */
function parsePages(input: string | Buffer, source: string, where: (entry: number, line: number) => string, fix: string): PageTrace {
  const scanned = scanPages(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  if (scanned !== undefined) return scanned;
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const pages: number[] = [];
  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    for (const item of lines[l].split(/[\s,]+/)) {
      if (item === '') continue;
      const page = PAGE.test(item) ? Number(item) : NaN;
      if (!Number.isSafeInteger(page)) {
        throw new UsageError({ source, path: where(pages.length + 1, l + 1), expected: 'a page number (a whole number >= 0)', found: JSON.stringify(item), fix });
      }
      if (pages.length === MAX_TRACE_ACCESSES) {
        throw new UsageError({ source, expected: `at most ${MAX_TRACE_ACCESSES} accesses`, found: 'more', fix: 'replay a shorter trace' });
      }
      pages.push(page);
    }
  }
  if (pages.length === 0) {
    throw new UsageError({ source, expected: 'at least one page number', found: text.trim() === '' ? 'an empty value' : JSON.stringify(text), fix });
  }
  return pages;
}

export default class MemReplay extends BaseCommand {
  static override summary = 'Replay a trace of page accesses under FIFO, LRU, OPT, UNOPT, MRU, CLOCK or RAND page replacement.';

  static override description = [
    'Runs a trace of page numbers against a memory of --frames page frames and prints, for each access, whether it hit or missed, which page it evicted and the pages resident afterwards (in the order the policy keeps them), then the hits, misses and hit rate.',
    "FIFO, LRU, OPT, UNOPT and MRU follow OSTEP chapter 22 and give exactly the answers of OSTEP's vm-beyondphys-policy/paging-policy.py -c, whose flags map as -a → --trace, -f → --trace-file, -C → --frames, -p → --policy, -b → --clock-bits, -N → --summary. OPT evicts the page used furthest in the future (among pages never used again, the one loaded last); MRU evicts the page accessed last, even one it just loaded.",
    "CLOCK is the textbook clock, not paging-policy.py's (which probes frames at random): a hand sweeps the frames in order, passing over a page whose use counter is non-zero (and decrementing it) and evicting the first page at 0. A load sets the counter to 1 and a hit adds 1, up to --clock-bits (1: the single use bit of the textbook; paging-policy.py's -b defaults to 2). RAND draws its victims from ctsim's seeded RNG (--seed), not Python's, so its choices differ from paging-policy.py's.",
    `Without --trace or --trace-file, ${RANDOM_TRACE.accesses} accesses to pages 0..${RANDOM_TRACE.maxPage - 1} are drawn from --seed. A trace file holds page numbers separated by commas, spaces or newlines (paging-policy.py's one per line works).`,
  ].join('\n\n');

  static override examples = [
    { description: 'OSTEP ch. 22: LRU with 3 frames on the chapter\'s trace (6 hits, 5 misses).', command: '<%= config.bin %> mem replay --policy lru --frames 3 --trace 0,1,2,0,1,3,0,3,1,2,1' },
    { description: 'The optimal policy on the same trace, as paging-policy.py -p OPT -C 3 -a 0,1,2,0,1,3,0,3,1,2,1 -c.', command: '<%= config.bin %> mem replay --policy opt --frames 3 --trace 0,1,2,0,1,3,0,3,1,2,1' },
    { description: "Belady's anomaly: FIFO misses more with 4 frames than with 3.", command: '<%= config.bin %> mem replay --policy fifo --frames 4 --trace 1,2,3,4,1,2,5,1,2,3,4,5' },
    { description: 'The textbook clock with a 2-level use counter.', command: '<%= config.bin %> mem replay --policy clock --clock-bits 2 --frames 3 --trace 1,2,3,1,4,1,5,2' },
    { description: 'Random replacement, reproducible with a seed.', command: '<%= config.bin %> mem replay --policy rand --frames 3 --trace 0,1,2,3,0,1,4 --seed 7' },
    { description: 'A long trace from a file, totals only.', command: '<%= config.bin %> mem replay --policy lru --frames 64 --trace-file trace.txt --summary' },
    { description: 'Machine-readable output.', command: '<%= config.bin %> mem replay --policy lru --frames 3 --trace 0,1,2,0,1,3 --json' },
  ];

  static override flags = {
    help: Flags.help({ char: 'h', description: 'Show this help (-h, as OSTEP\'s scripts take it).' }),
    policy: Flags.string({ description: `Replacement policy: ${REPLACEMENT_POLICIES.join(', ')}. [default: fifo, as paging-policy.py]`, helpValue: 'NAME' }),
    frames: Flags.string({ description: 'Page frames of memory (paging-policy.py -C). [default: 3]', helpValue: 'N' }),
    trace: Flags.string({ description: 'The pages accessed, in order, e.g. 0,1,2,0,1,3. [default: random, from --seed]', helpValue: 'LIST', exclusive: ['trace-file'] }),
    'trace-file': Flags.string({ description: 'A file of page numbers separated by commas, spaces or newlines.', helpValue: 'FILE' }),
    'clock-bits': Flags.string({ description: `clock: the largest value of a page's use counter (paging-policy.py -b). [default: ${CLOCK_DEFAULT_BITS}, the textbook use bit]`, helpValue: 'N' }),
    seed: Flags.string({ description: 'Seed of RAND\'s victims and of a random trace (when no trace is given). [default: 0]', helpValue: 'N' }),
    summary: Flags.boolean({ description: 'Print only the totals, not every access (paging-policy.py -N); for long traces.' }),
    json: Flags.boolean({ description: 'Print {policy, frames, accesses: [{page, hit, evicted, resident}], hits, misses, hitRatePercent}; with --summary, without accesses.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(MemReplay);
    // paging-policy.py spells policies in capitals (-p LRU); either case is taken.
    const policyText = (flags.policy ?? 'fifo').toLowerCase();
    if (!isReplacementPolicy(policyText)) {
      throw new UsageError({ source: '--policy', expected: `one of ${REPLACEMENT_POLICIES.join(', ')}`, found: JSON.stringify(flags.policy), fix: 'e.g. --policy lru' });
    }
    const policy = policyText;
    if (flags['clock-bits'] !== undefined && policy !== 'clock') {
      throw new UsageError({ source: '--clock-bits', expected: 'it only with --policy clock', found: `--policy ${policy}`, fix: 'drop --clock-bits, or use --policy clock' });
    }
    const given = flags.trace !== undefined || flags['trace-file'] !== undefined;
    if (flags.seed !== undefined && policy !== 'rand' && given) {
      throw new UsageError({ source: '--seed', expected: 'it only with --policy rand or without a trace (a random one)', found: `--policy ${policy} with a trace`, fix: 'drop --seed, or drop the trace to draw a random one' });
    }
    const seed = flags.seed === undefined ? 0 : parseSeed(flags.seed);
    const rng = new Rng(seed);
    const frames = flags.frames === undefined ? 3 : parseWhole('--frames', flags.frames, 1, 'e.g. --frames 3', 'a whole number of frames', MAX_FRAMES);
    const params: ReplayParams = { policy, frames };
    if (policy === 'clock') {
      params.clockBits = flags['clock-bits'] === undefined ? CLOCK_DEFAULT_BITS : parseWhole('--clock-bits', flags['clock-bits'], 1, 'e.g. --clock-bits 2', 'a whole number', 64);
    }
    const trace = this.readTrace(flags.trace, flags['trace-file'], rng);
    const usesSeed = !given || policy === 'rand';
    const randRng = rng.fork('mem.rand');

    if (!flags.summary) {
      const distinct = new Set(trace).size;
      const entries = trace.length * Math.min(frames, distinct);
      if (entries > MAX_DETAIL_ENTRIES) {
        throw new UsageError({
          source: flags.trace === undefined ? '--trace-file' : '--trace',
          expected: `a detailed run of at most ${MAX_DETAIL_ENTRIES} resident-page entries (accesses × resident pages)`,
          found: `${trace.length} accesses with up to ${Math.min(frames, distinct)} resident pages (${entries})`,
          fix: 'add --summary for the totals only, or replay a shorter trace',
        });
      }
    }
    const result = flags.summary ? replayTotals(trace, params, randRng) : replay(trace, params, randRng);
    if (flags.json) {
      const { hits, misses, hitRatePercent } = result;
      const accesses = !isDetailedReplay(result) ? undefined : result.accesses.map(({ page, hit, evicted, resident }) => ({ page, hit, evicted, resident }));
      this.printJson({ policy, frames, ...(accesses ? { accesses } : {}), hits, misses, hitRatePercent });
    } else {
      this.out(renderReplayReport(result, { version: this.config.version, trace, seed: usesSeed ? seed : undefined, traceRandom: !given, traceFile: flags['trace-file'] }));
    }
  }

  /** The trace from --trace, --trace-file, or drawn at random. */
  private readTrace(traceText: string | undefined, file: string | undefined, rng: Rng): PageTrace {
    const fix = 'give page numbers separated by commas, e.g. --trace 0,1,2,0,1,3';
    if (traceText !== undefined) return parsePages(traceText, '--trace', (entry) => `entry ${entry}`, fix);
    if (file === undefined) return randomTrace(rng.fork('mem.trace'));
    const bytes = readInputBytes(file, '--trace-file', 'a readable trace file');
    try {
      return parsePages(bytes, file, (_entry, line) => `line ${line}`, 'put page numbers (whole numbers >= 0) one per line or separated by commas');
    } catch (e) {
      // A bad file is invalid input (exit 3), not a misused flag.
      if (e instanceof UsageError) throw new InputError(e.facts);
      throw e;
    }
  }
}
