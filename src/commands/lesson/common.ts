/** What `ctsim lesson list` and `ctsim lesson start` share: the --lang flag and the language it means. */
import { Flags } from '@oclif/core';
import { UsageError } from '../../sim/input-error.js';
import { BASE_LANG, localeLanguage, type LessonLibrary } from '../../teach/lesson/index.js';

export const langFlag = {
  lang: Flags.string({ description: 'The language of the texts (en, es, …); default: the language of LC_ALL, LC_MESSAGES or LANG when a translation exists, else en.' }),
};

/**
 * The language to show: --lang when given (a usage error naming the languages there are
 * when no file is in it), else the locale's when `available` has it, else English.
 */
export function chooseLanguage(lib: LessonLibrary, flag: string | undefined, available: string[] = lib.languages()): string {
  if (flag !== undefined) {
    if (!available.includes(flag)) throw new UsageError({ source: '--lang', expected: `one of the languages ${available.join(', ')}`, found: `"${flag}"` });
    return flag;
  }
  const env = process.env;
  const fromLocale = localeLanguage(env.LC_ALL || env.LC_MESSAGES || env.LANG);
  return fromLocale !== null && available.includes(fromLocale) ? fromLocale : BASE_LANG;
}
