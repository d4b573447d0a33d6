// The feedback feature's door for the rest of core: other features import it only from here.

export { feedbackFeature } from './feature.js';
export * from './feedback-effect.js';
