// Which CDF capabilities the extension's features need (REFERENCE §6), and which of them a token lacks
// in a project, read from GET /token/inspect.

export interface RequiredCapability {
  readonly acl: string;
  readonly action: string;
  /** What stops working without it, in the user's words. */
  readonly neededFor: string;
}

export const REQUIRED_CAPABILITIES: readonly RequiredCapability[] = [
  { acl: 'workflowOrchestrationAcl', action: 'READ', neededFor: 'browse workflows, versions and executions' },
  { acl: 'workflowOrchestrationAcl', action: 'WRITE', neededFor: 'run, cancel and retry executions, and manage triggers' },
  { acl: 'sessionsAcl', action: 'CREATE', neededFor: 'every run, retry, trigger and schedule (they need a session nonce)' },
  { acl: 'functionsAcl', action: 'READ', neededFor: 'function logs and the function schedules of a workflow' },
  { acl: 'functionsAcl', action: 'WRITE', neededFor: 'deploying the trigger function and its schedules' },
  { acl: 'functionsAcl', action: 'RUN', neededFor: '"Run Now" of a function schedule' },
  { acl: 'filesAcl', action: 'READ', neededFor: 'checking the trigger function upload' },
  { acl: 'filesAcl', action: 'WRITE', neededFor: 'uploading the trigger function code' },
];

export interface CapabilityReport {
  /** Whether the token has access to the project at all. */
  readonly projectAccess: boolean;
  readonly missing: readonly RequiredCapability[];
  /** Granted only for some data sets: works for workflows in those data sets. */
  readonly limited: readonly RequiredCapability[];
}

interface Inspection {
  readonly projects: readonly { readonly projectUrlName: string }[];
  readonly capabilities: readonly Record<string, unknown>[];
}

type Grant = 'all' | 'limited';

function grantsOf(inspection: Inspection, project: string): Map<string, Grant> {
  const grants = new Map<string, Grant>();
  for (const capability of inspection.capabilities) {
    const projectScope = capability['projectScope'] as { allProjects?: unknown; projects?: unknown } | undefined;
    const inProject =
      !projectScope ||
      projectScope.allProjects !== undefined ||
      (Array.isArray(projectScope.projects) && projectScope.projects.includes(project));
    if (!inProject) continue;
    for (const [acl, body] of Object.entries(capability)) {
      if (acl === 'projectScope' || typeof body !== 'object' || body === null) continue;
      const { actions, scope } = body as { actions?: unknown; scope?: Record<string, unknown> };
      if (!Array.isArray(actions)) continue;
      const grant: Grant = !scope || 'all' in scope ? 'all' : 'limited';
      for (const action of actions) {
        const key = `${acl}:${String(action).toUpperCase()}`;
        if (grants.get(key) !== 'all') grants.set(key, grant);
      }
    }
  }
  return grants;
}

export function checkCapabilities(inspection: Inspection, project: string, required = REQUIRED_CAPABILITIES): CapabilityReport {
  const projectAccess = inspection.projects.some(p => p.projectUrlName === project);
  const grants = grantsOf(inspection, project);
  const missing: RequiredCapability[] = [];
  const limited: RequiredCapability[] = [];
  for (const r of required) {
    const g = grants.get(`${r.acl}:${r.action}`);
    if (!g) missing.push(r);
    else if (g === 'limited') limited.push(r);
  }
  return { projectAccess, missing, limited };
}

export function formatCapability(r: RequiredCapability): string {
  return `${r.acl}:${r.action} (${r.neededFor})`;
}
