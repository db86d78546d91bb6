/* tph clean: removes trace files (trace_*.json, and the .trace_*.tmp a
 * killed writer left behind) from a cache directory, by age. Nothing else
 * in the directory is touched. */
#include "cli.h"
#include "commands.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define USAGE "tph clean [--cache-dir DIR] (--older-than AGE | --all) [-n|--dry-run]"

#define HELP \
    "Removes trace files from the cache directory (default ./.tracepatch_cache).\n\n" \
    "  --older-than AGE   only files last written more than AGE ago: N followed by\n" \
    "                     s, m, h, d or w (30m, 12h, 7d)\n" \
    "  --all              every trace file\n" \
    "  --dry-run          list what would be removed, remove nothing\n" \
    "  --cache-dir DIR    another cache directory\n"

struct clean_args {
    const char *dir;
    double max_age;      /* seconds; < 0: --all */
    bool dry_run;
};

/* "30m" -> 1800; false when not N[smhdw]. */
static bool parse_age(const char *text, double *seconds)
{
    char *end;
    errno = 0;
    double n = strtod(text, &end);
    static const char units[] = "smhdw";
    static const double scale[] = {1, 60, 3600, 86400, 604800};
    const char *u = *end ? strchr(units, *end) : NULL;
    if (errno || end == text || n < 0 || !u || end[1] != '\0' || n != n)
        return false;
    *seconds = n * scale[u - units];
    return true;
}

static bool is_trace_file(const char *name)
{
    return fnmatch("trace_*.json", name, FNM_PERIOD) == 0 ||
           fnmatch(".trace_*.tmp", name, 0) == 0;
}

/* Removes (or lists) one file if it is old enough; counts what it did. */
static void consider(const struct clean_args *a, const char *path, time_t now,
                     unsigned long *count, unsigned long long *bytes, int *rc)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    if (a->max_age >= 0 && difftime(now, st.st_mtime) <= a->max_age)
        return;
    if (a->dry_run) {
        printf("%s\n", path);
    } else if (unlink(path) != 0) {
        fprintf(stderr, "tph: %s: %s\n", path, strerror(errno));
        *rc = 1;
        return;
    }
    (*count)++;
    *bytes += (unsigned long long)st.st_size;
}

static int clean_dir(const struct clean_args *a)
{
    DIR *d = opendir(a->dir);
    if (!d) {
        if (errno == ENOENT) {
            printf("no cache directory at %s: nothing to remove\n", a->dir);
            return 0;
        }
        fprintf(stderr, "tph: %s: %s\n", a->dir, strerror(errno));
        return 1;
    }
    time_t now = time(NULL);
    unsigned long count = 0;
    unsigned long long bytes = 0;
    int rc = 0;
    char path[4096];
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_trace_file(e->d_name))
            continue;
        int n = snprintf(path, sizeof path, "%s/%s", a->dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof path) {
            fprintf(stderr, "tph: %s/%s: path too long, kept\n", a->dir, e->d_name);
            rc = 1;
            continue;
        }
        consider(a, path, now, &count, &bytes, &rc);
    }
    closedir(d);
    printf("%s %lu file%s (%.1f KiB) in %s\n", a->dry_run ? "would remove" : "removed", count,
           count == 1 ? "" : "s", (double)bytes / 1024.0, a->dir);
    return rc;
}

int cmd_clean(int argc, char **argv)
{
    static const struct option options[] = {
        {"cache-dir", required_argument, NULL, 'c'},
        {"older-than", required_argument, NULL, 'o'},
        {"all", no_argument, NULL, 'a'},
        {"dry-run", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct clean_args a = {".tracepatch_cache", 0, false};
    bool all = false, aged = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hn", options, NULL)) != -1) {
        switch (c) {
        case 'c': a.dir = optarg; break;
        case 'o':
            if (!parse_age(optarg, &a.max_age))
                return tp_usage_error("clean", USAGE, "--older-than wants N followed by s, m, h, d or w, got", optarg);
            aged = true;
            break;
        case 'a': all = true; break;
        case 'n': a.dry_run = true; break;
        case 'h': printf("usage: %s\n\n%s", USAGE, HELP); return 0;
        default: return tp_bad_option("clean", USAGE, c, argv);
        }
    }
    if (optind != argc)
        return tp_usage_error("clean", USAGE, "unexpected argument", argv[optind]);
    if (all == aged)
        return tp_usage_error("clean", USAGE, all ? "--all and --older-than exclude each other"
                                                  : "say --older-than AGE or --all", NULL);
    if (all)
        a.max_age = -1;
    return clean_dir(&a);
}
