import type { ZodError } from 'zod';

/**
 * The replies the live API gives outside its own JSON envelope. Hyperliquid's API server is built on
 * axum, so a body it cannot read gets axum's stock plain-text rejections: 400 for text that is not
 * JSON, 422 for JSON of the wrong shape, 415 without a JSON content type, 413 past the size limit.
 */
export interface HttpReply {
  readonly status: number;
  readonly contentType: 'application/json' | 'text/plain; charset=utf-8';
  readonly body: string;
}

export function jsonReply(value: unknown): HttpReply {
  return { status: 200, contentType: 'application/json', body: JSON.stringify(value) };
}

function text(status: number, body: string): HttpReply {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}

export const DESERIALIZE_PREFIX = 'Failed to deserialize the JSON body into the target type: ';

export function deserializeFailure(detail: string): HttpReply {
  return text(422, DESERIALIZE_PREFIX + detail);
}

export function jsonSyntaxFailure(detail: string): HttpReply {
  return text(400, `Failed to parse the request body as JSON: ${detail}`);
}

export const UNSUPPORTED_MEDIA_TYPE = text(415, 'Expected request with `Content-Type: application/json`');
export const PAYLOAD_TOO_LARGE = text(413, 'Failed to buffer the request body: length limit exceeded');
export const NOT_FOUND = text(404, '');
export const METHOD_NOT_ALLOWED = text(405, '');

/** Axum's default body limit; the simulator keeps it so an oversized batch fails here as it would live. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * A zod failure in serde's words ("missing field `user`", "unknown variant `Fok`, expected one of ..."),
 * prefixed by the path so a client author can find the field.
 */
export function describeSchemaError(error: ZodError, input: unknown, pathPrefix = ''): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid body';
  const path = [pathPrefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
  const at = path === '' ? '' : `${path}: `;
  const received = JSON.stringify(valueAt(input, issue.path)) ?? 'nothing';
  switch (issue.code) {
    case 'invalid_union': {
      const options = 'options' in issue && Array.isArray(issue.options) ? (issue.options as unknown[]) : undefined;
      if (options !== undefined) return `${at}unknown variant ${received}, expected one of ${options.map((o) => `\`${String(o)}\``).join(', ')}`;
      return `${at}data did not match any variant`;
    }
    case 'invalid_value':
      return `${at}unknown variant ${received}, expected one of ${issue.values.map((v) => `\`${String(v)}\``).join(', ')}`;
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) {
        const parent = path.split('.').slice(0, -1).join('.');
        return `${parent === '' ? '' : `${parent}: `}missing field \`${String(issue.path.at(-1) ?? '')}\``;
      }
      return `${at}invalid type: ${issue.message.replace(/^Invalid input: /, '')}`;
    default:
      return `${at}${issue.message}, got ${received.slice(0, 80)}`;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}
