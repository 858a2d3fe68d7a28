/**
 * The Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), as in his
 * reference implementation: `connections`, `connected`, `connecting` → `connect`. The
 * builtin model stems so that a question's `compressed` meets the code's `compress`.
 */

const isConsonantAt = (word: string, i: number): boolean => {
  const c = word[i]!;
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
  if (c === 'y') return i === 0 || !isConsonantAt(word, i - 1);
  return true;
};

/** m in [C](VC)^m[V]: the number of vowel-consonant sequences of the stem. */
function measure(stem: string): number {
  let count = 0;
  let i = 0;
  const n = stem.length;
  while (i < n && isConsonantAt(stem, i)) i++;
  while (i < n) {
    while (i < n && !isConsonantAt(stem, i)) i++;
    if (i >= n) break;
    while (i < n && isConsonantAt(stem, i)) i++;
    count++;
  }
  return count;
}

const hasVowel = (stem: string): boolean => {
  for (let i = 0; i < stem.length; i++) if (!isConsonantAt(stem, i)) return true;
  return false;
};

const endsDoubleConsonant = (word: string): boolean =>
  word.length >= 2 && word[word.length - 1] === word[word.length - 2] && isConsonantAt(word, word.length - 1);

/** Ends consonant-vowel-consonant, the last not w, x or y (`hop`, not `hoop` or `snow`). */
function endsCvc(word: string): boolean {
  const n = word.length;
  if (n < 3 || !isConsonantAt(word, n - 1) || isConsonantAt(word, n - 2) || !isConsonantAt(word, n - 3)) return false;
  const last = word[n - 1];
  return last !== 'w' && last !== 'x' && last !== 'y';
}

type Rule = [suffix: string, replacement: string];

/** The first (longest) rule whose suffix the word has decides; it applies only when the stem's measure passes. */
function replaceSuffix(word: string, rules: Rule[], condition: (stem: string, suffix: string) => boolean): string {
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    return condition(stem, suffix) ? stem + replacement : word;
  }
  return word;
}

const STEP2: Rule[] = (
  [
    ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['bli', 'ble'],
    ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'],
    ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'],
    ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log'],
  ] as Rule[]
).sort((a, b) => b[0].length - a[0].length);

const STEP3: Rule[] = (
  [['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', '']] as Rule[]
).sort((a, b) => b[0].length - a[0].length);

const STEP4: Rule[] = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize',
]
  .sort((a, b) => b.length - a.length)
  .map((suffix): Rule => [suffix, '']);

function step1ab(word: string): string {
  if (word.endsWith('sses')) word = word.slice(0, -2);
  else if (word.endsWith('ies')) word = word.slice(0, -2);
  else if (!word.endsWith('ss') && word.endsWith('s')) word = word.slice(0, -1);

  if (word.endsWith('eed')) return measure(word.slice(0, -3)) > 0 ? word.slice(0, -1) : word;
  const suffix = word.endsWith('ed') ? 'ed' : word.endsWith('ing') ? 'ing' : null;
  if (suffix === null || !hasVowel(word.slice(0, -suffix.length))) return word;
  word = word.slice(0, -suffix.length);
  if (word.endsWith('at') || word.endsWith('bl') || word.endsWith('iz')) return `${word}e`;
  if (endsDoubleConsonant(word) && !/[lsz]$/.test(word)) return word.slice(0, -1);
  if (measure(word) === 1 && endsCvc(word)) return `${word}e`;
  return word;
}

export function porterStem(word: string): string {
  if (word.length <= 2) return word;
  word = step1ab(word);
  if (word.endsWith('y') && hasVowel(word.slice(0, -1))) word = `${word.slice(0, -1)}i`;
  word = replaceSuffix(word, STEP2, (stem) => measure(stem) > 0);
  word = replaceSuffix(word, STEP3, (stem) => measure(stem) > 0);
  word = replaceSuffix(word, STEP4, (stem, suffix) => measure(stem) > 1 && (suffix !== 'ion' || /[st]$/.test(stem)));
  if (word.endsWith('e')) {
    const stem = word.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !endsCvc(stem))) word = stem;
  }
  if (measure(word) > 1 && endsDoubleConsonant(word) && word.endsWith('l')) word = word.slice(0, -1);
  return word;
}
