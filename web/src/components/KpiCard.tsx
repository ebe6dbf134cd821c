import type { ReactNode } from 'react';
import { motion } from 'framer-motion';

export interface KpiCardProps {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  icon?: ReactNode;
}

export function KpiCard({ label, value, hint, icon }: KpiCardProps) {
  return (
    <motion.section
      initial={{ opacity: 0, y: 6 }}
      animate={{ opacity: 1, y: 0 }}
      transition={{ duration: 0.25 }}
      className="card p-4"
      aria-label={label}
    >
      <div className="flex items-center justify-between text-sm text-slate-400">
        <span>{label}</span>
        {icon && (
          <span className="text-brand-400" aria-hidden>
            {icon}
          </span>
        )}
      </div>
      <div className="mt-2 text-2xl font-semibold tracking-tight text-white tabular-nums">{value}</div>
      {hint && <div className="mt-1 text-xs text-slate-500">{hint}</div>}
    </motion.section>
  );
}
