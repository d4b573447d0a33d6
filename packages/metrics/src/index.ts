export * from './signals/index.js';
