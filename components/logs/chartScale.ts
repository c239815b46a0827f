import type { ChartBucket } from './explorerView';

/** The smallest round number (1, 2, 2.5 or 5 × 10ⁿ) at or above `value`: an axis top. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const factor = [1, 2, 2.5, 5, 10].find((candidate) => candidate * power >= value) ?? 10;
  return factor * power;
}

const DAY_MS = 86_400_000;

/** A bucket's start, as precise as its size needs: days show dates, smaller buckets times. */
export function formatBucketStart(iso: string, bucketMs: number, spanMs: number): string {
  const date = new Date(iso);
  const day = date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  if (bucketMs >= DAY_MS) return day;
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return spanMs <= DAY_MS ? time : `${day} ${time}`;
}

export interface ChartTotals {
  runs: number;
  failed: number;
  busiest: ChartBucket | null;
}

export function chartTotals(buckets: readonly ChartBucket[]): ChartTotals {
  let runs = 0;
  let failed = 0;
  let busiest: ChartBucket | null = null;
  for (const bucket of buckets) {
    const count = bucket.completed + bucket.failed;
    runs += count;
    failed += bucket.failed;
    if (count > 0 && (!busiest || count > busiest.completed + busiest.failed)) busiest = bucket;
  }
  return { runs, failed, busiest };
}

/**
 * SVG path data through the points, lifting the pen over missing values, so that a bucket
 * without runs shows as a gap in the duration line rather than a dip to zero.
 */
export function linePath(points: readonly ({ x: number; y: number } | null)[]): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (!point) {
      drawing = false;
      continue;
    }
    path += `${drawing ? 'L' : 'M'}${point.x.toFixed(1)},${point.y.toFixed(1)} `;
    drawing = true;
  }
  return path.trim();
}
