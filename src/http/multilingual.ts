import { Type } from 'typebox';

/** api.md's multilingual text: `fr` and `en` required, `ar` optional, each 1–maxLength chars. */
export function multilingualText(maxLength: number) {
  const text = Type.String({ minLength: 1, maxLength });
  return Type.Object(
    { fr: text, en: text, ar: Type.Optional(text) },
    { additionalProperties: false, description: 'French and English required, Arabic optional' },
  );
}
