import { RecordProcessingError } from '@sluice/engine';
import type { Disagreement, PairFigures } from '@sluice/contracts';
import { numericLabel, type LabelReader } from './label-locator.js';

/**
 * Distinct labels a confusion matrix keeps apart. Beyond this many (over the whole comparison,
 * in the order they are first seen), labels share one `(other)` row and column, so a variant that
 * answers free text cannot grow the results without bound. Agreement, accuracy and numeric
 * figures are computed on the labels themselves and are exact whatever the cap.
 */
export const MAX_LABELS = 200;
export const OTHER_LABEL = '(other)';
/** The label of a record whose labelPath (or groundTruth) could not be read. */
export const NO_LABEL = '(no label)';
/** Input and outputs kept with a disagreement are cut to this many bytes each. */
export const DISAGREEMENT_FIELD_BYTES = 4096;
/** All kept disagreements together: the results are one jsonb row, and this keeps it far below Postgres' limits. */
export const DISAGREEMENTS_TOTAL_BYTES = 16 * 1024 * 1024;
/** A label (a whole output line when there is no labelPath) is named by at most this much in the matrices. */
const LABEL_NAME_CHARS = 256;
/** Numeric figures leave out a few records whose labels are not numbers (placeholders, blanks), but not more. */
const MAX_NON_NUMERIC_SHARE = 0.05;

const OTHER = MAX_LABELS;
const WIDTH = MAX_LABELS + 1;

/** Labels as small integers for the confusion matrices, capped at MAX_LABELS + `(other)`. */
class LabelIndex {
  readonly labels: string[] = [];
  private readonly index = new Map<string, number>();

  of(label: string): number {
    const known = this.index.get(label);
    if (known !== undefined) return known;
    if (this.labels.length >= MAX_LABELS) return OTHER;
    this.labels.push(label);
    this.index.set(label, this.labels.length - 1);
    return this.labels.length - 1;
  }

  name(i: number): string {
    return i === OTHER ? OTHER_LABEL : this.labels[i]!;
  }
}

/** Pearson's correlation and the mean absolute difference, in one pass (Welford's updates). */
class NumericPair {
  n = 0;
  private sumAbs = 0;
  private meanA = 0;
  private meanB = 0;
  private m2a = 0;
  private m2b = 0;
  private cab = 0;

  add(a: number, b: number): void {
    this.n++;
    this.sumAbs += Math.abs(a - b);
    const da = a - this.meanA;
    this.meanA += da / this.n;
    const db = b - this.meanB;
    this.meanB += db / this.n;
    this.m2a += da * (a - this.meanA);
    this.m2b += db * (b - this.meanB);
    this.cab += da * (b - this.meanB);
  }

  figures(): { meanAbsoluteDifference: number; correlation: number | null } {
    const denominator = Math.sqrt(this.m2a * this.m2b);
    return { meanAbsoluteDifference: this.sumAbs / this.n, correlation: denominator > 0 ? this.cab / denominator : null };
  }
}

interface PairTally {
  a: number;
  b: number;
  records: number;
  exact: number;
  agree: number;
  numeric: NumericPair;
  /** Records where a label on either side is not a number (unreadable labels aside). */
  nonNumeric: number;
  confusion: Map<number, number>;
}

interface TruthTally {
  records: number;
  correct: number;
  confusion: Map<number, number>;
  predicted: Map<number, number>;
  support: Map<number, number>;
  truePositives: Map<number, number>;
}

export interface TallyOptions {
  variants: number;
  labelReader: LabelReader | undefined;
  truthReader: LabelReader | undefined;
  maxDisagreements: number;
}

/** The per-pair and against-truth figures of a comparison, as ComparisonResults holds them. */
export interface TallyFigures {
  records: number;
  pairs: PairFigures[];
  truth?: {
    perVariant: Array<{ accuracy: number; perClass: Array<{ label: string; precision: number | null; recall: number | null; support: number }> }>;
    confusion: Array<{ labels: string[]; counts: number[][] }>;
    recordsWithoutTruth: number;
  };
  recordsWithoutLabel: number[];
  disagreements: Disagreement[];
  disagreementCount: number;
}

/**
 * Everything a comparison counts, record by record, in memory independent of the data's size:
 * counters per pair and per variant, capped confusion matrices, and the first disagreements.
 */
export class ComparisonTally {
  records = 0;
  private readonly labels = new LabelIndex();
  private readonly pairs: PairTally[] = [];
  private readonly truth: TruthTally[] | undefined;
  private recordsWithoutTruth = 0;
  /** The first reason a truth could not be read (for the message when none could). */
  firstTruthError: string | undefined;
  readonly recordsWithoutLabel: number[];
  readonly firstLabelError: Array<string | undefined>;
  private readonly disagreements: Disagreement[] = [];
  private disagreementCount = 0;
  private disagreementBytes = 0;
  private readonly current: string[];
  private readonly currentIndex: number[];

  constructor(private readonly options: TallyOptions) {
    for (let a = 0; a < options.variants; a++) {
      for (let b = a + 1; b < options.variants; b++) {
        this.pairs.push({ a, b, records: 0, exact: 0, agree: 0, numeric: new NumericPair(), nonNumeric: 0, confusion: new Map() });
      }
    }
    this.truth = options.truthReader
      ? Array.from({ length: options.variants }, () => ({ records: 0, correct: 0, confusion: new Map(), predicted: new Map(), support: new Map(), truePositives: new Map() }))
      : undefined;
    this.recordsWithoutLabel = new Array<number>(options.variants).fill(0);
    this.firstLabelError = new Array<string | undefined>(options.variants).fill(undefined);
    this.current = new Array<string>(options.variants).fill('');
    this.currentIndex = new Array<number>(options.variants).fill(0);
  }

  /** One record: the input (bare) and each variant's output line (bare), `index` counted in `object`. */
  add(object: string, index: number, input: Buffer, outputs: Buffer[]): void {
    this.records++;
    const { labelReader, truthReader } = this.options;
    const labels = this.current;
    for (let v = 0; v < outputs.length; v++) {
      labels[v] = labelReader ? this.readLabel(v, outputs[v]!, object, index) : outputs[v]!.toString('utf8');
      const label = labels[v]!;
      this.currentIndex[v] = this.labels.of(label.length > LABEL_NAME_CHARS ? `${label.slice(0, LABEL_NAME_CHARS)}…` : label);
    }
    for (const pair of this.pairs) {
      const la = labels[pair.a]!;
      const lb = labels[pair.b]!;
      pair.records++;
      if (outputs[pair.a]!.equals(outputs[pair.b]!)) pair.exact++;
      // Two unreadable labels are not an agreement: they say nothing about the models.
      if (la === lb && la !== NO_LABEL) pair.agree++;
      increment(pair.confusion, this.currentIndex[pair.a]! * WIDTH + this.currentIndex[pair.b]!);
      if (la !== NO_LABEL && lb !== NO_LABEL) {
        const x = numericLabel(la);
        const y = numericLabel(lb);
        if (x === undefined || y === undefined) pair.nonNumeric++;
        else pair.numeric.add(x, y);
      }
    }
    let truth: string | undefined;
    if (this.truth && truthReader) {
      truth = this.readTruth(truthReader, input, object, index);
      if (truth !== undefined) {
        const t = this.labels.of(truth);
        for (let v = 0; v < outputs.length; v++) {
          const tally = this.truth[v]!;
          const p = this.currentIndex[v]!;
          tally.records++;
          increment(tally.confusion, t * WIDTH + p);
          increment(tally.support, t);
          increment(tally.predicted, p);
          if (labels[v] === truth) {
            tally.correct++;
            increment(tally.truePositives, t);
          }
        }
      }
    }
    let disagree = false;
    for (let v = 1; v < outputs.length && !disagree; v++) disagree = labels[v] !== labels[0];
    if (disagree) {
      this.disagreementCount++;
      if (this.disagreements.length < this.options.maxDisagreements && this.disagreementBytes < DISAGREEMENTS_TOTAL_BYTES) {
        const kept: Disagreement = { object, record: index, input: cut(input), outputs: outputs.map(cut), ...(truth !== undefined ? { truth } : {}) };
        this.disagreementBytes += kept.input.length + kept.outputs.reduce((sum, o) => sum + o.length, 0);
        this.disagreements.push(kept);
      }
    }
  }

  figures(): TallyFigures {
    const pairs = this.pairs.map((p): PairFigures => {
      // Numeric when (nearly) every readable label is a number; the few that are not are left out and counted.
      const numeric = p.numeric.n > 0 && p.nonNumeric <= MAX_NON_NUMERIC_SHARE * (p.numeric.n + p.nonNumeric) ? { ...p.numeric.figures(), ...(p.nonNumeric ? { nonNumericRecords: p.nonNumeric } : {}) } : undefined;
      // Numbers with more distinct values than the cap are a regression's outputs: a confusion
      // matrix of them says nothing the mean difference does not.
      const overflowed = p.confusion.size > 0 && [...p.confusion.keys()].some((k) => Math.floor(k / WIDTH) === OTHER || k % WIDTH === OTHER);
      const confusion = numeric && overflowed ? undefined : this.matrix(p.confusion);
      return {
        a: p.a,
        b: p.b,
        records: p.records,
        exactAgreement: rate(p.exact, p.records),
        labelAgreement: rate(p.agree, p.records),
        ...(numeric ? { numeric } : {}),
        ...(confusion ? { confusion } : {}),
      };
    });
    let truth: TallyFigures['truth'];
    if (this.truth) {
      truth = {
        perVariant: this.truth.map((t) => ({ accuracy: rate(t.correct, t.records), perClass: this.perClass(t) })),
        confusion: this.truth.map((t) => this.matrix(t.confusion)),
        recordsWithoutTruth: this.recordsWithoutTruth,
      };
    }
    return {
      records: this.records,
      pairs,
      ...(truth ? { truth } : {}),
      recordsWithoutLabel: [...this.recordsWithoutLabel],
      disagreements: this.disagreements,
      disagreementCount: this.disagreementCount,
    };
  }

  private readLabel(variant: number, output: Buffer, object: string, index: number): string {
    try {
      return this.options.labelReader!.read(output);
    } catch (error) {
      if (!(error instanceof RecordProcessingError)) throw error;
      this.recordsWithoutLabel[variant]!++;
      this.firstLabelError[variant] ??= `${error.message} (object '${object}', record ${index})`;
      return NO_LABEL;
    }
  }

  private readTruth(reader: LabelReader, input: Buffer, object: string, index: number): string | undefined {
    try {
      return reader.read(input);
    } catch (error) {
      if (!(error instanceof RecordProcessingError)) throw error;
      this.recordsWithoutTruth++;
      this.firstTruthError ??= `${error.message} (object '${object}', record ${index})`;
      return undefined;
    }
  }

  /** A sparse matrix as labels (most frequent first) and dense counts, rows the first index. */
  private matrix(cells: Map<number, number>): { labels: string[]; counts: number[][] } {
    const totals = new Map<number, number>();
    for (const [key, n] of cells) {
      totals.set(Math.floor(key / WIDTH), (totals.get(Math.floor(key / WIDTH)) ?? 0) + n);
      totals.set(key % WIDTH, (totals.get(key % WIDTH) ?? 0) + n);
    }
    const order = this.byFrequency(totals);
    const position = new Map(order.map((label, i) => [label, i]));
    const counts = order.map(() => new Array<number>(order.length).fill(0));
    for (const [key, n] of cells) counts[position.get(Math.floor(key / WIDTH))!]![position.get(key % WIDTH)!] = n;
    return { labels: order.map((i) => this.labels.name(i)), counts };
  }

  private perClass(t: TruthTally): Array<{ label: string; precision: number | null; recall: number | null; support: number }> {
    const totals = new Map<number, number>(t.support);
    for (const [label, n] of t.predicted) totals.set(label, (totals.get(label) ?? 0) + n);
    return this.byFrequency(totals, t.support).map((label) => {
      const tp = t.truePositives.get(label) ?? 0;
      const predicted = t.predicted.get(label) ?? 0;
      const support = t.support.get(label) ?? 0;
      return { label: this.labels.name(label), precision: predicted > 0 ? tp / predicted : null, recall: support > 0 ? tp / support : null, support };
    });
  }

  /** Label indexes by `primary` count (then `totals`), most first, ties by label; `(other)` last. */
  private byFrequency(totals: Map<number, number>, primary: Map<number, number> = totals): number[] {
    return [...totals.keys()].sort((x, y) => {
      if ((x === OTHER) !== (y === OTHER)) return x === OTHER ? 1 : -1;
      const byPrimary = (primary.get(y) ?? 0) - (primary.get(x) ?? 0);
      if (byPrimary !== 0) return byPrimary;
      const byTotal = (totals.get(y) ?? 0) - (totals.get(x) ?? 0);
      if (byTotal !== 0) return byTotal;
      const a = this.labels.name(x);
      const b = this.labels.name(y);
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }
}

function increment(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function rate(n: number, of: number): number {
  return of === 0 ? 0 : n / of;
}

/** At most DISAGREEMENT_FIELD_BYTES of a record as text, cut on a character boundary, marked with `…`. */
function cut(record: Buffer): string {
  if (record.length <= DISAGREEMENT_FIELD_BYTES) return record.toString('utf8');
  return `${record.subarray(0, DISAGREEMENT_FIELD_BYTES).toString('utf8').replace(/\uFFFD+$/, '')}…`;
}
