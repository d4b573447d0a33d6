export * from './metric-defaults.js';
