// Data sets (only what workflow tools need): create, retrieve by id or external id, list. The Toolkit deploys
// a workflow's `dataSetExternalId` by looking its id up here, and `cdf dump` looks the external id up again.
import * as z from 'zod/mini';
import { ApiError } from '../api-error';
import { type CapabilityNeed } from '../capabilities';
import { type SandboxContext } from '../context';
import { decodeCursor, encodeCursor, newInternalId } from '../ids';
import { type DataSetRecord, definedFields } from '../model';
import { type Route } from '../router';
import { externalIdField, internalId, parseBody, queryInt } from '../validation';

const DS_READ: CapabilityNeed = { acl: 'datasetsAcl', action: 'READ' };
const DS_WRITE: CapabilityNeed = { acl: 'datasetsAcl', action: 'WRITE' };

const createBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        externalId: z.optional(externalIdField),
        name: z.optional(z.string().check(z.maxLength(50))),
        description: z.optional(z.string().check(z.maxLength(500))),
        metadata: z.optional(z.record(z.string(), z.string())),
        writeProtected: z.optional(z.boolean()),
      }),
    )
    .check(z.minLength(1), z.maxLength(1000)),
});

const identifier = z.union([z.strictObject({ id: internalId }), z.strictObject({ externalId: externalIdField })]);
const byIdsBody = z.strictObject({ items: z.array(identifier).check(z.minLength(1), z.maxLength(1000)), ignoreUnknownIds: z.optional(z.boolean()) });

export function dataSetView(d: DataSetRecord): Record<string, unknown> {
  return {
    id: d.id,
    ...definedFields({ externalId: d.externalId, name: d.name, description: d.description, metadata: d.metadata }),
    writeProtected: d.writeProtected,
    createdTime: d.createdTime,
    lastUpdatedTime: d.lastUpdatedTime,
  };
}

export function dataSetRoutes(ctx: SandboxContext): Route[] {
  const { store, clock } = ctx;
  const byExternalId = (externalId: string): DataSetRecord | undefined => [...store.dataSets.values()].find((d) => d.externalId === externalId);
  return [
    {
      method: 'POST',
      path: '/datasets',
      scope: 'project',
      needs: [DS_WRITE],
      handler: (req) => {
        const { items } = parseBody(createBody, req.body);
        const duplicated = items.filter((i) => i.externalId !== undefined && byExternalId(i.externalId));
        if (duplicated.length > 0) throw new ApiError(409, 'Data sets with these external ids exist already.', { duplicated: duplicated.map((i) => ({ externalId: i.externalId })) });
        const now = clock.now();
        const created = items.map((i): DataSetRecord => ({ id: newInternalId(), writeProtected: i.writeProtected ?? false, createdTime: now, lastUpdatedTime: now, ...definedFields({ externalId: i.externalId, name: i.name, description: i.description, metadata: i.metadata }) }));
        for (const d of created) store.dataSets.set(d.id, d);
        store.changed();
        return { status: 201, body: { items: created.map(dataSetView) } };
      },
    },
    {
      method: 'POST',
      path: '/datasets/byids',
      scope: 'project',
      needs: [DS_READ],
      handler: (req) => {
        const body = parseBody(byIdsBody, req.body);
        const found: DataSetRecord[] = [];
        const missing: object[] = [];
        for (const i of body.items) {
          const d = 'id' in i ? store.dataSets.get(i.id) : byExternalId(i.externalId);
          if (d) found.push(d);
          else missing.push(i);
        }
        if (missing.length > 0 && !body.ignoreUnknownIds) throw new ApiError(400, 'Some data sets were not found.', { missing });
        return { status: 200, body: { items: found.map(dataSetView) } };
      },
    },
    {
      method: 'GET',
      path: '/datasets',
      scope: 'project',
      needs: [DS_READ],
      handler: (req) => {
        const limit = queryInt(req.query, 'limit', 25, 1, 1000);
        const cursor = req.query.get('cursor');
        const after = cursor ? decodeCursor<number>('datasets', cursor) : 0;
        const all = [...store.dataSets.values()].sort((a, b) => a.id - b.id).filter((d) => d.id > after);
        const page = all.slice(0, limit);
        return { status: 200, body: { items: page.map(dataSetView), ...(all.length > limit ? { nextCursor: encodeCursor('datasets', page[page.length - 1].id) } : {}) } };
      },
    },
  ];
}
