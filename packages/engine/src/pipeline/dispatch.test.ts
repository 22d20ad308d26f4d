import { describe, expect, it } from 'vitest';
import { OrderedAssembler } from './assemble.js';
import { Dispatcher, type DispatchStages } from './dispatch.js';
import { Limiter } from './limiter.js';
import type { BatchOutput } from './response.js';
import { lineBatches } from './test-support/batches.js';

const answer = (text: string): BatchOutput => ({ chunks: [Buffer.from(text)], recordsOut: 1, failures: [] });
const tick = () => new Promise((r) => setTimeout(r, 5));

function setup(overrides: Partial<DispatchStages> & { window?: number; capacity?: number; sink?: (o: BatchOutput) => Promise<void> }) {
  const written: string[] = [];
  const errors: unknown[] = [];
  const assembler = new OrderedAssembler(overrides.sink ?? (async (o) => void written.push(Buffer.concat(o.chunks).toString())), overrides.window ?? 4);
  let records = 0;
  const dispatcher = new Dispatcher({
    limiter: new Limiter(overrides.capacity ?? 2),
    assembler,
    signal: new AbortController().signal,
    invoke: async (batch) => answer(batch.payload.toString()),
    refuse: (batch) => answer(`refused ${batch.firstRecord}\n`),
    onDispatched: (n) => (records += n),
    fail: (error) => errors.push(error),
    ...overrides,
  });
  return { dispatcher, assembler, written, errors, records: () => records };
}

describe('Dispatcher', () => {
  it('never has more invocations in flight than the limiter allows', async () => {
    let inFlight = 0;
    let most = 0;
    const { dispatcher, assembler, written } = setup({
      capacity: 3,
      window: 100,
      invoke: async (batch) => {
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight--;
        return answer(batch.payload.toString());
      },
    });
    const batches = lineBatches('a\nb\nc\nd\ne\nf\ng\nh\n', { strategy: 'SingleRecord' });
    for (const batch of batches) await dispatcher.dispatch(batch);
    await dispatcher.drain();
    await assembler.finish(dispatcher.batches);
    expect(most).toBe(3);
    expect(written.join('')).toBe('abcdefgh');
  });

  it('holds back the next batch while the window is full of batches the writer has not taken', async () => {
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => (unblock = r));
    const written: string[] = [];
    const { dispatcher } = setup({
      window: 2,
      capacity: 8,
      sink: async (o) => {
        await blocked;
        written.push(Buffer.concat(o.chunks).toString());
      },
    });
    const [b0, b1, b2] = lineBatches('a\nb\nc\n', { strategy: 'SingleRecord' });
    await dispatcher.dispatch(b0!);
    await dispatcher.dispatch(b1!);
    let third = false;
    const dispatching = dispatcher.dispatch(b2!).then(() => (third = true));
    await tick();
    expect(third).toBe(false);
    unblock();
    await dispatching;
    expect(third).toBe(true);
    await dispatcher.drain();
    expect(dispatcher.batches).toBe(3);
  });

  it('hands a record that could not be sent to the error policy, without invoking the model', async () => {
    const invoked: number[] = [];
    const { dispatcher, assembler, written, records } = setup({
      invoke: async (batch) => {
        invoked.push(batch.firstRecord);
        return answer(batch.payload.toString());
      },
    });
    const batches = lineBatches(`ok\n${'x'.repeat(40)}\nok\n`, { maxBytes: 16 });
    for (const batch of batches) await dispatcher.dispatch(batch);
    await dispatcher.drain();
    await assembler.finish(dispatcher.batches);
    expect(written).toEqual(['ok\n', 'refused 1\n', 'ok\n']);
    expect(invoked).toEqual([0, 2]);
    expect(records()).toBe(3);
  });

  it('reports an invocation\'s failure and releases its limiter slot', async () => {
    const limiter = new Limiter(1);
    const { dispatcher, errors } = setup({ limiter, invoke: async () => Promise.reject(new Error('refused')) });
    const [batch] = lineBatches('a\n');
    await dispatcher.dispatch(batch!);
    await dispatcher.drain();
    expect(errors).toEqual([new Error('refused')]);
    const release = await limiter.acquire();
    release();
  });
});
