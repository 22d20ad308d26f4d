import type { PairFigures } from '@sluice/contracts';
import { formatNumber, formatShare } from '@/lib/comparison-format';
import { formatCount } from '@/lib/format';
import { DataTable, type DataTableProps } from './data-table';

type Column = DataTableProps<PairFigures>['columns'][number];

/** A header with a line under it saying what it counts. */
function titled(title: string, note: string) {
  return () => (
    <>
      {title}
      <span className="block text-xs font-normal text-slate-600">{note}</span>
    </>
  );
}

/** A figure of the pair, in a column named by `col` (its cells' `data-col`). */
function figure(col: string, header: Column['header'], value: (pair: PairFigures) => string): Column {
  return { id: col, header, meta: { numeric: true, col, className: 'whitespace-nowrap' }, cell: ({ row }) => value(row.original) };
}

function pairColumns(names: string[], numeric: boolean): Column[] {
  return [
    {
      id: 'pair',
      header: 'Pair',
      meta: { rowHeader: true },
      cell: ({ row: { original: pair } }) => (
        <>
          {names[pair.a]} <span className="font-normal text-slate-600">vs</span> {names[pair.b]}
        </>
      ),
    },
    figure('records', 'Records compared', (pair) => formatCount(pair.records)),
    figure('exact', titled('Exact agreement', 'identical output records'), (pair) => formatShare(pair.exactAgreement)),
    figure('label', titled('Label agreement', 'same label'), (pair) => formatShare(pair.labelAgreement)),
    ...(numeric
      ? [
          figure('mad', titled('Mean abs. difference', 'numeric labels'), (pair) => formatNumber(pair.numeric?.meanAbsoluteDifference)),
          figure('correlation', 'Correlation', (pair) => formatNumber(pair.numeric?.correlation)),
        ]
      : []),
  ];
}

/** How often each two variants agree: byte for byte, on the label, and numerically when the labels are numbers. */
export function ComparisonPairsTable({ pairs, names }: { pairs: PairFigures[]; names: string[] }) {
  return (
    <DataTable
      columns={pairColumns(names, pairs.some((p) => p.numeric))}
      data={pairs}
      rowId={(pair) => `${pair.a}-${pair.b}`}
      rowProps={(pair) => ({ 'data-pair': `${pair.a}-${pair.b}` })}
      tableProps={{ 'data-pairs-table': true }}
      caption="Agreement between each two variants"
    />
  );
}
