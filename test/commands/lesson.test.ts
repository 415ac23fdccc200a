/**
 * `ctsim lesson list` and `ctsim lesson start`, end to end: EVERY lesson in lessons/
 * (and every translation of it) is started at a terminal under tmux and driven as a
 * learner would — for each step, first a line that does nothing (the step's check must
 * not pass yet), then each line of its `command`, waiting for the prompt after each;
 * then its ✓ line must be on the screen, and at the end "Lesson complete". A lesson
 * added later is covered without touching this file. Runs the built CLI (bin/run.js).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LessonLibrary, type Lesson, type LessonWords } from '../../src/teach/lesson/index.js';
import { REPO_ROOT, runBuiltCli } from '../helpers/cli.js';
import { HAS_TMUX, TmuxSession } from '../helpers/tmux.js';

const lib = new LessonLibrary();
const sessions: TmuxSession[] = [];
afterAll(() => {
  for (const s of sessions) s.kill();
});

/** Longest wait for one typed line to come back to a prompt (stress, tail /dev/zero take seconds). */
const LINE_MS = 60_000;

const fill = (template: string, n: number, total: number): string => template.replaceAll('{n}', String(n)).replaceAll('{total}', String(total));

/** The screen's lines, and whether the last one is a shell's bare prompt. */
const lines = (screen: string): string[] => screen.split('\n');
const atPrompt = (screen: string): boolean => /^[#$]$/.test(lines(screen).at(-1)!.trimEnd());

/**
 * Types `line` and waits until a new prompt is below it, or `done` (the step's ✓ line)
 * is on the screen: a background program's output may take the prompt's line, as on
 * any terminal. Throws with the screen when neither comes.
 */
function typeAndWait(t: TmuxSession, line: string, what: string, done: string): string {
  const before = lines(t.capture()).length;
  t.type(line);
  const screen = t.waitFor((s) => (lines(s).length > before && atPrompt(s)) || s.includes(done), LINE_MS);
  if (screen === null) throw new Error(`${what}: no prompt came back after typing ${JSON.stringify(line)}; the screen:\n${t.capture()}`);
  return screen;
}

/** Drives `lesson` in `lang` to its end; throws with the screen where it goes wrong. */
function driveLesson(lesson: Lesson, lang: string, words: LessonWords): string {
  const t = TmuxSession.start('wt-lesson-e2e', ['node', 'bin/run.js', 'lesson', 'start', lesson.name, '--lang', lang], { cwd: REPO_ROOT, env: { NO_COLOR: '1', LANG: 'C' } });
  sessions.push(t);
  try {
    const total = lesson.steps.length;
    const first = t.waitFor((s) => s.includes(`-- ${fill(words.step, 1, total)}:`) && atPrompt(s), 30_000);
    if (first === null) throw new Error(`${lesson.name} (${lang}): step 1 and a prompt never showed; the screen:\n${t.capture()}`);
    lesson.steps.forEach((step, i) => {
      const done = `✓ ${fill(words.done, i + 1, total)}`;
      const what = `${lesson.name} (${lang}) step ${i + 1} "${step.id}"`;
      // A line that changes nothing: the step's check must not pass before its command is typed.
      const idle = typeAndWait(t, ':', what, done);
      if (idle.includes(done)) throw new Error(`${what}: its check passed before its command was typed; the screen:\n${idle}`);
      for (const line of step.command) typeAndWait(t, line, what, done);
      const screen = t.waitFor((s) => s.includes(done), 5_000);
      if (screen === null) throw new Error(`${what}: "${done}" did not appear after its command; the screen:\n${t.capture()}`);
    });
    const end = t.waitFor((s) => s.includes(words.complete), 5_000);
    if (end === null) throw new Error(`${lesson.name} (${lang}): "${words.complete}" did not appear; the screen:\n${t.capture()}`);
    return end;
  } finally {
    t.kill();
  }
}

describe('ctsim lesson list', () => {
  it('lists every lesson in order, with its languages; --json says the same', () => {
    const r = runBuiltCli(['lesson', 'list', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { lang: string; lessons: { name: string; order: number; languages: string[] }[] };
    expect(doc.lang).toBe('en');
    expect(doc.lessons.map((l) => l.name).sort()).toEqual(lib.names());
    const orders = doc.lessons.map((l) => l.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(doc.lessons.find((l) => l.name === 'chroot')?.languages).toContain('es');
    const table = runBuiltCli(['lesson', 'list']);
    expect(table.stdout).toContain('chroot');
    expect(table.stdout).toMatch(/NAME.*TITLE.*SUMMARY/);
  });

  it('translates titles with --lang es, and refuses a language there is none of (exit 2, listing them)', () => {
    const es = JSON.parse(runBuiltCli(['lesson', 'list', '--lang', 'es', '--json']).stdout) as { lessons: { name: string; title: string }[] };
    expect(es.lessons.find((l) => l.name === 'pid-namespaces')?.title).toBe(lib.loadIn('pid-namespaces', 'es').title);
    expect(lib.loadIn('pid-namespaces', 'es').title).not.toBe(lib.load('pid-namespaces').title);
    const bad = runBuiltCli(['lesson', 'list', '--lang', 'xx']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^ctsim lesson list: --lang: expected one of the languages en, es.*found "xx"\n$/);
  });
});

describe('ctsim lesson list --dir (a teacher\'s own lessons)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-lesson-dir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists them, and refuses a bad one with one line naming file:line:col and the path (exit 3)', () => {
    const good = readFileSync(join(lib.dir, 'chroot.yaml'), 'utf8').replace('name: chroot', 'name: mine');
    writeFileSync(join(dir, 'mine.yaml'), good);
    const ok = runBuiltCli(['lesson', 'list', '--dir', dir, '--json']);
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as { lessons: { name: string; languages: string[] }[] }).lessons).toMatchObject([{ name: 'mine', languages: ['en'] }]);
    writeFileSync(join(dir, 'mine.yaml'), good.replace('  - id: enter', '  - id: build'));
    const bad = runBuiltCli(['lesson', 'list', '--dir', dir]);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/^ctsim lesson list: \/.*\/mine\.yaml:\d+:5 at \$\.steps\[1\]\.id: expected an id no other step has, found "build", already the id of step 1\n$/);
  });
});

describe('ctsim lesson start (errors)', () => {
  it('refuses an unknown lesson (exit 2, naming the lessons) and a pipe for a terminal (exit 2)', () => {
    const bad = runBuiltCli(['lesson', 'start', 'no-such-lesson']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/expected one of the lessons .*chroot.*found "no-such-lesson"/);
    const piped = runBuiltCli(['lesson', 'start', 'chroot']);
    expect(piped.status).toBe(2);
    expect(piped.stderr).toMatch(/^ctsim lesson start: standard input and output: expected a terminal \(lessons are interactive\)/);
  });
});

describe.skipIf(!HAS_TMUX)('ctsim lesson start, every lesson driven at a terminal under tmux', () => {
  for (const name of lib.names()) {
    it(`${name}: every step passes when its command is typed, and not before`, () => {
      const screen = driveLesson(lib.load(name), 'en', lib.words('en'));
      expect(screen).toContain(lib.load(name).title);
    }, 600_000);
  }
  for (const lang of lib.languages().filter((l) => l !== 'en')) {
    for (const name of lib.names().filter((n) => lib.languagesOf(n).includes(lang))) {
      it(`${name} in ${lang}: completes, in ${lang}`, () => {
        const lesson = lib.loadIn(name, lang);
        const words = lib.words(lang);
        const screen = driveLesson(lesson, lang, words);
        expect(screen).toContain(lesson.title);
        expect(screen).toContain(lesson.steps[0].say.split('\n')[0]);
        expect(screen).toContain(words.complete);
      }, 600_000);
    }
  }
});

describe.skipIf(!HAS_TMUX)('ctsim lesson start: ctsim sh\'s words at the prompt', () => {
  it('explains why the last command failed (not the lesson\'s own checks), and offers no snapshots', () => {
    const t = TmuxSession.start('wt-lesson-words', ['node', 'bin/run.js', 'lesson', 'start', 'chroot'], { cwd: REPO_ROOT, env: { NO_COLOR: '1', LANG: 'C' } });
    sessions.push(t);
    try {
      expect(t.waitFor(atPrompt, 30_000)).not.toBeNull();
      typeAndWait(t, 'cat /nonexistent', 'cat', '\u0000');
      const explained = typeAndWait(t, 'explain', 'explain', '\u0000');
      expect(explained).toMatch(/cat\[\d+\] open\w* failed with ENOENT: nonexistent does not exist in \//);
      // The step's sh check ran at that prompt too; its failures are not the learner's.
      expect(explained.split('# explain')[1]).not.toMatch(/^sh\[/m);
      expect(typeAndWait(t, ':snapshot a', 'snapshot', '\u0000')).toContain(':snapshot is not offered here');
    } finally {
      t.kill();
    }
  }, 120_000);
});

if (!HAS_TMUX) {
  describe('ctsim lesson start at a terminal', () => {
    it.skip('needs tmux (apt-get install tmux; .ci/run installs it): the lessons were not driven', () => undefined);
  });
}
