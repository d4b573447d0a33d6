import { z } from 'zod';

/** Options of {@link demo}. */
export interface DemoOptions {
  /** `default`: 3 teams, ~20 people, 90 days. `large`: 50 teams, 1,000 people, one year (for benchmarks). */
  scale?: 'default' | 'large';
  /** PRNG seed; the same seed and day give the same organisation. Default 42. */
  seed?: number;
}

/** `connectors.demo` in teamstate.config.yaml: the synthetic organisation, for trying teamstate without credentials. */
export const demoConfigSchema = z.strictObject({
  scale: z.enum(['default', 'large']).optional(),
  seed: z.number().int().optional(),
}) satisfies z.ZodType<DemoOptions>;
