export * from './bundle.js';
export * from './common.js';
export * from './delivery.js';
export * from './derived.js';
export * from './identity.js';
export * from './json-path.js';
export * from './timestamp.js';
export * from './work-item.js';
