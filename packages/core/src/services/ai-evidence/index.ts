// What counts as evidence that AI helped with a pull request: the built-in tool lists and a survey answer's part.
export * from './builtin-ai-lists.js';
export * from './survey-evidence.js';
