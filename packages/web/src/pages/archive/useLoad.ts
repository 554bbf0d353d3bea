import { type DependencyList, useEffect, useState } from 'react';

/** Loads when the dependencies change; a stale answer is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setData(undefined);
    setError(undefined);
    load()
      .then((value) => live && setData(value))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
    // The caller names what the load depends on.
    // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  }, deps);
  return { data, error };
}
