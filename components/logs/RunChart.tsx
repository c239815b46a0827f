'use client';

import { useEffect, useId, useRef, useState } from 'react';

import { formatDuration, formatTime } from '../formatters';
import { ChartDataTable } from './ChartDataTable';
import { chartTotals, formatBucketStart, linePath, niceCeiling } from './chartScale';
import type { ChartBucket, ExplorerChart } from './explorerView';

/** Drawn at the width it is shown at, so its 11px text stays 11px. */
const DEFAULT_WIDTH = 720;
const MIN_WIDTH = 280;
const MARGIN = { top: 12, right: 56, bottom: 24, left: 40 };
/** Room one time label needs on the x axis. */
const LABEL_SPACING = 130;

const colors = {
  completed: '#10b981',
  failed: '#dc2626',
  p50: '#4338ca',
  p95: '#a855f7',
};

interface Geometry {
  width: number;
  height: number;
  plotHeight: number;
  slot: number;
  countMax: number;
  durationMax: number;
}

function geometryOf(buckets: readonly ChartBucket[], width: number, height: number): Geometry {
  const counts = buckets.map((bucket) => bucket.completed + bucket.failed);
  const durations = buckets.map((bucket) => bucket.p95Ms ?? bucket.p50Ms ?? 0);
  return {
    width,
    height,
    plotHeight: height - MARGIN.top - MARGIN.bottom,
    slot: (width - MARGIN.left - MARGIN.right) / Math.max(buckets.length, 1),
    countMax: niceCeiling(Math.max(0, ...counts)),
    durationMax: niceCeiling(Math.max(0, ...durations)),
  };
}

/**
 * Runs per time bucket: completed and failed stacked as bars (left axis), the median and 95th
 * percentile duration as lines (right axis). Drawn by hand in SVG; the same numbers are
 * available as a table for screen readers and for copying.
 */
export function RunChart({ chart, compact = false }: { chart: ExplorerChart; compact?: boolean }) {
  const id = useId();
  const [frame, width] = useWidth<HTMLDivElement>();
  const totals = chartTotals(chart.buckets);
  const spanMs = Date.parse(chart.to) - Date.parse(chart.from);
  const range = `${formatTime(chart.from)} to ${formatTime(chart.to)}`;
  const title = `Runs per ${chart.bucketLabel}, ${range}`;
  if (totals.runs === 0) {
    return (
      <figure className="rounded border border-slate-200 bg-white p-3">
        <figcaption className="text-sm text-slate-500">{title}: no runs.</figcaption>
      </figure>
    );
  }
  const geometry = geometryOf(chart.buckets, width, compact ? 150 : 210);
  const failedShare = Math.round((totals.failed / totals.runs) * 100);
  const busiest = totals.busiest
    ? ` The busiest ${chart.bucketLabel} began ${formatTime(totals.busiest.start)} with ` +
      `${totals.busiest.completed + totals.busiest.failed} runs.`
    : '';
  const description =
    `${totals.runs} runs, ${totals.failed} failed (${failedShare}%), in buckets of ` +
    `${chart.bucketLabel}.${busiest} Lines show the median and 95th percentile duration.`;

  return (
    <figure className="grid gap-2 rounded border border-slate-200 bg-white p-3">
      <div ref={frame} className="min-w-0">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${geometry.height}`}
        width={width}
        height={geometry.height}
        className="block max-w-full"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <Axes geometry={geometry} />
        <Bars buckets={chart.buckets} geometry={geometry} bucketMs={chart.bucketMs} />
        <DurationLines buckets={chart.buckets} geometry={geometry} />
        <TimeLabels
          buckets={chart.buckets}
          geometry={geometry}
          bucketMs={chart.bucketMs}
          spanMs={spanMs}
        />
      </svg>
      </div>
      <Legend />
      <ChartDataTable chart={chart} caption={title} />
    </figure>
  );
}

function Axes({ geometry }: { geometry: Geometry }) {
  const { plotHeight, countMax, durationMax } = geometry;
  const right = geometry.width - MARGIN.right;
  return (
    <g fontSize="11" fill="#64748b">
      {[0, 0.5, 1].map((share) => {
        const y = MARGIN.top + plotHeight - share * plotHeight;
        return (
          <g key={share}>
            <line x1={MARGIN.left} x2={right} y1={y} y2={y} stroke="#e2e8f0" />
            <text x={MARGIN.left - 6} y={y + 4} textAnchor="end">
              {formatCount(share * countMax)}
            </text>
            <text x={right + 6} y={y + 4} fill={colors.p50}>
              {formatDuration(share * durationMax)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

interface BucketsProps {
  buckets: readonly ChartBucket[];
  geometry: Geometry;
}

function Bars({ buckets, geometry, bucketMs }: BucketsProps & { bucketMs: number }) {
  const { slot, plotHeight, countMax } = geometry;
  const barWidth = Math.max(1, slot * 0.72);
  const scale = (count: number) => (count / countMax) * plotHeight;
  const base = MARGIN.top + plotHeight;
  return (
    <g>
      {buckets.map((bucket, index) => {
        if (bucket.completed + bucket.failed === 0) return null;
        const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
        const completed = scale(bucket.completed);
        const failed = scale(bucket.failed);
        return (
          <g key={bucket.start}>
            <title>{bucketSummary(bucket, bucketMs)}</title>
            <rect
              x={x}
              width={barWidth}
              y={base - completed}
              height={completed}
              fill={colors.completed}
            />
            <rect
              x={x}
              width={barWidth}
              y={base - completed - failed}
              height={failed}
              fill={colors.failed}
            />
          </g>
        );
      })}
    </g>
  );
}

export function bucketSummary(bucket: ChartBucket, bucketMs: number): string {
  const end = new Date(Date.parse(bucket.start) + bucketMs).toISOString();
  return (
    `${formatTime(bucket.start)} – ${formatTime(end)}: ${bucket.completed} completed, ` +
    `${bucket.failed} failed, median ${formatDuration(bucket.p50Ms)}, ` +
    `95th percentile ${formatDuration(bucket.p95Ms)}`
  );
}

function DurationLines({ buckets, geometry }: BucketsProps) {
  const { slot, plotHeight, durationMax } = geometry;
  const pointOf = (value: number | null, index: number) =>
    value === null
      ? null
      : {
          x: MARGIN.left + index * slot + slot / 2,
          y: MARGIN.top + plotHeight - (value / durationMax) * plotHeight,
        };
  const p50 = buckets.map((bucket, index) => pointOf(bucket.p50Ms, index));
  const p95 = buckets.map((bucket, index) => pointOf(bucket.p95Ms, index));
  return (
    <g fill="none" strokeWidth="2">
      <path d={linePath(p95)} stroke={colors.p95} strokeDasharray="5 4" />
      <path d={linePath(p50)} stroke={colors.p50} />
      {p50.map((point, index) =>
        point ? <circle key={index} cx={point.x} cy={point.y} r="2.5" fill={colors.p50} /> : null,
      )}
    </g>
  );
}

function TimeLabels(props: BucketsProps & { bucketMs: number; spanMs: number }) {
  const { buckets, geometry, bucketMs, spanMs } = props;
  const labels = Math.max(2, Math.floor(geometry.width / LABEL_SPACING));
  const every = Math.max(1, Math.ceil(buckets.length / labels));
  const y = geometry.height - 6;
  const centre = (index: number) => MARGIN.left + index * geometry.slot + geometry.slot / 2;
  return (
    <g fontSize="11" fill="#64748b" textAnchor="middle">
      {buckets.map((bucket, index) =>
        index % every === 0 ? (
          <text key={bucket.start} x={centre(index)} y={y}>
            {formatBucketStart(bucket.start, bucketMs, spanMs)}
          </text>
        ) : null,
      )}
    </g>
  );
}

function Legend() {
  const items = [
    { label: 'Completed', swatch: <rect width="12" height="12" fill={colors.completed} /> },
    { label: 'Failed', swatch: <rect width="12" height="12" fill={colors.failed} /> },
    {
      label: 'Median duration',
      swatch: <line x1="0" x2="12" y1="6" y2="6" stroke={colors.p50} strokeWidth="2" />,
    },
    {
      label: '95th percentile duration',
      swatch: (
        <line
          x1="0"
          x2="12"
          y1="6"
          y2="6"
          stroke={colors.p95}
          strokeWidth="2"
          strokeDasharray="3 2"
        />
      ),
    },
  ];
  return (
    <ul aria-hidden="true" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-1">
          <svg width="12" height="12">
            {item.swatch}
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** The width of the element, kept up to date as the layout changes. */
function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(MIN_WIDTH, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}
