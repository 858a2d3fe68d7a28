import { expect, it } from 'vitest';
import { porterStem } from '../../../src/embeddings/builtin/porter-stemmer.ts';

// Examples from Porter's paper ("An algorithm for suffix stripping", 1980), step by step.
const PAPER: Record<string, string> = {
  caresses: 'caress', ponies: 'poni', ties: 'ti', caress: 'caress', cats: 'cat',
  feed: 'feed', agreed: 'agre', plastered: 'plaster', bled: 'bled', motoring: 'motor', sing: 'sing',
  conflated: 'conflat', troubled: 'troubl', sized: 'size', hopping: 'hop', tanned: 'tan', falling: 'fall',
  hissing: 'hiss', fizzed: 'fizz', failing: 'fail', filing: 'file', happy: 'happi', sky: 'sky',
  relational: 'relat', conditional: 'condit', rational: 'ration', valenci: 'valenc', digitizer: 'digit',
  conformabli: 'conform', radicalli: 'radic', differentli: 'differ', vileli: 'vile', analogousli: 'analog',
  vietnamization: 'vietnam', predication: 'predic', operator: 'oper', feudalism: 'feudal', decisiveness: 'decis',
  hopefulness: 'hope', callousness: 'callous', formaliti: 'formal', sensitiviti: 'sensit', sensibiliti: 'sensibl',
  triplicate: 'triplic', formative: 'form', formalize: 'formal', electriciti: 'electr', electrical: 'electr',
  hopeful: 'hope', goodness: 'good', revival: 'reviv', allowance: 'allow', inference: 'infer', airliner: 'airlin',
  gyroscopic: 'gyroscop', adjustable: 'adjust', defensible: 'defens', irritant: 'irrit', replacement: 'replac',
  adjustment: 'adjust', dependent: 'depend', adoption: 'adopt', homologou: 'homolog', communism: 'commun',
  activate: 'activ', angulariti: 'angular', homologous: 'homolog', effective: 'effect', bowdlerize: 'bowdler',
  probate: 'probat', rate: 'rate', cease: 'ceas', controll: 'control', roll: 'roll',
  generalizations: 'gener', oscillators: 'oscil',
};

it("stems as Porter's paper does", () => {
  const wrong = Object.entries(PAPER).filter(([word, stem]) => porterStem(word) !== stem).map(([word]) => `${word} → ${porterStem(word)}`);
  expect(wrong).toEqual([]);
});

it('joins the forms a question and the code use for one idea', () => {
  expect(new Set(['connect', 'connected', 'connecting', 'connection', 'connections'].map(porterStem))).toEqual(new Set(['connect']));
  expect(new Set(['compress', 'compressed', 'compression'].map(porterStem))).toEqual(new Set(['compress']));
  expect(porterStem('is')).toBe('is');
});
