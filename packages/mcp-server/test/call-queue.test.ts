import { describe, expect, it } from 'vitest';
import { createCallQueue } from '../src/tools/call-queue.js';

/** A piece of work the test finishes by hand. */
function deferred() {
  let finish!: (value: string) => void;
  const done = new Promise<string>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createCallQueue: tool calls at most `limit` at a time, in arrival order', () => {
  it('starts a call once an earlier one ends, first come first served', async () => {
    const queue = createCallQueue(2);
    const started: number[] = [];
    const works = [0, 1, 2, 3].map(() => deferred());
    const answers = works.map((work, i) =>
      queue.run(async () => {
        started.push(i);
        return work.done;
      }),
    );
    await settled();
    expect(started).toEqual([0, 1]);
    works[1]!.finish('one');
    expect(await answers[1]).toBe('one');
    await settled();
    expect(started).toEqual([0, 1, 2]);
    works[0]!.finish('zero');
    works[2]!.finish('two');
    await settled();
    expect(started).toEqual([0, 1, 2, 3]);
    works[3]!.finish('three');
    expect(await Promise.all(answers)).toEqual(['zero', 'one', 'two', 'three']);
  });

  it('frees the turn of a call that fails, and never starts a call cancelled while it waits', async () => {
    const queue = createCallQueue(1);
    const started: string[] = [];
    const first = deferred();
    const running = queue.run(async () => {
      started.push('first');
      await first.done;
      throw new Error('broken store');
    });
    const cancel = new AbortController();
    const cancelled = queue.run(async () => {
      started.push('cancelled');
    }, cancel.signal);
    const last = queue.run(async () => {
      started.push('last');
      return 'answered';
    });
    await settled();
    cancel.abort(new Error('the client cancelled'));
    await expect(cancelled).rejects.toThrow('the client cancelled');
    first.finish('');
    await expect(running).rejects.toThrow('broken store');
    expect(await last).toBe('answered');
    expect(started).toEqual(['first', 'last']);
    const already = new AbortController();
    already.abort(new Error('gone'));
    await expect(queue.run(async () => 'never', already.signal)).rejects.toThrow('gone');
  });
});
