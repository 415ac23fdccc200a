/**
 * How GNU tar 1.34 treats member names (names.c, list.c): the leading parts it
 * strips for safety (safer_name_suffix: leading slashes and everything up to a ".."
 * component), --strip-components (stripped_prefix_len), the '..' test that refuses a
 * member, the command-line names members are matched against, and the "escape"
 * quoting style Debian's tar prints names in (`--quoting-style=escape`). Pure.
 */

/** What safer_name_suffix keeps of a name, and the prefix it dropped ('' if none). */
export interface SaferName {
  name: string;
  removed: string;
  /** True when nothing was left and "." stands in ("Substituting `.' for empty member name"). */
  substituted: boolean;
}

/**
 * safer_name_suffix(): unless -P, drops every leading component up to and including
 * the last ".." one, then leading slashes; an empty result becomes ".".
 */
export function saferName(name: string, absolute: boolean): SaferName {
  let keep = 0;
  if (!absolute) {
    let p = 0;
    while (p < name.length) {
      if (name.startsWith('..', p) && (p + 2 === name.length || name[p + 2] === '/')) keep = p + 2;
      const slash = name.indexOf('/', p);
      if (slash < 0) break;
      p = slash + 1;
    }
    while (keep < name.length && name[keep] === '/') keep++;
  }
  const rest = name.slice(keep);
  if (rest === '') return { name: '.', removed: name.slice(0, keep), substituted: keep === 0 };
  return { name: rest, removed: name.slice(0, keep), substituted: false };
}

/** stripped_prefix_len(): bytes that hold the first `n` components (after leading slashes), or -1 if the name has no more than `n`. */
export function strippedPrefixLen(name: string, n: number): number {
  let p = 0;
  while (name[p] === '/') p++;
  let left = n;
  while (p < name.length) {
    const slash = name[p] === '/';
    p++;
    if (slash) {
      if (--left === 0) return p;
      while (name[p] === '/') p++;
    }
  }
  return -1;
}

/** The name with `n` leading components removed ('' when it has no more than `n`). */
export function stripComponents(name: string, n: number): string {
  if (n <= 0) return name;
  const len = strippedPrefixLen(name, n);
  return len < 0 ? '' : name.slice(len);
}

/** contains_dot_dot(): whether any component of the name is "..". */
export function containsDotDot(name: string): boolean {
  return name.split('/').includes('..');
}

/** A name without its trailing slashes ("/" stays "/"). */
export function withoutTrailingSlashes(name: string): string {
  const t = name.replace(/\/+$/, '');
  return t === '' && name.startsWith('/') ? '/' : t;
}

/** name_match(): a member matches a command-line name that equals it or names a directory above it. */
export function nameMatches(member: string, wanted: string): boolean {
  const m = withoutTrailingSlashes(member);
  const w = withoutTrailingSlashes(wanted);
  return m === w || (m.startsWith(w) && (w.endsWith('/') || m[w.length] === '/'));
}

/** Whether a command-line name holds wildcard characters (GNU then warns, as --wildcards is off for -x and -t). */
export function hasWildcards(name: string): boolean {
  return /[*?[]/.test(name);
}

const ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '\\': '\\' };

/**
 * quotearg() in escape_quoting_style (Debian's `--quoting-style=escape`): printable
 * ASCII as is, a backslash doubled, C escapes for control characters and octal
 * \ooo for other bytes; `colon` also escapes ':' (quotearg_colon, for messages).
 */
export function quoteEscape(s: string, colon = false): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    const e = ESCAPES[ch];
    if (e !== undefined) out += '\\' + e;
    else if (colon && ch === ':') out += '\\:';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += '\\' + (c & 0xff).toString(8).padStart(3, '0');
  }
  return out;
}

/** pax_decode_mode(): the nine permission characters, with s/S and t/T. */
export function permString(mode: number): string {
  const rwx = (r: number, w: number, x: number, special: number, set: string): string =>
    (mode & r ? 'r' : '-') + (mode & w ? 'w' : '-') + (mode & special ? (mode & x ? set : set.toUpperCase()) : mode & x ? 'x' : '-');
  return rwx(0o400, 0o200, 0o100, 0o4000, 's') + rwx(0o40, 0o20, 0o10, 0o2000, 's') + rwx(0o4, 0o2, 0o1, 0o1000, 't');
}
