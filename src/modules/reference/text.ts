/** Lower case without diacritics: what name search compares, so `cooperative` finds `Coopérative`. */
export function foldForSearch(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
