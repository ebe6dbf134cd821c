import { render, screen } from '@testing-library/react';
import { StatusBadge } from './StatusBadge';
import { KpiCard } from './KpiCard';
import { ProgressBar } from './ProgressBar';

describe('StatusBadge', () => {
  it('shows a friendly label and the processing percentage', () => {
    render(<StatusBadge status="PROCESSING" progress={0.42} />);
    expect(screen.getByText('Processing 42%')).toBeInTheDocument();
    expect(screen.getByTitle('PROCESSING')).toBeInTheDocument();
  });
  it('labels ready and failed videos', () => {
    render(
      <>
        <StatusBadge status="PROCESSED" />
        <StatusBadge status="FAILED" />
      </>,
    );
    expect(screen.getByText('Ready')).toBeInTheDocument();
    expect(screen.getByText('Failed')).toBeInTheDocument();
  });
});

describe('KpiCard and ProgressBar', () => {
  it('renders a labelled KPI', () => {
    render(<KpiCard label="Total views" value="1,234" hint="all time" />);
    const card = screen.getByRole('region', { name: 'Total views' });
    expect(card).toHaveTextContent('1,234');
    expect(card).toHaveTextContent('all time');
  });
  it('exposes progress to assistive technology', () => {
    render(<ProgressBar value={0.256} label="Uploading a.mp4" />);
    expect(screen.getByRole('progressbar', { name: 'Uploading a.mp4' })).toHaveAttribute('aria-valuenow', '26');
  });
});
