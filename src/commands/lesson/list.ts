/** `ctsim lesson list`: the lessons ctsim ships, in order, with the languages each is in. */
import { Flags } from '@oclif/core';
import Table from 'cli-table3';
import { BaseCommand } from '../base.js';
import { chooseLanguage, lessonFlags, lessonLibrary } from './common.js';

export default class LessonList extends BaseCommand {
  static override summary = 'List the lessons: guided tours of chroot, namespaces, cgroups and containers on a simulated host.';
  static override description = 'Each lesson boots a simulated host and walks you through it step by step at an interactive shell; start one with "ctsim lesson start NAME". Lessons are YAML files in the lessons/ directory of ctsim (translations in lessons/i18n/LANG/).';
  static override examples = ['<%= config.bin %> lesson list', '<%= config.bin %> lesson list --lang es'];
  static override flags = { ...lessonFlags, json: Flags.boolean({ description: 'Print JSON.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(LessonList);
    const lib = lessonLibrary(flags.dir);
    const lang = chooseLanguage(lib, flags.lang);
    const rows = lib
      .names()
      .map((name) => {
        const l = lib.loadIn(name, lang);
        return { order: l.order, name, title: l.title, summary: l.summary, steps: l.steps.length, languages: lib.languagesOf(name) };
      })
      .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    if (flags.json) {
      this.printJson({ lang, lessons: rows });
      return;
    }
    const width = Math.max(60, (process.stdout.columns ?? 100) - 2);
    // The name is what the learner types next: never cut it.
    const nameWidth = Math.max(6, ...rows.map((r) => r.name.length)) + 2;
    const summaryWidth = Math.max(30, width - 36 - nameWidth);
    const t = new Table({
      head: ['#', 'NAME', 'TITLE', 'SUMMARY', 'LANG'],
      style: { head: [], border: [] },
      colWidths: [4, nameWidth, 24, summaryWidth, 8],
      wordWrap: true,
    });
    for (const r of rows) t.push([r.order, r.name, r.title, r.summary, r.languages.join(' ')]);
    this.out(`${t.toString()}\nStart one with: ctsim lesson start NAME${lang === 'en' ? '' : ` --lang ${lang}`}\n`);
  }
}
