import { create } from 'xmlbuilder2';

/**
 * A new XML document for an export (IATI, SVG). Characters XML 1.0 does not allow (control
 * characters, lone surrogates) in any text or attribute are replaced with U+FFFD by the
 * builder, so a document is well-formed whatever text is stored.
 */
export const newXmlDocument = () =>
  create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
