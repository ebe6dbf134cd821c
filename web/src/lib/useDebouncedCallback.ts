import { useCallback, useEffect, useRef } from 'react';

export interface Debounced<A extends unknown[]> {
  /** Calls `fn(...args)` once no further call has come for `ms`. */
  schedule: (...args: A) => void;
  /** Drops a call still waiting. */
  cancel: () => void;
}

/**
 * `fn`, called only after calls stop coming for `ms`; always the latest `fn`, so it sees the
 * latest props and state. A call still waiting when the component unmounts is dropped.
 */
export function useDebouncedCallback<A extends unknown[]>(fn: (...args: A) => void, ms = 300): Debounced<A> {
  const latest = useRef(fn);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    latest.current = fn;
  }, [fn]);

  const cancel = useCallback(() => clearTimeout(timer.current), []);
  const schedule = useCallback(
    (...args: A) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => latest.current(...args), ms);
    },
    [ms],
  );
  useEffect(() => cancel, [cancel]);
  return { schedule, cancel };
}
