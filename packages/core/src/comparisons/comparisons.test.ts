import { describe, expect, it } from 'vitest';
import { ZCreateComparisonSchema } from '@sluice/contracts';
import { RecordProcessingError } from '@sluice/engine';
import { parseInput } from '../parse-input.js';
import { incomparableReason } from './comparable-jobs.js';
import { ComparisonTally, MAX_LABELS, NO_LABEL, OTHER_LABEL } from './comparison-tally.js';
import { compileLabelReader, labelLocatorIssue, numericLabel } from './label-locator.js';

const b = (text: string) => Buffer.from(text);

describe('label locators', () => {
  it('reads a JSON field, unquoting strings and keeping other values as written', () => {
    const reader = compileLabelReader('$.label', 'labelPath');
    expect(reader.read(b('{"label":"eng","probability":0.98}'))).toBe('eng');
    expect(reader.read(b('{"label":1.50}'))).toBe('1.50');
    expect(compileLabelReader('$.SageMakerOutput.label', 'labelPath').read(b('{"text":"hi","SageMakerOutput":{"label":"fra"}}'))).toBe('fra');
    expect(compileLabelReader('$', 'labelPath').read(b('"whole"'))).toBe('whole');
  });

  it('reads a CSV column given as _cN or N, 0-based, unquoting it', () => {
    expect(compileLabelReader('_c1', 'groundTruth').read(b('0.3,"cat, big",x'))).toBe('cat, big');
    expect(compileLabelReader('2', 'groundTruth').read(b('0.3,"cat",x\r'))).toBe('x');
  });

  it('names the field and the record when a label is missing', () => {
    const reader = compileLabelReader('$.label', 'labelPath');
    expect(() => reader.read(b('{"lable":"eng"}'))).toThrow(RecordProcessingError);
    expect(() => reader.read(b('{"lable":"eng"}'))).toThrow(/^labelPath '\$\.label': the object at \$ has no field 'label'/);
    expect(() => compileLabelReader('_c5', 'groundTruth').read(b('a,b'))).toThrow(/^groundTruth '\$\[5\]': column index 5 is out of range: the record has 2 columns/);
  });

  it('says what to write instead of a locator it cannot read', () => {
    expect(labelLocatorIssue('label', 'labelPath')).toEqual({ path: 'labelPath', message: "'label' is neither a JSONPath (starting with $, e.g. $.label) nor a CSV column (_c3 or 3, counted from 0)" });
    expect(labelLocatorIssue('$[?(@.a)]', 'groundTruth')).toEqual({ path: 'groundTruth', message: 'filter expressions ([?(...)]) are not supported; expected an index, a slice or a quoted name at position 2, found \'?\'' });
    expect(labelLocatorIssue('$.label', 'labelPath')).toBeUndefined();
    expect(labelLocatorIssue(undefined, 'labelPath')).toBeUndefined();
  });

  it('takes numbers as numbers and nothing else', () => {
    expect([numericLabel('0.93'), numericLabel(' -1e3 '), numericLabel('+.5'), numericLabel('7')]).toEqual([0.93, -1000, 0.5, 7]);
    expect([numericLabel('eng'), numericLabel(''), numericLabel('1,5'), numericLabel('Infinity'), numericLabel('0x10')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('ComparisonTally', () => {
  const tally = (variants: number, options: { label?: string; truth?: string; maxDisagreements?: number } = {}) =>
    new ComparisonTally({
      variants,
      labelReader: options.label ? compileLabelReader(options.label, 'labelPath') : undefined,
      truthReader: options.truth ? compileLabelReader(options.truth, 'groundTruth') : undefined,
      maxDisagreements: options.maxDisagreements ?? 100,
    });

  it('counts exact and label agreement per pair, a confusion matrix, and keeps the first disagreements in order', () => {
    const t = tally(3, { label: '$.l', maxDisagreements: 1 });
    t.add('a', 0, b('in0'), [b('{"l":"x"}'), b('{"l":"x"}'), b('{"l":"x", "p":1}')]);
    t.add('a', 1, b('in1'), [b('{"l":"x"}'), b('{"l":"y"}'), b('{"l":"y"}')]);
    t.add('b', 0, b('in2'), [b('{"l":"y"}'), b('{"l":"y"}'), b('{"l":"y"}')]);
    const f = t.figures();
    expect(f.records).toBe(3);
    expect(f.pairs.map((p) => [p.a, p.b, p.exactAgreement, p.labelAgreement])).toEqual([
      [0, 1, 2 / 3, 2 / 3],
      [0, 2, 1 / 3, 2 / 3],
      [1, 2, 2 / 3, 1],
    ]);
    expect(f.pairs[0]!.confusion).toEqual({ labels: ['x', 'y'], counts: [[1, 1], [0, 1]] });
    expect(f.pairs[0]!.numeric).toBeUndefined();
    expect(f.disagreementCount).toBe(1);
    expect(f.disagreements).toEqual([{ object: 'a', record: 1, input: 'in1', outputs: ['{"l":"x"}', '{"l":"y"}', '{"l":"y"}'] }]);
  });

  it('computes accuracy and per-class precision and recall against the truth', () => {
    const t = tally(1, { label: '$.l', truth: '$.t' });
    const rows: Array<[string, string]> = [['cat', 'cat'], ['cat', 'dog'], ['dog', 'dog'], ['dog', 'dog'], ['bird', 'dog']];
    rows.forEach(([truth, predicted], i) => t.add('o', i, b(`{"t":"${truth}"}`), [b(`{"l":"${predicted}"}`)]));
    const f = t.figures();
    expect(f.truth!.perVariant[0]!.accuracy).toBe(3 / 5);
    expect(f.truth!.perVariant[0]!.perClass).toEqual([
      { label: 'dog', precision: 2 / 4, recall: 1, support: 2 },
      { label: 'cat', precision: 1, recall: 1 / 2, support: 2 },
      { label: 'bird', precision: null, recall: 0, support: 1 },
    ]);
    expect(f.truth!.confusion[0]).toEqual({ labels: ['dog', 'cat', 'bird'], counts: [[2, 0, 0], [1, 1, 0], [1, 0, 0]] });
  });

  it('puts labels past the cap in (other) while agreement stays exact, and gives numbers their mean difference and correlation', () => {
    const t = tally(2);
    for (let i = 0; i < MAX_LABELS + 50; i++) t.add('o', i, b(''), [b(String(i)), b(String(2 * i + 1))]);
    const f = t.figures();
    const pair = f.pairs[0]!;
    expect(pair.labelAgreement).toBe(0);
    expect(pair.numeric!.meanAbsoluteDifference).toBeCloseTo((MAX_LABELS + 49) / 2 + 1, 9);
    expect(pair.numeric!.correlation).toBeCloseTo(1, 12);
    expect(pair.confusion).toBeUndefined();

    const text = tally(2);
    for (let i = 0; i < MAX_LABELS + 50; i++) text.add('o', i, b(''), [b(`w${i}`), b(`w${i}`)]);
    const matrix = text.figures().pairs[0]!.confusion!;
    expect(matrix.labels).toHaveLength(MAX_LABELS + 1);
    expect(matrix.labels[MAX_LABELS]).toBe(OTHER_LABEL);
    expect(matrix.counts[MAX_LABELS]![MAX_LABELS]).toBe(50);
    expect(text.figures().pairs[0]!.labelAgreement).toBe(1);
  });

  it('labels records without a label (no label) and counts them', () => {
    const t = tally(2, { label: '$.l' });
    t.add('o', 0, b(''), [b('{"l":"a"}'), b('ERROR')]);
    t.add('o', 1, b(''), [b('{"l":"a"}'), b('{"l":"a"}')]);
    const f = t.figures();
    expect(f.recordsWithoutLabel).toEqual([0, 1]);
    expect(t.firstLabelError[1]).toBe("labelPath: the record is not valid JSON: expected a JSON value at character 0, found 'E' (record: ERROR) (object 'o', record 0)");
    expect(f.pairs[0]!.confusion).toEqual({ labels: ['a', NO_LABEL], counts: [[1, 1], [0, 0]] });
  });

  it('never counts two unreadable labels as agreeing, and leaves a few non-numeric labels out of the numeric figures', () => {
    const t = tally(2, { label: '$.l' });
    t.add('o', 0, b(''), [b('ERROR'), b('ERROR')]);
    t.add('o', 1, b(''), [b('{"l":"a"}'), b('{"l":"a"}')]);
    expect(t.figures().pairs[0]!.labelAgreement).toBe(0.5);

    const n = tally(2, { label: '$.l' });
    for (let i = 0; i < 40; i++) n.add('o', i, b(''), [b(`{"l":${i}}`), b(`{"l":${i + 1}}`)]);
    n.add('o', 40, b(''), [b('{"l":"placeholder"}'), b('{"l":1}')]);
    expect(n.figures().pairs[0]!.numeric).toEqual({ meanAbsoluteDifference: 1, correlation: 1, nonNumericRecords: 1 });
  });
});

describe('comparable jobs', () => {
  const job = (name: string, request: Record<string, unknown>, outputUri = `file:///out/${name}/`) => ({ name, request, outputUri });

  it('needs one output line per record and the same split on every job', () => {
    expect(incomparableReason([job('a', { splitType: 'Line', assembleWith: 'Line' }), job('b', { splitType: 'Line', assembleWith: 'Line' })])).toBeUndefined();
    expect(incomparableReason([job('a', { splitType: 'Line', assembleWith: 'Line' }), job('b', { splitType: 'Line' })])).toMatch(/^job 'b' ran with AssembleWith None/);
    expect(incomparableReason([job('a', { assembleWith: 'Line' }), job('b', { assembleWith: 'Line' })])).toMatch(/^job 'a' ran with SplitType None: each object is one record/);
    expect(incomparableReason([job('a', { splitType: 'Line', assembleWith: 'Line' }), job('b', { splitType: 'Line', assembleWith: 'Line', compressionType: 'Gzip' })])).toBe(
      "jobs 'a' (SplitType Line, CompressionType None) and 'b' (SplitType Line, CompressionType Gzip) split their input differently, so their records do not line up",
    );
  });

  it('refuses jobs that wrote to the same output location, or one inside the other', () => {
    const line = { splitType: 'Line', assembleWith: 'Line' };
    expect(incomparableReason([job('a', line, 'file:///out/x/'), job('b', line, 'file:///out/x')])).toBe(
      "jobs 'a' (file:///out/x/) and 'b' (file:///out/x) wrote to the same output location, so their outputs cannot be told apart; compare jobs that wrote to separate locations",
    );
    expect(incomparableReason([job('a', line, 's3://b/out/'), job('b', line, 's3://b/out/v2/')])).toMatch(/^jobs 'a' \(s3:\/\/b\/out\/\) and 'b' \(s3:\/\/b\/out\/v2\/\) wrote to the same output location/);
    expect(incomparableReason([job('a', line, 's3://b/out/v1/'), job('b', line, 's3://b/out/v10/')])).toBeUndefined();
  });
});

describe('create comparison request', () => {
  it('takes either jobs or variants', () => {
    expect(() => parseInput(ZCreateComparisonSchema, { name: 'c', jobs: ['a', 'b'], variants: { models: [], input: { uri: 'file:///i/' }, output: { uri: 'file:///o/' } } })).toThrow(
      /jobs: give either jobs \(existing jobs to compare\) or variants \(models to run\), not both/,
    );
    expect(parseInput(ZCreateComparisonSchema, { name: 'c', jobs: ['a', 'b'] })).toMatchObject({ jobs: ['a', 'b'] });
  });
});
