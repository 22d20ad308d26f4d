'use client';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Header, type RowData, type SortingState } from '@tanstack/react-table';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatDateTime, formatShortDateTime } from '@/lib/format';

/** Attributes a list puts on a cell, row or table for tests and tooltips: `data-col`, `title`... */
export type CellAttributes = { [key: `data-${string}`]: string | number | boolean | undefined; title?: string | undefined };

declare module '@tanstack/react-table' {
  // What a list says about a column; DataTable turns it into markup. TValue is the library's.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** A figure: right-aligned with tabular digits, so a column of numbers lines up. */
    numeric?: boolean;
    /** Alignment of a column that is not a figure (left by default). */
    align?: 'left' | 'right' | 'center';
    /** The row's header cell (`<th scope="row">`): what the rest of the row is about. */
    rowHeader?: boolean;
    /** `data-col` of each body cell, the name tests and styles find a column's cells by. */
    col?: string;
    /** Classes added to each body cell; a function sees the row. */
    className?: string | ((row: TData) => string);
    /** More attributes of each body cell (a tooltip, data attributes). */
    cellProps?: (row: TData) => CellAttributes;
    /** Classes and attributes added to the column's header cell. */
    headerClassName?: string;
    headerProps?: CellAttributes;
    /** The column's own padding, in place of the table's (header and body cells). */
    padding?: string;
  }
}

type Density = 'normal' | 'compact' | 'dense';

const PADDING: Record<Density, { x: string; y: string }> = { normal: { x: 'px-3', y: 'py-2' }, compact: { x: 'px-3', y: 'py-1.5' }, dense: { x: 'px-2', y: 'py-1' } };
const ALIGN = { left: 'text-left', right: 'text-right', center: 'text-center' } as const;

/** Class names joined, the ones that do not apply left out. */
const cx = (...names: Array<string | false | undefined>) => names.filter(Boolean).join(' ');

export interface DataTableProps<T> {
  /** Every column, in order; a group (`columns: [...]`) draws a second header row. */
  columns: Array<ColumnDef<T>>;
  data: T[];
  /** A stable key per row (React's key). */
  rowId: (row: T, index: number) => string;
  /** Read by screen readers only: what the table lists. */
  caption?: ReactNode;
  /** Shown in place of the table when there are no rows. */
  empty?: ReactNode;
  /** Data attributes of each row (`data-job`...). */
  rowProps?: (row: T, index: number) => CellAttributes;
  /** Data attributes of the `<table>` itself. */
  tableProps?: CellAttributes;
  /**
   * Sorting done by the server: the table shows the order and asks for another, never sorts rows
   * itself (a page of a cursor-paged list is not the whole list). Columns sort where they say
   * `enableSorting: true`.
   */
  sorting?: { state: SortingState; onChange: (next: SortingState) => void };
  density?: Density;
  /** The table's width classes (default: at least as wide as its frame). */
  width?: string;
  /** Classes added to the scrolling frame around the table (`max-h-96`...). */
  frameClassName?: string;
  /** The header stays in view while the frame scrolls. */
  stickyHeader?: boolean;
  /** Where a cell's content sits when its row is taller (top: beside the first line of the tallest). */
  valign?: 'top' | 'middle';
}

/**
 * The dashboard's one table: the frame, header (sortable where the server sorts), body cells and
 * empty state every list shares. A list only declares its columns; markup and classes live here.
 */
export function DataTable<T>({ columns, data, rowId, caption, empty, rowProps, tableProps, sorting, density = 'normal', width = 'min-w-full', frameClassName, stickyHeader = false, valign = 'top' }: DataTableProps<T>) {
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row, index) => rowId(row, index),
    defaultColumn: { enableSorting: false },
    manualSorting: true,
    enableMultiSort: false,
    // A sorted list stays sorted: the second click reverses the order, it never clears it.
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: { sorting: sorting?.state ?? [] },
    onSortingChange: (updater) => sorting?.onChange(typeof updater === 'function' ? updater(sorting.state) : updater),
  });
  if (data.length === 0 && empty !== undefined) return <>{empty}</>;

  const padding = PADDING[density];
  const bodyPadding = `${padding.x} ${padding.y}`;
  const headerGroups = table.getHeaderGroups();
  return (
    <div className={cx('overflow-x-auto rounded-lg border border-slate-200 bg-white', frameClassName)}>
      <table className={cx(width, 'divide-y divide-slate-200', density === 'dense' ? 'text-xs' : 'text-sm')} {...tableProps}>
        {caption !== undefined && <caption className="sr-only">{caption}</caption>}
        <thead className={cx('bg-slate-100 text-slate-800', stickyHeader && 'sticky top-0')}>
          {headerGroups.map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (header.column.depth === group.depth ? <HeaderCell key={header.id} header={header} rowSpan={header.column.columns.length ? 1 : headerGroups.length - group.depth} padding={padding} /> : null))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50" {...rowProps?.(row.original, row.index)}>
              {row.getVisibleCells().map((cell) => {
                const meta = cell.column.columnDef.meta ?? {};
                const extra = typeof meta.className === 'function' ? meta.className(row.original) : meta.className;
                const Cell = meta.rowHeader ? 'th' : 'td';
                return (
                  <Cell
                    key={cell.id}
                    scope={meta.rowHeader ? 'row' : undefined}
                    className={cx(meta.padding ?? bodyPadding, valign === 'top' && 'align-top', alignClass(meta), meta.numeric && 'tabular-nums', meta.rowHeader && 'font-medium text-slate-900', extra)}
                    data-col={meta.col}
                    {...meta.cellProps?.(row.original)}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function alignClass(meta: { numeric?: boolean; align?: keyof typeof ALIGN }): string {
  return ALIGN[meta.numeric ? 'right' : (meta.align ?? 'left')];
}

/**
 * A column's header cell, drawn once: a column beside a group spans the header rows below it
 * (react-table gives it a placeholder in each, which is skipped). A sortable one is a button that
 * says which way the list is sorted.
 */
function HeaderCell<T>({ header, rowSpan, padding }: { header: Header<T, unknown>; rowSpan: number; padding: { x: string; y: string } }) {
  const meta = header.column.columnDef.meta ?? {};
  const label = flexRender(header.column.columnDef.header, header.getContext());
  const sorted = header.column.getIsSorted();
  const grouped = header.column.columns.length > 0;
  // A group's name and the headers under it read as one two-line header: no gap between them,
  // and the ones under it quieter than the name.
  const under = header.column.parent !== undefined;
  const ownPadding = meta.padding ?? cx(padding.x, grouped ? 'pt-2' : under ? 'pb-2' : padding.y);
  const className = cx(ownPadding, alignClass(meta), rowSpan > 1 && 'align-bottom', under ? 'text-xs font-medium text-slate-700' : 'font-semibold', meta.headerClassName);
  return (
    <th
      scope={grouped ? 'colgroup' : 'col'}
      colSpan={header.colSpan > 1 ? header.colSpan : undefined}
      rowSpan={rowSpan > 1 ? rowSpan : undefined}
      aria-sort={header.column.getCanSort() ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined}
      className={className}
      {...meta.headerProps}
    >
      {header.column.getCanSort() ? (
        <button type="button" onClick={header.column.getToggleSortingHandler()} className="inline-flex items-center gap-1 rounded hover:underline">
          {label}
          <span aria-hidden="true" className="text-slate-500">
            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
          </span>
        </button>
      ) : (
        label
      )}
    </th>
  );
}

/** A link in a table's cell: to the row's page, or a page the row names. */
export function TableLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="text-blue-800 underline-offset-2 hover:underline">
      {children}
    </Link>
  );
}

/**
 * A column of times: short in the cell (`03 Dec, 12:56`), in full in its tooltip, never wrapped;
 * `missing` stands in for a row that has none.
 */
export function timeColumn<T>(id: string, header: string, time: (row: T) => Date | null | undefined, { col, missing = '—' }: { col?: string; missing?: string } = {}): ColumnDef<T> {
  return {
    id,
    header,
    accessorFn: time,
    meta: { col, className: 'whitespace-nowrap', cellProps: (row) => ({ title: formatDateTime(time(row)) }) },
    cell: ({ row }) => {
      const value = time(row.original);
      return value ? formatShortDateTime(value) : missing;
    },
  };
}
