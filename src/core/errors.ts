// Typed errors thrown by src/core. The one command boundary in src/vscode decides what to show from the
// type and its fields, never from message text. Messages say what to do next and never contain a secret.

export abstract class CdfError extends Error {
  abstract readonly kind: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The user (or code on the user's behalf) cancelled the operation: shown silently. */
export class CancelledError extends CdfError {
  readonly kind = 'cancelled';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

/** Bad input found before anything was sent; line and column are 1-based when known. */
export class InputError extends CdfError {
  readonly kind = 'input';
  constructor(
    message: string,
    readonly location?: { line: number; column: number; offset: number },
  ) {
    super(message);
  }
}
