import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often a read resumes after losing its body, in a row, before it fails. */
export const READ_RESUMES = 4;
/** Resumes of one read in all, however much each brought: a link that always breaks soon gives up. */
export const READ_RESUMES_TOTAL = 50;
/** The first resume waits this long; each next one twice as long. */
const RESUME_BACKOFF_MS = 200;

export interface ResumableSource {
  /** The first body, as the store opened it. */
  first: Readable;
  /** Opens the body again from absolute byte `from` (of the same object version). */
  reopen(from: number): Promise<Readable>;
  /** Where the first body starts and where the read ends (exclusive; undefined: the object's end). */
  start: number;
  end?: number;
  /** Whether an error is worth resuming after (a reset, a timeout, a 5xx), not the caller's abort. */
  retryable(error: unknown): boolean;
  /** A body silent this long is closed and resumed (a stalled connection sends nothing, and says nothing). */
  idleMs: number;
  /** The error the read fails with after the last resume. */
  giveUp(error: unknown, resumes: number, offset: number): Error;
  signal?: AbortSignal;
}

/**
 * A body that survives a dropped connection: when the stream fails mid-way, it is opened again from
 * the last byte received (a ranged GET of the same version) and the bytes go on in order, so the
 * reader never sees the break. Resumes are counted in a row: each one that brings bytes starts the
 * count again. Nothing is buffered here beyond the chunk in hand.
 */
export function resumableRead(source: ResumableSource): Readable {
  async function* bytes(): AsyncGenerator<Buffer> {
    let body = source.first;
    let offset = source.start;
    let failures = 0;
    let resumes = 0;
    for (;;) {
      const current = body;
      const stall = () => current.destroy(new BodyStalled(source.idleMs));
      let watchdog = setTimeout(stall, source.idleMs);
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          clearTimeout(watchdog);
          offset += chunk.length;
          failures = 0;
          yield chunk;
          watchdog = setTimeout(stall, source.idleMs);
        }
        return;
      } catch (error) {
        body.destroy();
        if (source.signal?.aborted || !source.retryable(error)) throw error;
        if (++failures > READ_RESUMES || ++resumes > READ_RESUMES_TOTAL) throw source.giveUp(error, failures > READ_RESUMES ? READ_RESUMES : READ_RESUMES_TOTAL, offset);
        if (source.end !== undefined && offset >= source.end) return;
        await sleep(RESUME_BACKOFF_MS * 2 ** (failures - 1), undefined, { signal: source.signal });
        body = await openAgain(source, offset, failures);
      } finally {
        clearTimeout(watchdog);
      }
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}

/** Opening again can fail too (the same outage): that counts as a failed resume. */
async function openAgain(source: ResumableSource, offset: number, failures: number): Promise<Readable> {
  for (;;) {
    try {
      return await source.reopen(offset);
    } catch (error) {
      if (source.signal?.aborted || !source.retryable(error)) throw error;
      if (++failures > READ_RESUMES) throw source.giveUp(error, READ_RESUMES, offset);
      await sleep(RESUME_BACKOFF_MS * 2 ** (failures - 1), undefined, { signal: source.signal });
    }
  }
}

/** A body that sent nothing for `idleMs`: resumed like a reset connection. */
export class BodyStalled extends Error {
  override readonly name = 'TimeoutError';
  constructor(idleMs: number) {
    super(`the body stalled: nothing for ${idleMs / 1000} s`);
  }
}
