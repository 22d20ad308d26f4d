// The comparisons procedures over HTTP: what a client sees for good and bad requests. No worker
// runs here, so jobs stay unplanned and comparisons wait for them (computing is tested end to end
// in tests/service/compare.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startTestApi, type ApiClient } from '../../test-support/api-harness.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let client: ApiClient;

const IO = { input: { uri: 'file:///tmp/sluice-compare-api/in/' }, output: { uri: 'file:///tmp/sluice-compare-api/out/' } };
const LINES = { splitType: 'Line', assembleWith: 'Line' } as const;

beforeAll(async () => {
  api = await startTestApi();
  client = api.client;
  await client.models.create.mutate({ name: 'm1', kind: 'http', url: 'http://127.0.0.1:9' });
  await client.models.create.mutate({ name: 'm2', kind: 'http', url: 'http://127.0.0.1:9' });
  // Each job writes to its own place, as jobs to be compared must.
  const own = (name: string) => ({ input: IO.input, output: { uri: `${IO.output.uri}${name}/` } });
  for (const [name, modelName] of [['job-1', 'm1'], ['job-2', 'm2']]) await client.jobs.create.mutate({ name: name!, modelName: modelName!, ...own(name!), transform: LINES });
  await client.jobs.create.mutate({ name: 'job-concat', modelName: 'm1', ...own('job-concat'), transform: { splitType: 'Line', assembleWith: 'None' } });
});
afterAll(async () => {
  await api?.stop();
});

const variants = (models: Array<[string, string]>, transform: Record<string, unknown> = LINES) => ({
  models: models.map(([variant, modelName]) => ({ variant, modelName })),
  ...IO,
  transform,
});

describe('comparisons.create', () => {
  it('compares existing jobs: waits for them while they run, and shows them in order', async () => {
    const created = await client.comparisons.create.mutate({ name: 'pair', jobs: ['job-2', 'job-1'], groundTruth: '$.lang', labelPath: '_c0' });
    expect(created).toMatchObject({
      name: 'pair',
      status: 'WaitingForJobs',
      failureReason: null,
      jobs: [
        { name: 'job-2', modelName: 'm2', status: 'InProgress' },
        { name: 'job-1', modelName: 'm1', status: 'InProgress' },
      ],
      groundTruth: '$.lang',
      labelPath: '_c0',
      createdBy: 'local',
      startTime: null,
      results: null,
    });
    expect(created.creationTime).toBeInstanceOf(Date);
    expect(await client.comparisons.describe.query({ name: 'pair' })).toEqual(created);
    expect((await client.jobs.describe.query({ name: 'job-1' })).comparisons).toEqual([{ name: 'pair', status: 'WaitingForJobs' }]);
  });

  it('creates one job per model, named <comparison>-<variant>, each writing under <output>/<variant>/', async () => {
    const created = await client.comparisons.create.mutate({ name: 'trio', variants: variants([['a', 'm1'], ['b', 'm2'], ['c', 'm1']]) });
    expect(created.jobs).toEqual([
      { name: 'trio-a', modelName: 'm1', status: 'InProgress' },
      { name: 'trio-b', modelName: 'm2', status: 'InProgress' },
      { name: 'trio-c', modelName: 'm1', status: 'InProgress' },
    ]);
    const job = await client.jobs.describe.query({ name: 'trio-b' });
    expect(job).toMatchObject({ output: { uri: 'file:///tmp/sluice-compare-api/out/b/' }, input: IO.input, transform: LINES, tags: [{ key: 'sluice:comparison', value: 'trio' }] });
    expect(job.comparisons).toEqual([{ name: 'trio', status: 'WaitingForJobs' }]);
  });

  it('refuses both jobs and variants, or neither', async () => {
    for (const request of [{ name: 'both', jobs: ['job-1', 'job-2'], variants: variants([['a', 'm1'], ['b', 'm2']]) }, { name: 'neither' }]) {
      const error = await failureOf(client.comparisons.create.mutate(request));
      expect(error.data).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', issues: [{ path: 'jobs', message: 'give either jobs (existing jobs to compare) or variants (models to run), not both' }] });
    }
  });

  it('names every job that does not exist in the team', async () => {
    const error = await failureOf(client.comparisons.create.mutate({ name: 'ghosts', jobs: ['job-1', 'nope', 'gone'] }));
    expect(error.data).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
    expect(error.message).toBe("no transform job named 'nope', 'gone'");
  });

  it('refuses a job listed twice, too few or too many jobs, and labels it cannot read', async () => {
    const error = await failureOf(client.comparisons.create.mutate({ name: 'bad', jobs: ['job-1', 'job-1'], labelPath: '$.a[', groundTruth: 'lang', maxDisagreements: -1 }));
    expect(error.data?.issues).toEqual([
      { path: 'maxDisagreements', message: 'must be at least 0' },
    ]);
    const second = await failureOf(client.comparisons.create.mutate({ name: 'bad', jobs: ['job-1', 'job-1'], labelPath: '$.a[', groundTruth: 'lang' }));
    expect(second.data?.issues).toEqual([
      { path: 'labelPath', message: "expected an index, a slice or a quoted name at position 4" },
      { path: 'groundTruth', message: "'lang' is neither a JSONPath (starting with $, e.g. $.label) nor a CSV column (_c3 or 3, counted from 0)" },
      { path: 'jobs.1', message: "job 'job-1' is listed twice; compare different jobs" },
    ]);
    expect((await failureOf(client.comparisons.create.mutate({ name: 'one', jobs: ['job-1'] }))).data?.issues).toEqual([{ path: 'jobs', message: 'compare at least 2 jobs' }]);
  });

  it('refuses jobs whose outputs cannot be read record by record', async () => {
    const error = await failureOf(client.comparisons.create.mutate({ name: 'concat', jobs: ['job-1', 'job-concat'] }));
    expect(error.data?.issues).toEqual([
      { path: 'jobs', message: "job 'job-concat' ran with AssembleWith None: its answers are concatenated and its output cannot be read record by record; compare jobs run with AssembleWith Line" },
    ]);
    const variantsError = await failureOf(client.comparisons.create.mutate({ name: 'concat', variants: variants([['a', 'm1'], ['b', 'm2']], {}) }));
    expect(variantsError.data?.issues).toEqual([
      { path: 'variants.transform.assembleWith', message: "must be Line: a comparison reads each variant's output one line per input record" },
      { path: 'variants.transform.splitType', message: 'must be Line, RecordIO or TFRecord: with None each object is one record whose answer may span many lines, and cannot be compared record by record' },
    ]);
  });

  it('refuses variants with an unknown model, naming it, and creates none of their jobs', async () => {
    const error = await failureOf(client.comparisons.create.mutate({ name: 'haunted', variants: variants([['a', 'm1'], ['b', 'ghost']]) }));
    expect(error.data).toMatchObject({ appCode: 'VALIDATION', issues: [{ path: 'variants.models.1.modelName', message: "no model named 'ghost'" }] });
    expect(error.message).toBe("variant job 'haunted-b': variants.models.1.modelName: no model named 'ghost'");
    expect((await failureOf(client.jobs.describe.query({ name: 'haunted-a' }))).data?.code).toBe('NOT_FOUND');
  });

  it('refuses variant names twice over and job names past 63 characters', async () => {
    const long = 'v'.repeat(60);
    const error = await failureOf(client.comparisons.create.mutate({ name: 'dup', variants: variants([['a', 'm1'], ['a', 'm2'], [long, 'm1']]) }));
    expect(error.data?.issues).toEqual([
      { path: 'variants.models.1.variant', message: "variant 'a' is named twice; each variant needs its own name" },
      { path: 'variants.models.2.variant', message: `the variant's job would be named 'dup-${long}', longer than 63 characters: shorten the comparison or the variant name` },
    ]);
  });

  it('refuses a second comparison of the same name with CONFLICT, and a variant job whose name is taken', async () => {
    const error = await failureOf(client.comparisons.create.mutate({ name: 'pair', jobs: ['job-1', 'job-2'] }));
    expect(error.data).toMatchObject({ code: 'CONFLICT', appCode: 'ALREADY_EXISTS' });
    expect(error.message).toBe("a comparison named 'pair' already exists; comparison names are unique: choose another");
    // `trio-a` exists: a comparison named `trio` with a variant `a` again would need it.
    const taken = await failureOf(client.comparisons.create.mutate({ name: 'trio', variants: variants([['z', 'm1'], ['a', 'm2']]) }));
    expect(taken.message).toBe("a transform job named 'trio-a' already exists (variant jobs are named <comparison>-<variant>): choose another comparison or variant name");
    expect((await failureOf(client.jobs.describe.query({ name: 'trio-z' }))).data?.code).toBe('NOT_FOUND');
  });
});

describe('comparisons.describe and comparisons.list', () => {
  it('answers NOT_FOUND for an unknown comparison', async () => {
    const error = await failureOf(client.comparisons.describe.query({ name: 'nothing' }));
    expect(error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    expect(error.message).toBe("no comparison named 'nothing'");
  });

  it('lists newest first, page by page, and refuses a cursor it did not make', async () => {
    const first = await client.comparisons.list.query({ limit: 1 });
    expect(first.items.map((c) => [c.name, c.status, c.records])).toEqual([['trio', 'WaitingForJobs', null]]);
    const rest = await client.comparisons.list.query({ limit: 10, cursor: first.nextCursor! });
    expect(rest).toMatchObject({ items: [{ name: 'pair', jobs: [{ name: 'job-2' }, { name: 'job-1' }] }], nextCursor: null });
    expect((await client.comparisons.list.query()).items.map((c) => c.name)).toEqual(['trio', 'pair']);
    const error = await failureOf(client.comparisons.list.query({ cursor: 'garbage' }));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: 'cursor', message: 'not a cursor from this listing' }] });
  });
});
