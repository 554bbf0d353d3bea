import { PAGES } from '../routes';
import Planned from './Planned';

/** system: still to be built. */
export default function System() {
  return <Planned page={PAGES.find((p) => p.key === 'system') as (typeof PAGES)[number]} />;
}
