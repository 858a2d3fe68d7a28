import { Parser, Language } from 'web-tree-sitter';
await Parser.init();
const which = process.argv[2]!;
const lang = await Language.load(`node_modules/tree-sitter-wasms/out/tree-sitter-${which}.wasm`);
const p = new Parser(); p.setLanguage(lang);
const src = (await import('node:fs')).readFileSync(0, 'utf8');
const t = p.parse(src)!;
const c = t.walk();
let depth = 0;
for (;;) {
  if (c.nodeIsNamed || c.nodeType.match(/^\w/)) console.log(`${'  '.repeat(depth)}${c.currentFieldName ? c.currentFieldName + ': ' : ''}${c.nodeType}${c.nodeIsNamed ? '' : '*'} ${c.nodeType.match(/identifier/) ? JSON.stringify(c.nodeText) : ''}`);
  if (c.gotoFirstChild()) { depth++; continue; }
  while (!c.gotoNextSibling()) { if (!c.gotoParent()) process.exit(0); depth--; }
}
