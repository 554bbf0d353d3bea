import { PAGES } from '../routes';
import Planned from './Planned';

/** archive: still to be built. */
export default function Archive() {
  return <Planned page={PAGES.find((p) => p.key === 'archive') as (typeof PAGES)[number]} />;
}
