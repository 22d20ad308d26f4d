import { describe, expect, it } from 'vitest';
import { createWholeObjectSplitter } from './none.js';
import { CHUNKINGS, splitAll } from './test-support/feed.js';

describe.each(CHUNKINGS)('None splitter, input fed $name', ({ cut }) => {
  it('hands over the whole object as one record at the end', () => {
    const data = Buffer.from('{"instances": [[1, 2], [3, 4]]}\n{"more": true}');
    const { records, positions, blocks } = splitAll(createWholeObjectSplitter(), cut(data));
    expect(records).toEqual([data]);
    expect(positions).toEqual([0]);
    expect(blocks).toHaveLength(1);
  });

  it('makes an empty object one empty record, as SageMaker sends it', () => {
    const { records } = splitAll(createWholeObjectSplitter(), cut(Buffer.alloc(0)));
    expect(records).toEqual([Buffer.alloc(0)]);
  });
});

describe('None splitter', () => {
  it('gives nothing until the end, and hands one chunk over without copying it', () => {
    const splitter = createWholeObjectSplitter();
    const chunk = Buffer.from('abc');
    expect(splitter.push(chunk)).toEqual([]);
    const [block] = splitter.end();
    expect(block?.buffer).toBe(chunk);
    expect(splitter.done).toBe(true);
  });
});
