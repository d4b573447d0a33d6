export * from './feedback-effect.js';
