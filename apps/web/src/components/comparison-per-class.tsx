import type { VariantFigures } from '@sluice/contracts';
import { formatShare } from '@/lib/comparison-format';
import { formatCount } from '@/lib/format';

const cell = 'whitespace-nowrap px-3 py-1.5 text-right tabular-nums';

/** Precision and recall of each true class, the variants side by side, largest classes first. */
export function ComparisonPerClass({ variants }: { variants: VariantFigures[] }) {
  const support = new Map<string, number>();
  for (const v of variants) for (const c of v.perClass ?? []) support.set(c.label, Math.max(support.get(c.label) ?? 0, c.support));
  const labels = [...support.keys()].sort((a, b) => support.get(b)! - support.get(a)! || a.localeCompare(b));
  const byVariant = variants.map((v) => new Map((v.perClass ?? []).map((c) => [c.label, c])));
  return (
    <div className="max-h-[32rem] overflow-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm" data-per-class>
        <caption className="sr-only">Precision and recall per true class, for each variant</caption>
        <thead className="sticky top-0 bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" rowSpan={2} className="px-3 py-2 text-left align-bottom font-semibold">
              Class
            </th>
            <th scope="col" rowSpan={2} className="px-3 py-2 text-right align-bottom font-semibold">
              Support
              <span className="block text-xs font-normal text-slate-600">true records</span>
            </th>
            {variants.map((v, i) => (
              <th key={i} scope="colgroup" colSpan={2} className="border-l border-slate-200 px-3 pt-2 text-center font-semibold">
                {v.jobName}
              </th>
            ))}
          </tr>
          <tr>
            {variants.map((_, i) => (
              <PrecisionRecallHeaders key={i} />
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {labels.map((label) => (
            <tr key={label} data-class={label}>
              <th scope="row" className="px-3 py-1.5 text-left font-mono font-medium text-slate-900">
                {label}
              </th>
              <td className={cell}>{formatCount(support.get(label)!)}</td>
              {byVariant.map((classes, i) => {
                const c = classes.get(label);
                return [
                  <td key={`${i}p`} className={`${cell} border-l border-slate-200`} data-variant={i} data-col="precision">
                    {formatShare(c?.precision)}
                  </td>,
                  <td key={`${i}r`} className={cell} data-variant={i} data-col="recall">
                    {formatShare(c?.recall)}
                  </td>,
                ];
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The second header row's two cells under each variant. */
function PrecisionRecallHeaders() {
  return (
    <>
      <th scope="col" className="border-l border-slate-200 px-3 pb-2 text-right text-xs font-medium text-slate-700">
        Precision
      </th>
      <th scope="col" className="px-3 pb-2 text-right text-xs font-medium text-slate-700">
        Recall
      </th>
    </>
  );
}
