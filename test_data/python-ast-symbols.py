"""The symbols CPython's own parser sees in each .py file under a directory, as the
code index stores them: name, kind, qualified name, first and last line (a decorated
definition starts at its first decorator). Prints one JSON object: path -> symbols; a
file CPython cannot parse is left out. Used by tests/analysis/python-stdlib.test.ts."""
import ast
import json
import os
import sys

SKIPPED = {'site-packages', '__pycache__'}
# In source order: a try's handlers come before its else and finally.
BLOCKS = ('body', 'handlers', 'orelse', 'finalbody', 'cases')


def symbols_of(tree):
    found = []

    def visit(statements, scope):
        for node in statements:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                kind = 'class' if isinstance(node, ast.ClassDef) else ('method' if scope and scope[1] == 'class' else 'function')
                qualified = f'{scope[0]}.{node.name}' if scope else node.name
                start = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
                found.append([node.name, kind, qualified, start, node.end_lineno])
                visit(node.body, (qualified, kind))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    name = alias.asname or alias.name
                    found.append([name, 'import', f'{scope[0]}.{name}' if scope else name, node.lineno, node.end_lineno])
            else:
                for field in BLOCKS:
                    for item in getattr(node, field, None) or []:
                        visit([item] if isinstance(item, ast.stmt) else item.body, scope)

    visit(tree.body, None)
    return found


root = sys.argv[1]
result = {}
for directory, folders, names in os.walk(root):
    folders[:] = sorted(folder for folder in folders if folder not in SKIPPED)
    for name in sorted(names):
        if not name.endswith('.py'):
            continue
        path = os.path.join(directory, name)
        try:
            with open(path, 'rb') as file:
                tree = ast.parse(file.read())
        except (SyntaxError, ValueError):
            continue
        result[os.path.relpath(path, root)] = symbols_of(tree)
json.dump(result, sys.stdout)
