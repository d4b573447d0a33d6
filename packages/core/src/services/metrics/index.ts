// The metrics feature's door for the rest of core: other features import it only from here.
export * from './metric-defaults.js';
