/**
 * Error catalogue of @qingyuan/gateway (codes `GATEWAY_E_…`): stable codes, an HTTP status where one
 * applies, and a message a person can act on. Frame verdicts archived with a frame carry these codes (or
 * the codec's `HJ212_E_…` code that made the frame unreadable).
 */

interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
}

export const GATEWAY_ERRORS = {
  GATEWAY_E_UNKNOWN_DEVICE: {
    status: 401,
    message: 'The MN is not registered, or its monitoring point is not running; register the device first.',
  },
  GATEWAY_E_PASSWORD: {
    status: 401,
    message: 'The access password (PW) does not match the registered one; check the data logger settings.',
  },
  GATEWAY_E_PEER_NOT_ALLOWED: {
    status: 403,
    message: 'The device connected from an address its registration does not allow.',
  },
  GATEWAY_E_CRC_VARIANT: {
    status: 400,
    message:
      'The frame checks only with a CRC variant not enabled for this device; enable it in the registry or fix the logger.',
  },
  GATEWAY_E_THROTTLED: {
    status: 429,
    message: 'Too many failed authentications from this address; it may connect again after the cool-down.',
  },
  GATEWAY_E_CONNECTION_LIMIT: {
    status: 503,
    message: 'The gateway holds its maximum number of connections (in total or from this address).',
  },
  GATEWAY_E_NOT_ONLINE: {
    status: 409,
    message: 'The device is not connected to this gateway, so the command cannot be sent now.',
  },
  GATEWAY_E_COMMAND: {
    status: 400,
    message: 'The command or its parameters are not valid for this device and protocol version.',
  },
  GATEWAY_E_COMMAND_TIMEOUT: {
    status: 504,
    message:
      'The device did not answer the command in time (no 9011 after every re-send, or no 9012 after it accepted); check its link and try again.',
  },
  GATEWAY_E_STOPPED: {
    status: 503,
    message: 'The gateway stopped before the command finished; send it again once the device reconnects.',
  },
  GATEWAY_E_RESTARTED: {
    status: 503,
    message:
      'The gateway restarted while the command was unfinished; its answer can no longer be matched, send it again.',
  },
  GATEWAY_E_STORE: {
    status: 503,
    message:
      'Frames could not be committed to the database; they were not acknowledged and the logger will resend.',
  },
  GATEWAY_E_OPTION: {
    status: 400,
    message:
      'A gateway option is not valid (see `detail`: the option, its value and what it must be); fix the configuration and start again.',
  },
  GATEWAY_E_LISTEN: {
    status: 500,
    message: 'The gateway cannot listen on its port; is another process using it?',
  },
  GATEWAY_E_FORWARD_CONNECT: {
    status: 502,
    message:
      'The upstream platform cannot be reached; forwarding retries with backoff. Check its host, port and the firewall.',
  },
  GATEWAY_E_FORWARD_LOST: {
    status: 502,
    message:
      'The connection to the upstream platform was lost while forwarding; the unconfirmed frames are sent again after reconnecting.',
  },
  GATEWAY_E_FORWARD_NO_ACK: {
    status: 504,
    message:
      'The upstream platform did not acknowledge (9014) a forwarded frame after every attempt; it was recorded as given up. Check that the upstream knows the MN, or turn off wait-ack.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type GatewayCode = keyof typeof GATEWAY_ERRORS;

export class GatewayError extends Error {
  readonly code: GatewayCode;
  readonly status: number;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: GatewayCode, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    const suffix = detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    super(`${code}: ${GATEWAY_ERRORS[code].message}${suffix}`, options);
    this.name = 'GatewayError';
    this.code = code;
    this.status = GATEWAY_ERRORS[code].status;
    this.detail = detail;
  }
}
