import { useCallback, useEffect, useRef, useState } from 'react';

/** Loads on mount (and on reload()); keeps the error's message for display. */
export function useApi<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => {
    loader
      .current()
      .then((value) => {
        setData(value);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  useEffect(() => reload(), [reload]);
  return { data, error, reload, setData };
}
