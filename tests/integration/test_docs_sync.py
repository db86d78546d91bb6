"""Keeps the man pages, the bash completion and docs/configuration.md in
step with what tph really has: every command `tph help` lists, every
option in its getopt_long table, every key `tph config` prints.

    TRACEPATCH_BUILD=build /usr/bin/python3 -m pytest tests/integration/test_docs_sync.py
"""
import os
import re
import shutil
import subprocess

import pytest

from conftest import REPO, TPH

MAN_TPH = REPO / "man" / "tph.1.scd"
MAN_LIB = REPO / "man" / "libtracepatch.7.scd"
COMPLETION = REPO / "completion" / "tph.bash"
CONFIG_DOC = REPO / "docs" / "configuration.md"


def run_tph(*args, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACEPATCH_")}
    r = subprocess.run([str(TPH), *args], cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    return r.stdout


def read(path):
    # scdoc escapes: `\_` and `\*` are the plain characters.
    return re.sub(r"\\([_*])", r"\1", path.read_text())


def commands():
    out = run_tph("help")
    names = re.findall(r"^  ([a-z][a-z-]*) ", out.split("commands:", 1)[1], re.M)
    assert len(names) >= 10, out
    return names


def real_options(command):
    """The options in the getopt_long table (and optstring) of the file
    that defines cmd_COMMAND: what the command really accepts."""
    sources = [p for p in (REPO / "render").glob("cmd_*.c")
               if re.search(r"^int cmd_%s\(" % command, p.read_text(), re.M)]
    assert len(sources) == 1, (command, sources)
    text = sources[0].read_text()
    found = {"--" + name for name in re.findall(r'\{"([a-z][a-z-]*)", *\w+_argument', text)}
    optstring = re.search(r'getopt_long\(argc, argv, "([^"]*)"', text)
    assert optstring, sources[0]
    found |= {"-" + c for c in re.findall(r"[a-z]", optstring.group(1)) if c != "h"}
    return sorted(found - {"--help"})


def completion_options(command):
    text = COMPLETION.read_text()
    case = re.search(r"^\s+%s\)(.*?);;" % re.escape(command), text, re.M | re.S)
    assert case, "completion/tph.bash: no '%s)' case" % command
    opts = re.search(r'opts="([^"]*)"', case.group(1))
    assert opts, "completion/tph.bash: the '%s)' case sets no opts" % command
    return opts.group(1).split()


def config_keys(tmp_path):
    keys = re.findall(r"^([a-z_]+) = ", run_tph("config", cwd=tmp_path), re.M)
    assert len(keys) >= 15, keys
    return keys


@pytest.fixture(scope="module")
def command_list():
    return commands()


def test_every_command_is_in_the_man_page(command_list):
    man = read(MAN_TPH)
    missing = [c for c in command_list if "*tph* *%s*" % c not in man]
    assert not missing, "man/tph.1.scd SYNOPSIS lacks: %s" % missing
    missing = [c for c in command_list if not re.search(r"^\*%s\*" % re.escape(c), man, re.M)]
    assert not missing, "man/tph.1.scd COMMANDS lacks: %s" % missing


def test_every_command_is_completed(command_list):
    listed = re.search(r'local commands="([^"]*)"', COMPLETION.read_text())
    assert listed, "completion/tph.bash: no commands list"
    missing = [c for c in command_list if c not in listed.group(1).split()]
    assert not missing, "completion/tph.bash commands lacks: %s" % missing


def test_every_option_is_documented_and_completed(command_list):
    man = read(MAN_TPH)
    problems = []
    for command in command_list:
        completed = completion_options(command)
        for opt in real_options(command):
            if "*%s*" % opt not in man:
                problems.append("man/tph.1.scd lacks %s %s" % (command, opt))
            if opt not in completed:
                problems.append("completion/tph.bash lacks %s %s" % (command, opt))
    assert not problems, "\n".join(problems)


def test_every_option_is_in_the_commands_help(command_list):
    """README: `tph COMMAND --help` lists every option."""
    problems = []
    for command in command_list:
        shown = run_tph(command, "--help")
        problems += ["%s %s" % (command, o) for o in real_options(command)
                     if not re.search(r"(^|[\s\[|(])%s([\s\]|=,)]|$)" % re.escape(o), shown, re.M)]
    assert not problems, "--help lacks: %s" % problems


def test_completion_offers_no_option_that_does_not_exist(command_list):
    problems = []
    for command in command_list:
        real = set(real_options(command)) | {"--"}
        problems += ["%s %s" % (command, o) for o in completion_options(command) if o not in real]
    assert not problems, "completion/tph.bash offers unknown options: %s" % problems


def test_every_config_key_is_documented(tmp_path):
    lib = read(MAN_LIB)
    doc = CONFIG_DOC.read_text()
    completion = COMPLETION.read_text()
    problems = []
    for key in config_keys(tmp_path):
        env = "TRACEPATCH_" + key.upper()
        if "*%s*" % key not in lib:
            problems.append("man/libtracepatch.7.scd lacks the key %s" % key)
        if env not in lib:
            problems.append("man/libtracepatch.7.scd lacks %s" % env)
        if "`%s`" % key not in doc:
            problems.append("docs/configuration.md lacks the key %s" % key)
        if not re.search(r"[\s\"]%s=" % key, completion):
            problems.append("completion/tph.bash --set lacks %s" % key)
    assert not problems, "\n".join(problems)


def test_other_variables_are_documented():
    lib = read(MAN_LIB)
    for var in ("TRACEPATCH_CONFIG", "TRACEPATCH_DEBUG"):
        assert "*%s*" % var in lib, "man/libtracepatch.7.scd lacks %s" % var


@pytest.mark.skipif(shutil.which("scdoc") is None, reason="scdoc is not installed")
@pytest.mark.parametrize("page", [MAN_TPH, MAN_LIB], ids=lambda p: p.name)
def test_man_page_builds(page):
    r = subprocess.run(["scdoc"], input=page.read_text(), capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_completion_parses():
    r = subprocess.run(["bash", "-n", str(COMPLETION)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
