"""Secrets in parameters, keyword arguments and dict arguments."""


def login(user, password, Session_ID=None, *extra, db_passwd="pw2", **options):
    return len(user)


def headers(Authorization, cookie, x_api_key, ApiKey, client_secret, refresh_token):
    return "sent"


def connect(config, spare):
    return config.get("host")


def fetch():
    return {"token": "returned-secret", "data": 1}


def ssn_lookup(ssn, password):
    return 0


def main():
    login("ann", "hunter2", "sess-123", "positional-extra", db_passwd="pw-2",
          auth_token="opt-tok", colour="red")
    headers("Bearer abc", "c=1", "k-1", "k-2", "s-1", "r-1")
    connect({"host": "db", "password": "p@ss", "Api_Key": 7, 3: "int-key",
             "nested": {"secret": "deep"}}, ["token", "not-a-key"])
    fetch()
    ssn_lookup("123-45-6789", "pw-3")
    print("ok")


main()
