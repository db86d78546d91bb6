/* A program that embeds CPython, for the embedding test: the preload must
 * trace it like `python` itself, although no cpython.run_* event fires. */
#include <Python.h>

int main(void)
{
    Py_Initialize();
    int rc = PyRun_SimpleString("import json\n"
                                "def twice(x):\n"
                                "    return x * 2\n"
                                "print(json.dumps(twice(21)))\n");
    if (Py_FinalizeEx() < 0)
        return 120;
    return rc == 0 ? 0 : 1;
}
