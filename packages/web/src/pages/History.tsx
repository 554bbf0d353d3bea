import { PAGES } from '../routes';
import Planned from './Planned';

/** history: still to be built. */
export default function History() {
  return <Planned page={PAGES.find((p) => p.key === 'history') as (typeof PAGES)[number]} />;
}
