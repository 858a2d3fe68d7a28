/**
 * Words the builtin model ignores: English function words, which carry no topic, and the
 * keywords and boilerplate of Python and JavaScript, which every definition has
 * (`def`, `self`, `return`, `const`, `param`). Compared before stemming, lower-cased.
 */
const ENGLISH = `a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing done down during each either else etc even ever every few for from
further had has have having he her here hers herself him himself his how however i if in into is it its itself just
may me might more most much must my myself neither no nor not now of off often on once only or other otherwise our
ours ourselves out over own per rather same shall she should since so some such than that the their theirs them
themselves then there these they this those though through thus to too under until up upon us very via was we were
what whatever when where whether which while who whom whose why will with within without would yet you your yours
yourself yourselves`;

const CODE = `and as assert async await break case catch cls const continue def default del elif else except export
extends false finally for from function global if import in instanceof is lambda let new nonlocal none not null or
pass raise return self super switch this throw true try typeof undefined var void while with yield kwargs args
param params returns type types js mjs cjs ts py e g eg ie`;

export const STOP_WORDS: ReadonlySet<string> = new Set(`${ENGLISH} ${CODE}`.split(/\s+/).filter(Boolean));
