/**
 * The markers that expanded text carries until field splitting and pathname
 * expansion are done with it (see expand.ts). They come from the Unicode private
 * use area, which no byte string contains (bytes are U+0000–U+00FF), so they
 * never collide with what a script or a file holds.
 */

/** The next character is quoted: literal in a pattern, never a separator. */
export const ESC = '\uE000';
/** Separates unquoted `$@`/`$*` parameters: splits like IFS white space. */
export const SEPW = '\uE001';
/** A quoted part began here (so `""` still makes an empty field). */
export const QM = '\uE002';
/** Separates the fields of "$@": always splits, keeps empty fields. */
export const SEPH = '\uE003';
