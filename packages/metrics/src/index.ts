export * from './digests/index.js';
export * from './signals/index.js';
