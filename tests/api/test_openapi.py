"""docs/openapi.yaml and the route table (src/http/routes.c) list the same endpoints,
and each operation's `x-roles` names the roles the route's roles column allows.

No YAML library is assumed: the `paths:` section is read by indentation — a line
`  /api/v1/...:` opens a path and `    get:` (etc.) under it names a method; the
lines indented under the method are the operation, whose `x-roles: [a, b]` (a flow
list, or a block list of `- a` lines) is read by regex.  The roles column of
routes.c is expanded with the `#define`s of routes.c and src/domain/actor.h.
"""
import os
import re
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
ROUTES_C = os.path.join(ROOT, 'src', 'http', 'routes.c')
OPENAPI = os.path.join(ROOT, 'docs', 'openapi.yaml')
ACTOR_H = os.path.join(ROOT, 'src', 'domain', 'actor.h')

HTTP_METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace')
ROUTE_RE = re.compile(r'\{\s*"([A-Z]+)"\s*,\s*"(/[^"]*)"\s*,\s*([A-Za-z_][A-Za-z0-9_]*)')
# method, path and the whole roles column (an expression of identifiers, | and parentheses)
ROUTE_ROLES_RE = re.compile(r'\{\s*"([A-Z]+)"\s*,\s*"(/[^"]*)"\s*,\s*([^,{}"]+?)\s*,')
# an object-like macro: `#define NAME body` (function-like macros have `(` right after the name)
DEFINE_RE = re.compile(r'^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)(?:[ \t]+(.*))?$', re.M)
ROLE_NAMES = ('talent', 'employer', 'liaison', 'town_reviewer', 'office_reviewer', 'finance',
              'auditor', 'admin', 'expert')
PUBLIC_TOKENS = ('ROUTE_PUBLIC',)  # router.h's value for "anyone"; routes.c's PUBLIC names it


def strip_c_comments(src):
    """Removes /* */ and // comments (string literals in routes.c hold no comment markers)."""
    src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
    return re.sub(r'//[^\n]*', '', src)


def routes_from_c(path=ROUTES_C):
    with open(path, encoding='utf-8') as f:
        src = strip_c_comments(f.read())
    return {(m, p) for m, p, _handler in ROUTE_RE.findall(src)}


def c_defines(*paths):
    """{NAME: body} of the object-like #define lines of the files (continuations joined)."""
    defs = {}
    for path in paths:
        with open(path, encoding='utf-8') as f:
            src = strip_c_comments(f.read())
        src = re.sub(r'\\[ \t]*\n', ' ', src)
        for name, body in DEFINE_RE.findall(src):
            defs[name] = body.strip()
    return defs


def expand_roles(expr, defs, _seen=()):
    """The role names a roles expression allows: ROLE_X -> 'x'; PUBLIC -> {'public'}."""
    if re.search(r'[^\w\s|()]', expr):
        raise ValueError(f'unsupported roles expression {expr!r} (only identifiers, | and ())')
    roles = set()
    for tok in re.findall(r'\w+', expr):
        if tok in PUBLIC_TOKENS:
            roles.add('public')
        elif tok in defs:
            if tok in _seen:
                raise ValueError(f'recursive macro {tok}')
            roles |= expand_roles(defs[tok], defs, _seen + (tok,))
        elif tok.startswith('ROLE_') and len(tok) > 5:
            roles.add(tok[5:].lower())
        else:
            raise ValueError(f'cannot expand {tok!r} in roles expression {expr!r}')
    return roles


def route_roles_from_c(path=ROUTES_C, headers=(ACTOR_H,)):
    """{(METHOD, path): set of role names} from the roles column of the route table."""
    defs = c_defines(*headers, path)  # routes.c's own #defines win
    with open(path, encoding='utf-8') as f:
        src = strip_c_comments(f.read())
    return {(m, p): expand_roles(expr, defs) for m, p, expr in ROUTE_ROLES_RE.findall(src)}


def _key(line):
    """'  /a/{id}:' -> '/a/{id}'; quoted keys and 'key: value' too. None when not a key."""
    m = re.match(r'^(\'[^\']*\'|"[^"]*"|[^\'"\s#-][^#]*?)\s*:(?:\s|$)', line.strip())
    if not m:
        return None
    k = m.group(1)
    if len(k) >= 2 and k[0] == k[-1] and k[0] in '\'"':
        k = k[1:-1]
    return k


def operations_from_openapi(path=OPENAPI):
    """{(METHOD, path): [lines of the operation]} under the top-level `paths:` key, read
    by indentation.  The lines are those indented under the method key (comments and
    blank lines left out)."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    out = {}
    in_paths = False
    path_indent = None   # indentation of the path keys
    method_indent = None  # indentation of the method keys
    current = None
    op = None            # the line list of the operation being read
    for raw in lines:
        if not raw.strip() or raw.lstrip().startswith('#'):
            continue
        indent = len(raw) - len(raw.lstrip(' '))
        if indent == 0:
            in_paths = raw.rstrip() == 'paths:' or raw.startswith('paths:')
            current = op = None
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
            op = None
            continue
        if current is None or indent < path_indent:
            continue
        if method_indent is None and indent > path_indent:
            method_indent = indent
        if indent == method_indent:
            k = _key(raw)
            op = None
            if k and k.lower() in HTTP_METHODS:
                op = out.setdefault((k.upper(), current), [])
            continue
        if op is not None and indent > method_indent:
            op.append(raw)
    return out


def routes_from_openapi(path=OPENAPI):
    """(METHOD, path) pairs under the top-level `paths:` key, read by indentation."""
    return set(operations_from_openapi(path))


def _unquote(s):
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in '\'"':
        return s[1:-1]
    return s


def op_member(op_lines, name):
    """The raw value and the following deeper lines of the operation's direct member `name`
    ((value, [lines]) or None when absent)."""
    if not op_lines:
        return None
    child = min(len(l) - len(l.lstrip(' ')) for l in op_lines)
    for i, raw in enumerate(op_lines):
        indent = len(raw) - len(raw.lstrip(' '))
        if indent != child or _key(raw) != name:
            continue
        value = re.sub(r'\s+#.*$', '', raw.strip().split(':', 1)[1]).strip()
        block = []
        for nxt in op_lines[i + 1:]:
            if len(nxt) - len(nxt.lstrip(' ')) <= child and not nxt.lstrip().startswith('- '):
                break
            if len(nxt) - len(nxt.lstrip(' ')) < child:
                break
            block.append(nxt)
        return value, block
    return None


def x_roles(op_lines):
    """The operation's `x-roles` list ([a, b] flow list or `- a` block list), None when absent."""
    member = op_member(op_lines, 'x-roles')
    if member is None:
        return None
    value, block = member
    m = re.fullmatch(r'\[(.*)\]', value)
    if m:
        return [_unquote(x) for x in m.group(1).split(',') if x.strip()]
    if value:
        raise ValueError(f'x-roles is neither a flow nor a block list: {value!r}')
    items = []
    for raw in block:
        bm = re.match(r'^\s*-\s+(.*?)\s*$', raw)
        if not bm:
            raise ValueError(f'x-roles block list has a non-item line: {raw.strip()!r}')
        items.append(_unquote(bm.group(1)))
    return items


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

    def test_x_roles_match_route_roles(self):
        code = route_roles_from_c()
        self.assertEqual(set(code), routes_from_c(), 'roles column not parsed for every route')
        ops = operations_from_openapi()
        problems = []
        for (method, path), roles in sorted(code.items()):
            if (method, path) not in ops:
                continue  # test_same_routes reports it
            doc = x_roles(ops[(method, path)])
            want = ['public'] if 'public' in roles else sorted(roles)
            if doc is None:
                problems.append(f'{method} {path}: no x-roles (want [{", ".join(want)}])')
            elif len(doc) != len(set(doc)):
                problems.append(f'{method} {path}: x-roles lists a role twice: {doc}')
            elif set(doc) != set(want):
                problems.append(f'{method} {path}: x-roles [{", ".join(doc)}] but routes.c '
                                f'allows [{", ".join(want)}]')
        if problems:
            self.fail('\n'.join(problems))

    def test_public_operations_need_no_security(self):
        code = route_roles_from_c()
        ops = operations_from_openapi()
        problems = []
        for (method, path), roles in sorted(code.items()):
            if (method, path) not in ops:
                continue
            sec = op_member(ops[(method, path)], 'security')
            open_ = sec is not None and re.fullmatch(r'\[\s*\]', sec[0]) is not None
            if 'public' in roles and not open_:
                problems.append(f'{method} {path} is PUBLIC but has no `security: []`')
            if 'public' not in roles and open_:
                problems.append(f'{method} {path} needs a role but has `security: []`')
        if problems:
            self.fail('\n'.join(problems))

    def test_role_expansion(self):
        defs = c_defines(ACTOR_H, ROUTES_C)
        self.assertEqual(expand_roles('ROLES_ANY_USER', defs), set(ROLE_NAMES))
        self.assertEqual(expand_roles('PUBLIC', defs), {'public'})
        self.assertEqual(expand_roles('REGISTRY_WRITERS | ROLE_EMPLOYER', defs),
                         {'office_reviewer', 'town_reviewer', 'employer'})
        self.assertEqual(expand_roles('(ROLE_ADMIN)', {}), {'admin'})
        with self.assertRaises(ValueError):
            expand_roles('ROLES_ANY_USER & ~ROLE_ADMIN', defs)
        with self.assertRaises(ValueError):
            expand_roles('SOMETHING_ELSE', defs)

    def test_x_roles_parser_on_a_sample(self):
        sample = ('paths:\n'
                  '  /a:\n'
                  '    get:\n'
                  '      summary: x\n'
                  '      x-roles: [talent, \'admin\']  # comment\n'
                  '      security: []\n'
                  '      description: |\n'
                  '        x-roles: [finance]\n'
                  '    post:\n'
                  '      x-roles:\n'
                  '        - employer\n'
                  '        - "liaison"\n'
                  '      responses:\n'
                  '        x-roles: [auditor]\n'
                  '    delete:\n'
                  '      summary: y\n'
                  '      responses:\n'
                  '        x-roles: [auditor]\n')
        import tempfile
        with tempfile.NamedTemporaryFile('w', suffix='.yaml', delete=False) as f:
            f.write(sample)
        try:
            ops = operations_from_openapi(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(x_roles(ops[('GET', '/a')]), ['talent', 'admin'])
        self.assertEqual(op_member(ops[('GET', '/a')], 'security')[0], '[]')
        self.assertEqual(x_roles(ops[('POST', '/a')]), ['employer', 'liaison'])
        self.assertIsNone(x_roles(ops[('DELETE', '/a')]))
        self.assertIsNone(op_member(ops[('POST', '/a')], 'security'))

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
