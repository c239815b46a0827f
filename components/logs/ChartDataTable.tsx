import { formatDuration, formatTime } from '../formatters';
import type { ExplorerChart } from './explorerView';

const cell = 'px-2 py-1 text-right font-mono';

/** The chart's numbers as a table: its text alternative, folded away until asked for. */
export function ChartDataTable({ chart, caption }: { chart: ExplorerChart; caption: string }) {
  const buckets = chart.buckets.filter((bucket) => bucket.completed + bucket.failed > 0);
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-indigo-700 hover:underline">
        Show the chart as a table
      </summary>
      <div className="mt-2 max-h-72 overflow-auto">
        <table className="w-full border-collapse text-left">
          <caption className="mb-1 text-left text-xs text-slate-500">
            {caption}; buckets without runs are left out.
          </caption>
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="px-2 py-1">
                Bucket start
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Completed
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Failed
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Median duration
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                95th percentile
              </th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.start} className="border-t border-slate-100">
                <th scope="row" className="px-2 py-1 font-normal">
                  <time dateTime={bucket.start}>{formatTime(bucket.start)}</time>
                </th>
                <td className={cell}>{bucket.completed}</td>
                <td className={cell}>{bucket.failed}</td>
                <td className={cell}>{formatDuration(bucket.p50Ms)}</td>
                <td className={cell}>{formatDuration(bucket.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
