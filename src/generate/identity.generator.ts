/**
 * Synthetic identities: village names, household heads' names, resident ID numbers (18 digits,
 * GB 11643 check digit) and phone numbers. Everything is made up; ID numbers and phone numbers are
 * unique per data set by construction (bijective mappings of a counter), not by luck.
 */
import { GIVEN_NAME_CHARS, SURNAMES, VILLAGE_PREFIXES, VILLAGE_SUFFIXES, type CountyProfile } from './langfang.data.js';
import { SeededRandom, WeightedTable } from './seeded-random.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643-1999 check character of the first 17 digits of a resident ID number. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckDigit needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** True when an 18-character ID number has a valid check character. */
export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckDigit(id.slice(0, 17)) === id[17];
}

/**
 * Villages of every township, 3–4 each. They depend on the township only, not on the seed,
 * so households of different data sets live in the same villages.
 */
export function villagesByTownship(counties: readonly CountyProfile[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const county of counties) {
    for (const township of county.townships) {
      const rng = new SeededRandom(`village/${county.code}/${township}`);
      const names = new Set<string>();
      const wanted = rng.int(3, 4);
      while (names.size < wanted) {
        const surname = rng.pick(SURNAMES)[0];
        names.add(`${rng.pick(VILLAGE_PREFIXES)}${surname}${rng.pick(VILLAGE_SUFFIXES)}`);
      }
      out.set(`${county.code}/${township}`, [...names]);
    }
  }
  return out;
}

// Birth dates of household heads: 1945-01-01 … 2004-12-31 (heads aged about 22 to 81).
const BIRTH_FIRST_DAY = Date.UTC(1945, 0, 1) / 86_400_000;
const BIRTH_DAYS = Date.UTC(2005, 0, 1) / 86_400_000 - BIRTH_FIRST_DAY; // 21915
const ID_SPACE = BIRTH_DAYS * 1000; // (birth day, 3-digit sequence) pairs per county
const ID_MULTIPLIER = 7_368_787; // coprime with ID_SPACE = 2^3·3^2·5^4·487, so serial → k is a bijection
const PHONE_SPACE = 100_000_000;
const PHONE_MULTIPLIER = 36_847_613; // coprime with 10^8

/** Makes the personal data of households; one instance per data set. */
export class IdentityGenerator {
  private readonly surnames = new WeightedTable(SURNAMES);
  private readonly idOffset: number;
  private readonly phoneOffset: number;

  constructor(rng: SeededRandom) {
    this.idOffset = rng.int(0, ID_SPACE - 1);
    this.phoneOffset = rng.int(0, PHONE_SPACE - 1);
  }

  /** A synthetic name: a common surname and one or two given-name characters. */
  headName(rng: SeededRandom): string {
    const surname = this.surnames.draw(rng);
    const given = rng.pick(GIVEN_NAME_CHARS) + (rng.chance(0.75) ? rng.pick(GIVEN_NAME_CHARS) : '');
    return surname + given;
  }

  /**
   * An 18-digit resident ID number: the county code, a birth date and a sequence derived from
   * the household's number within its county (unique for up to 21.9 million per county), and
   * the GB 11643 check character.
   */
  idNumber(countyCode: string, countySerial: number): string {
    const k = (countySerial * ID_MULTIPLIER + this.idOffset + Number(countyCode) * 7919) % ID_SPACE;
    const day = Math.floor(k / 1000);
    const sequence = k % 1000;
    const birth = new Date((BIRTH_FIRST_DAY + day) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `${countyCode}${birth}${String(sequence).padStart(3, '0')}`;
    return first17 + idCheckDigit(first17);
  }

  /**
   * An 11-digit number starting with `100`, a prefix no Chinese mobile network uses, so it is
   * obviously synthetic; unique for up to 100 million households.
   */
  phone(serial: number): string {
    const k = (serial * PHONE_MULTIPLIER + this.phoneOffset) % PHONE_SPACE;
    return `100${String(k).padStart(8, '0')}`;
  }
}
