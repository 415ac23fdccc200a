/** What `ctsim lesson list` and `ctsim lesson start` share: the --lang flag and the language it means. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { UsageError } from '../../sim/input-error.js';
import { BASE_LANG, LessonLibrary, localeLanguage } from '../../teach/lesson/index.js';

export const lessonFlags = {
  lang: Flags.string({ description: 'The language of the texts (en, es, …); default: the language of LC_ALL, LC_MESSAGES or LANG when a translation exists, else en.' }),
  dir: Flags.string({ description: "Read the lessons from this directory instead of ctsim's own (your own lessons: NAME.yaml, and translations in i18n/LANG/NAME.yaml; see lessons/schema/ in ctsim)." }),
};

/** The lessons of --dir, or ctsim's own. */
export function lessonLibrary(dir: string | undefined): LessonLibrary {
  if (dir === undefined) return new LessonLibrary();
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UsageError({ source: '--dir', expected: 'a directory of lesson files (NAME.yaml)', found: `"${dir}"` });
  return new LessonLibrary(abs);
}

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
