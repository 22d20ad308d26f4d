'use client';
import { useId, useMemo, useState } from 'react';
import type { Disagreement, PairFigures } from '@sluice/contracts';
import { labelOf } from '@/lib/comparison-labels';
import { variantColor } from '@/lib/comparison-format';
import { formatCount } from '@/lib/format';
import { DataTable, type DataTableProps } from './data-table';
import { EmptyState } from './empty-state';

const STEP = 20;
const select = 'rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900';

interface Row extends Disagreement {
  labels: string[];
}

/**
 * The records the variants disagree on: the input beside each variant's output (its label picked
 * out) and the truth when there is one. Filtered and paged in the browser: the service keeps at
 * most maxDisagreements of them.
 */
export function ComparisonDisagreements({
  disagreements,
  total,
  names,
  pairs,
  labelPath,
}: {
  disagreements: Disagreement[];
  /** Disagreeing records in all, of which `disagreements` are the first kept. */
  total: number;
  names: string[];
  pairs: PairFigures[];
  labelPath: string | null;
}) {
  const pairId = useId();
  const labelId = useId();
  const [pair, setPair] = useState('');
  const [label, setLabel] = useState('');
  const [shown, setShown] = useState(STEP);
  const rows = useMemo<Row[]>(() => disagreements.map((d) => ({ ...d, labels: d.outputs.map((o) => labelOf(o, labelPath)) })), [disagreements, labelPath]);
  const hasTruth = rows.some((r) => r.truth !== undefined);
  const allLabels = useMemo(() => [...new Set(rows.flatMap((r) => [...r.labels, ...(r.truth === undefined ? [] : [r.truth])]))].sort(), [rows]);

  if (rows.length === 0)
    return <EmptyState title={total === 0 ? 'The variants agree on every record' : 'No disagreements kept'}>{total === 0 ? 'Every record got the same label from every variant.' : `${formatCount(total)} records disagree, but this comparison keeps none of them (maxDisagreements is 0).`}</EmptyState>;

  const [a, b] = pair ? pair.split('-').map(Number) : [];
  const filtered = rows.filter((r) => (a === undefined || b === undefined || r.labels[a] !== r.labels[b]) && (!label || r.labels.includes(label) || r.truth === label));
  const visible = filtered.slice(0, shown);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <p className="text-sm text-slate-700" data-disagreement-count>
          {formatCount(total)} records disagree
          {total > rows.length && `; the first ${formatCount(rows.length)} are kept here`}.
          {filtered.length !== rows.length && ` ${formatCount(filtered.length)} match the filters.`}
        </p>
        <div className="flex flex-wrap items-end gap-3 text-sm">
          {pairs.length > 1 && (
            <div>
              <label htmlFor={pairId} className="block font-medium text-slate-800">
                Pair
              </label>
              <select
                id={pairId}
                value={pair}
                onChange={(e) => {
                  setPair(e.target.value);
                  setShown(STEP);
                }}
                className={select}
              >
                <option value="">Any two variants</option>
                {pairs.map((p) => (
                  <option key={`${p.a}-${p.b}`} value={`${p.a}-${p.b}`}>
                    {names[p.a]} ≠ {names[p.b]}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label htmlFor={labelId} className="block font-medium text-slate-800">
              Label
            </label>
            <select
              id={labelId}
              value={label}
              onChange={(e) => {
                setLabel(e.target.value);
                setShown(STEP);
              }}
              className={`${select} max-w-56`}
            >
              <option value="">Any label</option>
              {allLabels.map((l) => (
                <option key={l} value={l}>
                  {l.length > 40 ? `${l.slice(0, 40)}…` : l}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>

      {filtered.length === 0 ? (
        <EmptyState title="No disagreement matches these filters">Choose another pair or label.</EmptyState>
      ) : (
        <DataTable
          columns={disagreementColumns(names, hasTruth)}
          data={visible}
          rowId={(r) => `${r.object}:${r.record}`}
          rowProps={(r) => ({ 'data-disagreement': `${r.object}:${r.record}` })}
          tableProps={{ 'data-disagreements': true }}
          caption="Records the variants disagree on"
          width="w-full min-w-[48rem] table-fixed"
        />
      )}
      {filtered.length > visible.length && (
        <div className="flex items-center gap-3">
          <button type="button" onClick={() => setShown((n) => n + STEP)} className="rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100">
            Show {Math.min(STEP, filtered.length - visible.length)} more
          </button>
          <span className="text-sm text-slate-700">
            Showing {formatCount(visible.length)} of {formatCount(filtered.length)}
          </span>
        </div>
      )}
    </div>
  );
}

/** A record's place, its input, the truth when there is one, and each variant's output with its label picked out (right or wrong against the truth). */
function disagreementColumns(names: string[], hasTruth: boolean): DataTableProps<Row>['columns'] {
  return [
    {
      id: 'record',
      header: 'Record',
      meta: { headerClassName: 'w-40' },
      cell: ({ row: { original: r } }) => (
        <>
          <span className="block break-all font-mono text-xs text-slate-700">{r.object}</span>
          <span className="text-xs text-slate-700">record {formatCount(r.record)}</span>
        </>
      ),
    },
    { id: 'input', header: 'Input', accessorFn: (r) => r.input, meta: { col: 'input', className: 'whitespace-pre-wrap break-words font-mono text-xs' } },
    ...(hasTruth
      ? [
          {
            id: 'truth',
            header: 'Truth',
            meta: { col: 'truth', headerClassName: 'w-28' },
            cell: ({ row: { original: r } }) => (r.truth === undefined ? <span className="text-slate-500">—</span> : <span className="font-mono font-semibold">{r.truth}</span>),
          } satisfies DataTableProps<Row>['columns'][number],
        ]
      : []),
    ...names.map(
      (name, i): DataTableProps<Row>['columns'][number] => ({
        id: `variant-${i}`,
        header: () => (
          <>
            <span aria-hidden="true" className="mr-1.5 inline-block h-2.5 w-2.5 rounded-sm" style={{ backgroundColor: variantColor(i) }} />
            {name}
          </>
        ),
        meta: { col: 'output', cellProps: () => ({ 'data-variant': i }) },
        cell: ({ row: { original: r } }) => {
          const output = r.outputs[i] ?? '';
          const right = r.truth === undefined ? undefined : r.labels[i] === r.truth;
          return (
            <>
              <span data-label className={`inline-block rounded px-1.5 py-0.5 font-mono text-xs font-semibold ${right === undefined ? 'bg-slate-100 text-slate-900' : right ? 'bg-green-100 text-green-900' : 'bg-red-100 text-red-900'}`}>
                {right !== undefined && <span className="sr-only">{right ? 'right: ' : 'wrong: '}</span>}
                {r.labels[i]}
              </span>
              {output.trim() !== r.labels[i] && (
                <span className="mt-1 block whitespace-pre-wrap break-all font-mono text-xs text-slate-600" data-output>
                  {output}
                </span>
              )}
            </>
          );
        },
      }),
    ),
  ];
}
