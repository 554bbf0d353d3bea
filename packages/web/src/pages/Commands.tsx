import { PAGES } from '../routes';
import Planned from './Planned';

/** commands: still to be built. */
export default function Commands() {
  return <Planned page={PAGES.find((p) => p.key === 'commands') as (typeof PAGES)[number]} />;
}
