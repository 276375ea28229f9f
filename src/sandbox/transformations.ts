// Simulated transformation jobs for `transformation` tasks: the sandbox has no transformations API, so a
// job is a timer whose duration and outcome tests (or the demo seed) can script per transformation.
import { newInternalId } from './ids';

export interface TransformationOutcome {
  /** How long the job runs on the sandbox clock (default 4000 ms). */
  durationMs?: number;
  /** 'Completed' (default) or 'Failed'. */
  status?: 'Completed' | 'Failed';
  /** Error message of a failed job. */
  error?: string;
}

export interface TransformationJob {
  jobId: number;
  transformationExternalId: string;
  startedAt: number;
  endsAt: number;
  status: 'Completed' | 'Failed';
  error?: string;
}

const DEFAULT_DURATION_MS = 4000;

export class TransformationSimulator {
  private readonly scripts = new Map<string, TransformationOutcome[] | TransformationOutcome>();
  private readonly lastJob = new Map<string, TransformationJob>();

  /**
   * Sets what the next jobs of a transformation do. An array is consumed one job at a time (the last entry
   * then repeats); a single outcome applies to every job.
   */
  script(transformationExternalId: string, outcome: TransformationOutcome | TransformationOutcome[]): void {
    this.scripts.set(transformationExternalId, Array.isArray(outcome) ? [...outcome] : outcome);
  }

  clearScripts(): void {
    this.scripts.clear();
  }

  /** External ids of the transformations that have been scripted or have run. */
  knownIds(): string[] {
    return [...new Set([...this.scripts.keys(), ...this.lastJob.keys()])];
  }

  /** The job still running for a transformation at `now`, if any. */
  running(transformationExternalId: string, now: number): TransformationJob | undefined {
    const job = this.lastJob.get(transformationExternalId);
    return job && job.endsAt > now ? job : undefined;
  }

  /** Starts a job at `startAt` (now, or when the current job ends for restartAfterCurrent). */
  start(transformationExternalId: string, startAt: number): TransformationJob {
    const outcome = this.nextOutcome(transformationExternalId);
    const job: TransformationJob = {
      jobId: newInternalId() % 10_000_000,
      transformationExternalId,
      startedAt: startAt,
      endsAt: startAt + Math.max(0, outcome.durationMs ?? DEFAULT_DURATION_MS),
      status: outcome.status ?? 'Completed',
      ...(outcome.error ? { error: outcome.error } : {}),
    };
    if (job.status === 'Failed' && !job.error) job.error = 'The transformation job failed.';
    this.lastJob.set(transformationExternalId, job);
    return job;
  }

  private nextOutcome(id: string): TransformationOutcome {
    const s = this.scripts.get(id);
    if (!s) return {};
    if (!Array.isArray(s)) return s;
    if (s.length > 1) return s.shift()!;
    return s[0] ?? {};
  }
}
