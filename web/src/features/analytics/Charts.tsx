import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReactNode } from 'react';
import { formatDay } from '@/lib/format';
import { prefersReducedMotion } from '@/lib/motion';
import type { DailyPoint } from './transform';

const AXIS = { stroke: '#64748b', fontSize: 12 };
// Charts draw at once, without their entry animation, for people who asked for less motion.
const animate = () => !prefersReducedMotion();
const TOOLTIP = {
  contentStyle: { background: '#0f172a', border: '1px solid #334155', borderRadius: 8, fontSize: 12 },
  labelStyle: { color: '#e2e8f0' },
};

export function ChartCard({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <section className="card p-5" aria-label={title}>
      <h2 className="text-sm font-semibold text-white">{title}</h2>
      {description && <p className="mt-0.5 text-xs text-slate-500">{description}</p>}
      <div className="mt-4 h-64">{children}</div>
    </section>
  );
}

function NoData() {
  return <div className="flex h-full items-center justify-center text-sm text-slate-500">No data yet</div>;
}

export function DailyChart({ data }: { data: DailyPoint[] }) {
  if (!data.length) return <NoData />;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={data} margin={{ top: 5, right: 10, left: -10, bottom: 0 }}>
        <defs>
          <linearGradient id="gViews" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="#6366f1" stopOpacity={0.5} />
            <stop offset="100%" stopColor="#6366f1" stopOpacity={0} />
          </linearGradient>
          <linearGradient id="gUploads" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="#10b981" stopOpacity={0.5} />
            <stop offset="100%" stopColor="#10b981" stopOpacity={0} />
          </linearGradient>
        </defs>
        <CartesianGrid stroke="#1e293b" vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatDay} {...AXIS} />
        <YAxis allowDecimals={false} {...AXIS} />
        <Tooltip {...TOOLTIP} labelFormatter={(d) => formatDay(String(d))} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Area
          isAnimationActive={animate()}
          type="monotone"
          dataKey="views"
          name="Views"
          stroke="#818cf8"
          fill="url(#gViews)"
          strokeWidth={2}
        />
        <Area
          isAnimationActive={animate()}
          type="monotone"
          dataKey="uploads"
          name="Uploads"
          stroke="#34d399"
          fill="url(#gUploads)"
          strokeWidth={2}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function StatusChart({ data }: { data: Array<{ status: string; count: number; fill: string }> }) {
  if (!data.length) return <NoData />;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <PieChart>
        <Pie
          isAnimationActive={animate()}
          data={data}
          dataKey="count"
          nameKey="status"
          innerRadius="55%"
          outerRadius="80%"
          paddingAngle={2}
          stroke="none"
        >
          {data.map((d) => (
            <Cell key={d.status} fill={d.fill} />
          ))}
        </Pie>
        <Tooltip {...TOOLTIP} itemStyle={{ color: '#e2e8f0' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
      </PieChart>
    </ResponsiveContainer>
  );
}

export function FormatChart({ data }: { data: Array<{ format: string; count: number }> }) {
  if (!data.length) return <NoData />;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 5, right: 10, left: -10, bottom: 0 }}>
        <CartesianGrid stroke="#1e293b" vertical={false} />
        <XAxis dataKey="format" {...AXIS} />
        <YAxis allowDecimals={false} {...AXIS} />
        <Tooltip {...TOOLTIP} cursor={{ fill: '#1e293b' }} />
        <Bar isAnimationActive={animate()} dataKey="count" name="Videos" fill="#6366f1" radius={[4, 4, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function DurationChart({ data }: { data: Array<{ range: string; count: number }> }) {
  if (!data.some((d) => d.count > 0)) return <NoData />;
  // Horizontal bars: the bucket labels stay readable however narrow the card is.
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 5, right: 10, left: 0, bottom: 0 }} barCategoryGap={4}>
        <CartesianGrid stroke="#1e293b" horizontal={false} />
        <XAxis type="number" allowDecimals={false} {...AXIS} />
        <YAxis type="category" dataKey="range" width={68} {...AXIS} />
        <Tooltip {...TOOLTIP} cursor={{ fill: '#1e293b' }} />
        <Bar isAnimationActive={animate()} dataKey="count" name="Videos" fill="#22d3ee" radius={[0, 4, 4, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}
