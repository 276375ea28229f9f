// A read-only list of transformations, so clients can offer their external ids. The sandbox has no
// transformations API of its own: the transformations it knows are those that workflow versions call,
// that tests or the demo seed scripted, and that ran (REFERENCE §2.2.2; [emulator] ids from the external id).
import { createHash } from 'node:crypto';
import { type CapabilityNeed } from '../capabilities';
import { type SandboxContext } from '../context';
import { decodeCursor, encodeCursor } from '../ids';
import { type Route } from '../router';
import { type TransformationSimulator } from '../transformations';
import { queryInt } from '../validation';

const TR_READ: CapabilityNeed = { acl: 'transformationsAcl', action: 'READ' };

/** A stable internal id for an external id, in the safe integer range. */
function idOf(externalId: string): number {
  return Number.parseInt(createHash('sha256').update(externalId).digest('hex').slice(0, 12), 16) + 1;
}

function calledByVersions(ctx: SandboxContext): string[] {
  const ids: string[] = [];
  for (const v of ctx.store.versions.values()) {
    for (const task of v.workflowDefinition.tasks) {
      const params = task.parameters as { transformation?: { externalId?: unknown } } | undefined;
      const xid = task.type === 'transformation' ? params?.transformation?.externalId : undefined;
      if (typeof xid === 'string' && !xid.startsWith('${')) ids.push(xid);
    }
  }
  return ids;
}

export function transformationRoutes(ctx: SandboxContext, transformations: TransformationSimulator): Route[] {
  return [
    {
      method: 'GET',
      path: '/transformations',
      scope: 'project',
      needs: [TR_READ],
      handler: (req) => {
        const limit = queryInt(req.query, 'limit', 100, 1, 1000);
        const cursor = req.query.get('cursor');
        const after = cursor ? decodeCursor<string>('transformations', cursor) : undefined;
        const all = [...new Set([...calledByVersions(ctx), ...transformations.knownIds()])].sort();
        const start = after === undefined ? 0 : all.findIndex((x) => x > after);
        const page = start < 0 ? [] : all.slice(start, start + limit);
        const more = start >= 0 && start + limit < all.length;
        const now = ctx.clock.now();
        return {
          status: 200,
          body: {
            items: page.map((externalId) => ({ id: idOf(externalId), externalId, name: externalId, isPublic: true, createdTime: now, lastUpdatedTime: now })),
            ...(more ? { nextCursor: encodeCursor('transformations', page[page.length - 1]) } : {}),
          },
        };
      },
    },
  ];
}
