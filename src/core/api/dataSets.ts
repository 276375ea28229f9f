// Data sets (read only): the Toolkit names a workflow's data set by external id, CDF stores its id, so
// deploy and pull translate between them (TOOLKIT.md §2).
import * as z from 'zod/mini';
import { type CdfHttp } from '../http/cdfHttp';
import { internalId, itemsOf } from '../schemas/common';
import { CAPABILITY } from './capabilities';
import { type CallContext } from './requests';

export const dataSet = z.looseObject({
  id: internalId,
  externalId: z.nullish(z.string()),
  name: z.nullish(z.string()),
});
export type DataSet = z.output<typeof dataSet>;

export type DataSetId = { readonly id: number } | { readonly externalId: string };

export class DataSetsApi {
  constructor(private readonly http: CdfHttp) {}

  /** The data sets that exist among `ids` (unknown ones are left out), in one request per 1000. */
  async retrieve(ids: readonly DataSetId[], ctx: CallContext = {}): Promise<DataSet[]> {
    const out: DataSet[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const answer = await this.http.post('/datasets/byids', {
        schema: itemsOf(dataSet),
        body: { items: ids.slice(i, i + 1000).map((d) => ('id' in d ? { id: d.id } : { externalId: d.externalId })), ignoreUnknownIds: true },
        idempotent: true,
        capability: CAPABILITY.dataSetsRead,
        signal: ctx.signal,
      });
      out.push(...answer.items);
    }
    return out;
  }
}
