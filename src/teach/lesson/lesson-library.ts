/**
 * The lessons that ship with ctsim, read from `lessons/` at the package root (beside
 * `fixtures/`): `NAME.yaml`, `i18n/LANG/NAME.yaml`, `i18n/LANG/_ui.yaml` and the schemas
 * in `schema/`. A directory may be given instead (tests, a teacher's own lessons).
 * Adding a lesson or a language is adding files: no code names them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../sim/fixtures.js';
import { UsageError } from '../../sim/input-error.js';
import { ENGLISH_WORDS, parseLesson, parseTranslation, parseWords, translateLesson, type Lesson, type LessonWords } from './lesson-file.js';

/** `lessons/` of the package, beside `fixtures/`. */
export function defaultLessonsDir(): string {
  return join(packageRoot(), 'lessons') + '/';
}

/** English, the language every lesson is written in. */
export const BASE_LANG = 'en';

export class LessonLibrary {
  /**
   * `dir` holds NAME.yaml and i18n/LANG/NAME.yaml (ctsim's own lessons by default, or a
   * teacher's); the schemas are always ctsim's (`lessons/schema/`).
   */
  constructor(readonly dir: string = defaultLessonsDir()) {}

  private readonly readSchema = (file: string): object => JSON.parse(readFileSync(join(defaultLessonsDir(), 'schema', file), 'utf8')) as object;

  /** The lesson names, by file (sorted by name; list them by `order`). */
  names(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  }

  /** Every language some file is in: English, then `i18n/*` sorted. */
  languages(): string[] {
    const i18n = join(this.dir, 'i18n');
    const langs = existsSync(i18n) ? readdirSync(i18n).filter((l) => /^[a-z]{2,3}$/.test(l)).sort() : [];
    return [BASE_LANG, ...langs.filter((l) => l !== BASE_LANG)];
  }

  /** The languages lesson `name` can be shown in: English, and those with a translation file. */
  languagesOf(name: string): string[] {
    return this.languages().filter((l) => l === BASE_LANG || existsSync(this.translationPath(l, name)));
  }

  translationPath(lang: string, name: string): string {
    return join(this.dir, 'i18n', lang, `${name}.yaml`);
  }

  /** The lesson in English (InputError when the file is bad; the caller checks that `name` is one of names()). */
  load(name: string): Lesson {
    const file = join(this.dir, `${name}.yaml`);
    return parseLesson(readFileSync(file, 'utf8'), file, name, this.readSchema);
  }

  /** The lesson in `lang`: translated texts where its translation has them, English elsewhere. */
  loadIn(name: string, lang: string): Lesson {
    const lesson = this.load(name);
    if (lang === BASE_LANG) return lesson;
    const file = this.translationPath(lang, name);
    if (!existsSync(file)) return lesson;
    return translateLesson(lesson, parseTranslation(readFileSync(file, 'utf8'), file, lesson, this.readSchema));
  }

  /** ctsim's own words in `lang` (English for any left out). */
  words(lang: string): LessonWords {
    const file = join(this.dir, 'i18n', lang, '_ui.yaml');
    if (lang === BASE_LANG || !existsSync(file)) return ENGLISH_WORDS;
    return { ...ENGLISH_WORDS, ...parseWords(readFileSync(file, 'utf8'), file, this.readSchema) };
  }

  /** Every lesson and translation, checked (InputError at the first bad file). */
  checkAll(): void {
    for (const name of this.names()) for (const lang of this.languagesOf(name)) this.loadIn(name, lang);
    for (const lang of this.languages()) this.words(lang);
  }
}

/** The language of a locale (`es_ES.UTF-8` → `es`, `C`/`POSIX`/empty → null). */
export function localeLanguage(locale: string | undefined): string | null {
  const m = /^([a-z]{2,3})(?:[_.@]|$)/.exec(locale ?? '');
  return m ? m[1] : null;
}

/** Throws the usage error for a lesson there is none of: the name and the lessons there are. */
export function unknownLesson(name: string, known: string[], source: string): never {
  if (known.length === 0) throw new UsageError({ source, expected: 'a lesson, but the lesson directory holds none (no NAME.yaml)', found: `"${name}"`, fix: 'check --dir, or leave it out for the lessons ctsim ships' });
  throw new UsageError({ source, expected: `one of the lessons ${known.join(', ')}`, found: `"${name}"`, fix: 'see ctsim lesson list' });
}
