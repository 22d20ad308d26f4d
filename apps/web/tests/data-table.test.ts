// The shared table's markup, rendered without a browser: what the lists rely on it to draw.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable, timeColumn, type DataTableProps } from '../src/components/data-table.js';
import { formatDateTime, formatShortDateTime } from '../src/lib/format.js';

interface Row {
  name: string;
  records: number;
  precision: number;
  recall: number;
}

const ROWS: Row[] = [
  { name: 'zeta', records: 1200, precision: 0.5, recall: 0.25 },
  { name: 'alpha', records: 3, precision: 1, recall: 0.75 },
];

function render<T>(props: DataTableProps<T>): string {
  return renderToStaticMarkup(createElement(DataTable<T>, props));
}

/** The cells of the header row `index`, as `tag[attributes]>text`. */
function headerRow(html: string, index: number): string[] {
  const thead = /<thead[^>]*>(.*)<\/thead>/.exec(html)![1]!;
  const row = [...thead.matchAll(/<tr>(.*?)<\/tr>/g)][index]![1]!;
  return [...row.matchAll(/<th([^>]*)>(.*?)<\/th>/g)].map(([, attrs, text]) => {
    const spans = [...attrs!.matchAll(/(colSpan|rowSpan|scope)="([^"]+)"/gi)].map(([, k, v]) => `${k!.toLowerCase()}=${v}`);
    return `${spans.join(' ')}>${text!.replace(/<[^>]+>/g, '')}`;
  });
}

describe('DataTable', () => {
  it('heads a group of columns once, and spans a column beside it over both header rows', () => {
    const html = render<Row>({
      columns: [
        { id: 'name', header: 'Class', accessorFn: (r) => r.name, meta: { rowHeader: true } },
        { id: 'records', header: 'Support', accessorFn: (r) => r.records, meta: { numeric: true } },
        {
          id: 'v0',
          header: 'variant 0',
          columns: [
            { id: 'precision', header: 'Precision', accessorFn: (r) => r.precision },
            { id: 'recall', header: 'Recall', accessorFn: (r) => r.recall },
          ],
        },
      ],
      data: ROWS,
      rowId: (r) => r.name,
    });
    expect(headerRow(html, 0)).toEqual(['scope=col rowspan=2>Class', 'scope=col rowspan=2>Support', 'scope=colgroup colspan=2>variant 0']);
    expect(headerRow(html, 1)).toEqual(['scope=col>Precision', 'scope=col>Recall']);
    // The row's own header is a th, its figures tds under the right headers.
    expect(html).toMatch(/<tr[^>]*><th scope="row"[^>]*>zeta<\/th><td[^>]*>1200<\/td><td[^>]*>0.5<\/td><td[^>]*>0.25<\/td><\/tr>/);
  });

  it('says which column the server sorted by, and keeps the rows in the order given', () => {
    const columns: DataTableProps<Row>['columns'] = [
      { id: 'Name', header: 'Name', accessorFn: (r) => r.name, enableSorting: true },
      { id: 'records', header: 'Records', accessorFn: (r) => r.records, enableSorting: true, meta: { numeric: true, col: 'records' } },
      { id: 'recall', header: 'Recall', accessorFn: (r) => r.recall },
    ];
    const html = render<Row>({ columns, data: ROWS, rowId: (r) => r.name, rowProps: (r) => ({ 'data-row': r.name }), sorting: { state: [{ id: 'records', desc: true }], onChange: () => {} } });
    expect(html).toMatch(/<th scope="col" aria-sort="none"[^>]*><button[^>]*>Name<span aria-hidden="true"[^>]*>↕<\/span><\/button><\/th>/);
    expect(html).toMatch(/<th scope="col" aria-sort="descending"[^>]*><button[^>]*>Records<span aria-hidden="true"[^>]*>▼<\/span><\/button><\/th>/);
    // A column that does not sort is a plain header.
    expect(html).toMatch(/<th scope="col" class="[^"]*">Recall<\/th>/);
    // Manual sorting: zeta (1200 records) before alpha because the server said so, not the table.
    expect([...html.matchAll(/data-row="([^"]+)"/g)].map((m) => m[1])).toEqual(['zeta', 'alpha']);
    // A figure is right-aligned with tabular digits, and found by its data-col.
    expect(html).toMatch(/<td class="[^"]*text-right[^"]*tabular-nums[^"]*" data-col="records">1200<\/td>/);
  });

  it('shows the empty state in place of the table when there are no rows', () => {
    const html = render<Row>({ columns: [{ id: 'name', header: 'Name', accessorFn: (r) => r.name }], data: [], rowId: (r) => r.name, empty: createElement('p', null, 'No jobs yet') });
    expect(html).toBe('<p>No jobs yet</p>');
  });

  it('shows a time short in its cell and in full in its tooltip, and a stand-in when there is none', () => {
    const used = new Date('2026-03-04T05:06:07Z');
    const html = render<{ id: string; lastUsedAt: Date | null }>({
      columns: [timeColumn('lastUsed', 'Last used', (r) => r.lastUsedAt, { col: 'last-used', missing: 'never' })],
      data: [
        { id: 'a', lastUsedAt: used },
        { id: 'b', lastUsedAt: null },
      ],
      rowId: (r) => r.id,
    });
    const cells = [...html.matchAll(/<td class="([^"]*)" data-col="last-used" title="([^"]*)">([^<]*)<\/td>/g)].map(([, className, title, text]) => ({ nowrap: className!.includes('whitespace-nowrap'), title, text }));
    expect(cells).toEqual([
      { nowrap: true, title: formatDateTime(used), text: formatShortDateTime(used) },
      { nowrap: true, title: '—', text: 'never' },
    ]);
  });
});
