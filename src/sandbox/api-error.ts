// An error the sandbox answers with the CDF error body {"error":{"code","message","missing"?,"duplicated"?}}.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { missing?: object[]; duplicated?: object[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): { error: { code: number; message: string; missing?: object[]; duplicated?: object[] } } {
    const error: { code: number; message: string; missing?: object[]; duplicated?: object[] } = { code: this.status, message: this.message };
    if (this.extra.missing) error.missing = this.extra.missing;
    if (this.extra.duplicated) error.duplicated = this.extra.duplicated;
    return { error };
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);

export const notFound = (message: string, missing?: object[]): ApiError => new ApiError(404, message, missing ? { missing } : {});
