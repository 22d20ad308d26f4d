import type { VariantFigures } from '@sluice/contracts';
import { formatShare } from '@/lib/comparison-format';
import { formatCount } from '@/lib/format';
import { DataTable, type DataTableProps } from './data-table';

type ClassFigures = NonNullable<VariantFigures['perClass']>[number];

/** A true class's row: how many records hold it, and each variant's figures for it (by variant index). */
interface ClassRow {
  label: string;
  support: number;
  byVariant: Array<ClassFigures | undefined>;
}

type Column = DataTableProps<ClassRow>['columns'][number];

/** Precision or recall of variant `i`, under its job's name. */
function share(i: number, id: 'precision' | 'recall', header: string, className: string): Column {
  return {
    id: `${i}-${id}`,
    header,
    meta: { numeric: true, col: id, className: `whitespace-nowrap ${className}`, headerClassName: className, cellProps: () => ({ 'data-variant': i }) },
    cell: ({ row }) => formatShare(row.original.byVariant[i]?.[id]),
  };
}

function classColumns(variants: VariantFigures[]): Column[] {
  return [
    { id: 'class', header: 'Class', accessorFn: (r) => r.label, meta: { rowHeader: true, className: 'font-mono' } },
    {
      id: 'support',
      header: () => (
        <>
          Support
          <span className="block text-xs font-normal text-slate-600">true records</span>
        </>
      ),
      meta: { numeric: true, className: 'whitespace-nowrap' },
      cell: ({ row }) => formatCount(row.original.support),
    },
    ...variants.map(
      (v, i): Column => ({
        id: `variant-${i}`,
        header: v.jobName,
        meta: { align: 'center', headerClassName: 'border-l border-slate-200' },
        columns: [share(i, 'precision', 'Precision', 'border-l border-slate-200'), share(i, 'recall', 'Recall', '')],
      }),
    ),
  ];
}

/** Precision and recall of each true class, the variants side by side, largest classes first. */
export function ComparisonPerClass({ variants }: { variants: VariantFigures[] }) {
  const support = new Map<string, number>();
  for (const v of variants) for (const c of v.perClass ?? []) support.set(c.label, Math.max(support.get(c.label) ?? 0, c.support));
  const labels = [...support.keys()].sort((a, b) => support.get(b)! - support.get(a)! || a.localeCompare(b));
  const byVariant = variants.map((v) => new Map((v.perClass ?? []).map((c) => [c.label, c])));
  const rows = labels.map((label): ClassRow => ({ label, support: support.get(label)!, byVariant: byVariant.map((classes) => classes.get(label)) }));
  return (
    <DataTable
      columns={classColumns(variants)}
      data={rows}
      rowId={(r) => r.label}
      rowProps={(r) => ({ 'data-class': r.label })}
      tableProps={{ 'data-per-class': true }}
      caption="Precision and recall per true class, for each variant"
      density="compact"
      frameClassName="max-h-[32rem] overflow-y-auto"
      stickyHeader
    />
  );
}
