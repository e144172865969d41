import type { FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * `lang` when given, else the best of `Accept-Language` (q-values honoured), else French. In the
 * second case the answer depends on the header, and `Vary` says so to caches (added to what is
 * there, e.g. CORS's `Origin`).
 */
export function chosenLanguage(
  request: FastifyRequest,
  reply: FastifyReply,
  lang: Language | undefined,
): Language {
  if (lang !== undefined) return lang;
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${vary}, Accept-Language` : 'Accept-Language');
  const best = new Negotiator({ headers: request.headers }).language([...LANGUAGES]);
  return (best as Language | undefined) ?? 'fr';
}

type Texts = { fr: string; en: string; ar?: string };

/** The language a multilingual text is shown in: French where `language` is missing (`ar` is optional). */
export const shownLanguage = (text: Texts, language: Language): Language =>
  text[language] === undefined ? 'fr' : language;

/** A multilingual text in a language, or in French (see shownLanguage). */
export const textIn = (text: Texts, language: Language) =>
  text[shownLanguage(text, language)] ?? text.fr; // `?? text.fr` only for the type checker
