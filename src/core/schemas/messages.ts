// zod/mini carries no messages of its own (every issue would read "Invalid input"). Our errors quote
// zod's English texts ("externalId: Too big: expected string to have <=255 characters"), so its
// English locale is set once, by this module, which every schema module imports through common.ts.
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());
