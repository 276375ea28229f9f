// Files (REFERENCE §4.6): create returns a pre-signed uploadUrl on the sandbox; PUT the bytes; `uploaded`
// flips. [emulator] Bytes are kept in memory (and in the data dir when there is one).
import * as z from 'zod/mini';
import { ApiError, notFound } from '../api-error';
import { type CapabilityNeed } from '../capabilities';
import { type SandboxContext } from '../context';
import { decodeCursor, encodeCursor, newInternalId, newSecretToken } from '../ids';
import { definedFields, type FileRecord } from '../model';
import { type Route } from '../router';
import { externalIdField, internalId, limitField, parseBody, queryBool } from '../validation';
import { fileView } from '../views';

const FILES_READ: CapabilityNeed = { acl: 'filesAcl', action: 'READ' };
const FILES_WRITE: CapabilityNeed = { acl: 'filesAcl', action: 'WRITE' };

const fileMetadata = z
  .record(z.string().check(z.maxLength(128)), z.string().check(z.maxLength(10240)))
  .check(
    z.refine((m) => Object.keys(m).length <= 256, { message: 'must have at most 256 entries' }),
    z.refine((m) => Object.entries(m).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0) <= 10240, {
      message: 'must be at most 10240 bytes in total',
    }),
  );

// Fields the sandbox stores; other documented fields (labels, geoLocation, ...) are accepted and ignored.
const createBody = z.looseObject({
  name: z.string().check(z.minLength(1), z.maxLength(256)),
  externalId: z.optional(externalIdField),
  directory: z.optional(z.string().check(z.maxLength(512))),
  source: z.optional(z.string().check(z.maxLength(128))),
  mimeType: z.optional(z.string().check(z.maxLength(256))),
  dataSetId: z.optional(internalId),
  metadata: z.optional(fileMetadata),
});

const identifier = z.union([z.strictObject({ id: internalId }), z.strictObject({ externalId: externalIdField })]);
const byIdsBody = z.strictObject({ items: z.array(identifier).check(z.minLength(1), z.maxLength(1000)), ignoreUnknownIds: z.optional(z.boolean()) });
const listBody = z.looseObject({
  filter: z.optional(
    z.looseObject({ externalIdPrefix: z.optional(z.string()), uploaded: z.optional(z.boolean()), dataSetIds: z.optional(z.array(z.looseObject({}))) }),
  ),
  limit: z.optional(limitField),
  cursor: z.optional(z.nullable(z.string())),
});

export function fileRoutes(ctx: SandboxContext): Route[] {
  const { store, clock } = ctx;

  const resolve = (items: z.infer<typeof identifier>[], ignoreUnknownIds: boolean): FileRecord[] => {
    const found: FileRecord[] = [];
    const missing: object[] = [];
    for (const item of items) {
      const f = 'id' in item ? store.files.get(item.id) : store.fileByExternalId(item.externalId);
      if (f) found.push(f);
      else missing.push(item);
    }
    if (missing.length > 0 && !ignoreUnknownIds) throw new ApiError(400, 'Files not found.', { missing });
    return found;
  };

  const uploadUrlFor = (f: FileRecord): string =>
    `${ctx.baseUrl()}/api/v1/files/gcs_proxy/sandbox-storage/${ctx.project}/${f.id}?upload_id=${encodeURIComponent(f.uploadKey)}`;

  const page = (all: FileRecord[], limit: number, cursor: string | null | undefined): { items: object[]; nextCursor?: string } => {
    const sorted = all.sort((a, b) => a.id - b.id);
    const after = cursor ? decodeCursor<number>('files', cursor) : undefined;
    const start = after === undefined ? 0 : sorted.findIndex((f) => f.id > after);
    const items = start < 0 ? [] : sorted.slice(start, start + limit);
    const more = start >= 0 && start + limit < sorted.length;
    return { items: items.map(fileView), ...(more ? { nextCursor: encodeCursor('files', items[items.length - 1].id) } : {}) };
  };

  return [
    {
      method: 'POST',
      path: '/files',
      scope: 'project',
      needs: [FILES_WRITE],
      handler: (req) => {
        const body = parseBody(createBody, req.body);
        const overwrite = queryBool(req.query, 'overwrite', false);
        const now = clock.now();
        const existing = body.externalId !== undefined ? store.fileByExternalId(body.externalId) : undefined;
        if (existing && !overwrite) {
          throw new ApiError(409, `A file with external id ${body.externalId} already exists. Pass ?overwrite=true to replace it.`, {
            duplicated: [{ externalId: body.externalId }],
          });
        }
        const f: FileRecord = {
          id: existing?.id ?? newInternalId(),
          name: body.name,
          uploaded: existing?.uploaded ?? false,
          createdTime: existing?.createdTime ?? now,
          lastUpdatedTime: now,
          uploadKey: newSecretToken(18),
          ...definedFields({
            externalId: body.externalId,
            directory: body.directory,
            source: body.source,
            mimeType: body.mimeType,
            dataSetId: body.dataSetId,
            metadata: body.metadata,
            uploadedTime: existing?.uploadedTime,
          }),
        };
        store.files.set(f.id, f);
        store.changed();
        return { status: 201, body: { ...fileView(f), uploadUrl: uploadUrlFor(f) } };
      },
    },
    {
      // The pre-signed upload URL: no CDF auth, the upload_id is the credential.
      method: 'PUT',
      path: '/files/gcs_proxy/sandbox-storage/:project/:id',
      scope: 'api',
      auth: false,
      body: 'raw',
      handler: (req) => {
        const f = store.files.get(Number(req.params['id']));
        if (!f || req.query.get('upload_id') !== f.uploadKey || req.params['project'] !== ctx.project) {
          throw new ApiError(403, 'The upload URL is not valid (unknown file or wrong upload_id). Create the file again to get a new uploadUrl.');
        }
        const now = clock.now();
        store.fileContents.set(f.id, Buffer.from(req.rawBody));
        f.uploaded = true;
        f.uploadedTime = now;
        f.lastUpdatedTime = now;
        f.size = req.rawBody.length;
        store.changed();
        return { status: 200, body: {} };
      },
    },
    {
      method: 'GET',
      path: '/files/:id',
      scope: 'project',
      needs: [FILES_READ],
      handler: (req) => {
        const id = Number(req.params['id']);
        const f = Number.isSafeInteger(id) ? store.files.get(id) : undefined;
        if (!f) throw notFound(`File ${req.params['id']} was not found.`, [{ id: Number.isSafeInteger(id) ? id : req.params['id'] }]);
        return { status: 200, body: fileView(f) };
      },
    },
    {
      method: 'POST',
      path: '/files/byids',
      scope: 'project',
      needs: [FILES_READ],
      handler: (req) => {
        const body = parseBody(byIdsBody, req.body);
        return { status: 200, body: { items: resolve(body.items, body.ignoreUnknownIds ?? false).map(fileView) } };
      },
    },
    {
      method: 'GET',
      path: '/files',
      scope: 'project',
      needs: [FILES_READ],
      handler: (req) => {
        const limitRaw = req.query.get('limit');
        const limit = limitRaw === null ? 100 : Number(limitRaw);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError(400, 'limit: must be an integer from 1 to 1000');
        return { status: 200, body: page([...store.files.values()], limit, req.query.get('cursor')) };
      },
    },
    {
      method: 'POST',
      path: '/files/list',
      scope: 'project',
      needs: [FILES_READ],
      handler: (req) => {
        const body = parseBody(listBody, req.body ?? {});
        const prefix = body.filter?.externalIdPrefix;
        const uploaded = body.filter?.uploaded;
        const all = [...store.files.values()].filter(
          (f) => (prefix === undefined || (f.externalId ?? '').startsWith(prefix)) && (uploaded === undefined || f.uploaded === uploaded),
        );
        return { status: 200, body: page(all, body.limit ?? 100, body.cursor) };
      },
    },
    {
      method: 'POST',
      path: '/files/delete',
      scope: 'project',
      needs: [FILES_WRITE],
      handler: (req) => {
        const body = parseBody(byIdsBody, req.body);
        for (const f of resolve(body.items, body.ignoreUnknownIds ?? false)) {
          store.files.delete(f.id);
          store.fileContents.delete(f.id);
        }
        store.changed();
        return { status: 200, body: {} };
      },
    },
    {
      method: 'POST',
      path: '/files/downloadlink',
      scope: 'project',
      needs: [FILES_READ],
      handler: (req) => {
        const body = parseBody(z.looseObject({ items: z.array(identifier).check(z.minLength(1), z.maxLength(100)) }), req.body);
        const files = resolve(body.items, false);
        return {
          status: 200,
          body: {
            items: files.map((f) => ({
              id: f.id,
              ...(f.externalId ? { externalId: f.externalId } : {}),
              downloadUrl: `${ctx.baseUrl()}/api/v1/files/gcs_proxy/sandbox-storage/${ctx.project}/${f.id}?download_id=${encodeURIComponent(f.uploadKey)}`,
            })),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/files/gcs_proxy/sandbox-storage/:project/:id',
      scope: 'api',
      auth: false,
      handler: (req) => {
        const f = store.files.get(Number(req.params['id']));
        const bytes = f ? store.fileContents.get(f.id) : undefined;
        if (!f || !bytes || req.query.get('download_id') !== f.uploadKey) throw new ApiError(403, 'The download URL is not valid.');
        return { status: 200, raw: bytes, contentType: f.mimeType ?? 'application/octet-stream' };
      },
    },
  ];
}
