import { useEffect, useId, useRef, type ReactNode } from 'react';
import { AnimatePresence, motion } from 'framer-motion';
import { X } from 'lucide-react';

export interface DialogProps {
  open: boolean;
  title: string;
  description?: ReactNode;
  /** Escape, the close button and (unless `dismissOnBackdrop` is false) the backdrop call it. */
  onClose: () => void;
  /** Forms keep their input when the backdrop is clicked by mistake. */
  dismissOnBackdrop?: boolean;
  children: ReactNode;
  className?: string;
}

/**
 * A modal in ConfirmDialog's look, for forms and one-time answers: labelled by its title, focus
 * moves into it on open (the first `[autofocus]` or focusable element) and back where it was on
 * close.
 */
export function Dialog({
  open,
  title,
  description,
  onClose,
  dismissOnBackdrop = true,
  children,
  className = 'max-w-md',
}: DialogProps) {
  const titleId = useId();
  const descriptionId = useId();
  const panel = useRef<HTMLDivElement>(null);

  // The latest onClose, so a parent that passes a new function each render does not re-run the
  // focus effect below (which would pull focus back to the first field while typing).
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    if (!open) return;
    const before = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>(
      '[autofocus], input:not([type="hidden"]), select, textarea, button:not([aria-label="Close"])',
    );
    (first ?? panel.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, [open]);

  return (
    <AnimatePresence>
      {open && (
        <motion.div
          className="fixed inset-0 z-50 flex items-center justify-center overflow-y-auto bg-black/60 p-4 backdrop-blur-sm"
          initial={{ opacity: 0 }}
          animate={{ opacity: 1 }}
          exit={{ opacity: 0 }}
          onClick={dismissOnBackdrop ? onClose : undefined}
        >
          <motion.div
            ref={panel}
            role="dialog"
            aria-modal="true"
            aria-labelledby={titleId}
            aria-describedby={description ? descriptionId : undefined}
            tabIndex={-1}
            className={`card w-full p-6 ${className}`}
            initial={{ scale: 0.96, y: 8 }}
            animate={{ scale: 1, y: 0 }}
            exit={{ scale: 0.96, y: 8 }}
            onClick={(e) => e.stopPropagation()}
          >
            <div className="flex items-start justify-between gap-4">
              <h2 id={titleId} className="text-lg font-semibold text-white">
                {title}
              </h2>
              <button type="button" className="btn-ghost -mr-2 -mt-1 p-1.5" aria-label="Close" onClick={onClose}>
                <X aria-hidden className="h-4 w-4" />
              </button>
            </div>
            {description && (
              <p id={descriptionId} className="mt-2 text-sm text-slate-400">
                {description}
              </p>
            )}
            <div className="mt-4">{children}</div>
          </motion.div>
        </motion.div>
      )}
    </AnimatePresence>
  );
}
