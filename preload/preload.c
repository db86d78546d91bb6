/* libtracepatch.so: loaded into every process started with LD_PRELOAD,
 * Python or not. It references no Python symbol (a process without
 * libpython could not even load it then): it asks the dynamic linker
 * whether this is a CPython it has a core for, and only then loads that
 * core. Anything else (sh, git, gcc, python2.7, python3.7, a free-threaded
 * or debug build of Python) runs untouched. */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef const char *(*version_fn)(void);
typedef void (*exit_hook_fn)(int status);
typedef void (*exec_hook_fn)(void);
typedef int (*core_init_fn)(exit_hook_fn *exit_hook, exec_hook_fn *exec_hook);

/* Set once in the constructor (before any thread of the app exists) and
 * only read afterwards: the libc _exit and exec functions we stand in
 * front of, and the core's hooks that write an open window first. */
typedef void (*libc_exit_fn)(int);
typedef int (*libc_execv_fn)(const char *, char *const[]);
typedef int (*libc_execve_fn)(const char *, char *const[], char *const[]);
typedef int (*libc_fexecve_fn)(int, char *const[], char *const[]);
static libc_exit_fn real_exit;
static libc_execv_fn real_execv;
static libc_execve_fn real_execve;
static libc_fexecve_fn real_fexecve;
static exit_hook_fn core_exit_hook;
static exec_hook_fn core_exec_hook;

/* os._exit() (and multiprocessing's children, which leave through it)
 * would lose an open window: the core gets to write it first. The real
 * _exit is resolved in the constructor, so nothing here can take a lock
 * in a child forked from a multi-threaded parent. */
void _exit(int status)
{
    if (core_exit_hook)
        core_exit_hook(status);
    if (real_exit)
        real_exit(status);
    for (;;)
        syscall(SYS_exit_group, status);
}

/* os.execv() and os.execve() (and the os.exec* built on them) replace the
 * process image, and an open window with it: the core writes it first.
 * subprocess's children (fork or vfork, then exec) come through here too;
 * the core tells they are not its process with one getpid(). The real
 * functions are resolved in the constructor, so that a vfork child never
 * runs the dynamic linker. */
static void before_exec(void)
{
    if (core_exec_hook)
        core_exec_hook();
}

/* ENOSYS only if the constructor could not find libc's function. */
#define CALL_REAL(fn, ...) ((fn) ? (fn)(__VA_ARGS__) : (errno = ENOSYS, -1))

int execv(const char *path, char *const argv[])
{
    before_exec();
    return CALL_REAL(real_execv, path, argv);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    before_exec();
    return CALL_REAL(real_execve, path, argv, envp);
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
    before_exec();
    return CALL_REAL(real_fexecve, fd, argv, envp);
}

static bool debug_enabled(void)
{
    const char *d = getenv("TRACEPATCH_DEBUG");
    return d && *d && strcmp(d, "0") != 0;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[PATH_MAX + 256];
    int n = snprintf(line, sizeof line, "tracepatch[%d]: ", (int)getpid());
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || m < 0)
        return;
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

#define stay_out(...) do { if (debug_enabled()) say("staying out: " __VA_ARGS__); } while (0)

/* "3.11.2 (main, ...)" -> 11, or -1. */
static int python3_minor(const char *version)
{
    int major = 0, minor = -1;
    if (!version || sscanf(version, "%d.%d", &major, &minor) != 2 || major != 3)
        return -1;
    return minor;
}

/* Builds whose memory a core, compiled against a release build's headers,
 * would misread: free-threaded objects have another header; Py_TRACE_REFS
 * adds two pointers to every object before 3.13; a debug build
 * (Py_REF_DEBUG, which Py_DEBUG implies) counts references the core's own
 * increments would not, and none of these is tested. NULL: none of them. */
static const char *unsupported_build(const char *version)
{
    if (strstr(version, "free-threading build"))
        return "a free-threaded build";
    if (dlsym(RTLD_DEFAULT, "_Py_PrintReferences"))
        return "a Py_TRACE_REFS build";
    if (dlsym(RTLD_DEFAULT, "_Py_NegativeRefcount"))
        return "a debug build";
    return NULL;
}

/* The directory this library was loaded from. */
static bool own_dir(char *dir, size_t size)
{
    Dl_info info;
    if (!dladdr((void *)own_dir, &info) || !info.dli_fname)
        return false;
    const char *slash = strrchr(info.dli_fname, '/');
    if (!slash) {
        return getcwd(dir, size) != NULL;
    }
    size_t len = (size_t)(slash - info.dli_fname);
    if (len >= size)
        return false;
    memcpy(dir, info.dli_fname, len);
    dir[len] = '\0';
    return true;
}

/* Installed, the cores sit beside us; in the build tree, in ../core. */
static bool find_core(int minor, char *path, size_t size)
{
    char dir[PATH_MAX];
    if (!own_dir(dir, sizeof dir))
        return false;
    static const char *const places[] = {"%s/libtracepatch-core-cp3%d.so",
                                         "%s/../core/libtracepatch-core-cp3%d.so"};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        int n = snprintf(path, size, places[i], dir, minor);
        if (n > 0 && (size_t)n < size && access(path, R_OK) == 0)
            return true;
    }
    return false;
}

__attribute__((constructor)) static void tracepatch_preload(void)
{
    real_exit = (libc_exit_fn)dlsym(RTLD_NEXT, "_exit");
    real_execv = (libc_execv_fn)dlsym(RTLD_NEXT, "execv");
    real_execve = (libc_execve_fn)dlsym(RTLD_NEXT, "execve");
    real_fexecve = (libc_fexecve_fn)dlsym(RTLD_NEXT, "fexecve");
    version_fn get_version = (version_fn)dlsym(RTLD_DEFAULT, "Py_GetVersion");
    if (!get_version) {
        stay_out("not a Python process");
        return;
    }
    const char *version = get_version();
    int minor = python3_minor(version);
    if (minor < 8) {
        stay_out("Python %.*s is not supported (3.8 or newer needed)",
                 (int)strcspn(version, " "), version);
        return;
    }
    if (!dlsym(RTLD_DEFAULT, "PySys_AddAuditHook")) {
        stay_out("this Python has no audit hooks");
        return;
    }
    const char *build = unsupported_build(version);
    if (build) {
        stay_out("Python %.*s is %s, not supported", (int)strcspn(version, " "), version, build);
        return;
    }
    char path[PATH_MAX];
    if (!find_core(minor, path, sizeof path)) {
        stay_out("no core for Python 3.%d next to libtracepatch.so", minor);
        return;
    }
    /* Lazy: only the few Python functions set-up calls get resolved now. */
    void *core = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (!core) {
        say("cannot load %s: %s", path, dlerror());
        return;
    }
    core_init_fn init = (core_init_fn)dlsym(core, "tracepatch_core_init");
    if (!init) {
        say("%s has no entry point", path);
        dlclose(core);
        return;
    }
    /* A core that fails here has undone what it did (its own message
     * said why), so it can go. */
    if (init(&core_exit_hook, &core_exec_hook) != 0) {
        dlclose(core);
        return;
    }
    if (debug_enabled())
        say("attached (Python 3.%d, %s)", minor, path);
}
