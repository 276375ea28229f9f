// Files for function code (REFERENCE §4.6): create (never resent blindly), upload the bytes to the
// upload URL without CDF headers on foreign origins, wait for `uploaded`, delete.
import { type CdfHttp } from '../http/cdfHttp';
import { sleep } from '../http/abort';
import { TimeoutError } from '../errors';
import { emptyResponse, itemsOf } from '../schemas/common';
import { type CreatedFile, createdFile, type FileCreate, fileCreate, type FileMetadata, fileMetadata } from '../schemas/files';
import { CAPABILITY } from './capabilities';
import { type CallContext, checkRequest, segment } from './requests';
import { type WaitOptions } from './functions';

export type FileRef = { id: number } | { externalId: string };

export class FilesApi {
  constructor(private readonly http: CdfHttp) {}

  /** Creates the file's metadata and returns it with its uploadUrl. `overwrite` replaces a file with the same externalId. */
  create(item: FileCreate, options: CallContext & { overwrite?: boolean } = {}): Promise<CreatedFile> {
    const body = checkRequest(fileCreate, item, `File "${item.name}"`);
    return this.http.post('/files', {
      schema: createdFile,
      query: { overwrite: options.overwrite ?? false },
      body,
      idempotent: false,
      capability: CAPABILITY.filesWrite,
      subject: `Create file "${item.name}"`,
      signal: options.signal,
    });
  }

  /** PUTs the content to the upload URL from create(). */
  upload(uploadUrl: string, bytes: Uint8Array, options: CallContext & { mimeType?: string; timeoutMs?: number } = {}): Promise<void> {
    return this.http.upload(uploadUrl, bytes, { contentType: options.mimeType, signal: options.signal, timeoutMs: options.timeoutMs });
  }

  retrieve(id: number, ctx: CallContext = {}): Promise<FileMetadata> {
    return this.http.get(`/files/${segment(id)}`, {
      schema: fileMetadata,
      capability: CAPABILITY.filesRead,
      subject: `File ${id}`,
      signal: ctx.signal,
    });
  }

  async retrieveMany(refs: readonly FileRef[], options: CallContext & { ignoreUnknownIds?: boolean } = {}): Promise<FileMetadata[]> {
    const out: FileMetadata[] = [];
    for (let i = 0; i < refs.length; i += 1000) {
      const answer = await this.http.post('/files/byids', {
        schema: itemsOf(fileMetadata),
        body: { items: refs.slice(i, i + 1000), ignoreUnknownIds: options.ignoreUnknownIds ?? false },
        idempotent: true,
        capability: CAPABILITY.filesRead,
        signal: options.signal,
      });
      out.push(...answer.items);
    }
    return out;
  }

  /** Polls until CDF reports the content uploaded; TimeoutError if it does not within timeoutMs (default 60 s). */
  async waitUntilUploaded(id: number, options: WaitOptions = {}): Promise<FileMetadata> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let interval = options.pollIntervalMs ?? 500;
    for (;;) {
      const [file] = await this.retrieveMany([{ id }], options);
      if (file?.uploaded) return file;
      if (Date.now() + interval > deadline) {
        throw new TimeoutError(
          `File ${id} was not marked uploaded within ${Math.round(timeoutMs / 1000)} s. Upload it again, or check the Files API status.`,
          { method: 'POST', path: '/files/byids' },
          timeoutMs,
          0,
        );
      }
      await sleep(interval, options.signal);
      interval = Math.min(interval * 2, options.maxPollIntervalMs ?? 8_000);
    }
  }

  async delete(refs: readonly FileRef[], ctx: CallContext = {}): Promise<void> {
    for (let i = 0; i < refs.length; i += 1000) {
      await this.http.post('/files/delete', {
        schema: emptyResponse,
        body: { items: refs.slice(i, i + 1000) },
        idempotent: true,
        capability: CAPABILITY.filesWrite,
        signal: ctx.signal,
      });
    }
  }
}
