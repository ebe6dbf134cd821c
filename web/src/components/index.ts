export { StatusBadge } from './StatusBadge';
export { KpiCard } from './KpiCard';
export { EmptyState, ErrorState, LoadingState, Skeleton } from './States';
export { ProgressBar } from './ProgressBar';
export { ConfirmDialog } from './ConfirmDialog';
export { PageHeader } from './PageHeader';
export { Thumbnail } from './Thumbnail';
