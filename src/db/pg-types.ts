import pg from 'pg';

const DATE_OID = 1082;
const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;

/**
 * Type parsers for both database modes. Calendar dates stay 'YYYY-MM-DD' strings (pg would turn
 * them into a local-midnight Date), timestamps become ISO 8601 UTC strings as the API shows them,
 * and bigint counts become numbers: our counts stay far below 2^53.
 */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === TIMESTAMPTZ_OID) return (value: string) => new Date(value).toISOString();
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};
