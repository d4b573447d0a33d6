// The builds feature's door for the rest of core: other features import it only from here.

export { buildsFeature } from './feature.js';
