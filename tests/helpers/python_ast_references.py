"""The independent count for the references tests: CPython's own `ast` (and `tokenize` for
the names of import statements, which `ast` keeps as strings) over Python files.

Prints, per file given on the command line, every use of a name that is not its definition:
[name, line, column, kind] with line 1-based and column 1-based in UTF-16 code units, kind
one of call, attribute, import, type, name. A use is a `Name` read (Load), an `Attribute`
read (Load; its attribute name, where it ends), and each name an import statement imports
(not the `as` alias it binds). Kind: what a `Call` calls is `call`; inside an annotation
`type`; an attribute otherwise `attribute`; anything else `name`.
"""
import ast
import io
import json
import re
import sys
import tokenize


def utf16_column(line: str, chars: int) -> int:
    return len(line[:chars].encode("utf-16-le")) // 2 + 1


def byte_to_chars(line: str, offset: int) -> int:
    return len(line.encode("utf-8")[:offset].decode("utf-8"))


def references(source: str):
    tree = ast.parse(source)
    # Lines as Python's tokenizer counts them (not str.splitlines, which also splits at form feeds).
    lines = re.split(r"\r\n|\r|\n", source) + [""]
    found = []
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    annotation_roots = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            annotation_roots.append(node.annotation)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            annotation_roots.append(node.returns)
        if isinstance(node, ast.AnnAssign):
            annotation_roots.append(node.annotation)
    in_annotation = {id(inner) for root in annotation_roots for inner in ast.walk(root)}

    def kind(node, default):
        if id(node) in called:
            return "call"
        if id(node) in in_annotation:
            return "type"
        return default

    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            line = lines[node.lineno - 1]
            found.append([node.id, node.lineno, utf16_column(line, byte_to_chars(line, node.col_offset)), kind(node, "name")])
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            line = lines[node.end_lineno - 1]
            start = byte_to_chars(line, node.end_col_offset) - len(node.attr)
            found.append([node.attr, node.end_lineno, utf16_column(line, start), kind(node, "attribute")])
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.extend(imported_names(node, source, lines))
    return found


def imported_names(node, source, lines):
    """The NAME tokens of an import statement, but the keywords and the `as` aliases."""
    segment = ast.get_source_segment(source, node)
    first_column = byte_to_chars(lines[node.lineno - 1], node.col_offset)
    names = []
    previous = None
    for token in tokenize.generate_tokens(io.StringIO(segment).readline):
        if token.type == tokenize.NAME and token.string not in ("from", "import", "as") and previous != "as":
            row = node.lineno + token.start[0] - 1
            column = token.start[1] + (first_column if token.start[0] == 1 else 0)
            names.append([token.string, row, utf16_column(lines[row - 1], column), "import"])
        if token.type in (tokenize.NAME, tokenize.OP):
            previous = token.string
    return names


result = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as file:
        result[path] = references(file.read())
json.dump(result, sys.stdout)
