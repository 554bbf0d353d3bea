import { PAGES } from '../routes';
import Planned from './Planned';

/** alarms: still to be built. */
export default function Alarms() {
  return <Planned page={PAGES.find((p) => p.key === 'alarms') as (typeof PAGES)[number]} />;
}
