import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { Type } from 'typebox';

/** The languages of multilingual texts; French first, the programme's working language. */
export const LANGUAGES = ['fr', 'en', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The `lang` query parameter of a route that produces a single string from multilingual texts. */
export const LangQuery = Type.Optional(
  Type.Union(
    LANGUAGES.map((l) => Type.Literal(l)),
    {
      description:
        'Language of the texts: `fr`, `en` or `ar`. Default: from `Accept-Language`, else `fr`.',
    },
  ),
);

/** `lang` when given, else the best of `Accept-Language` (q-values honoured), else French. */
export function chosenLanguage(request: FastifyRequest, lang: Language | undefined): Language {
  if (lang !== undefined) return lang;
  const best = new Negotiator({ headers: request.headers }).language([...LANGUAGES]);
  return (best as Language | undefined) ?? 'fr';
}

/** A multilingual text in a language; French where that language is missing (`ar` is optional). */
export const textIn = (text: { fr: string; en: string; ar?: string }, language: Language) =>
  text[language] ?? text.fr;
