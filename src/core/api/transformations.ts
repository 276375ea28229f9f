// Transformations: listed so definition files can offer the external ids a transformation task takes.
import { type CdfHttp } from '../http/cdfHttp';
import { type Page, pageOf } from '../schemas/common';
import { type Transformation, transformation } from '../schemas/transformations';
import { CAPABILITY } from './capabilities';
import { paged, type PagedList } from './paging';
import { type CallContext } from './requests';

const transformationPage = pageOf(transformation);

export class TransformationsApi {
  constructor(private readonly http: CdfHttp) {}

  list(options: CallContext & { limit?: number; cursor?: string } = {}): Promise<Page<Transformation>> {
    return this.http.get('/transformations', {
      schema: transformationPage,
      query: { limit: options.limit ?? 1000, cursor: options.cursor },
      capability: CAPABILITY.transformationsRead,
      signal: options.signal,
    });
  }

  iterate(options: CallContext & { limit?: number } = {}): PagedList<Transformation> {
    return paged((cursor) => this.list({ ...options, cursor }), options.signal);
  }
}
