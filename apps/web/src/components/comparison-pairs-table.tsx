import type { PairFigures } from '@sluice/contracts';
import { formatNumber, formatShare } from '@/lib/comparison-format';
import { formatCount } from '@/lib/format';

const cell = 'whitespace-nowrap px-3 py-2 text-right tabular-nums';

/** How often each two variants agree: byte for byte, on the label, and numerically when the labels are numbers. */
export function ComparisonPairsTable({ pairs, names }: { pairs: PairFigures[]; names: string[] }) {
  const numeric = pairs.some((p) => p.numeric);
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-pairs-table>
        <caption className="sr-only">Agreement between each two variants</caption>
        <thead className="bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Pair</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Records compared</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">
              Exact agreement
              <span className="block text-xs font-normal text-slate-600">identical output records</span>
            </th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">
              Label agreement
              <span className="block text-xs font-normal text-slate-600">same label</span>
            </th>
            {numeric && (
              <>
                <th scope="col" className="px-3 py-2 text-right font-semibold">
                  Mean abs. difference
                  <span className="block text-xs font-normal text-slate-600">numeric labels</span>
                </th>
                <th scope="col" className="px-3 py-2 text-right font-semibold">Correlation</th>
              </>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {pairs.map((pair) => (
            <tr key={`${pair.a}-${pair.b}`} data-pair={`${pair.a}-${pair.b}`}>
              <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                {names[pair.a]} <span className="font-normal text-slate-600">vs</span> {names[pair.b]}
              </th>
              <td className={cell} data-col="records">
                {formatCount(pair.records)}
              </td>
              <td className={cell} data-col="exact">
                {formatShare(pair.exactAgreement)}
              </td>
              <td className={cell} data-col="label">
                {formatShare(pair.labelAgreement)}
              </td>
              {numeric && (
                <>
                  <td className={cell} data-col="mad">
                    {formatNumber(pair.numeric?.meanAbsoluteDifference)}
                  </td>
                  <td className={cell} data-col="correlation">
                    {formatNumber(pair.numeric?.correlation)}
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
