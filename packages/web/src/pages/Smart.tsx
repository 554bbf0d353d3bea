import { PAGES } from '../routes';
import Planned from './Planned';

/** smart: still to be built. */
export default function Smart() {
  return <Planned page={PAGES.find((p) => p.key === 'smart') as (typeof PAGES)[number]} />;
}
