import { PAGES } from '../routes';
import Planned from './Planned';

/** transmission: still to be built. */
export default function Transmission() {
  return <Planned page={PAGES.find((p) => p.key === 'transmission') as (typeof PAGES)[number]} />;
}
