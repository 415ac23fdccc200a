/**
 * Lesson files and translations: every shipped one loads; a bad one is refused with
 * one line naming file:line:col, the key's path, what was expected and what was found.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/sim/input-error.js';
import { LessonLibrary, defaultLessonsDir, localeLanguage, parseLesson, parseTranslation } from '../../../src/teach/lesson/index.js';

const readSchema = (file: string): object => JSON.parse(readFileSync(join(defaultLessonsDir(), 'schema', file), 'utf8')) as object;

const GOOD = `name: demo
title: Demo
summary: A demo.
order: 9
host:
  cpus: 1
  memory: 512M
intro: Hello.
steps:
  - id: one
    say: Do it.
    command: |
      echo one
      echo two
    notice: Done.
    check:
      typed: '^echo two$'
  - id: two
    say: Again.
    command: 'true'
    notice: Done.
    check:
      sh: 'true'
outro: Bye.
`;

/** The one-line message parseLesson throws for `text`, or 'no error'. */
function lessonError(text: string, name = 'demo'): string {
  try {
    parseLesson(text, 'demo.yaml', name, readSchema);
    return 'no error';
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(3);
    return (e as Error).message;
  }
}

describe('lesson files', () => {
  it('every shipped lesson and translation loads', () => {
    const lib = new LessonLibrary();
    expect(lib.names().length).toBeGreaterThanOrEqual(3);
    expect(() => lib.checkAll()).not.toThrow();
  });

  it('reads a good file: command lines split, regexes compiled (output with flag m), host sizes in bytes', () => {
    const l = parseLesson(GOOD, 'demo.yaml', 'demo', readSchema);
    expect(l.steps[0].command).toEqual(['echo one', 'echo two']);
    expect(l.steps[0].check.typed?.test('echo two')).toBe(true);
    expect(l.host).toEqual({ cpus: 1, memoryBytes: 512 * 1024 ** 2 });
    expect(l.setup).toBe('');
    const withOutput = parseLesson(GOOD.replace(`typed: '^echo two$'`, () => `output: '^two$'`), 'demo.yaml', 'demo', readSchema);
    expect(withOutput.steps[0].check.output?.flags).toBe('m');
  });

  it('refuses bad files in one line naming file:line:col, the path, and what was expected', () => {
    expect(lessonError(GOOD.replace('  - id: two', '  - id: one'))).toBe('demo.yaml:18:5 at $.steps[1].id: expected an id no other step has, found "one", already the id of step 1');
    expect(lessonError(GOOD.replace(`typed: '^echo two$'`, () => `typed: '(unclosed'`))).toMatch(/^demo\.yaml:17:7 at \$\.steps\[0\]\.check\.typed: expected a JavaScript regular expression, found "\(unclosed" \(.*Unterminated group\)$/);
    expect(lessonError(GOOD.replace(`      sh: 'true'\n`, '      {}\n'))).toMatch(/^demo\.yaml:\d+:\d+ at \$\.steps\[1\]\.check: expected at least 1 key, found a mapping$/);
    expect(lessonError(GOOD.replace('    notice: Done.\n    check:\n      sh', '    notise: Done.\n    check:\n      sh'))).toMatch(/^demo\.yaml:\d+:5 at \$\.steps\[1\]\.notise: expected one of the keys id, say, command, notice, hint, check, found the unknown key "notise"$/);
    expect(lessonError(GOOD.replace('  memory: 512M', '  memory: lots'))).toBe('demo.yaml:7:3 at $.host.memory: expected a size from 16M to 1T, like 512M or 4G, found "lots"');
    expect(lessonError(GOOD, 'other')).toBe('demo.yaml:1:1 at $.name: expected "other", the file\'s name, found "demo" (fix: rename the file or the lesson)');
    expect(lessonError('name: [')).toMatch(/^demo\.yaml:1:\d+: expected valid YAML or JSON, found /);
    expect(lessonError(GOOD.replace('order: 9\n', ''))).toBe('demo.yaml:1:1 at $.order: expected the key "order", found nothing');
  });

  it('refuses a translation naming a step the lesson lacks, naming the id and the ids there are', () => {
    const lesson = parseLesson(GOOD, 'demo.yaml', 'demo', readSchema);
    const t = parseTranslation('title: Demostración\nsteps:\n  one:\n    say: Hazlo.\n', 'es/demo.yaml', lesson, readSchema);
    expect(t.steps.one.say).toBe('Hazlo.');
    expect(() => parseTranslation('steps:\n  three:\n    say: Hazlo.\n', 'es/demo.yaml', lesson, readSchema)).toThrow(
      'es/demo.yaml:2:3 at $.steps.three: expected a step id of lesson demo (one, two), found the unknown step id "three" (fix: rename it to the id it translates, or remove it)',
    );
    expect(() => parseTranslation('steps:\n  one:\n    command: ls\n', 'es/demo.yaml', lesson, readSchema)).toThrow(/^es\/demo\.yaml:3:5 at \$\.steps\.one\.command: expected one of the keys say, notice, hint, found the unknown key "command"$/);
  });

  describe('a library in a directory of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-lessons-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'demo.yaml'), GOOD);
    mkdirSync(join(dir, 'i18n', 'es'), { recursive: true });
    writeFileSync(join(dir, 'i18n', 'es', 'demo.yaml'), 'steps:\n  two:\n    notice: Hecho.\n');
    writeFileSync(join(dir, 'i18n', 'es', '_ui.yaml'), 'complete: Lección completada\n');

    it('falls back to English for texts a translation leaves out, and lists languages per lesson', () => {
      const lib = new LessonLibrary(dir);
      expect(lib.languagesOf('demo')).toEqual(['en', 'es']);
      const es = lib.loadIn('demo', 'es');
      expect(es.title).toBe('Demo');
      expect(es.steps[1].notice).toBe('Hecho.');
      expect(es.steps[0].notice).toBe('Done.');
      expect(lib.words('es').complete).toBe('Lección completada');
      expect(lib.words('es').step).toBe('Step {n}/{total}');
    });
  });

  it('takes the language from a locale name', () => {
    expect(localeLanguage('es_ES.UTF-8')).toBe('es');
    expect(localeLanguage('de')).toBe('de');
    expect(localeLanguage('C.UTF-8')).toBeNull();
    expect(localeLanguage('POSIX')).toBeNull();
    expect(localeLanguage(undefined)).toBeNull();
  });
});
