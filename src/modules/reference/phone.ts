import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A valid phone number written in E.164 (`+212612345678`), as libphonenumber knows the plans. */
export function isE164Phone(value: string): boolean {
  if (!/^\+[1-9]\d{6,14}$/.test(value)) return false;
  const parsed = parsePhoneNumberFromString(value);
  return parsed?.isValid() === true && parsed.number === value;
}
