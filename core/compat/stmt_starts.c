#include "stmt_starts.h"

#include <stdbool.h>
#include <stdlib.h>

#include "errstate.h"
#include "guard.h"

/* Python does the parsing: its own `ast` knows its own grammar, and `dis`
 * its own bytecode. Run once per line-mode code object per window.
 *
 * A line is split when it holds two or more sibling simple statements
 * (one statement list, all on that line, the first at the line's
 * indentation): `a = 1; b = 2`. A compound statement with its body on the
 * same line (`if x: y = 1`, `for i in r: a = i; b = a`) stays one step.
 *
 * 3.11+: an instruction belongs to the statement whose columns contain
 * its own (co_positions); a statement starts at its lowest offset.
 * 3.8-3.10 have no columns: the stack depth at each instruction is worked
 * out along the control flow (dis.stack_effect), and a statement starts
 * where the depth comes back to the line's starting depth. That is only
 * trusted when it finds exactly one start per statement after the first
 * (a conditional expression or `and`/`or` inside a statement also comes
 * back to that depth): otherwise the line stays one step. The jump that
 * closes a loop body is the loop's, not a statement's start. */
static const char helper_source[] =
    "import ast, dis, linecache\n"
    "_COMPOUND = ('body', 'cases', 'handlers')\n"
    "_JUMPS = {'JUMP_ABSOLUTE', 'JUMP_FORWARD'}\n"
    "_NO_FALL = _JUMPS | {'RETURN_VALUE', 'RAISE_VARARGS', 'RERAISE'}\n"
    "def _simple(s, line):\n"
    "    return (isinstance(s, ast.stmt) and s.end_lineno == line\n"
    "            and not any(hasattr(s, f) for f in _COMPOUND))\n"
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
    "                text = src[line - 1] if line <= len(src) else ''\n"
    "                indent = len(text) - len(text.lstrip(' \\t\\f'))\n"
    "                if (len(run) > 1 and all(_simple(s, line) for s in run)\n"
    "                        and run[0].col_offset == indent):\n"
    "                    runs[line] = [(s.col_offset, s.end_col_offset) for s in run]\n"
    "                i = j\n"
    "    return runs\n"
    "def _emit(out, line, stmts, offsets):\n"
    "    found = [o for o in offsets if o >= 0]\n"
    "    if any(b <= a for a, b in zip(found, found[1:])):\n"
    "        return\n"
    "    for j, (col, end) in enumerate(stmts):\n"
    "        if j == 0 or offsets[j] >= 0:\n"
    "            out.append((line, j + 1, -1 if j == 0 else offsets[j], col, end))\n"
    "def _by_positions(co, runs):\n"
    "    first = {}\n"
    "    for k, (l, el, c, ec) in enumerate(co.co_positions()):\n"
    "        if l not in runs or l != el or c is None or ec is None:\n"
    "            continue\n"
    "        for j, (sc, se) in enumerate(runs[l]):\n"
    "            if sc <= c and ec <= se:\n"
    "                first.setdefault((l, j), 2 * k)\n"
    "                break\n"
    "    out = []\n"
    "    for l in sorted(runs):\n"
    "        if (l, 0) not in first:\n"
    "            continue\n"
    "        offs = [first.get((l, j), -1) for j in range(len(runs[l]))]\n"
    "        _emit(out, l, runs[l], offs)\n"
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
    "        idx = [k for k in range(len(ins)) if lines[k] == l]\n"
    "        if not idx or depth[idx[0]] is None:\n"
    "            continue\n"
    "        base = depth[idx[0]]\n"
    "        cands = [k for k in idx[1:]\n"
    "                 if depth[k] == base and ins[k - 1].opname != 'EXTENDED_ARG']\n"
    "        if len(cands) == len(runs[l]) and ins[cands[-1]].opname in _JUMPS:\n"
    "            cands.pop()\n"
    "        if len(cands) == len(runs[l]) - 1:\n"
    "            _emit(out, l, runs[l], [ins[k].offset for k in [idx[0]] + cands])\n"
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
    int line, index, offset, col, end_col;
    if (!PyTuple_Check(item) ||
        !PyArg_ParseTuple(item, "iiiii", &line, &index, &offset, &col, &end_col))
        return false;
    if (line < 1 || index < 1 || index > UINT16_MAX || col < 0 || end_col < col)
        return false;
    *s = (tp_stmt){line, offset, (uint32_t)col, (uint32_t)end_col, (uint16_t)index};
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
