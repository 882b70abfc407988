// What every part logs through: pino in the running server (app/logger.ts), silence in tests. An
// interface only, so services and transports log without depending on the composition root.
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
