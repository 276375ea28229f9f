// What the definition files of a workspace declare: workflows, versions (with their task ids and types),
// triggers, and the Toolkit's functions with their code folders. Subworkflow references, completion of
// external ids and navigation to function code read it. Built from parsed documents; the editor and the
// CLI each decide which files to feed it.
import * as path from 'node:path';
import { type DefinitionDocument, resourceIdentity } from './document';
import { child } from './source';
import { yamlLib } from './yamlLib';
import { isPlainObject } from './types';

export interface IndexedVersion {
  readonly workflowExternalId: string;
  readonly version: string;
  readonly file: string;
  /** The resource's range in the file. */
  readonly start: number;
  readonly end: number;
  readonly tasks: readonly { readonly externalId: string; readonly type?: string }[];
}

export interface IndexedResource {
  readonly externalId: string;
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export interface IndexedFunction {
  readonly externalId: string;
  /** The `*.Function.yaml` that declares it. */
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** `<folder of the yaml>/<externalId>`: the code the Toolkit zips. */
  readonly codeFolder: string;
  readonly name?: string;
  readonly description?: string;
}

/** `*.Function.yaml` (the Toolkit's function config), by the last dot-segment of the stem like the other kinds. */
export function isToolkitFunctionFile(file: string): boolean {
  return /\.function\.ya?ml$/i.test(path.basename(file));
}

/** `*.Transformation.yaml`, the Toolkit's transformation config. */
export function isToolkitTransformationFile(file: string): boolean {
  return /\.transformation\.ya?ml$/i.test(path.basename(file));
}

export class WorkspaceIndex {
  private readonly versionsByFile = new Map<string, IndexedVersion[]>();
  private readonly workflowsByFile = new Map<string, IndexedResource[]>();
  private readonly triggersByFile = new Map<string, IndexedResource[]>();
  private readonly functionsByFile = new Map<string, IndexedFunction[]>();
  private readonly transformationsByFile = new Map<string, IndexedResource[]>();

  /** Adds (or replaces) what a definition file declares. */
  setDocument(file: string, doc: DefinitionDocument | undefined): void {
    this.versionsByFile.delete(file);
    this.workflowsByFile.delete(file);
    this.triggersByFile.delete(file);
    if (!doc) return;
    const versions: IndexedVersion[] = [];
    const workflows: IndexedResource[] = [];
    const triggers: IndexedResource[] = [];
    for (const r of doc.resources) {
      const id = resourceIdentity(r);
      if (!id) continue;
      if (id.kind === 'version') {
        const tasksNode = child(child(r.node, 'workflowDefinition'), 'tasks');
        const tasks = tasksNode?.kind === 'array'
          ? tasksNode.items.flatMap((t) => {
              const xid = child(t, 'externalId');
              const type = child(t, 'type');
              return xid?.kind === 'scalar' && typeof xid.value === 'string'
                ? [{ externalId: xid.value, ...(type?.kind === 'scalar' && typeof type.value === 'string' ? { type: type.value } : {}) }]
                : [];
            })
          : [];
        versions.push({ workflowExternalId: id.workflowExternalId, version: id.version, file, start: r.node.start, end: r.node.end, tasks });
      } else if (id.kind === 'workflow') {
        workflows.push({ externalId: id.externalId, file, start: r.node.start, end: r.node.end });
      } else {
        triggers.push({ externalId: id.externalId, file, start: r.node.start, end: r.node.end });
      }
    }
    if (versions.length) this.versionsByFile.set(file, versions);
    if (workflows.length) this.workflowsByFile.set(file, workflows);
    if (triggers.length) this.triggersByFile.set(file, triggers);
  }

  /**
   * Adds (or replaces) the functions a Toolkit `*.Function.yaml` declares. Pass the text with its templates
   * substituted and `toOriginal` to map its offsets back; templates left in are masked.
   */
  setFunctionFile(file: string, text: string | undefined, toOriginal: (offset: number) => number = (o) => o): void {
    this.functionsByFile.delete(file);
    const functions = toolkitEntries(text, toOriginal).map((e): IndexedFunction => ({
      externalId: e.externalId,
      file,
      start: e.start,
      end: e.end,
      codeFolder: path.join(path.dirname(file), e.externalId),
      ...(typeof e.value['name'] === 'string' ? { name: e.value['name'] } : {}),
      ...(typeof e.value['description'] === 'string' ? { description: e.value['description'] } : {}),
    }));
    if (functions.length) this.functionsByFile.set(file, functions);
  }

  /** Adds (or replaces) the transformations a Toolkit `*.Transformation.yaml` declares (as setFunctionFile). */
  setTransformationFile(file: string, text: string | undefined, toOriginal: (offset: number) => number = (o) => o): void {
    this.transformationsByFile.delete(file);
    const transformations = toolkitEntries(text, toOriginal).map((e): IndexedResource => ({ externalId: e.externalId, file, start: e.start, end: e.end }));
    if (transformations.length) this.transformationsByFile.set(file, transformations);
  }

  removeFile(file: string): void {
    this.setDocument(file, undefined);
    this.functionsByFile.delete(file);
    this.transformationsByFile.delete(file);
  }

  versions(): IndexedVersion[] {
    return [...this.versionsByFile.values()].flat();
  }

  workflows(): IndexedResource[] {
    return [...this.workflowsByFile.values()].flat();
  }

  triggers(): IndexedResource[] {
    return [...this.triggersByFile.values()].flat();
  }

  functions(): IndexedFunction[] {
    return [...this.functionsByFile.values()].flat();
  }

  transformations(): IndexedResource[] {
    return [...this.transformationsByFile.values()].flat();
  }

  findVersion(workflowExternalId: string, version: string): IndexedVersion | undefined {
    return this.versions().find((v) => v.workflowExternalId === workflowExternalId && v.version === version);
  }

  findFunction(externalId: string): IndexedFunction | undefined {
    return this.functions().find((f) => f.externalId === externalId);
  }
}

/** The entries of a Toolkit resource file (one mapping or a list) that have an `externalId` string. */
function toolkitEntries(text: string | undefined, toOriginal: (offset: number) => number): { externalId: string; start: number; end: number; value: Record<string, unknown> }[] {
  if (text === undefined) return [];
  let doc;
  try {
    doc = yamlLib().parseDocument(text.replace(/\{\{\s*([^{}\s]*)\s*\}\}/g, (m) => '_'.repeat(m.length)), { prettyErrors: false });
  } catch {
    return [];
  }
  const contents = doc.contents as { items?: unknown[] } | null;
  const entries = yamlLib().isSeq(contents) ? contents.items : [contents];
  const out: { externalId: string; start: number; end: number; value: Record<string, unknown> }[] = [];
  for (const entry of entries) {
    if (!yamlLib().isMap(entry)) continue;
    const value: unknown = entry.toJSON();
    if (!isPlainObject(value) || typeof value['externalId'] !== 'string' || /^_+$/.test(value['externalId'])) continue;
    const range = entry.range ?? [0, 0, 0];
    out.push({ externalId: value['externalId'], start: toOriginal(range[0]), end: toOriginal(range[1]), value });
  }
  return out;
}
