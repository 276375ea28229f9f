// CDF capabilities (REFERENCE §6) in their JSON form, and the check an endpoint makes before it runs.

/** One capability as CDF writes it: `{ "workflowOrchestrationAcl": { "actions": ["READ"], "scope": { "all": {} } } }`. */
export type Capability = Record<string, { actions: string[]; scope?: Record<string, unknown> }>;

export interface CapabilityNeed {
  acl: string;
  action: string;
}

/** What the default sandbox client may do: everything the sandbox serves. */
export const ALL_CAPABILITIES: Capability[] = [
  { workflowOrchestrationAcl: { actions: ['READ', 'WRITE'], scope: { all: {} } } },
  { sessionsAcl: { actions: ['LIST', 'CREATE', 'DELETE'], scope: { all: {} } } },
  { functionsAcl: { actions: ['READ', 'WRITE', 'RUN'], scope: { all: {} } } },
  { filesAcl: { actions: ['READ', 'WRITE'], scope: { all: {} } } },
  { transformationsAcl: { actions: ['READ', 'WRITE'], scope: { all: {} } } },
  { datasetsAcl: { actions: ['READ', 'WRITE'], scope: { all: {} } } },
  { projectsAcl: { actions: ['LIST', 'READ'], scope: { all: {} } } },
  { groupsAcl: { actions: ['LIST', 'READ'], scope: { all: {} } } },
];

function grants(capability: Capability, acl: string, action: string): Record<string, unknown> | undefined {
  const entry = capability[acl];
  if (!entry || !Array.isArray(entry.actions) || !entry.actions.includes(action)) return undefined;
  return entry.scope ?? { all: {} };
}

/**
 * True when a capability grants `acl:action`. With `dataSetId`, a `datasetScope` capability grants it only
 * for the data sets it lists; an `all` scope grants everything.
 */
export function hasCapability(capabilities: readonly Capability[], need: CapabilityNeed, dataSetId?: number): boolean {
  for (const cap of capabilities) {
    const scope = grants(cap, need.acl, need.action);
    if (!scope) continue;
    if ('all' in scope) return true;
    const ds = scope['datasetScope'] ?? scope['idscope'];
    if (ds && typeof ds === 'object') {
      // Without a data set to check, a data-set scoped capability still lets the caller reach the endpoint;
      // the records it can see are filtered by canSeeDataSet.
      if (dataSetId === undefined) return true;
      const ids = (ds as { ids?: unknown }).ids;
      if (Array.isArray(ids) && ids.map(Number).includes(dataSetId)) return true;
    }
  }
  return false;
}

/** Whether a record in `dataSetId` (or in none) is visible under `acl:action`. */
export function canSeeDataSet(capabilities: readonly Capability[], need: CapabilityNeed, dataSetId: number | undefined): boolean {
  for (const cap of capabilities) {
    const scope = grants(cap, need.acl, need.action);
    if (!scope) continue;
    if ('all' in scope) return true;
    const ds = scope['datasetScope'] ?? scope['idscope'];
    if (dataSetId !== undefined && ds && typeof ds === 'object') {
      const ids = (ds as { ids?: unknown }).ids;
      if (Array.isArray(ids) && ids.map(Number).includes(dataSetId)) return true;
    }
  }
  return false;
}

export function describeNeed(need: CapabilityNeed): string {
  return `${need.acl}:${need.action}`;
}
