export * from './opt-outs.js';
