/** How records are read on one side of the model. */
export type RecordFormat = 'csv' | 'json';

/** `text/csv` → CSV; any media type mentioning json (application/json, application/jsonlines...) → JSON. Parameters are ignored. */
export function recordFormat(mediaType: string | undefined): RecordFormat | undefined {
  const essence = mediaType?.split(';', 1)[0]?.trim().toLowerCase();
  if (essence === 'text/csv') return 'csv';
  return essence?.includes('json') ? 'json' : undefined;
}
