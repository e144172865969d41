import { create } from 'xmlbuilder2';

/**
 * A new XML document for an export (IATI, SVG). Characters XML 1.0 does not allow (control
 * characters, lone surrogates) in any text or attribute are replaced with U+FFFD by the
 * builder, so a document is well-formed whatever text is stored.
 */
export const newXmlDocument = () =>
  create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });

// Characters XML 1.0 does not allow: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates.
const NOT_XML = new RegExp(
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]' +
    '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  'g',
);

/** Text with what XML does not allow replaced by U+FFFD, for writers that do not (XLSX). */
export const xmlSafe = (text: string) => text.replace(NOT_XML, '\uFFFD');
