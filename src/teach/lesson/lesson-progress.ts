/**
 * A learner's way through a lesson: which step they are at, what they typed at a shell
 * prompt and what the terminal showed since that step began, and when the step's check
 * passes. No terminal here: the caller (`ctsim lesson start`) feeds it typed lines and
 * output, asks it what to say each time a shell is back at its prompt, and prints that.
 *
 *   start ──prompt──▶ intro, step 1 ──prompt: check fails──▶ (nothing)
 *                                    ──prompt: check holds──▶ ✓ notice, step 2 … ✓ outro, complete
 *   `lesson` repeats · `lesson hint` · `lesson skip` · `lesson quit`
 */
import type { Lesson, LessonStep, LessonWords } from './lesson-file.js';

/** Runs a check's script as root in the host's initial namespaces: true when it exits 0. */
export type CheckRunner = (script: string) => boolean;

/** How headings, commands and ✓ lines look (colour at a terminal, plain text elsewhere). */
export interface LessonStyle {
  heading: (s: string) => string;
  command: (s: string) => string;
  ok: (s: string) => string;
}

export const PLAIN_STYLE: LessonStyle = { heading: (s) => s, command: (s) => s, ok: (s) => s };

/** The terminal output kept for `output:` checks (the end of it, in characters). */
const OUTPUT_KEPT = 256 * 1024;

export class LessonProgress {
  /** Index of the current step; steps.length once the lesson is complete. */
  private index = 0;
  private started = false;
  private quit = false;
  /** Lines typed at a shell prompt since the current step began. */
  private typed: string[] = [];
  /** Terminal output since the current step began (\r removed). */
  private output = '';

  constructor(
    readonly lesson: Lesson,
    private readonly words: LessonWords,
    private readonly runCheck: CheckRunner,
    private readonly style: LessonStyle = PLAIN_STYLE,
  ) {}

  /** The step the learner is at; null once the lesson is complete. */
  get current(): LessonStep | null {
    return this.lesson.steps[this.index] ?? null;
  }

  get isComplete(): boolean {
    return this.index >= this.lesson.steps.length;
  }

  /** True once the learner typed `lesson quit`. */
  get hasQuit(): boolean {
    return this.quit;
  }

  /** True once the lesson is complete or the learner quit. */
  get isOver(): boolean {
    return this.isComplete || this.quit;
  }

  /**
   * A line the learner typed at a shell prompt (not a `lesson` command). It joins the
   * output too, after the prompt, as the screen shows it (the real terminal echoed it).
   */
  recordTyped(line: string): void {
    this.typed.push(line);
    this.recordOutput(`${line}\n`);
  }

  /** Text the terminal showed (UTF-8). */
  recordOutput(text: string): void {
    this.output += text.replace(/\r/g, '');
    if (this.output.length > OUTPUT_KEPT) this.output = this.output.slice(-OUTPUT_KEPT);
  }

  /**
   * A shell is back at its prompt: the first time, the intro and step 1; after that, if
   * the current step's check holds, its ✓ and notice and the next step (or the outro).
   * Returns what to print ('' for nothing).
   */
  atPrompt(): string {
    if (this.isOver) return '';
    if (!this.started) {
      this.started = true;
      this.beginStep();
      return `\n${this.style.heading(`== ${this.lesson.title} ==`)}\n\n${block(this.lesson.intro)}\n${this.words.help}\n${this.stepText()}`;
    }
    if (!this.checkHolds()) return '';
    const done = this.style.ok(`✓ ${this.fill(this.words.done)}`);
    const notice = block(this.current!.notice);
    this.index++;
    this.beginStep();
    return `\n${done}\n${notice}${this.nextText()}`;
  }

  /** True when every condition of the current step's check holds now. */
  checkHolds(): boolean {
    const step = this.current;
    if (!step) return false;
    const { typed, output, sh } = step.check;
    if (typed && !this.typed.some((l) => typed.test(l))) return false;
    if (output && !output.test(this.output)) return false;
    if (sh !== undefined && !this.runCheck(sh)) return false;
    return true;
  }

  /**
   * A line typed at a shell prompt: a `lesson …` command is answered (the text to print)
   * and goes no further; any other line is recorded and null returned (the shell gets it).
   */
  command(line: string): string | null {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'lesson') {
      this.recordTyped(line);
      return null;
    }
    const what = words[1] ?? '';
    if (words.length > 2) return `${this.words.unknown}\n`;
    switch (what) {
      case '':
        return this.isOver ? '' : this.stepText();
      case 'hint': {
        const step = this.current;
        if (!step) return '';
        return `${block(step.hint ?? this.words.noHint)}${this.commandText(step)}`;
      }
      case 'skip': {
        if (this.isOver) return '';
        const skipped = this.fill(this.words.skipped);
        this.index++;
        this.beginStep();
        return `\n${skipped}\n${this.nextText()}`;
      }
      case 'quit':
        this.quit = true;
        return `${this.fill(this.words.quit)}\n`;
      default:
        return `${this.words.unknown}\n`;
    }
  }

  /** After a step ends: the next step, or the outro and the word that the lesson is complete. */
  private nextText(): string {
    if (!this.isComplete) return this.stepText();
    return `\n${block(this.lesson.outro)}\n${this.style.ok(this.words.complete)}\n`;
  }

  private beginStep(): void {
    this.typed = [];
    this.output = '';
  }

  /** The current step: heading, what to do and why, and the command to type. */
  private stepText(): string {
    const step = this.current!;
    return `\n${this.style.heading(`-- ${this.fill(this.words.step)}: ${step.id} --`)}\n${block(step.say)}${this.commandText(step)}`;
  }

  private commandText(step: LessonStep): string {
    return `${this.words.type}\n${step.command.map((c) => `    ${this.style.command(c)}\n`).join('')}\n`;
  }

  private fill(template: string): string {
    return template
      .replaceAll('{n}', String(Math.min(this.index + 1, this.lesson.steps.length)))
      .replaceAll('{total}', String(this.lesson.steps.length))
      .replaceAll('{id}', this.current?.id ?? '')
      .replaceAll('{name}', this.lesson.name);
  }
}

/** A text block as printed: trailing blank lines trimmed, one newline at the end. */
function block(text: string): string {
  return text.replace(/\s+$/, '') + '\n';
}
