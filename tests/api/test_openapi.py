"""docs/openapi.yaml and the route table (src/http/routes.c) list the same endpoints.

No YAML library is assumed: the `paths:` section is read by indentation — a line
`  /api/v1/...:` opens a path and `    get:` (etc.) under it names a method.
"""
import os
import re
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
ROUTES_C = os.path.join(ROOT, 'src', 'http', 'routes.c')
OPENAPI = os.path.join(ROOT, 'docs', 'openapi.yaml')

HTTP_METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace')
ROUTE_RE = re.compile(r'\{\s*"([A-Z]+)"\s*,\s*"(/[^"]*)"\s*,\s*([A-Za-z_][A-Za-z0-9_]*)')


def strip_c_comments(src):
    """Removes /* */ and // comments (string literals in routes.c hold no comment markers)."""
    src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
    return re.sub(r'//[^\n]*', '', src)


def routes_from_c(path=ROUTES_C):
    with open(path, encoding='utf-8') as f:
        src = strip_c_comments(f.read())
    return {(m, p) for m, p, _handler in ROUTE_RE.findall(src)}


def _key(line):
    """'  /a/{id}:' -> '/a/{id}'; quoted keys and 'key: value' too. None when not a key."""
    m = re.match(r'^(\'[^\']*\'|"[^"]*"|[^\'"\s#-][^#]*?)\s*:(?:\s|$)', line.strip())
    if not m:
        return None
    k = m.group(1)
    if len(k) >= 2 and k[0] == k[-1] and k[0] in '\'"':
        k = k[1:-1]
    return k


def routes_from_openapi(path=OPENAPI):
    """(METHOD, path) pairs under the top-level `paths:` key, read by indentation."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    out = set()
    in_paths = False
    path_indent = None   # indentation of the path keys
    method_indent = None  # indentation of the method keys
    current = None
    for raw in lines:
        if not raw.strip() or raw.lstrip().startswith('#'):
            continue
        indent = len(raw) - len(raw.lstrip(' '))
        if indent == 0:
            in_paths = raw.rstrip() == 'paths:' or raw.startswith('paths:')
            current = None
            path_indent = method_indent = None
            continue
        if not in_paths:
            continue
        if path_indent is None:
            path_indent = indent
        if indent == path_indent:
            k = _key(raw)
            current = k if k and k.startswith('/') else None
            method_indent = None
            continue
        if current is None or indent < path_indent:
            continue
        if method_indent is None and indent > path_indent:
            method_indent = indent
        if indent == method_indent:
            k = _key(raw)
            if k and k.lower() in HTTP_METHODS:
                out.add((k.upper(), current))
    return out


class OpenApiMatchesRoutes(unittest.TestCase):
    def test_parsers_find_routes(self):
        self.assertGreater(len(routes_from_c()), 5, 'no routes parsed from routes.c')
        self.assertGreater(len(routes_from_openapi()), 5, 'no paths parsed from openapi.yaml')

    def test_same_routes(self):
        code = routes_from_c()
        doc = routes_from_openapi()
        missing_in_doc = sorted(code - doc)
        missing_in_code = sorted(doc - code)
        msg = []
        if missing_in_doc:
            msg.append('in src/http/routes.c but not in docs/openapi.yaml: ' +
                       ', '.join(f'{m} {p}' for m, p in missing_in_doc))
        if missing_in_code:
            msg.append('in docs/openapi.yaml but not in src/http/routes.c: ' +
                       ', '.join(f'{m} {p}' for m, p in missing_in_code))
        if msg:
            self.fail('\n'.join(msg))

    def test_problem_schema_and_media_type(self):
        with open(OPENAPI, encoding='utf-8') as f:
            text = f.read()
        self.assertRegex(text, r'(?m)^openapi: 3\.1\.\d+\s*$')
        self.assertRegex(text, r'(?m)^    Problem:\s*$')
        self.assertIn('application/problem+json', text)

    def test_parser_on_a_sample(self):
        sample = ('openapi: 3.1.0\n'
                  'paths:\n'
                  '  /a:\n'
                  '    get:\n'
                  '      parameters:\n'
                  '        - name: post\n'
                  '      responses:\n'
                  '        post:\n'
                  '  "/a/{id}":\n'
                  '    # comment\n'
                  '    patch:\n'
                  '      summary: x\n'
                  '    delete: {}\n'
                  'components:\n'
                  '  /b:\n'
                  '    get:\n')
        import tempfile
        with tempfile.NamedTemporaryFile('w', suffix='.yaml', delete=False) as f:
            f.write(sample)
        try:
            self.assertEqual(routes_from_openapi(f.name),
                             {('GET', '/a'), ('PATCH', '/a/{id}'), ('DELETE', '/a/{id}')})
        finally:
            os.unlink(f.name)


if __name__ == '__main__':
    unittest.main()
