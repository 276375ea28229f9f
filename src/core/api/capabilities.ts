// The capability each kind of call needs (REFERENCE §6), named in 403 messages.
export const CAPABILITY = {
  workflowsRead: 'workflowOrchestrationAcl:READ',
  workflowsWrite: 'workflowOrchestrationAcl:WRITE',
  sessionsCreate: 'sessionsAcl:CREATE',
  sessionsList: 'sessionsAcl:LIST',
  sessionsDelete: 'sessionsAcl:DELETE',
  functionsRead: 'functionsAcl:READ',
  functionsWrite: 'functionsAcl:WRITE',
  functionsRun: 'functionsAcl:RUN',
  filesRead: 'filesAcl:READ',
  filesWrite: 'filesAcl:WRITE',
  dataSetsRead: 'datasetsAcl:READ',
  transformationsRead: 'transformationsAcl:READ',
  tokenInspect: 'projectsAcl:LIST and groupsAcl:LIST',
} as const;
