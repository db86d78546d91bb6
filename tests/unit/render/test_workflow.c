/* tph export, flame and clean run as the real binary: the exported files
 * checked against the fixture they came from, and clean's choices by age. */
#include "tph_run.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

static yajl_val parse_json(const char *text)
{
    char error[256];
    yajl_val v = yajl_tree_parse(text, error, sizeof error);
    cr_assert(v != NULL, "not JSON: %s", error);
    return v;
}

static yajl_val get(yajl_val obj, const char *key)
{
    const char *path[] = {key, NULL};
    return yajl_tree_get(obj, path, yajl_t_any);
}

static const char *get_str(yajl_val obj, const char *key)
{
    const char *s = YAJL_GET_STRING(get(obj, key));
    return s ? s : "";
}

/* Appends every node's elapsed_ms to `out` in pre-order. */
static void collect_elapsed(yajl_val nodes, double *out, size_t *n, double *root_us)
{
    for (size_t i = 0; nodes && i < nodes->u.array.len; i++) {
        yajl_val node = nodes->u.array.values[i];
        double ms = YAJL_GET_DOUBLE(get(node, "elapsed_ms"));
        if (root_us)
            *root_us += (double)llround(ms * 1000);
        out[(*n)++] = ms;
        yajl_val children = get(node, "children");
        if (YAJL_IS_ARRAY(children))
            collect_elapsed(children, out, n, NULL);
    }
}

static size_t fixture_elapsed(const char *name, double *out, double *root_us)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
    char *text = read_whole_file(path, NULL);
    cr_assert(text != NULL);
    yajl_val v = parse_json(text);
    size_t n = 0;
    *root_us = 0;
    collect_elapsed(get(v, "trace"), out, &n, root_us);
    yajl_tree_free(v);
    free(text);
    return n;
}

static tph_result run_ok(const char *const *args)
{
    tph_result r = tph_run(FIXTURES, args);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    return r;
}

Test(export, chrome_one_complete_event_per_call)
{
    double want[64], root_us;
    size_t calls = fixture_elapsed("basic.json", want, &root_us);
    tph_result r = run_ok((const char *[]){"export", "basic.json", "--format", "chrome", NULL});
    yajl_val v = parse_json(r.out);
    yajl_val events = get(v, "traceEvents");
    cr_assert(YAJL_IS_ARRAY(events));
    size_t complete = 0;
    for (size_t i = 0; i < events->u.array.len; i++) {
        yajl_val e = events->u.array.values[i];
        if (strcmp(get_str(e, "ph"), "X") != 0)
            continue;
        cr_assert_lt(complete, calls);
        cr_expect_float_eq(YAJL_GET_DOUBLE(get(e, "dur")), want[complete] * 1000, 1e-6,
                           "event %zu", complete);
        cr_expect_eq(YAJL_GET_INTEGER(get(e, "tid")), 501, "tid is the native thread id");
        complete++;
    }
    cr_expect_eq(complete, calls);
    yajl_tree_free(v);
    tph_result_free(&r);
}

Test(export, folded_sums_to_roots)
{
    double elapsed[64], root_us;
    fixture_elapsed("threads.json", elapsed, &root_us);
    tph_result r = run_ok((const char *[]){"export", "threads.json", "--format", "folded", NULL});
    double sum = 0;
    size_t lines = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        char *space = strrchr(line, ' ');
        cr_assert(space != NULL, "no count in '%s'", line);
        sum += atof(space + 1);
        cr_expect(strncmp(line, "MainThread;", 11) == 0 || strncmp(line, "worker-1;", 9) == 0,
                  "stack '%s' starts with its thread", line);
    }
    cr_expect_gt(lines, 1);
    cr_expect_float_eq(sum, root_us, 0.5, "folded %f, roots %f", sum, root_us);
    tph_result_free(&r);
}

/* A chain of `depth` calls, each 1 ms longer than the one it makes. */
static void write_chain(const char *path, int depth)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL);
    fputs("{\"threads\": [{\"id\": 1, \"name\": \"MainThread\"}], \"trace\": [", f);
    for (int i = 0; i < depth; i++)
        fprintf(f, "{\"module\": \"m\", \"qualname\": \"f%d\", \"thread\": 1, "
                   "\"elapsed_ms\": %d, \"children\": [", i, depth - i);
    for (int i = 0; i < depth; i++)
        fputs("]}", f);
    fputs("]}", f);
    cr_assert_eq(fclose(f), 0);
}

/* Stacks are kept as numbers and spelled out at the end: a deep chain has
 * as many lines as levels, innermost first (the order calls end in), each
 * naming every frame from the thread in. */
Test(export, folded_deep_chain)
{
    char dir[] = "/tmp/tph-folded-XXXXXX", path[64];
    cr_assert(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/chain.json", dir);
    enum { DEPTH = 3000 };
    write_chain(path, DEPTH);
    tph_result r = run_ok((const char *[]){"export", path, "--format", "folded", NULL});
    int lines = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        int level = DEPTH - 1 - lines, frames = 1;
        for (const char *p = line; *p; p++)
            frames += *p == ';';
        cr_assert_eq(frames, level + 2, "line %d: %d frames", lines, frames);
        char tail[64];
        snprintf(tail, sizeof tail, ";m.f%d 1000", level);
        cr_assert(strncmp(line, "MainThread;m.f0", 15) == 0, "line %d", lines);
        cr_assert(strcmp(line + strlen(line) - strlen(tail), tail) == 0, "line %d ends %s", lines,
                  line + strlen(line) - strlen(tail));
    }
    cr_expect_eq(lines, DEPTH);
    tph_result_free(&r);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(rmdir(dir), 0);
}

Test(export, csv_one_row_per_call)
{
    double elapsed[64], root_us;
    size_t calls = fixture_elapsed("basic.json", elapsed, &root_us);
    tph_result r = run_ok((const char *[]){"export", "basic.json", "--format", "csv", NULL});
    size_t rows = 0;
    for (const char *p = r.out; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    cr_expect_eq(rows, calls + 1, "header and one row per call");
    cr_expect(strncmp(r.out, "index,parent,depth,thread,", 26) == 0);
    cr_expect(strstr(r.out, "\"self=<Config>, path='app.ini'\"") != NULL, "quoted field");
    tph_result_free(&r);
}

Test(export, speedscope_balanced_events)
{
    double elapsed[64], root_us;
    size_t calls = fixture_elapsed("threads.json", elapsed, &root_us);
    tph_result r = run_ok((const char *[]){"export", "threads.json", "--format", "speedscope", NULL});
    yajl_val v = parse_json(r.out);
    yajl_val profiles = get(v, "profiles");
    cr_assert_eq(profiles->u.array.len, 2, "one profile per thread");
    size_t opens = 0, closes = 0;
    for (size_t p = 0; p < profiles->u.array.len; p++) {
        yajl_val events = get(profiles->u.array.values[p], "events");
        double last = 0;
        for (size_t i = 0; i < events->u.array.len; i++) {
            yajl_val e = events->u.array.values[i];
            double at = YAJL_GET_DOUBLE(get(e, "at"));
            cr_expect_geq(at, last, "events in time order");
            last = at;
            *(get_str(e, "type")[0] == 'O' ? &opens : &closes) += 1;
        }
    }
    cr_expect_eq(opens, calls);
    cr_expect_eq(closes, calls);
    yajl_tree_free(v);
    tph_result_free(&r);
}

/* Two threads with the same ident one after the other (threads_reused.json:
 * ident 7 was request-1, tid 101, then request-2, tid 102): every exporter
 * keeps them apart by their kernel tids and names each by its own entry. */
Test(export, reused_ident_stays_two_threads)
{
    tph_result r = run_ok((const char *[]){"export", "threads_reused.json", "--format", "chrome", NULL});
    yajl_val v = parse_json(r.out);
    yajl_val events = get(v, "traceEvents");
    long long tids[8];
    size_t n = 0;
    for (size_t i = 0; i < events->u.array.len; i++) {
        yajl_val e = events->u.array.values[i];
        if (strcmp(get_str(e, "ph"), "X") == 0 && strcmp(get_str(e, "name"), "srv.db.load") == 0)
            tids[n++] = YAJL_GET_INTEGER(get(e, "tid"));
    }
    cr_assert_eq(n, 2);
    cr_expect_eq(tids[0], 101);
    cr_expect_eq(tids[1], 102);
    cr_expect(strstr(r.out, "\"tid\": 102, \"args\": {\"name\": \"request-2\"}") != NULL, "%s", r.out);
    yajl_tree_free(v);
    tph_result_free(&r);

    r = run_ok((const char *[]){"export", "threads_reused.json", "--format", "folded", NULL});
    cr_expect(strstr(r.out, "request-1;srv.handle;srv.db.load 40000\n") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "request-2;srv.handle;srv.db.load 10000\n") != NULL, "%s", r.out);
    tph_result_free(&r);

    r = run_ok((const char *[]){"export", "threads_reused.json", "--format", "speedscope", NULL});
    v = parse_json(r.out);
    yajl_val profiles = get(v, "profiles");
    cr_assert_eq(profiles->u.array.len, 3, "one profile per thread");
    cr_expect_str_eq(get_str(profiles->u.array.values[1], "name"), "request-1");
    cr_expect_str_eq(get_str(profiles->u.array.values[2], "name"), "request-2");
    cr_expect_eq(get(profiles->u.array.values[2], "events")->u.array.len, 4);
    yajl_tree_free(v);
    tph_result_free(&r);

    r = run_ok((const char *[]){"flame", "threads_reused.json", "-o", "-", NULL});
    cr_expect(strstr(r.out, ">request-1</text>") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, ">request-2</text>") != NULL, "%s", r.out);
    tph_result_free(&r);
}

Test(export, errors)
{
    tph_result r = tph_run(FIXTURES, (const char *[]){"export", "basic.json", "--format", "svg", NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--format wants chrome, folded, speedscope or csv, got 'svg'") != NULL, "%s", r.err);
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"export", "basic.json", NULL});
    cr_expect_eq(r.status, 2);
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"export", "basic.json", "--format", "csv", "-o", "/nonexistent/out.csv", NULL});
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, "tph: /nonexistent/out.csv: No such file or directory\n");
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"export", "missing.json", "--format", "csv", NULL});
    cr_expect_eq(r.status, 1);
    cr_expect(strncmp(r.err, "tph: missing.json:", 18) == 0, "%s", r.err);
    tph_result_free(&r);
    struct stat st;
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        return;   /* no /dev/full device in this container */
    r = tph_run(FIXTURES, (const char *[]){"export", "basic.json", "--format", "csv", "-o", "/dev/full", NULL});
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, "tph: /dev/full: No space left on device\n");
    tph_result_free(&r);
}

Test(flame, one_box_per_call)
{
    double elapsed[64], root_us;
    size_t calls = fixture_elapsed("basic.json", elapsed, &root_us);
    tph_result r = run_ok((const char *[]){"flame", "basic.json", "-o", "-", NULL});
    size_t boxes = 0;
    for (const char *p = r.out; (p = strstr(p, "<g class=\"c\"")); p++)
        boxes++;
    cr_expect_eq(boxes, calls);
    cr_expect(strstr(r.out, "data-n=\"app.config.Config.load\"") != NULL);
    cr_expect(strstr(r.out, "<title>app.config.Config.load(self=&lt;Config&gt;, path='app.ini') -&gt; {'debug': False}\n1.00ms") != NULL);
    cr_expect(strstr(r.out, "</svg>\n") != NULL);
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"flame", "basic.json", "-o", "/nonexistent/f.svg", NULL});
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, "tph: /nonexistent/f.svg: No such file or directory\n");
    tph_result_free(&r);
}

/* A cache directory with traces 2 days, 2 hours and 1 minute old, a
 * leftover temp file and a file clean must never touch. */
static void make_cache(char *dir)
{
    cr_assert(mkdtemp(dir) != NULL);
    const char *names[] = {"trace_a_1.json", "trace_b_1.json", "trace_c_1.json", ".trace_d_1.json.tmp", "README"};
    const long ages[] = {2 * 86400, 2 * 3600, 60, 3 * 86400, 9 * 86400};
    for (int i = 0; i < 5; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "w");
        cr_assert(f != NULL);
        fputs("{}", f);
        fclose(f);
        struct timeval tv[2];
        gettimeofday(&tv[0], NULL);
        tv[0].tv_sec -= ages[i];
        tv[1] = tv[0];
        cr_assert(utimes(path, tv) == 0);
    }
}

static bool exists(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

Test(clean, by_age_dry_run_and_all)
{
    char dir[] = "/tmp/tph-clean-XXXXXX";
    make_cache(dir);
    tph_result r = run_ok((const char *[]){"clean", "--cache-dir", dir, "--older-than", "1d", "--dry-run", NULL});
    cr_expect(strstr(r.out, "trace_a_1.json\n") && strstr(r.out, ".trace_d_1.json.tmp\n"), "%s", r.out);
    cr_expect(strstr(r.out, "would remove 2 files") != NULL, "%s", r.out);
    cr_expect(exists(dir, "trace_a_1.json"), "dry run removes nothing");
    tph_result_free(&r);
    r = run_ok((const char *[]){"clean", "--cache-dir", dir, "--older-than", "30m", NULL});
    cr_expect(strstr(r.out, "removed 3 files") != NULL, "%s", r.out);
    cr_expect(!exists(dir, "trace_a_1.json") && !exists(dir, "trace_b_1.json"));
    cr_expect(exists(dir, "trace_c_1.json") && exists(dir, "README"));
    tph_result_free(&r);
    r = run_ok((const char *[]){"clean", "--cache-dir", dir, "--all", NULL});
    cr_expect(strstr(r.out, "removed 1 file ") != NULL, "%s", r.out);
    cr_expect(!exists(dir, "trace_c_1.json") && exists(dir, "README"), "README stays");
    tph_result_free(&r);
    char readme[512];
    snprintf(readme, sizeof readme, "%s/README", dir);
    unlink(readme);
    rmdir(dir);
}

Test(clean, usage)
{
    const char *const cases[][6] = {
        {"clean", NULL},
        {"clean", "--all", "--older-than", "1d", NULL},
        {"clean", "--older-than", "7x", NULL},
        {"clean", "--older-than", "d", NULL},
        {"clean", "--all", "extra", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tph_result r = tph_run(FIXTURES, cases[i]);
        cr_expect_eq(r.status, 2, "case %zu: %s", i, r.err);
        cr_expect(strstr(r.err, "usage: tph clean") != NULL);
        tph_result_free(&r);
    }
    tph_result r = run_ok((const char *[]){"clean", "--cache-dir", "/nonexistent/cache", "--all", NULL});
    cr_expect_str_eq(r.out, "no cache directory at /nonexistent/cache: nothing to remove\n");
    tph_result_free(&r);
}

Test(run, usage_and_missing_command)
{
    tph_result r = tph_run(FIXTURES, (const char *[]){"run", NULL});
    cr_expect_eq(r.status, 2);
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"run", "--set", "no_such_key=1", "--", "true", NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "unknown setting in 'no_such_key=1'") != NULL, "%s", r.err);
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"run", "--", "/nonexistent/cmd", NULL});
    cr_expect_eq(r.status, 127);
    cr_expect_str_eq(r.err, "tph: /nonexistent/cmd: No such file or directory\n");
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"run", "--set", "MAX_DEPTH=7", "--", "sh", "-c", "echo $TRACEPATCH_MAX_DEPTH $LD_PRELOAD; exit 3", NULL});
    cr_expect_eq(r.status, 3, "the command's exit status");
    cr_expect(strncmp(r.out, "7 /", 3) == 0 && strstr(r.out, "/libtracepatch.so\n"), "%s", r.out);
    tph_result_free(&r);
}

Test(trace, errors)
{
    tph_result r = tph_run(FIXTURES, (const char *[]){"trace", "x", NULL});
    cr_expect_eq(r.status, 2);
    tph_result_free(&r);
    r = tph_run(FIXTURES, (const char *[]){"trace", "2147483647", NULL});
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, "tph: PID 2147483647: no such process\n");
    tph_result_free(&r);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    r = tph_run(FIXTURES, (const char *[]){"trace", pid, NULL});
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "was not started with the preload") != NULL, "%s", r.err);
    tph_result_free(&r);
}
