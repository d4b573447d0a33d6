// The ai feature's door for the rest of core: other features import it only from here.

export { aiFeature } from './feature.js';
