import { Type } from 'typebox';
import { MULTILINE } from './text.js';

/**
 * api.md's multilingual text: `fr` and `en` required, `ar` optional, each 1–maxLength chars.
 * `multiline` texts (descriptions, help) may hold tab and line breaks; no text may hold other
 * control characters (text.ts).
 */
export function multilingualText(maxLength: number, { multiline = false } = {}) {
  const text = Type.String({
    minLength: 1,
    maxLength,
    ...(multiline ? { [MULTILINE]: true } : {}),
  });
  return Type.Object(
    { fr: text, en: text, ar: Type.Optional(text) },
    { additionalProperties: false, description: 'French and English required, Arabic optional' },
  );
}
