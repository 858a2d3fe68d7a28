import { type Language as Grammar, type Node, Parser, type Point, type TreeCursor } from 'web-tree-sitter';

/**
 * The exports of web-tree-sitter's WASM module (0.25) that a cursor walk needs. Each
 * `_ts_tree_cursor_*_wasm(tree)` reads the cursor from the module's transfer buffer, and a
 * move writes it back there.
 */
interface CursorExports {
  HEAP32: Int32Array;
  HEAPU8: Uint8Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const FUNCTIONS = [
  '_ts_init',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_current_node_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

/** Whether each node type of a grammar is named, by type id, asked once. */
const namedTypes = new WeakMap<Grammar, boolean[]>();

/** The module, by grammar: a grammar belongs to the one web-tree-sitter module that loaded it. */
const modules = new WeakMap<Grammar, { exports: CursorExports; transfer: number }>();

/** The version whose internals this file reads; package.json pins it. */
const KNOWN_VERSION = '0.25.10';

const changedInternals = (what: string) =>
  new Error(`web-tree-sitter's internals are not those the tree walk reads (src/analysis/wasm-cursor.ts, written for web-tree-sitter ${KNOWN_VERSION}): ${what}`);

/**
 * web-tree-sitter's Emscripten module, which it does not export: it calls a parse callback
 * as a method of the module (`Module.currentParseCallback(…)`), so an empty parse with a
 * plain function as callback hands it over as `this`. Checked here, once per grammar, so a
 * web-tree-sitter that changed its internals fails with this message, not wrong results.
 */
function moduleOf(grammar: Grammar): { exports: CursorExports; transfer: number } {
  let found = modules.get(grammar);
  if (found) return found;
  let module: Record<string, unknown> | undefined;
  const parser = new Parser();
  try {
    parser.setLanguage(grammar);
    parser
      .parse(function (this: Record<string, unknown>) {
        module = this;
        return null as unknown as string;
      })
      ?.delete();
  } finally {
    parser.delete();
  }
  const missing = FUNCTIONS.filter((name) => typeof module?.[name] !== 'function');
  if (!(module?.HEAP32 instanceof Int32Array) || !(module.HEAPU8 instanceof Uint8Array) || missing.length > 0) {
    throw changedInternals(`its WASM module lacks ${missing.join(', ') || 'HEAP32 or HEAPU8'}`);
  }
  const exports = module as unknown as CursorExports;
  found = { exports, transfer: exports._ts_init() >> 2 };
  modules.set(grammar, found);
  return found;
}

/**
 * A tree cursor for walks that visit every node (issue 12). web-tree-sitter's TreeCursor
 * passes its state through Emscripten's generic `setValue`/`getValue` (a DataView and a
 * switch on a type name per word) on every call: on python3's standard library that was
 * most of the references walk's 5.3 s of CPU. The same WASM functions with the state
 * written through an Int32Array make it 2.0 s. A node's text is cut from the source. The
 * public cursor it wraps holds the state, so `node()` and `delete()` are its own.
 */
export interface WasmCursor {
  /** The grammar's node type names and field names, by id. */
  readonly types: readonly string[];
  readonly fields: readonly (string | null)[];
  typeId(): number;
  /** The name of a node type, as `TreeCursor.nodeType` gives it (an error node's type is not in the grammar's list). */
  typeName(typeId: number): string;
  /** The node's type name. */
  type(): string;
  fieldId(): number;
  /** The node's field in its parent, as `TreeCursor.currentFieldName` gives it. */
  field(): string | null;
  /** Whether nodes of this type are named (`Node.isNamed`): named or anonymous is a property of the type. */
  named(typeId: number): boolean;
  /** Whether the cursor is on `node` (the same node of the same tree, not only the same type and place). */
  isOn(node: Node): boolean;
  /**
   * Whether the node certainly has no children, known without a call into WASM (most
   * tokens); false only says to ask gotoFirstChild.
   */
  childless(): boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** Start and end, in UTF-16 units from the start of the source. */
  startIndex(): number;
  endIndex(): number;
  /** 0-based row and UTF-16 column. */
  startPosition(): Point;
  /** The node's source text. */
  text(): string;
  /** The node as web-tree-sitter's Node, for what a walk asks rarely. */
  node(): Node;
  delete(): void;
}

/**
 * What the walk reads in WASM memory itself (tree-sitter 0.25's lib/tree_cursor.h and
 * lib/subtree.h, 32-bit little-endian). The cursor's first two words are its stack of
 * entries and their count; the last entry is the node under the cursor: a pointer to its
 * Subtree, then where it starts (bytes, row, column; bytes of UTF-16, so halved). A Subtree
 * whose lowest bit is set is stored inline, as tokens small enough are: it has no
 * children, and its size in bytes is its last byte. Checked against web-tree-sitter's own
 * answers on the first tree of each grammar (checkAgainstNodes).
 */
const ENTRY_BYTES = 28;
const INLINE_SIZE_BYTE = 7;

/** Cursor state: four words, kept on web-tree-sitter's own cursor object. */
type Words = TreeCursor & Record<0 | 1 | 2 | 3, number>;

/**
 * A cursor on `root` (the root of its tree). `source` is the text the tree was parsed
 * from; without it, the root's own text is read once (where the root starts).
 */
export function openCursor(root: Node, source?: string): WasmCursor {
  const { exports, transfer } = moduleOf(root.tree.language);
  const grammar = root.tree.language;
  const { types, fields } = grammar;
  let named = namedTypes.get(grammar);
  if (!named) namedTypes.set(grammar, (named = []));
  const tree = (root.tree as unknown as Record<0, number>)[0];
  const words = root.walk() as Words;
  if (typeof tree !== 'number' || typeof words[0] !== 'number') {
    words.delete();
    throw changedInternals('a tree or a cursor no longer keeps its address in its own properties');
  }
  const text = source ?? root.text;
  const offset = source === undefined ? root.startIndex : 0;
  // Read again at each call: the module's memory may grow, which replaces HEAP32.
  const put = () => {
    const heap = exports.HEAP32;
    heap[transfer] = words[0];
    heap[transfer + 1] = words[1];
    heap[transfer + 2] = words[2];
    heap[transfer + 3] = words[3];
  };
  const move = (step: (tree: number) => number): boolean => {
    put();
    const moved = step(tree) === 1;
    const heap = exports.HEAP32;
    words[0] = heap[transfer]!;
    words[1] = heap[transfer + 1]!;
    words[2] = heap[transfer + 2]!;
    words[3] = heap[transfer + 3]!;
    return moved;
  };
  /** A read of the node under the cursor. */
  const read = (query: (tree: number) => number) => (): number => {
    put();
    return query(tree);
  };
  const typeId = read(exports._ts_tree_cursor_current_node_type_id_wasm);
  const typeName = (id: number) => types[id] || 'ERROR';
  const fieldId = read(exports._ts_tree_cursor_current_field_id_wasm);
  const nodeId = read(exports._ts_tree_cursor_current_node_id_wasm);
  const endIndexByCall = read(exports._ts_tree_cursor_end_index_wasm);
  // Where the node is, read in WASM memory rather than asked (see CursorMemory): the walk asks it of every reference.
  const entry = () => (words[0] + (words[1] - 1) * ENTRY_BYTES) >> 2;
  const subtree = () => exports.HEAP32[entry()]! >>> 0;
  const inline = (address: number) => (exports.HEAPU8[address]! & 1) === 1;
  const startIndex = () => exports.HEAP32[entry() + 1]! >>> 1;
  const endIndex = () => {
    const address = subtree();
    return inline(address) ? ((exports.HEAP32[entry() + 1]! >>> 0) + exports.HEAPU8[address + INLINE_SIZE_BYTE]!) >>> 1 : endIndexByCall();
  };
  const cursor: WasmCursor = {
    types,
    fields,
    typeId,
    typeName,
    type: () => typeName(typeId()),
    fieldId,
    field: () => fields[fieldId()] ?? null,
    named: (typeId) => (named[typeId] ??= grammar.nodeTypeIsNamed(typeId)),
    isOn: (node) => nodeId() === node.id && startIndex() === node.startIndex,
    childless: () => inline(subtree()),
    gotoFirstChild: () => move(exports._ts_tree_cursor_goto_first_child_wasm),
    gotoNextSibling: () => move(exports._ts_tree_cursor_goto_next_sibling_wasm),
    gotoParent: () => move(exports._ts_tree_cursor_goto_parent_wasm),
    startIndex,
    endIndex,
    startPosition() {
      const at = entry();
      const heap = exports.HEAP32;
      return { row: heap[at + 2]! >>> 0, column: heap[at + 3]! >>> 1 };
    },
    text: () => text.slice(startIndex() - offset, endIndex() - offset),
    node: () => words.currentNode,
    delete: () => words.delete(),
  };
  if (!checked.has(grammar)) {
    checkAgainstNodes(cursor, root, read(exports._ts_tree_cursor_start_index_wasm));
    checked.add(grammar);
  }
  return cursor;
}

/**
 * Whether the cursor reads this parser's trees right, checked on a tiny tree; throws why
 * not. A parser that fails it must not be used: every file would be stored with that
 * error in place of its symbols, and not read again until it changes.
 */
export function checkCursor(parser: Parser): void {
  // Tokens on several lines, past the first column, nested: each read in memory has something to be wrong about.
  const source = 'x;\nf(y, "z");\n';
  const tree = parser.parse(source);
  if (!tree) throw changedInternals('a parser with a language returned no tree');
  try {
    openCursor(tree.rootNode, source).delete();
  } finally {
    tree.delete();
  }
}

const CHECKED_NODES = 500;
const CHECKED_DEPTH = 20;

/** Grammars whose first cursor read what web-tree-sitter's own nodes say. */
const checked = new WeakSet<Grammar>();

/** What the cursor reads on a node, to compare with what web-tree-sitter's Node says of it. */
const seenByCursor = (cursor: WasmCursor, startIndexByCall: () => number) => ({
  typeId: cursor.typeId(),
  startIndex: startIndexByCall(),
  endIndex: cursor.endIndex(),
  startPosition: cursor.startPosition(),
  startInMemory: cursor.startIndex(),
  childless: cursor.childless(),
});
const seenByNode = (node: Node) => ({
  typeId: node.typeId,
  startIndex: node.startIndex,
  endIndex: node.endIndex,
  startPosition: node.startPosition,
  startInMemory: node.startIndex,
});

/**
 * The first cursor of each grammar reads every node of its tree both ways (and where a
 * node starts both through WASM and in memory): functions of the same names that pass the
 * cursor differently (another layout of the transfer buffer), or tree-sitter's structures
 * laid out otherwise in memory, would otherwise give wrong symbols, not an error. A token
 * not seen as stored inline is only asked for its children; one seen so must have none.
 * The first CHECKED_NODES nodes at most, no deeper than CHECKED_DEPTH (the first tree may
 * be any file's); it ends on the root, where it started.
 */
function checkAgainstNodes(cursor: WasmCursor, root: Node, startIndexByCall: () => number): void {
  let budget = CHECKED_NODES;
  const visit = (node: Node, where: string, depth: number) => {
    budget--;
    const byCursor = seenByCursor(cursor, startIndexByCall);
    const byNode = { ...seenByNode(node), childless: byCursor.childless && node.childCount === 0 };
    if (!cursor.isOn(node) || JSON.stringify(byCursor) !== JSON.stringify(byNode)) {
      cursor.delete();
      throw changedInternals(`on ${where} the cursor reads ${JSON.stringify(byCursor)}, the node says ${JSON.stringify(byNode)}`);
    }
    if (depth >= CHECKED_DEPTH || !cursor.gotoFirstChild()) return;
    for (let index = 0; index < node.childCount && budget > 0; index++) {
      if (index > 0) cursor.gotoNextSibling();
      visit(node.child(index)!, `${where} > child ${index}`, depth + 1);
    }
    cursor.gotoParent();
  };
  visit(root, 'the root', 0);
}
