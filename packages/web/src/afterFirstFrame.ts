import { startTransition, useEffect, useState } from 'react';

/**
 * False when the component mounts; true once the browser has presented the first frame after that, set in
 * a transition (so it never delays more urgent renders). For the parts of a view that can follow its
 * content: the content's frame — a page's chart — is drawn and on screen before they start rendering.
 */
export function useAfterFirstFrame(): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The frame's callback runs before it is painted; the task after it, once it has been.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setAfter(true)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return after;
}
