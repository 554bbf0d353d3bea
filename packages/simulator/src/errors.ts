/**
 * Error catalogue of @qingyuan/simulator (codes `SIMULATOR_E_…`): stable codes, an HTTP status where one
 * applies, and a message a person can act on.
 */

interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
}

export const SIMULATOR_ERRORS = {
  SIMULATOR_E_DEVICES_READ: {
    status: 400,
    message: 'The device list could not be read; check the path and that the file is UTF-8 CSV.',
  },
  SIMULATOR_E_DEVICES_HEADER: {
    status: 400,
    message:
      'The device list lacks a required column; the header must name mn,password,protocol,crc,kind (enterprise, outlet, factors optional).',
  },
  SIMULATOR_E_DEVICES_ROW: {
    status: 400,
    message: 'A row of the device list has a value the simulator cannot use (see row and column).',
  },
  SIMULATOR_E_DEVICES_DUPLICATE: {
    status: 400,
    message: 'The same MN appears twice in the device list; every simulated data logger needs its own MN.',
  },
  SIMULATOR_E_DEVICES_EMPTY: { status: 400, message: 'The device list holds no devices.' },
  SIMULATOR_E_REGISTRY: {
    status: 503,
    message: 'The device registry (database) could not be read; check the --db URL.',
  },
  SIMULATOR_E_SCENARIO: {
    status: 400,
    message:
      'A scenario is not valid: unknown name, bad device, window or option (syntax name[:mn][@from..to][?key=value&…]).',
  },
  SIMULATOR_E_OPTION: { status: 400, message: 'A simulator option is out of range or of the wrong type.' },
} as const satisfies Record<string, CatalogueEntry>;

export type SimulatorCode = keyof typeof SIMULATOR_ERRORS;

export class SimulatorError extends Error {
  readonly code: SimulatorCode;
  readonly status: number;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: SimulatorCode, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    const suffix = detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    super(`${code}: ${SIMULATOR_ERRORS[code].message}${suffix}`, options);
    this.name = 'SimulatorError';
    this.code = code;
    this.status = SIMULATOR_ERRORS[code].status;
    this.detail = detail;
  }
}
