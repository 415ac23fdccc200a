/**
 * Prompt expansion (dash's expandstr): PS1, PS2 and PS4 are read like the body of
 * a here-document and expanded — parameters, command substitution, arithmetic —
 * before they are printed. An expansion error leaves the prompt as written.
 */
import { ShellError, type Shell, type Gen } from './shell.js';
import { parseHereText } from './parse.js';
import { expandString } from './expand.js';

export function* expandPrompt(sh: Shell, text: string): Gen<string> {
  if (!/[$`\\]/.test(text)) return text;
  const w = parseHereText(text);
  try {
    return yield* expandString(sh, w);
  } catch (e) {
    if (e instanceof ShellError) return text;
    throw e;
  }
}
