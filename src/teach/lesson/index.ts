/** Lessons: guided tours as data files (`lessons/`), and a learner's progress through one. */
export { ENGLISH_WORDS, parseLesson, parseTranslation, parseWords, translateLesson } from './lesson-file.js';
export type { Lesson, LessonCheck, LessonHost, LessonStep, LessonTexts, LessonWords, SchemaSource } from './lesson-file.js';
export { BASE_LANG, LessonLibrary, defaultLessonsDir, localeLanguage, unknownLesson } from './lesson-library.js';
export { LessonProgress, PLAIN_STYLE } from './lesson-progress.js';
export type { CheckRunner, LessonStyle } from './lesson-progress.js';
