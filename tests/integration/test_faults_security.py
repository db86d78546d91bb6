"""Security: redaction of secrets by parameter name and dict key, and the
`redact` setting that replaces the list (issue 5; docs/security.md)."""
from conftest import cache, one
from test_faults_common import check_cache, plain_and_traced

PROG = "fault_secrets.py"
R = "'<redacted>'"


def trace(py, tmp_path, **settings):
    plain_and_traced(py, tmp_path, PROG, autostart=1, **settings)
    [t] = check_cache(cache(tmp_path))
    return t


def test_default_words_in_parameters(py, tmp_path):
    t = trace(py, tmp_path)
    assert one(t, "login")["args"] == (
        "user='ann', password=%s, Session_ID=%s, *extra=('positional-extra',), "
        "db_passwd=%s, **options={'auth_token': %s, 'colour': 'red'}" % (R, R, R, R))
    assert one(t, "headers")["args"] == ", ".join(
        "%s=%s" % (n, R) for n in ("Authorization", "cookie", "x_api_key", "ApiKey",
                                  "client_secret", "refresh_token"))


def test_dict_keys_redacted_in_arguments_and_returns(py, tmp_path):
    t = trace(py, tmp_path)
    assert one(t, "connect")["args"] == (
        "config={'host': 'db', 'password': %s, 'Api_Key': %s, 3: 'int-key', "
        "'nested': {'secret': %s}}, spare=['token', 'not-a-key']" % (R, R, R))
    assert one(t, "fetch")["return_value"] == "{'token': %s, 'data': 1}" % R


def test_no_secret_value_anywhere_in_the_file(py, tmp_path):
    trace(py, tmp_path)
    [f] = cache(tmp_path).glob("trace_*.json")
    text = f.read_text()
    for secret in ("hunter2", "sess-123", "pw-2", "opt-tok", "Bearer abc", "p@ss", "deep",
                   "returned-secret", "pw-3", "k-1", "s-1", "r-1"):
        assert secret not in text, secret


def test_redact_setting_replaces_the_list(py, tmp_path):
    t = trace(py, tmp_path, redact="SSN,colour")
    assert one(t, "ssn_lookup")["args"] == "ssn=%s, password='pw-3'" % R
    assert "'colour': %s" % R in one(t, "login")["args"]
    assert "password='hunter2'" in one(t, "login")["args"]
    assert t["config"]["redact"] == ["SSN", "colour"] or \
        [w.lower() for w in t["config"]["redact"]] == ["ssn", "colour"]


def test_redact_from_the_config_file(py, tmp_path):
    (tmp_path / "tracepatch.toml").write_text('redact = ["ssn"]\n')
    t = trace(py, tmp_path)
    assert one(t, "ssn_lookup")["args"] == "ssn=%s, password='pw-3'" % R


def test_empty_redact_list_turns_redaction_off(py, tmp_path):
    t = trace(py, tmp_path, redact="")
    assert one(t, "ssn_lookup")["args"] == "ssn='123-45-6789', password='pw-3'"
