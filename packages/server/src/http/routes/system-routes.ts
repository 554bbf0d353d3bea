import { route } from '../route.js';

/** The platform's own state. */
export const SYSTEM_ROUTES = [
  route({
    method: 'GET',
    url: '/system/status',
    permission: 'system.read',
    summary: 'Gateway counters, online devices with peers, recent frames and forwarding (province)',
    tags: ['system 系统'],
    handler: async ({ principal, services }) => services.system.status(principal),
  }),
  route({
    method: 'GET',
    url: '/system/summary',
    permission: 'public.read',
    summary: 'Counts anyone may see: registry size, devices online, frames received',
    tags: ['system 系统'],
    handler: async ({ principal, services }) => services.system.summary(principal),
  }),
];
