import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * The size V8's young generation (its two semi-spaces) is held to while a long local write transaction runs: what
 * `node --max-semi-space-size=16` gives. By default V8 lets it grow to 128 MB (two 64 MB semi-spaces) on a machine with
 * a few GB of memory, and a long import, whose chunks survive a scavenge or two, always grows it there: measured on a
 * tenth of the 10,000-engineer organisation's tail lists, 120 MB of a 421 MB peak, against 32 MB of 306 MB when held.
 */
export const YOUNG_GENERATION_BYTES = 32 * 1024 * 1024;

/** V8's own factor: each growth of the young generation doubles it. */
const DEFAULT_GROWTH_FACTOR = 2;

/** What {@link holdYoungGeneration} reads and sets in V8 (Node's `node:v8` unless a test gives its own). */
export interface YoungGenerationControl {
  /** The young generation's current size in bytes (V8's `new_space`). */
  size(): number;
  /** Sets V8's `--semi-space-growth-factor` (read each time V8 grows the young generation; 1 stops the growth). */
  setGrowthFactor(factor: number): void;
}

/** Node's V8: the `new_space` of the heap statistics, and the growth factor flag. */
export const nodeYoungGeneration: YoungGenerationControl = {
  size: () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0,
  setGrowthFactor: (factor) => setFlagsFromString(`--semi-space-growth-factor=${factor}`),
};

/** How the young generation is over the size it is held to: see {@link YoungGenerationHold.excess}. */
export type YoungGenerationExcess = 'none' | 'pages' | 'grown';

/** A hold on the young generation's size, taken by one long transaction. */
export interface YoungGenerationHold {
  /** Lets the young generation grow while it is under {@link YOUNG_GENERATION_BYTES}, and stops it there. */
  step(): void;
  /** Whether V8 may still grow the young generation (it is under {@link YOUNG_GENERATION_BYTES}): step often then. */
  growing(): boolean;
  /**
   * How the young generation is over {@link YOUNG_GENERATION_BYTES}, if it is: `'grown'` when it is twice that or more (V8
   * doubled it before the hold, or twice within one statement: only a collection that reduces memory shrinks it);
   * `'pages'` when it is less (while a major collection marks, V8 adds pages beyond the young generation's size rather
   * than scavenge, and gives them back when that collection ends: a full collection now ends it).
   */
  excess(): YoungGenerationExcess;
  /** Gives V8 its own growth back once no hold is left (idempotent). */
  release(): void;
}

/** Whether Node's options (its command line, `NODE_OPTIONS`) set the young generation's size: the user's choice wins. */
export const youngGenerationChosen = (options: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? '']): boolean =>
  /--(max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor|--max[-_]young[-_]generation[-_]size/.test(options.join(' '));

// Holds taken and not released, and the factor last set, per control (one in practice: Node's V8, process-wide).
const holders = new WeakMap<YoungGenerationControl, { count: number; factor: number }>();

/**
 * Holds V8's young generation at {@link YOUNG_GENERATION_BYTES} until released. V8 reads its maximum young generation
 * only when Node starts, so it cannot be lowered from code; but it grows the young generation one doubling at a time,
 * by a factor it reads each time: set to 1 once the size is reached, the young generation stays there. A collection
 * that reduces memory (`gc({ flavor: 'last-resort' })`) shrinks one that grew before the hold. V8 still adds pages
 * beyond the size while a major collection marks (its `--separate-gc-phases`, on by default, lets no scavenge run
 * then), until that collection ends: {@link YoungGenerationHold.excess} tells them apart. Process-wide, as V8's
 * flags are: the last release gives V8 its default factor back. Does nothing when the user set the young generation's
 * size (`--max-semi-space-size` and the like in the command line or `NODE_OPTIONS`).
 */
export function holdYoungGeneration(
  v8: YoungGenerationControl = nodeYoungGeneration,
  userChose = youngGenerationChosen(),
): YoungGenerationHold {
  if (userChose) return { step: () => {}, growing: () => false, excess: () => 'none', release: () => {} };
  const shared = holders.get(v8) ?? { count: 0, factor: DEFAULT_GROWTH_FACTOR };
  holders.set(v8, shared);
  shared.count++;
  let held = true;
  const setFactor = (factor: number) => {
    if (shared.factor === factor) return;
    v8.setGrowthFactor(factor);
    shared.factor = factor;
  };
  const step = () => {
    if (held) setFactor(v8.size() >= YOUNG_GENERATION_BYTES ? 1 : DEFAULT_GROWTH_FACTOR);
  };
  step();
  return {
    step,
    growing: () => held && shared.factor !== 1,
    excess: () => {
      const size = held ? v8.size() : 0;
      return size >= 2 * YOUNG_GENERATION_BYTES ? 'grown' : size > YOUNG_GENERATION_BYTES ? 'pages' : 'none';
    },
    release: () => {
      if (!held) return;
      held = false;
      shared.count--;
      if (shared.count === 0) setFactor(DEFAULT_GROWTH_FACTOR);
    },
  };
}
