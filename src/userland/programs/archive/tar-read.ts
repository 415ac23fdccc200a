/**
 * GNU tar 1.34's read_and() (list.c), shared by -t and -x: header after header, each
 * member matched against the command-line names, its names made safe
 * (transform_stat_info), and handed on. The end is two zero blocks ("A lone zero
 * block at N" when only one), or the end of the input; a block whose checksum is
 * wrong is reported once per run of bad blocks ("Skipping to next header").
 */
import { GNU_MAGIC, TYPE, USTAR_MAGIC, dataChunk, readHeader, verifyChecksum, type Member } from './tar-format.js';
import { compressionOf, compressorMissing, type Diag, type FdBlockSource, type Gen } from './tar-io.js';
import { containsDotDot, hasWildcards, nameMatches, quoteEscape, saferName, stripComponents, withoutTrailingSlashes } from './tar-names.js';
import type { TarOptions } from './tar-options.js';

/** A member's names after tar's transformations: where it goes, and the hard link target it names. */
export interface MemberNames {
  /** The name as archived (what listings show). */
  shown: string;
  /** Where it is extracted ('' when --strip-components left nothing). */
  file: string;
  /** Symlink target (unchanged) or hard link target (made safe, stripped like names). */
  link: string;
}

/**
 * check_compressed_archive(): a compressed archive needs its program (none exists
 * here; from a pipe GNU just says which option to use), and less than a block of
 * input "does not look like a tar archive".
 */
export function* checkArchiveStart(d: Diag, src: FdBlockSource, o: TarOptions): Gen<void> {
  if (o.compressor !== null) return yield* compressorMissing(d, o.compressor, false, o.archive === '-');
  const head = yield* src.peek(512);
  const looksLikeTar = head.length === 512 && (head.slice(257, 263) === USTAR_MAGIC || head.slice(257, 265) === GNU_MAGIC) && verifyChecksum(head) === 'ok';
  const z = looksLikeTar ? null : compressionOf(head);
  if (z !== null) {
    if (o.archive === '-') return yield* d.fatal(`Archive is compressed. Use ${z.option} option`);
    return yield* compressorMissing(d, z.program, false, false);
  }
  if (head.length < 512) yield* d.error('This does not look like a tar archive');
}

/** Skips a member's data (skip_member); the input ending first is fatal. */
export function* skipMember(d: Diag, src: FdBlockSource, size: number): Gen<void> {
  for (let left = size; left > 0; ) {
    const chunk = yield* dataChunk(src, left, 1 << 12);
    if (chunk === '') return yield* d.fatal('Unexpected EOF in archive');
    left -= chunk.length;
  }
}

/** transform_stat_info(): safe names (unless -P) and --strip-components, with GNU's warnings. */
function* transformNames(d: Diag, m: Member, o: TarOptions): Gen<MemberNames> {
  const safe = saferName(withoutTrailingSlashes(m.name), o.absoluteNames);
  yield* d.removedPrefix(safe.removed, 'member names');
  if (safe.substituted) yield* d.warn("Substituting `.' for empty member name");
  let link = m.linkname;
  if (m.typeflag === TYPE.LNK) {
    const l = saferName(link, o.absoluteNames);
    yield* d.removedPrefix(l.removed, 'hard link targets');
    if (l.substituted) yield* d.warn("Substituting `.' for empty hard link target");
    link = stripComponents(l.name, o.stripComponents);
  }
  return { shown: m.name, file: stripComponents(safe.name, o.stripComponents), link };
}

/** Whether -x refuses the member for a ".." in its name (unless -P). */
export function refusesDotDot(m: Member, o: TarOptions): boolean {
  return !o.absoluteNames && containsDotDot(m.name);
}

/**
 * Reads the archive to its end, calling `handle` for each member the names select;
 * `handle` must consume the member's data. Then reports the names never found.
 */
export function* forEachMember(d: Diag, src: FdBlockSource, o: TarOptions, handle: (m: Member, n: MemberNames) => Gen<void>): Gen<void> {
  const wanted = o.args.flatMap((a) => ('name' in a ? [a.name] : []));
  const found = wanted.map(() => false);
  let prev: 'unread' | 'member' | 'bad' = 'unread';
  for (;;) {
    const r = yield* readHeader(src);
    if (r.kind === 'member') {
      prev = 'member';
      const m = r.member;
      if (wanted.length > 0) {
        const i = wanted.findIndex((w) => nameMatches(m.name, w));
        if (i < 0) {
          yield* skipMember(d, src, m.size);
          continue;
        }
        found[i] = true;
      }
      yield* handle(m, yield* transformNames(d, m, o));
      continue;
    }
    if (r.kind === 'zero') {
      const at = src.consumed;
      const next = yield* readHeader(src);
      if (next.kind !== 'zero') yield* d.warn(`A lone zero block at ${at}`);
      break;
    }
    if (r.kind === 'eof') break;
    if (r.kind === 'truncated') {
      yield* d.error('Unexpected EOF in archive');
      break;
    }
    if (prev === 'unread') yield* d.error('This does not look like a tar archive');
    if (prev !== 'bad') yield* d.error('Skipping to next header');
    prev = 'bad';
  }
  let warned = false;
  for (let i = 0; i < wanted.length; i++) {
    if (found[i]) continue;
    if (hasWildcards(wanted[i]) && !warned) {
      warned = true;
      yield* d.warn('Pattern matching characters used in file names');
      yield* d.warn('Use --wildcards to enable pattern matching, or --no-wildcards to suppress this warning');
    }
    yield* d.error(`${quoteEscape(wanted[i], true)}: Not found in archive`);
  }
}
