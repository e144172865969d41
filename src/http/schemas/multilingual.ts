import { type Static, Type } from 'typebox';
import { component, ref } from './components.js';
import { MULTILINE } from './text.js';

/** Lengths of the two multilingual fragments: short names and titles, longer texts. */
const MULTILINGUAL_LIMITS = { name: 200, text: 2000 } as const;

/**
 * Multilingual text (docs/integrators.md): `fr` and `en` required, `ar` optional. Long texts
 * (descriptions, help) are multi-line: tab and line breaks allowed, no other control
 * character (text.ts); names are single-line.
 */
function multilingual(maxLength: number, description: string) {
  const multiline = maxLength > MULTILINGUAL_LIMITS.name;
  const text = Type.String({
    minLength: 1,
    maxLength,
    ...(multiline ? { [MULTILINE]: true } : {}),
  });
  return Type.Object(
    { fr: text, en: text, ar: Type.Optional(text) },
    { additionalProperties: false, description },
  );
}

const MultilingualNameSchema = component(
  'MultilingualName',
  multilingual(
    MULTILINGUAL_LIMITS.name,
    `A name or title in French and English (required) and Arabic (optional), each 1–${MULTILINGUAL_LIMITS.name} characters`,
  ),
);
const MultilingualTextSchema = component(
  'MultilingualText',
  multilingual(
    MULTILINGUAL_LIMITS.text,
    `A text in French and English (required) and Arabic (optional), each 1–${MULTILINGUAL_LIMITS.text} characters`,
  ),
);
export type Multilingual = Static<typeof MultilingualTextSchema>;

export const MultilingualName = ref(MultilingualNameSchema);
export const MultilingualText = ref(MultilingualTextSchema);
