'use client';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, Bar, BarChart } from 'recharts';
import type { JobMetricsView } from '@sluice/contracts';
import { formatBytes, formatTime } from '@/lib/format';
import { EmptyState } from './empty-state';

// Distinct in hue and lightness, each at least 3:1 against white.
const BLUE = '#1d4ed8';
const ORANGE = '#c2410c';
const PURPLE = '#7e22ce';
const RED = '#b91c1c';

interface Point {
  time: string;
  recordsPerSecond: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errors: number;
  retries: number;
  cpuPercent: number | null;
  rssMiB: number | null;
}

const MIB = 1024 * 1024;

/** Points are per-second sums over irregular flushes: divide each by the time since the previous one. */
function toPoints(series: JobMetricsView['series']): Point[] {
  return series.map((s, i) => {
    const previous = series[i - 1];
    const seconds = previous ? Math.max(1, (s.time.getTime() - previous.time.getTime()) / 1000) : 1;
    return {
      time: formatTime(s.time),
      recordsPerSecond: Math.round((s.recordsOut / seconds) * 10) / 10,
      p50: s.p50Ms,
      p95: s.p95Ms,
      p99: s.p99Ms,
      errors: s.errors,
      retries: s.retries,
      cpuPercent: s.cpuPercent ?? null,
      rssMiB: s.rssBytes == null ? null : Math.round((s.rssBytes / MIB) * 10) / 10,
    };
  });
}

function ChartCard({ title, summary, children }: { title: string; summary: string; children: React.ReactElement }) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4" data-chart={title}>
      <figcaption className="mb-2">
        <span className="font-semibold text-slate-900">{title}</span>
        <span className="block text-sm text-slate-700">{summary}</span>
      </figcaption>
      <div className="h-56" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

const axis = { fontSize: 12, fill: '#334155' };

export function JobCharts({ metrics }: { metrics: JobMetricsView }) {
  if (metrics.series.length === 0) return <EmptyState title="No metrics yet">Workers report throughput and latency every few seconds while the job runs.</EmptyState>;
  const points = toPoints(metrics.series);
  const s = metrics.summary;
  const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
  // A short job has a point or two: draw them as dots, or a lone point would be invisible.
  const sparse = points.length <= 5 ? { r: 3 } : false;
  const peak = Math.max(...points.map((p) => p.recordsPerSecond));
  const cpus = points.flatMap((p) => (p.cpuPercent === null ? [] : [p.cpuPercent]));
  const rss = metrics.series.flatMap((p) => (p.rssBytes == null ? [] : [p.rssBytes]));
  const workersSummary = cpus.length === 0 ? 'no CPU or memory reported yet' : `CPU peak ${Math.max(...cpus)}% (mean of workers) · memory peak ${rss.length === 0 ? '—' : formatBytes(Math.max(...rss))} (all workers)`;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2 2xl:grid-cols-4">
      <ChartCard title="Throughput" summary={`records per second; peak ${peak}`}>
        <LineChart data={points} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis dataKey="time" tick={axis} minTickGap={24} />
          <YAxis tick={axis} allowDecimals={false} />
          <Tooltip />
          <Line type="monotone" dataKey="recordsPerSecond" name="records/s" stroke={BLUE} strokeWidth={2} dot={sparse} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title="Invocation latency" summary={`p50 ${ms(s.p50Ms)} · p95 ${ms(s.p95Ms)} · p99 ${ms(s.p99Ms)} over ${s.invocations} invocations`}>
        <LineChart data={points} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis dataKey="time" tick={axis} minTickGap={24} />
          <YAxis tick={axis} unit=" ms" width={70} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="p50" name="p50" stroke={BLUE} strokeWidth={2} dot={sparse} connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="p95" name="p95" stroke={ORANGE} strokeWidth={2} dot={sparse} connectNulls isAnimationActive={false} strokeDasharray="6 3" />
          <Line type="monotone" dataKey="p99" name="p99" stroke={PURPLE} strokeWidth={2} dot={sparse} connectNulls isAnimationActive={false} strokeDasharray="2 2" />
        </LineChart>
      </ChartCard>
      <ChartCard title="Errors and retries" summary={`${s.errors} invocation errors · ${s.retries} retries`}>
        <BarChart data={points} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis dataKey="time" tick={axis} minTickGap={24} />
          <YAxis tick={axis} allowDecimals={false} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="errors" name="errors" fill={RED} isAnimationActive={false} />
          <Bar dataKey="retries" name="retries" fill={ORANGE} isAnimationActive={false} />
        </BarChart>
      </ChartCard>
      <ChartCard title="Workers" summary={workersSummary}>
        <LineChart data={points} margin={{ top: 5, right: 0, bottom: 0, left: -10 }}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis dataKey="time" tick={axis} minTickGap={24} />
          <YAxis yAxisId="cpu" tick={axis} unit="%" width={55} />
          <YAxis yAxisId="rss" orientation="right" tick={axis} unit=" MiB" width={75} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line yAxisId="cpu" type="monotone" dataKey="cpuPercent" name="CPU % (mean)" stroke={BLUE} strokeWidth={2} dot={sparse} connectNulls isAnimationActive={false} />
          <Line yAxisId="rss" type="monotone" dataKey="rssMiB" name="memory MiB (sum)" stroke={PURPLE} strokeWidth={2} dot={sparse} connectNulls isAnimationActive={false} strokeDasharray="6 3" />
        </LineChart>
      </ChartCard>
    </div>
  );
}
