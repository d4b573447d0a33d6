// The privacy service's door for the facade and the features.
export * from './opt-outs.js';
