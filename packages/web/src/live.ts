import { useEffect, useRef, useState } from 'react';
import type { AlarmEvent, LatestEvent } from './api/types';

export type LiveState = 'connecting' | 'open' | 'closed';

/**
 * Subscribes to GET /api/v1/live/events (Server-Sent Events, same-origin cookie) while mounted;
 * EventSource reconnects by itself after a dropped connection.
 */
export function useLiveEvents(handlers: {
  onLatest?: (event: LatestEvent) => void;
  onAlarm?: (event: AlarmEvent) => void;
}): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const source = new EventSource('/api/v1/live/events');
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    source.addEventListener('latest', (e) => ref.current.onLatest?.(JSON.parse((e as MessageEvent).data)));
    source.addEventListener('alarm', (e) => ref.current.onAlarm?.(JSON.parse((e as MessageEvent).data)));
    return () => source.close();
  }, []);
  return state;
}
