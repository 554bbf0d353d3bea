import { PAGES } from '../routes';
import Planned from './Planned';

/** frames: still to be built. */
export default function Frames() {
  return <Planned page={PAGES.find((p) => p.key === 'frames') as (typeof PAGES)[number]} />;
}
