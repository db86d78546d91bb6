#include "stmt_starts.h"

#include <stdbool.h>
#include <stdlib.h>

#include "errstate.h"
#include "guard.h"

/* Python does the parsing: its own `ast` knows its own grammar, and `dis`
 * its own bytecode. Run once per line-mode code object per window.
 *
 * Two kinds of line are split. A line of two or more sibling simple
 * statements (one statement list, all on that line, the first at the
 * line's indentation or after `else:`): `a = 1; b = 2`. And a compound
 * statement with its whole body on its own line (`for`, `while`, `if`,
 * `elif`, `with`): `for i in r: a = i; b = a`. There statement 1 is the
 * header (`for i in r:`, its text up to the colon) and the body's are
 * 2, 3, ...
 *
 * Simple lines, 3.11+: an instruction belongs to the statement whose
 * columns contain its own (co_positions); a statement starts at its
 * lowest offset. 3.8-3.10 have no columns: the stack depth at each
 * instruction is worked out along the control flow (dis.stack_effect),
 * and a statement starts where the depth comes back to the line's
 * starting depth. That is only trusted when it finds exactly one start
 * per statement after the first (a conditional expression or `and`/`or`
 * inside a statement also comes back to that depth): otherwise the line
 * stays one step. The jump that closes a loop body is the loop's, not a
 * statement's start.
 *
 * Compound lines are not straight-line code: a loop goes back to its
 * header (3.8-3.9, `for` everywhere) or into its body (`while` on 3.10+,
 * where the test is repeated after the body), so a statement is entered
 * at every instruction that control reaches from another statement or
 * line, or by a backward jump: each such entry is returned, so that the
 * recorder sees every change of statement, not only first starts. An
 * instruction belongs to the body statement whose columns contain its
 * own, otherwise (the loop's iteration, the test, `with`'s exit) to the
 * header. Only 3.11+ has the columns: before, compound lines stay one
 * step. The line is only split when its first instruction is the
 * header's and some body statement has code. */
static const char helper_source[] =
    "import ast, dis, linecache, re\n"
    "_COMPOUND = ('body', 'cases', 'handlers')\n"
    "_HEADERS = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith)\n"
    "_ELSE = re.compile(rb'\\s*else\\s*:\\s*$')\n"
    "_JUMPS = {'JUMP_ABSOLUTE', 'JUMP_FORWARD'}\n"
    "_NO_FALL = _JUMPS | {'RETURN_VALUE', 'RAISE_VARARGS', 'RERAISE', 'RETURN_CONST',\n"
    "                     'JUMP_BACKWARD', 'JUMP_BACKWARD_NO_INTERRUPT'}\n"
    "def _simple(s, line):\n"
    "    return (isinstance(s, ast.stmt) and s.end_lineno == line\n"
    "            and not any(hasattr(s, f) for f in _COMPOUND))\n"
    "def _header(node, field, run, raw):\n"
    "    if not (isinstance(node, _HEADERS) and field == 'body' and node.lineno == run[0].lineno\n"
    "            and not raw[:node.col_offset].strip()):\n"
    "        return None\n"
    "    return (node.col_offset, node.col_offset + len(raw[node.col_offset:run[0].col_offset].rstrip()))\n"
    "def _runs(tree, src):\n"
    "    runs = {}\n"
    "    for node in ast.walk(tree):\n"
    "        for field in ('body', 'orelse', 'finalbody'):\n"
    "            body = getattr(node, field, None)\n"
    "            if not isinstance(body, list):\n"
    "                continue\n"
    "            i = 0\n"
    "            while i < len(body):\n"
    "                j, line = i + 1, body[i].lineno\n"
    "                while j < len(body) and body[j].lineno == line:\n"
    "                    j += 1\n"
    "                run = body[i:j]\n"
    "                raw = (src[line - 1] if line <= len(src) else '').encode('utf-8', 'replace')\n"
    "                indent = len(raw) - len(raw.lstrip(b' \\t\\f'))\n"
    "                cols = [(s.col_offset, s.end_col_offset) for s in run]\n"
    "                simple = all(_simple(s, line) for s in run)\n"
    "                head = _header(node, field, run, raw) if simple and i == 0 else None\n"
    "                if head and j == len(body):\n"
    "                    runs[line] = (True, [head] + cols)\n"
    "                elif (len(run) > 1 and simple and (run[0].col_offset == indent or\n"
    "                        (i == 0 and field == 'orelse'\n"
    "                         and _ELSE.match(raw[:run[0].col_offset])))):\n"
    "                    runs[line] = (False, cols)\n"
    "                i = j\n"
    "    return runs\n"
    "def _emit(out, line, stmts, offsets):\n"
    "    found = [o for o in offsets if o >= 0]\n"
    "    if any(b <= a for a, b in zip(found, found[1:])):\n"
    "        return\n"
    "    for j, (col, end) in enumerate(stmts):\n"
    "        if j == 0 or offsets[j] >= 0:\n"
    "            out.append((line, j + 1, -1 if j == 0 else offsets[j], col, end, 0))\n"
    "def _group(compound, stmts, pos):\n"
    "    l, el, c, ec = pos\n"
    "    if el == l and c is not None and ec is not None:\n"
    "        for j in range(1 if compound else 0, len(stmts)):\n"
    "            if stmts[j][0] <= c and ec <= stmts[j][1]:\n"
    "                return j\n"
    "    return 0 if compound else None\n"
    "def _preds(ins):\n"
    "    at = {x.offset: k for k, x in enumerate(ins)}\n"
    "    jumps = set(dis.hasjrel) | set(dis.hasjabs)\n"
    "    preds, back = [[] for _ in ins], [False] * len(ins)\n"
    "    for k, x in enumerate(ins):\n"
    "        if x.opname not in _NO_FALL and k + 1 < len(ins):\n"
    "            preds[k + 1].append(k)\n"
    "        n = at.get(x.argval) if x.opcode in jumps else None\n"
    "        if n is not None:\n"
    "            preds[n].append(k)\n"
    "            back[n] = back[n] or n <= k\n"
    "    return preds, back\n"
    "def _entries(out, co, line, stmts, ins, preds, back):\n"
    "    pos = list(co.co_positions())\n"
    "    where = []\n"
    "    for x in ins:\n"
    "        p = pos[x.offset // 2]\n"
    "        where.append((p[0], _group(True, stmts, p) if p[0] == line else None))\n"
    "    mine = [k for k, w in enumerate(where) if w[0] == line]\n"
    "    if not mine or where[mine[0]][1] != 0:\n"
    "        return\n"
    "    found = [(ins[k].offset, where[k][1]) for k in mine\n"
    "             if back[k] or any(where[p] != where[k] for p in preds[k])]\n"
    "    if not any(j > 0 for _o, j in found):\n"
    "        return\n"
    "    out.append((line, 1, -1, stmts[0][0], stmts[0][1], 1))\n"
    "    for o, j in found:\n"
    "        out.append((line, j + 1, o, stmts[j][0], stmts[j][1], int(j == 0)))\n"
    "def _by_positions(co, runs):\n"
    "    first = {}\n"
    "    for k, (l, el, c, ec) in enumerate(co.co_positions()):\n"
    "        if l not in runs or runs[l][0]:\n"
    "            continue\n"
    "        j = _group(False, runs[l][1], (l, el, c, ec))\n"
    "        if j is not None:\n"
    "            first.setdefault((l, j), 2 * k)\n"
    "    out, flow = [], None\n"
    "    for l in sorted(runs):\n"
    "        compound, stmts = runs[l]\n"
    "        if compound:\n"
    "            if flow is None:\n"
    "                ins = list(dis.get_instructions(co))\n"
    "                flow = (ins,) + _preds(ins)\n"
    "            _entries(out, co, l, stmts, *flow)\n"
    "            continue\n"
    "        if (l, 0) not in first:\n"
    "            continue\n"
    "        offs = [first.get((l, j), -1) for j in range(len(stmts))]\n"
    "        _emit(out, l, stmts, offs)\n"
    "    return out\n"
    "def _depths(ins):\n"
    "    at = {x.offset: k for k, x in enumerate(ins)}\n"
    "    jumps = set(dis.hasjrel) | set(dis.hasjabs)\n"
    "    depth = [None] * len(ins)\n"
    "    depth[0], todo = 0, [0]\n"
    "    while todo:\n"
    "        k = todo.pop()\n"
    "        x = ins[k]\n"
    "        arg = x.arg if x.opcode >= dis.HAVE_ARGUMENT else None\n"
    "        nexts = [] if x.opname in _NO_FALL else [(k + 1, False)]\n"
    "        if x.opcode in jumps:\n"
    "            nexts.append((at.get(x.argval), True))\n"
    "        for n, jump in nexts:\n"
    "            if n is None or n >= len(ins) or depth[n] is not None:\n"
    "                continue\n"
    "            try:\n"
    "                eff = dis.stack_effect(x.opcode, arg, jump=jump)\n"
    "            except ValueError:\n"
    "                eff = 0\n"
    "            depth[n] = depth[k] + eff\n"
    "            todo.append(n)\n"
    "    return depth\n"
    "def _by_stack(co, runs):\n"
    "    ins = list(dis.get_instructions(co))\n"
    "    if not ins:\n"
    "        return []\n"
    "    starts, cur, lines = dict(dis.findlinestarts(co)), None, []\n"
    "    for x in ins:\n"
    "        cur = starts.get(x.offset, cur)\n"
    "        lines.append(cur)\n"
    "    depth = _depths(ins)\n"
    "    out = []\n"
    "    for l in sorted(runs):\n"
    "        compound, stmts = runs[l]\n"
    "        idx = [k for k in range(len(ins)) if lines[k] == l]\n"
    "        if compound:\n"
    "            continue\n"
    "        if not idx or depth[idx[0]] is None:\n"
    "            continue\n"
    "        base = depth[idx[0]]\n"
    "        cands = [k for k in idx[1:]\n"
    "                 if depth[k] == base and ins[k - 1].opname != 'EXTENDED_ARG']\n"
    "        if len(cands) == len(stmts) and ins[cands[-1]].opname in _JUMPS:\n"
    "            cands.pop()\n"
    "        if len(cands) == len(stmts) - 1:\n"
    "            _emit(out, l, stmts, [ins[k].offset for k in [idx[0]] + cands])\n"
    "    return out\n"
    "def starts(co):\n"
    "    src = linecache.getlines(co.co_filename)\n"
    "    if not src:\n"
    "        return []\n"
    "    try:\n"
    "        tree = ast.parse(''.join(src))\n"
    "    except (SyntaxError, ValueError):\n"
    "        return []\n"
    "    runs = _runs(tree, src)\n"
    "    if not runs:\n"
    "        return []\n"
    "    if hasattr(co, 'co_positions'):\n"
    "        return _by_positions(co, runs)\n"
    "    return _by_stack(co, runs)\n";

/* The helper's `starts` function: made at first use, kept for the process;
 * `broken` once making it failed, so it is not tried at every call. GIL
 * held. */
static PyObject *helper;
static bool broken;

static PyObject *load_helper(void)
{
    if (helper || broken)
        return helper;
    broken = true;
    PyObject *globals = PyDict_New();
    PyObject *builtins = PyImport_ImportModule("builtins");
    if (globals && builtins && PyDict_SetItemString(globals, "__builtins__", builtins) == 0) {
        PyObject *r = PyRun_String(helper_source, Py_file_input, globals, globals);
        PyObject *fn = r ? PyDict_GetItemString(globals, "starts") : NULL;
        if (fn && PyCallable_Check(fn)) {
            Py_INCREF(fn);
            helper = fn;
            broken = false;
        }
        Py_XDECREF(r);
    }
    Py_XDECREF(builtins);
    Py_XDECREF(globals);
    return helper;
}

static bool read_stmt(PyObject *item, tp_stmt *s)
{
    int line, index, offset, col, end_col, header;
    if (!PyTuple_Check(item) ||
        !PyArg_ParseTuple(item, "iiiiii", &line, &index, &offset, &col, &end_col, &header))
        return false;
    if (line < 1 || index < 1 || index > UINT16_MAX || col < 0 || end_col < col)
        return false;
    *s = (tp_stmt){line, offset, (uint32_t)col, (uint32_t)end_col, (uint16_t)index,
                   header != 0};
    return true;
}

static uint32_t convert(PyObject *list, tp_stmt **out)
{
    Py_ssize_t n = PyList_Check(list) ? PyList_GET_SIZE(list) : 0;
    if (n <= 0 || n > INT32_MAX)
        return 0;
    tp_stmt *stmts = malloc((size_t)n * sizeof *stmts);
    if (!stmts)
        return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!read_stmt(PyList_GET_ITEM(list, i), &stmts[i])) {
            free(stmts);
            return 0;
        }
    }
    *out = stmts;
    return (uint32_t)n;
}

uint32_t tp_stmt_starts(PyCodeObject *code, tp_stmt **out)
{
    *out = NULL;
    tp_errstate saved;
    tp_err_save(&saved);
    /* Our own Python code: whatever it calls is not the app's. */
    tp_guard_enter();
    PyObject *fn = load_helper();
    PyObject *list = fn ? PyObject_CallFunctionObjArgs(fn, (PyObject *)code, NULL) : NULL;
    uint32_t n = list ? convert(list, out) : 0;
    Py_XDECREF(list);
    tp_guard_exit();
    tp_err_restore(&saved);
    return n;
}
