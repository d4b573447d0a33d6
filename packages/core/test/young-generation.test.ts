import { describe, expect, it } from 'vitest';
import {
  holdYoungGeneration,
  YOUNG_GENERATION_BYTES,
  type YoungGenerationControl,
  youngGenerationChosen,
} from '../src/kernel/store/young-generation.js';

const MB = 1024 * 1024;

interface FakeV8 {
  bytes: number;
  factor: number;
  factors: number[];
  grow(): void;
  control: YoungGenerationControl;
}

// V8 as the hold sees it: a young generation that doubles at each growth, by the factor last set.
function fakeV8(startBytes: number): FakeV8 {
  const v8: FakeV8 = {
    bytes: startBytes,
    factor: 2,
    factors: [],
    grow() {
      v8.bytes = Math.min(128 * MB, v8.bytes * v8.factor);
    },
    control: {
      size: () => v8.bytes,
      setGrowthFactor: (factor) => {
        v8.factor = factor;
        v8.factors.push(factor);
      },
    },
  };
  return v8;
}

describe('holdYoungGeneration', () => {
  it('lets the young generation grow up to 32 MB and stops it there', () => {
    const v8 = fakeV8(MB);
    const hold = holdYoungGeneration(v8.control, false);
    for (let i = 0; i < 20; i++) {
      v8.grow();
      hold.step();
    }
    expect(v8.bytes).toBe(YOUNG_GENERATION_BYTES);
    expect(v8.factors).toEqual([1]);
    expect(hold.growing()).toBe(false);
    expect(hold.excess()).toBe('none');
    hold.release();
    expect(v8.factors).toEqual([1, 2]);
  });

  it('tells pages V8 adds beyond the size while a major collection marks from a young generation that doubled past it', () => {
    const v8 = fakeV8(YOUNG_GENERATION_BYTES);
    const hold = holdYoungGeneration(v8.control, false);
    v8.bytes = YOUNG_GENERATION_BYTES + MB / 4; // one 256 KB page beyond it
    expect(hold.excess()).toBe('pages');
    v8.bytes = 2 * YOUNG_GENERATION_BYTES - MB / 4;
    expect(hold.excess()).toBe('pages');
    v8.bytes = 2 * YOUNG_GENERATION_BYTES;
    expect(hold.excess()).toBe('grown');
    hold.release();
    expect(hold.excess()).toBe('none');
  });

  it('says a young generation that grew before the hold has grown (a collection shrinks it), and lets it regrow to the size', () => {
    const v8 = fakeV8(128 * MB);
    const hold = holdYoungGeneration(v8.control, false);
    expect(hold.excess()).toBe('grown');
    expect(v8.factor).toBe(1);
    v8.bytes = MB; // what a collection that reduces memory leaves
    hold.step();
    expect(v8.factor).toBe(2);
    expect(hold.growing()).toBe(true);
    for (let i = 0; i < 20; i++) {
      v8.grow();
      hold.step();
    }
    expect(v8.bytes).toBe(YOUNG_GENERATION_BYTES);
    hold.release();
  });

  it('gives V8 its own growth back only when the last of several holds is released, once', () => {
    const v8 = fakeV8(64 * MB);
    const first = holdYoungGeneration(v8.control, false);
    const second = holdYoungGeneration(v8.control, false);
    first.release();
    first.release();
    expect(v8.factor).toBe(1);
    second.step();
    expect(v8.factor).toBe(1);
    second.release();
    expect(v8.factors).toEqual([1, 2]);
    // A released hold no longer steers.
    second.step();
    expect(v8.factors).toEqual([1, 2]);
  });

  it('leaves V8 alone when the user chose the young generation size (--max-semi-space-size in NODE_OPTIONS)', () => {
    const v8 = fakeV8(128 * MB);
    const hold = holdYoungGeneration(v8.control, true);
    hold.step();
    expect(hold.excess()).toBe('none');
    hold.release();
    expect(v8.factors).toEqual([]);
  });

  it('knows the options that set the young generation', () => {
    expect(youngGenerationChosen(['--max-semi-space-size=16'])).toBe(true);
    expect(youngGenerationChosen(['', '--max_semi_space_size=8 --trace-warnings'])).toBe(true);
    expect(youngGenerationChosen(['--max-young-generation-size=48'])).toBe(true);
    expect(youngGenerationChosen(['--max-old-space-size=4096', '--enable-source-maps'])).toBe(false);
  });
});
