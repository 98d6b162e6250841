import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';
import { scrubSecrets } from '../config/secret.js';

export type { Logger };

export interface LoggingOptions {
  level: LevelWithSilent;
  /** Per-component levels, e.g. { state: 'debug', exchange: 'warn' }. */
  components?: Readonly<Record<string, LevelWithSilent>>;
  /** Also append to this file (created with its folders). */
  file?: string;
  /** Write to stdout (default true). */
  stdout?: boolean;
  /** Extra destination, for tests that capture every line. */
  destination?: DestinationStream;
}

/**
 * Key paths pino censors wherever they appear. Secret values are also Secret objects that serialise as
 * [REDACTED], and every line passes the scrubber, so a value that slipped into free text is caught too.
 */
const REDACT_PATHS = [
  'privateKey', '*.privateKey', 'apiKey', '*.apiKey', 'apiSecret', '*.apiSecret', 'secret', '*.secret',
  'token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization',
  'headers["x-vault-token"]', '*.headers["x-vault-token"]', 'secretId', '*.secretId',
];

export class Logging {
  readonly root: Logger;
  readonly #components: Readonly<Record<string, LevelWithSilent>>;
  readonly #fileDestination: ReturnType<typeof pino.destination> | undefined;

  constructor(options: LoggingOptions) {
    this.#components = options.components ?? {};
    const streams: { stream: DestinationStream; level: LevelWithSilent }[] = [];
    if (options.stdout !== false) {
      streams.push({ stream: pino.destination({ dest: 1, sync: true }), level: 'trace' });
    }
    if (options.file !== undefined) {
      this.#fileDestination = pino.destination({ dest: options.file, sync: false, mkdir: true });
      streams.push({ stream: this.#fileDestination, level: 'trace' });
    }
    if (options.destination !== undefined) streams.push({ stream: options.destination, level: 'trace' });
    this.root = pino(
      {
        level: options.level,
        base: { pid: process.pid },
        redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
        hooks: { streamWrite: scrubSecrets },
        timestamp: pino.stdTimeFunctions.isoTime,
      },
      pino.multistream(streams),
    );
  }

  /** A child logger tagged with `component`, at that component's configured level. */
  forComponent(component: string): Logger {
    const level = this.#components[component];
    return this.root.child({ component }, level === undefined ? {} : { level });
  }

  /** Writes out everything buffered; call before exit. */
  flush(): void {
    this.#fileDestination?.flushSync();
  }
}
