export * from './survey-evidence.js';
