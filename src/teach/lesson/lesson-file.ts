/**
 * Lesson files (`lessons/NAME.yaml`) and their translations
 * (`lessons/i18n/LANG/NAME.yaml`, `lessons/i18n/LANG/_ui.yaml`): YAML checked by the JSON
 * Schemas in `lessons/schema/`, then by the rules a schema cannot express — step ids
 * unique, regular expressions that compile, the name equal to the file's, sizes ctsim
 * reads, translations that name only steps the lesson has.
 *
 * Every error is one line naming `file:line:col`, the key's path, what was expected and
 * what was found (InputError: exit 3).
 */
import type { ValidateFunction } from 'ajv';
import { compileSchema, parseYamlInput, schemaFailure } from '../../sim/yaml-input.js';
import { MAX_HOST_MEMORY_BYTES, parseSize } from '../../sim/units.js';

/** When a step is done: every condition given must hold (at least one is). */
export interface LessonCheck {
  /** A line typed at a shell prompt during the step matches. */
  typed?: RegExp;
  /** The terminal output since the step began matches (flag m). */
  output?: RegExp;
  /** A script run as root in the host's initial namespaces exits 0. */
  sh?: string;
}

export interface LessonStep {
  id: string;
  say: string;
  /** The lines to type, in order (never empty). */
  command: string[];
  notice: string;
  hint: string | null;
  check: LessonCheck;
}

/** The host a lesson boots (ctsim sh's flags); absent fields take those flags' defaults. */
export interface LessonHost {
  cpus?: number;
  memoryBytes?: number;
  swapBytes?: number;
  seed?: number;
}

export interface Lesson {
  name: string;
  title: string;
  summary: string;
  order: number;
  host: LessonHost;
  /** Run hidden before the learner's prompt; '' for none. */
  setup: string;
  intro: string;
  steps: LessonStep[];
  outro: string;
}

/** The texts of a translation (any may be absent: English is shown instead). */
export interface LessonTexts {
  title?: string;
  summary?: string;
  intro?: string;
  outro?: string;
  steps: Record<string, { say?: string; notice?: string; hint?: string }>;
}

/** The words ctsim itself says during a lesson. `{n}`, `{total}`, `{id}`, `{name}` are filled in. */
export interface LessonWords {
  step: string;
  done: string;
  type: string;
  help: string;
  noHint: string;
  skipped: string;
  complete: string;
  quit: string;
  unknown: string;
}

export const ENGLISH_WORDS: LessonWords = {
  step: 'Step {n}/{total}',
  done: 'Step {n}/{total} done',
  type: 'Type:',
  help: '(At the prompt: `lesson` repeats the step, `lesson hint` helps, `lesson skip` moves on, `lesson quit` ends the lesson; `explain` says why the last command failed, `:help` lists ctsim\'s other words.)',
  noHint: 'No hint for this step: type the command shown.',
  skipped: 'Step {n}/{total} skipped',
  complete: 'Lesson complete',
  quit: 'Lesson "{name}" ended. Start again with: ctsim lesson start {name}',
  unknown: 'Unknown lesson command. Use `lesson`, `lesson hint`, `lesson skip` or `lesson quit`.',
};

/** Reads a schema file of `lessons/schema/` (as the caller loads it). */
export type SchemaSource = (file: string) => object;

const validators = new Map<string, ValidateFunction>();
function validatorFor(file: string, readSchema: SchemaSource): ValidateFunction {
  let v = validators.get(file);
  if (!v) validators.set(file, (v = compileSchema(readSchema(file))));
  return v;
}

interface LessonDoc {
  name: string;
  title: string;
  summary: string;
  order: number;
  host?: { cpus?: number; memory?: string; swap?: string; seed?: number };
  setup?: string;
  intro: string;
  steps: { id: string; say: string; command: string; notice: string; hint?: string; check: { typed?: string; output?: string; sh?: string } }[];
  outro: string;
}

/**
 * Parses and checks a lesson file's text. `source` names it in errors; `name` is the
 * name its file gives it (`lessons/NAME.yaml`).
 */
export function parseLesson(text: string, source: string, name: string, readSchema: SchemaSource): Lesson {
  const { data, fail } = parseYamlInput(text, source);
  const validate = validatorFor('lesson.schema.json', readSchema);
  if (!validate(data)) schemaFailure(validate.errors ?? [], data, fail);
  const d = data as LessonDoc;
  if (d.name !== name) fail(['name'], `"${name}", the file's name`, `"${d.name}"`, `rename the file or the lesson`);
  const host: LessonHost = {};
  if (d.host?.cpus !== undefined) host.cpus = d.host.cpus;
  if (d.host?.seed !== undefined) host.seed = d.host.seed;
  for (const key of ['memory', 'swap'] as const) {
    const v = d.host?.[key];
    if (v === undefined) continue;
    const bytes = parseSize(v) ?? -1;
    const least = key === 'memory' ? 16 * 1024 ** 2 : 40 * 1024;
    const tooBig = bytes > MAX_HOST_MEMORY_BYTES;
    if (bytes < 0 || tooBig || (bytes < least && !(key === 'swap' && bytes === 0))) return fail(['host', key], key === 'memory' ? 'a size from 16M to 1T, like 512M or 4G' : 'a size of 0 or from 40K to 1T, like 1G', `"${v}"`);
    if (key === 'memory') host.memoryBytes = bytes;
    else host.swapBytes = bytes;
  }
  const seen = new Map<string, number>();
  const steps = d.steps.map((s, i): LessonStep => {
    const first = seen.get(s.id);
    if (first !== undefined) fail(['steps', i, 'id'], 'an id no other step has', `"${s.id}", already the id of step ${first + 1}`);
    seen.set(s.id, i);
    const regex = (key: 'typed' | 'output', flags: string): RegExp | undefined => {
      const src = s.check[key];
      if (src === undefined) return undefined;
      try {
        return new RegExp(src, flags);
      } catch (e) {
        return fail(['steps', i, 'check', key], 'a JavaScript regular expression', `${JSON.stringify(src)} (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`);
      }
    };
    const command = s.command.split('\n').filter((l) => l.trim() !== '');
    if (command.length === 0) fail(['steps', i, 'command'], 'at least one command to type', 'only blank lines');
    return {
      id: s.id,
      say: s.say,
      command,
      notice: s.notice,
      hint: s.hint ?? null,
      check: { typed: regex('typed', ''), output: regex('output', 'm'), sh: s.check.sh },
    };
  });
  return { name: d.name, title: d.title, summary: d.summary, order: d.order, host, setup: d.setup ?? '', intro: d.intro, steps, outro: d.outro };
}

/** Parses and checks a translation of `lesson`; a step id the lesson lacks is an error naming it. */
export function parseTranslation(text: string, source: string, lesson: Lesson, readSchema: SchemaSource): LessonTexts {
  const { data, fail } = parseYamlInput(text, source);
  const validate = validatorFor('translation.schema.json', readSchema);
  if (!validate(data)) schemaFailure(validate.errors ?? [], data, fail);
  const d = (data ?? {}) as LessonTexts;
  const ids = lesson.steps.map((s) => s.id);
  for (const id of Object.keys(d.steps ?? {})) {
    if (!ids.includes(id)) fail(['steps', id], `a step id of lesson ${lesson.name} (${ids.join(', ')})`, `the unknown step id "${id}"`, 'rename it to the id it translates, or remove it');
  }
  return { ...d, steps: d.steps ?? {} };
}

/** Parses and checks `_ui.yaml`, the words ctsim says in a language. */
export function parseWords(text: string, source: string, readSchema: SchemaSource): Partial<LessonWords> {
  const { data, fail } = parseYamlInput(text, source);
  const validate = validatorFor('ui.schema.json', readSchema);
  if (!validate(data)) schemaFailure(validate.errors ?? [], data, fail);
  return (data ?? {}) as Partial<LessonWords>;
}

/** The lesson with a translation's texts in place of the English ones it gives. */
export function translateLesson(lesson: Lesson, t: LessonTexts): Lesson {
  return {
    ...lesson,
    title: t.title ?? lesson.title,
    summary: t.summary ?? lesson.summary,
    intro: t.intro ?? lesson.intro,
    outro: t.outro ?? lesson.outro,
    steps: lesson.steps.map((s) => {
      const ts = t.steps[s.id] ?? {};
      return { ...s, say: ts.say ?? s.say, notice: ts.notice ?? s.notice, hint: ts.hint ?? s.hint };
    }),
  };
}
