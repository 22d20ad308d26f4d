// The label of a record, read in the browser for the disagreement browser's filters: the same
// locators the comparison was made with (a JSONPath like `$.label` or `$.a[0].b`, or a CSV column
// `_c3`). Only the simple forms: a locator this cannot read yields the whole record, which is what
// the service compares when no label path is set.

type Step = string | number;

function jsonPathSteps(path: string): Step[] | null {
  if (path === '$') return [];
  if (!path.startsWith('$')) return null;
  const steps: Step[] = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let at = 1;
  while (at < path.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(path);
    if (!m) return null;
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4]!)));
    at = pattern.lastIndex;
  }
  return steps;
}

/** A CSV column locator: `_c3` or `3` (0-based). */
function csvColumn(locator: string): number | null {
  const m = /^(?:_c)?(\d+)$/.exec(locator);
  return m ? Number(m[1]) : null;
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

/** The record's label under `locator`, as text; the whole record (trimmed) when there is none or it cannot be read. */
export function labelOf(record: string, locator: string | null | undefined): string {
  const whole = record.trim();
  if (!locator) return whole;
  const column = csvColumn(locator);
  if (column !== null) return whole.split(',')[column]?.trim() ?? whole;
  const steps = jsonPathSteps(locator);
  if (!steps) return whole;
  let node: unknown;
  try {
    node = JSON.parse(whole);
  } catch {
    return whole;
  }
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return whole;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node === undefined ? whole : stringify(node);
}
