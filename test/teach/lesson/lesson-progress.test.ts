/**
 * A learner's progress, without a terminal: typed lines and output fed in, what to
 * print asked for at each prompt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH_WORDS, LessonProgress, defaultLessonsDir, parseLesson } from '../../../src/teach/lesson/index.js';

const readSchema = (file: string): object => JSON.parse(readFileSync(join(defaultLessonsDir(), 'schema', file), 'utf8')) as object;

const LESSON = parseLesson(
  `name: demo
title: Demo
summary: A demo.
order: 1
intro: The intro.
steps:
  - id: first
    say: Say the words.
    command: |
      echo hello
      ls
    notice: You said them.
    hint: Echo them.
    check:
      typed: '^echo hello$'
      output: '^bin$'
  - id: second
    say: Make the file.
    command: touch /f
    notice: Made.
    check:
      sh: test -f /f
outro: The outro.
`,
  'demo.yaml',
  'demo',
  readSchema,
);

/** A progress whose sh checks answer from `files` (the scripts it was asked to run are kept). */
function progress(): { p: LessonProgress; files: Set<string>; scripts: string[] } {
  const files = new Set<string>();
  const scripts: string[] = [];
  const p = new LessonProgress(LESSON, ENGLISH_WORDS, (script) => {
    scripts.push(script);
    return files.has('/f');
  });
  return { p, files, scripts };
}

describe('LessonProgress', () => {
  it('shows the intro and step 1 at the first prompt, and no ✓ until every condition holds', () => {
    const { p } = progress();
    const first = p.atPrompt();
    expect(first).toContain('== Demo ==');
    expect(first).toContain('The intro.');
    expect(first).toContain('-- Step 1/2: first --');
    expect(first).toContain('    echo hello\n    ls\n');
    expect(p.atPrompt()).toBe('');
    expect(p.command('echo hello')).toBeNull();
    p.recordOutput('hello\r\n# ');
    // Typed, but the output has no line "bin" yet.
    expect(p.atPrompt()).toBe('');
    expect(p.command('ls')).toBeNull();
    p.recordOutput('bin\r\n# ');
    const passed = p.atPrompt();
    expect(passed).toContain('✓ Step 1/2 done\nYou said them.\n');
    expect(passed).toContain('-- Step 2/2: second --');
    expect(p.current?.id).toBe('second');
  });

  it('puts a typed line after the prompt in the output, as the screen shows it (so ^ anchors at the line)', () => {
    const { p } = progress();
    p.atPrompt();
    p.recordOutput('# ');
    p.command('echo hello');
    p.recordOutput('# ');
    p.command('x');
    p.recordOutput('bin\r\n# ');
    expect(p.atPrompt()).toContain('✓ Step 1/2 done');
  });

  it('forgets what was typed and shown when a step begins', () => {
    const { p, files, scripts } = progress();
    p.atPrompt();
    p.command('echo hello');
    p.recordOutput('bin\n');
    p.atPrompt();
    expect(scripts).toEqual([]);
    expect(p.atPrompt()).toBe('');
    expect(scripts).toEqual(['test -f /f']);
    files.add('/f');
    const end = p.atPrompt();
    expect(end).toContain('✓ Step 2/2 done\nMade.\n');
    expect(end).toContain('The outro.\n\nLesson complete\n');
    expect(p.isComplete).toBe(true);
    expect(p.atPrompt()).toBe('');
  });

  it('answers lesson, lesson hint, lesson skip, lesson quit and an unknown word, without recording them', () => {
    const { p, files } = progress();
    p.atPrompt();
    expect(p.command('lesson')).toContain('-- Step 1/2: first --');
    expect(p.command('  lesson   hint ')).toBe('Echo them.\nType:\n    echo hello\n    ls\n\n');
    expect(p.command('lesson frobnicate')).toBe(`${ENGLISH_WORDS.unknown}\n`);
    expect(p.command('lesson skip')).toContain('Step 1/2 skipped\n\n-- Step 2/2: second --');
    expect(p.command('lesson hint')).toContain(ENGLISH_WORDS.noHint);
    files.add('/f');
    expect(p.command('lesson quit')).toBe('Lesson "demo" ended. Start again with: ctsim lesson start demo\n');
    expect(p.hasQuit).toBe(true);
    expect(p.isOver).toBe(true);
    // After quit nothing more is checked or said.
    expect(p.atPrompt()).toBe('');
  });

  it('a lesson command is never a typed line for a check', () => {
    const lesson = { ...LESSON, steps: [{ ...LESSON.steps[0], check: { typed: /lesson/ } }] };
    const p = new LessonProgress(lesson, ENGLISH_WORDS, () => true);
    p.atPrompt();
    p.command('lesson');
    expect(p.atPrompt()).toBe('');
    p.command('echo lesson');
    expect(p.atPrompt()).toContain('✓ Step 1/1 done');
  });
});
