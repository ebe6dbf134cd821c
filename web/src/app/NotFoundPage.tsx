import { Link } from 'react-router-dom';
import { Compass } from 'lucide-react';
import { EmptyState } from '@/components';

export function NotFoundPage() {
  return (
    <div className="py-12">
      <EmptyState
        icon={<Compass className="h-7 w-7" />}
        title="Page not found"
        message="The page you asked for does not exist. It may have moved, or the link is wrong."
        action={
          <Link to="/" className="btn-primary">
            Back to the library
          </Link>
        }
      />
    </div>
  );
}
