// The ai feature's door for the rest of core: other features import it only from here.

export { mulberry32, resampledMedian } from './ai-impact.js';
export { aiFeature } from './feature.js';
