import type { ObjectStore } from '../storage/object-store.js';

/** One object of a job's input, resolved: where it is, what it is called in the output, what it was. */
export interface InputObject {
  /** `s3://bucket/key` or `file:///path`. */
  uri: string;
  store: ObjectStore;
  key: string;
  /** The key relative to the input prefix (or the manifest entry): the output is `<out>/<relativeKey>.out`. */
  relativeKey: string;
  size: number;
  /** Snapshotted at planning, so a task can tell that its object changed under it. */
  etag: string;
}
