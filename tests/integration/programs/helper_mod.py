"""A module the tests put in ignore_modules or include_modules."""


def call_back(fn, x):
    return twice(fn, x)


def twice(fn, x):
    return fn(x) + fn(x)
