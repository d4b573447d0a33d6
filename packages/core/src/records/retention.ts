import type { FeatureDefinition, RetentionPart } from './feature.js';
import { webhookDeliveriesRetention } from './webhooks/retention-part.js';

/** What retention archives: the features' parts and the shared records' (finished webhook deliveries). */
export const retentionParts = (features: readonly FeatureDefinition[]): RetentionPart[] => [
  ...features.flatMap((feature) => feature.hooks?.retention ?? []),
  webhookDeliveriesRetention,
];
