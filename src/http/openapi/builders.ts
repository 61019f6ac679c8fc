/** Small builders that keep the OpenAPI path files short; plain JSON Schema 2020-12 objects. */

export type Schema = Record<string, unknown>;

export const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
export const nullableStr = (description?: string, extra: Schema = {}): Schema => ({ type: ['string', 'null'], ...(description ? { description } : {}), ...extra });
export const int = (description?: string, extra: Schema = {}): Schema => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
export const bool = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const uuid = (description?: string): Schema => str(description, { format: 'uuid' });
export const time = (description?: string): Schema => str(description, { format: 'date-time' });
export const nullableTime = (description?: string): Schema => nullableStr(description, { format: 'date-time' });
export const arrayOf = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description ? { description } : {}) });
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** An object whose listed properties are all present in answers (`required`), unless marked optional. */
export const object = (properties: Record<string, Schema>, optional: readonly string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
});

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: Schema;
}

export const pathParam = (name: string, description: string, schema: Schema = str()): Parameter => ({ name, in: 'path', required: true, description, schema });
export const queryParam = (name: string, description: string, schema: Schema = str()): Parameter => ({ name, in: 'query', required: false, description, schema });

const json = (schema: Schema) => ({ 'application/json': { schema } });

export interface OperationSpec {
  id: string;
  summary: string;
  description?: string;
  tag: string;
  parameters?: Parameter[];
  body?: Schema;
  /** The success answer's status and JSON schema; `null` for 204 with no body. */
  ok: { status: number; schema: Schema | null; contentType?: string; description?: string };
  /** Error statuses beyond 400, 401, 403 and 503, which every authenticated route may answer. */
  errors?: number[];
  /** False for routes any client may call without credentials. */
  authenticated?: boolean;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid arguments',
  401: 'missing, unknown or expired credentials',
  403: 'the caller lacks the action this route needs',
  404: 'not found',
  409: 'conflict with the current state',
  412: 'a precondition does not hold',
  429: 'too many failed authentications or requests',
  503: 'the store or the audit trail is unavailable',
};

/** One operation in OpenAPI form, with the error answers every Coffer route shares. */
export const operation = (spec: OperationSpec): Schema => {
  const authenticated = spec.authenticated ?? true;
  const statuses = [...new Set([400, ...(authenticated ? [401, 403] : []), 503, ...(spec.errors ?? [])])].sort();
  const responses: Record<string, unknown> = {
    [String(spec.ok.status)]:
      spec.ok.schema === null
        ? { description: spec.ok.description ?? 'done, no body' }
        : { description: spec.ok.description ?? 'success', content: { [spec.ok.contentType ?? 'application/json']: { schema: spec.ok.schema } } },
  };
  for (const status of statuses) {
    responses[String(status)] = { description: ERROR_TEXT[status] ?? 'error', content: json(ref('Error')) };
  }
  return {
    operationId: spec.id,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.parameters && spec.parameters.length > 0 ? { parameters: spec.parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, content: json(spec.body) } } : {}),
    responses,
    ...(authenticated ? {} : { security: [] }),
  };
};

export type PathItems = Record<string, Record<string, Schema>>;
