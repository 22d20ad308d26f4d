'use client';

export type SortBy = 'CreationTime' | 'Name' | 'Status';
export type SortOrder = 'Ascending' | 'Descending';
export interface JobSort {
  sortBy: SortBy;
  sortOrder: SortOrder;
}

/** A column header that sorts by its column; a second click reverses the order. */
export function SortHeader({ label, column, sort, onSort }: { label: string; column: SortBy; sort: JobSort; onSort: (next: JobSort) => void }) {
  const active = sort.sortBy === column;
  const next: JobSort = { sortBy: column, sortOrder: active && sort.sortOrder === 'Descending' ? 'Ascending' : active ? 'Descending' : column === 'CreationTime' ? 'Descending' : 'Ascending' };
  return (
    <th scope="col" aria-sort={active ? (sort.sortOrder === 'Ascending' ? 'ascending' : 'descending') : 'none'} className="px-3 py-2 text-left font-semibold">
      <button type="button" onClick={() => onSort(next)} className="inline-flex items-center gap-1 rounded hover:underline">
        {label}
        <span aria-hidden="true" className="text-slate-500">
          {active ? (sort.sortOrder === 'Ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
