import Table from 'cli-table3';

/** A borderless table with a header row, columns aligned, no colours: reads well and greps well. */
export function formatTable(head: string[], rows: Array<Array<string | number>>): string {
  const table = new Table({
    head,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  table.push(...rows.map((row) => row.map(String)));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** `key  value` lines, keys padded to one width; entries with an undefined value are left out. */
export function formatKeyValues(entries: Array<[string, string | number | undefined]>, indent = ''): string {
  const shown = entries.filter((e): e is [string, string | number] => e[1] !== undefined);
  const width = Math.max(0, ...shown.map(([key]) => key.length));
  return shown.map(([key, value]) => `${indent}${key.padEnd(width)}  ${String(value).replace(/\n/g, `\n${indent}${' '.repeat(width + 2)}`)}`).join('\n');
}
